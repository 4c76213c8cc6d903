"""The shipped template's parts patched and compiled when perfreport is made, not on each build."""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from perfreport.paper.precompiled_page import jinja_key, page_record_text
from perfreport.paper.prepared import (
    PreparedTemplate,
    make_environment,
    prepare_template,
    template_sources,
)

# Why: preparing the default template (paper.prepared) took ~0.07 s of CPU on each build
# (docxtpl's patch ~0.023 s, Jinja's parse and code generation ~0.035 s, Python's compile
# ~0.008 s), on the longest path of a cold 1x build. Its parts patched and Jinja's Python source
# for them are shipped beside it (RECORD), made by `python -m perfreport.paper.precompiled`; a
# build compiles that source only. They are used only for those very bytes of the template,
# under the Jinja, docxtpl and environment they were made with (tests/test_precompiled.py
# checks that they are current); any other template is prepared as before.
RECORD = "committee-paper.prepared.json"
_PARAGRAPH = re.compile(r"<w:p([ >])")


def environment_key(environment: Any) -> list[str]:
    """What Jinja's generated code depends on besides the template's text (and the versions)."""
    import docxtpl

    jinja, *settings = jinja_key(environment)
    return [jinja, f"docxtpl {getattr(docxtpl, '__version__', '?')}", *settings]


def make_record(template: Path) -> dict[str, Any]:
    """The record of ``template``'s parts: each patched, and the Python source Jinja makes of
    it, by the hash of the part's XML."""
    from docxtpl import DocxTemplate

    document = DocxTemplate(str(template))
    environment = make_environment(prepared=True)
    parts = []
    for source in template_sources(document):
        patched = document.patch_xml(source)
        code = environment.compile(_PARAGRAPH.sub(r"\n<w:p\1", patched), raw=True)
        parts.append({"part": _digest(source), "patched": patched, "code": code})
    return {
        "template": hashlib.sha256(template.read_bytes()).hexdigest(),
        "environment": environment_key(environment),
        "parts": parts,
    }


def prepare(template: Path) -> PreparedTemplate | None:
    """``template`` prepared for render_document: from the shipped record when it is its
    template, else by prepare_template (None when that fails: the render says why)."""
    return shipped_prepared(template) or prepare_template(template)


def shipped_prepared(template: Path) -> PreparedTemplate | None:
    """``template`` prepared from the shipped record, when it is the template the record was
    made from (the default template, or a copy of it), under the same Jinja, docxtpl and
    environment; else None."""
    record = _shipped_record()
    if record is None or record.get("template") != _file_digest(template):
        return None
    environment = make_environment(prepared=True)
    if record.get("environment") != environment_key(environment):
        return None
    globals_ = environment.make_globals(None)
    patched: dict[str, str] = {}
    try:
        for part in record["parts"]:
            code = compile(part["code"], "<template>", "exec")
            source = _PARAGRAPH.sub(r"\n<w:p\1", part["patched"])
            environment.compiled[source] = environment.template_class.from_code(
                environment, code, globals_, None
            )
            patched[part["part"]] = part["patched"]
    except Exception:  # a damaged record: the template is prepared as any other
        return None
    return PreparedTemplate(Path(template), _ByDigest(patched), environment)


class _ByDigest(Mapping[str, str]):
    """Patched parts looked up by their XML, kept by its hash (the XML is not shipped)."""

    def __init__(self, patched: dict[str, str]) -> None:
        self._patched = patched

    def __getitem__(self, source: str) -> str:
        return self._patched[_digest(source)]

    def __iter__(self) -> Iterator[str]:
        return iter(self._patched)

    def __len__(self) -> int:
        return len(self._patched)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _file_digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def _shipped_record() -> dict[str, Any] | None:
    """The record shipped beside the default template (None: not in this installation)."""
    from perfreport.paper.template import TemplateError, shipped_template

    try:
        path = shipped_template(RECORD, "prepared template", TemplateError)
        record = json.loads(path.read_text(encoding="utf-8"))
    except (TemplateError, OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def record_text(template: Path) -> str:
    """The record's file, as written (the same text for the same template)."""
    return json.dumps(make_record(template), indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def main() -> None:
    """Write the default templates' records beside them (after templates/build_template.py):
    the Word template's, and the web page's (paper.precompiled_page)."""
    from perfreport.paper.html import default_html_template, make_html_environment
    from perfreport.paper.precompiled_page import RECORD as PAGE_RECORD
    from perfreport.paper.template import default_template

    template = default_template()
    target = template.with_name(RECORD)
    target.write_text(record_text(template), encoding="utf-8")
    print(f"wrote {target}")
    page = default_html_template()
    source = page.read_text(encoding="utf-8")
    target = page.with_name(PAGE_RECORD)
    target.write_text(page_record_text(make_html_environment(), source), encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    sys.exit(main())
