"""The example's paper is byte-identical to a golden sha256: any change to the paper is deliberate.

tests/golden/somerset-Q2-2024-docx.sha256 holds, in `sha256sum` form, the hash of the .docx that
`perfreport build Q2-2024 --project examples/somerset --no-pdf` writes with
SOURCE_DATE_EPOCH=1700000000. Update it only with a deliberate change to the paper (the template,
the paper's model, its wording or layout), never to make this test pass after a refactoring:
run `PERFREPORT_UPDATE_GOLDEN=1 pytest tests/test_paper_golden.py`, look at the new paper, and say
in the commit why it changed.

The .docx is stamped with SOURCE_DATE_EPOCH when it is set, else with the meeting date of the
report file (2 December 2024, 09:00); the test sets SOURCE_DATE_EPOCH, so the environment it runs
in cannot change the result. Its parts are deflated by zlib: a zlib that compresses differently
would change the bytes too (tests/test_build.py compares two builds on the same machine).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from buildfactory import DOCX, Q2, copy_example

from perfreport.build import PdfMode, build_paper

GOLDEN = Path(__file__).parent / "golden" / "somerset-Q2-2024-docx.sha256"
EPOCH = "1700000000"  # 2023-11-14 22:13:20 UTC

pytestmark = pytest.mark.slow


def test_builds_the_example_paper_byte_identical_to_the_golden_hash(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    result = build_paper(copy_example("somerset", tmp_path / "somerset"), Q2, pdf=PdfMode.OFF)
    assert result.published, result.reason
    digest = hashlib.sha256(result.outputs[DOCX].read_bytes()).hexdigest()
    line = f"{digest}  {DOCX}\n"
    if os.environ.get("PERFREPORT_UPDATE_GOLDEN"):
        GOLDEN.write_text(line, encoding="utf-8", newline="\n")
    assert line == GOLDEN.read_text(encoding="utf-8"), (
        "the example's paper changed; if that is deliberate, see this module's docstring"
    )
