"""docs/findings.md lists every registered finding code and is generated from the registry."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from perfreport.core.codes import CODES

DOCS = Path(__file__).resolve().parent.parent / "docs"


def load_generator():
    spec = importlib.util.spec_from_file_location("gen_findings", DOCS / "gen_findings.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_findings_md_is_up_to_date() -> None:
    written = (DOCS / "findings.md").read_text(encoding="utf-8")
    assert written == load_generator().render(), "run: python docs/gen_findings.py"


def test_every_code_is_kebab_case_with_a_title_and_an_example() -> None:
    for code, entry in CODES.items():
        assert code == entry.code
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", code), code
        assert entry.title.strip() and entry.example.strip(), code


def test_every_code_has_a_row_in_the_table() -> None:
    text = (DOCS / "findings.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| (error|warning|info) \|", text, re.MULTILINE)
    assert rows == [(c.code, c.severity.value) for c in CODES.values()]
