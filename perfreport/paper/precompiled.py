"""The shipped template's parts patched and compiled when perfreport is made, not on each build."""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

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
    import jinja2

    attributes = (
        "sandboxed optimized is_async autoescape intercepted_binops intercepted_unops "
        "block_start_string block_end_string variable_start_string variable_end_string "
        "comment_start_string comment_end_string line_statement_prefix line_comment_prefix "
        "trim_blocks lstrip_blocks newline_sequence keep_trailing_newline"
    ).split()
    values = [repr(sorted(v) if isinstance(v, frozenset) else v)
              for v in (getattr(environment, a) for a in attributes)]  # fmt: skip
    finalize = environment.finalize
    return [
        f"jinja2 {jinja2.__version__}",
        f"docxtpl {getattr(docxtpl, '__version__', '?')}",
        " ".join(f"{c.__module__}.{c.__qualname__}" for c in type(environment).__mro__[1:]),
        f"finalize {finalize.__module__}.{finalize.__qualname__}" if finalize else "no finalize",
        *values,
        "filters " + " ".join(sorted(environment.filters)),
        "tests " + " ".join(sorted(environment.tests)),
        "extensions " + " ".join(sorted(environment.extensions)),
    ]


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
    """Write the default template's record beside it (after templates/build_template.py)."""
    from perfreport.paper.template import default_template

    template = default_template()
    target = template.with_name(RECORD)
    target.write_text(record_text(template), encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    sys.exit(main())
