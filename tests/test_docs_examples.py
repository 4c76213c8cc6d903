"""The Python examples in docs/ run as written, against a copy of the example project."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BLOCK = re.compile(r"```python\n(.*?)```", re.S)
EXAMPLES = [
    pytest.param(code, id=f"{doc.name}-{number}")
    for doc in sorted((ROOT / "docs").glob("*.md"))
    for number, code in enumerate(BLOCK.findall(doc.read_text(encoding="utf-8")), 1)
]


def test_the_docs_have_python_examples() -> None:
    assert len(EXAMPLES) >= 2


@pytest.mark.parametrize("code", EXAMPLES)
def test_each_python_example_in_the_docs_runs(
    code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(ROOT / "examples" / "somerset", tmp_path / "examples" / "somerset")
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "<docs example>", "exec"), {"__name__": "docs_example"})
