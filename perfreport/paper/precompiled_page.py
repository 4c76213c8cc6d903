"""The shipped web page's template compiled by Jinja when perfreport is made, not on each build."""

from __future__ import annotations

import hashlib
import json
from typing import Any

# Why: Jinja's parse and code generation of templates/committee-paper.html took ~0.025-0.03 s
# of CPU on each build (Python's compile of the code it makes, ~0.006 s), in the build's own
# process at 1x and in the charts' process at 10x and 100x. Jinja's Python source for it is
# shipped beside it (RECORD), made by `python -m perfreport.paper.precompiled` with the Word
# template's; a build compiles that source only. It is used only for those very characters
# of the template, under the Jinja and environment it was made with (tests/test_precompiled.py
# checks that it is current); any other page template is compiled as before.
RECORD = "committee-paper.html.prepared.json"
_FILE_NAME = "<template>"  # as Jinja's from_string names its code


def jinja_key(environment: Any) -> list[str]:
    """What Jinja's generated code depends on besides the template's text: its version and the
    environment's code-generation settings, filters, tests and extensions."""
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
    generator = environment.code_generator_class
    return [
        f"jinja2 {jinja2.__version__}",
        " ".join(f"{c.__module__}.{c.__qualname__}" for c in type(environment).__mro__[1:]),
        f"finalize {finalize.__module__}.{finalize.__qualname__}" if finalize else "no finalize",
        f"code generator {generator.__module__}.{generator.__qualname__}",
        *values,
        "filters " + " ".join(sorted(environment.filters)),
        "tests " + " ".join(sorted(environment.tests)),
        "extensions " + " ".join(sorted(environment.extensions)),
    ]


def page_template(environment: Any, source: str) -> Any:
    """``environment.from_string(source)``: from the shipped record when ``source`` is the text it
    was made from, under the same Jinja and environment; else compiled as Jinja does."""
    record = _shipped_record()
    if (
        record is not None
        and record.get("template") == _digest(source)
        and record.get("environment") == jinja_key(environment)
    ):
        try:
            code = compile(record["code"], _FILE_NAME, "exec")
            globals_ = environment.make_globals(None)
            return environment.template_class.from_code(environment, code, globals_, None)
        except Exception:  # a damaged record: the template is compiled as any other
            pass
    return environment.from_string(source)


def make_page_record(environment: Any, source: str) -> dict[str, Any]:
    """The record of a page template: Jinja's Python source for it, by the text's hash."""
    return {
        "template": _digest(source),
        "environment": jinja_key(environment),
        "code": environment.compile(source, raw=True),
    }


def page_record_text(environment: Any, source: str) -> str:
    """The record's file, as written (the same text for the same template)."""
    record = make_page_record(environment, source)
    return json.dumps(record, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _shipped_record() -> dict[str, Any] | None:
    """The record shipped beside the page template (None: not in this installation)."""
    from perfreport.paper.shipped import shipped_template

    try:
        path = shipped_template(RECORD, "prepared web-page template", LookupError)
        record = json.loads(path.read_text(encoding="utf-8"))
    except (LookupError, OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None
