"""The paper as one self-contained, accessible web page, rendered from the same context as the .docx."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable, Mapping
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from perfreport.core.formatting import RAG_FILLS, RAG_SHAPES
from perfreport.core.gcpause import paused
from perfreport.core.model import RAG
from perfreport.inputs.report_figures import LINK, link_allowed
from perfreport.inputs.report_file import ITEMS_BY_KEY
from perfreport.paper.html_text import VOID, read_plain_page
from perfreport.paper.precompiled_page import page_template
from perfreport.paper.required import required_strings
from perfreport.paper.shipped import shipped_template
from perfreport.paper.textsafety import sanitise_context

HTML_TEMPLATE_NAME = "committee-paper.html"
_HEX = re.compile(r"[0-9A-Fa-f]{6}")
_IMAGE_TYPES = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"))
# The Summary table's Green, Amber and Red column headings wear the ratings' fills, as in Word.
RAG_COLUMNS = tuple(
    (rag.value, rag.word, RAG_FILLS[rag]) for rag in (RAG.GREEN, RAG.AMBER, RAG.RED)
)
# The headings the Word template gives its computed sections (templates/build_template.py);
# the report file's items are headed by their labels.
HEADINGS = {"summary": "Summary", "key_issues": "Key Issues Identified this Quarter"}
# The report-file items whose paragraphs the context holds under another name.
_PROSE_FIELDS = {"key_issues": "key_issues_narrative"}


class HtmlError(RuntimeError):
    """The web page could not be rendered, or the rendered page failed its checks."""


def default_html_template() -> Path:
    """The shipped web-page template."""
    return shipped_template(HTML_TEMPLATE_NAME, "web-page template", HtmlError)


def export_html_template(directory: Path | str, *, overwrite: bool = False) -> Path:
    """Copy the default web-page template into ``directory`` (or to that .html file), for a web
    team to restyle."""
    from perfreport.paper.template import export_shipped

    return export_shipped(
        HTML_TEMPLATE_NAME, "web-page template", HtmlError, directory, overwrite=overwrite
    )


# -- what the template may call: each returns safe markup built from escaped text ---------------


def linked(text: Any):
    """A paragraph with its report-file links, [words](https://…), as <a> elements.

    Every piece of text is escaped; only web and e-mail addresses become links. A refused
    address (``javascript:``, ``file:``) stays as written, as plain text, so it is seen.
    """
    from markupsafe import Markup, escape

    text = str(text)
    parts, start = [], 0
    for match in LINK.finditer(text):
        words, url = match.groups()
        if not link_allowed(url):
            continue
        parts.append(escape(text[start : match.start()]))
        parts.append(Markup('<a href="{}">{}</a>').format(url, words))
        start = match.end()
    parts.append(escape(text[start:]))
    return Markup("").join(parts)


def csp_source(*blocks: Any) -> str:
    """``'sha256-…'`` of each inline block, as a Content-Security-Policy allows it by hash."""
    return " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(str(b).encode()).digest()).decode() + "'"
        for b in blocks
    )


def content_security_policy(style: Any, script: Any):
    """The page's policy: nothing from outside, images only inline, its own style and script."""
    from markupsafe import Markup

    return Markup(
        "default-src 'none'; "
        f"style-src {csp_source(style)}; "
        f"script-src {csp_source(script)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )


def fill_class(fill: Any) -> str:
    """The CSS class of a table fill (``fill-F05A5A``): fills are six hex digits, or none."""
    fill = str(fill)
    return f"fill-{fill.upper()}" if _HEX.fullmatch(fill) else ""


def make_html_environment():
    """Sandboxed and autoescaped, as for the Word template, strict about missing fields."""
    from jinja2 import StrictUndefined

    from perfreport.paper.page_sandbox import PageEnvironment

    env = PageEnvironment(
        autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True
    )
    env.filters["linked"] = linked
    env.filters["fill_class"] = fill_class
    env.globals["content_security_policy"] = content_security_policy
    return env


# -- the context: the paper's, with what a page needs besides ------------------------------------


def data_uri(path: str) -> str:
    """A PNG or JPEG file as a data: address, so the page makes no request for it."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise HtmlError(f"the figure {path} cannot be read ({exc.strerror or exc})") from None
    kind = next((k for magic, k in _IMAGE_TYPES if data.startswith(magic)), None)
    if kind is None:
        raise HtmlError(f"the figure {path} is not a PNG or JPEG image")
    return f"data:{kind};base64," + base64.b64encode(data).decode("ascii")


def rag_key(rag_text: str) -> str:
    """``red``, ``amber`` or ``green`` for a rated row's RAG cell, ``none`` otherwise."""
    for rag, shape in RAG_SHAPES.items():
        if rag_text.startswith(shape) and rag_text.endswith(rag.word):
            return rag.value
    return "none"


def _fills(value: Any) -> Iterable[str]:
    if isinstance(value, Mapping):
        for key, inner in value.items():
            if key.endswith("fill") and isinstance(inner, str) and _HEX.fullmatch(inner):
                yield inner.upper()
            elif type(inner) is not str:  # text holds no fill: no generator for it
                yield from _fills(inner)
    elif isinstance(value, list | tuple):
        for inner in value:
            if type(inner) is not str:
                yield from _fills(inner)


CHART_PREFIX = "chart:"  # a context value naming a chart (as perfreport.paper.richtext reads it)


def _png_uri(data: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def place_charts(value: Any, pictures: Mapping[str, Any]) -> Any:
    """``value`` with each chart's key (``chart:…``) replaced by its PNG as a data: address, or by
    "" when it has no picture, so that the template shows a chart only where one was drawn."""

    def place(value: Any) -> Any:
        # Plain text (most of the context) is kept without a call: a str is never a Mapping.
        if isinstance(value, Mapping):
            return {
                k: v if type(v) is str and not v.startswith(CHART_PREFIX) else place(v)
                for k, v in value.items()
            }
        if isinstance(value, list | tuple):
            return [
                v if type(v) is str and not v.startswith(CHART_PREFIX) else place(v) for v in value
            ]
        if isinstance(value, str) and value.startswith(CHART_PREFIX):
            placed = pictures.get(value)
            return _png_uri(placed.png) if placed is not None else ""
        return value

    return place(value)


def html_context(
    context: Mapping[str, Any], pictures: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The paper's context with pictures inline (the report file's figures, and the charts from
    ``pictures``: key -> an object with the PNG bytes as ``png``), each Appendix A row's RAG key
    for the filter, and ``page``: the fills the style sheet needs and the filter's choices."""
    page_context = place_charts(context, pictures or {})
    page_context["figures"] = [
        {**f, "image": data_uri(f["image"])} for f in context.get("figures", [])
    ]
    appendix = dict(page_context["appendix"])
    groups = []
    present = set()
    for group in appendix["groups"]:
        rows = []
        for row in group["indicators"]:
            key = rag_key(row["rag"])
            present.add(key)
            rows.append({**row, "rag_key": key})
        groups.append({**group, "indicators": rows})
    appendix["groups"] = groups
    page_context["appendix"] = appendix
    ratings = [(value, word) for value, word, _ in RAG_COLUMNS[::-1] if value in present]
    if "none" in present:
        ratings.append(("none", "No data or not rated"))
    fills = set(_fills(context)) | {fill for _, _, fill in RAG_COLUMNS}
    prose = {
        key: context[_PROSE_FIELDS.get(key, key)]
        for key in ITEMS_BY_KEY
        if isinstance(context.get(_PROSE_FIELDS.get(key, key)), list | tuple)
        and all(isinstance(t, str) for t in context[_PROSE_FIELDS.get(key, key)])
    }
    page_context["page"] = {
        "labels": {key: item.label for key, item in ITEMS_BY_KEY.items()} | HEADINGS,
        "front": {key: context[key] for key in ITEMS_BY_KEY if isinstance(context.get(key), str)},
        "prose": prose,
        "fills": sorted(fills - {"FFFFFF"}),
        "rag_columns": [{"key": k, "word": w, "fill": f} for k, w, f in RAG_COLUMNS],
        "ratings": [{"key": k, "word": w} for k, w in ratings],
    }
    return page_context


# -- rendering and checking ----------------------------------------------------------------------


class _Text(HTMLParser):
    """The page's text, and the problems a browser would hide: tags left open, ids used twice."""

    VOID = VOID

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.open: list[str] = []
        self.ids: set[str] = set()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value is not None:
                if value in self.ids:
                    self.problems.append(f'the id "{value}" is used twice')
                self.ids.add(value)
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> does not close <{self.open[-1] if self.open else ''}>")
            return
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def verify_html(page: str, required: Iterable[str]) -> None:
    """Parse a rendered page: every element closed in order, ids unique, required text present."""
    problems: list[str] = []
    found = read_plain_page(page)  # the shipped template's page: read by one expression
    if found is None:  # a restyled page, or one with a problem: HTMLParser reads it and says
        parser = _Text()
        parser.feed(page)
        parser.close()
        problems = parser.problems[:5]
        if parser.open:
            problems.append("these elements are not closed: " + ", ".join(parser.open[-5:]))
        found = parser.text
    text = "".join(found)
    # Refs and values fill their cells: a set lookup each; only the rest are searched for in the
    # whole text (22,800 searches of a 100x page's 20 MB took 20 s).
    pieces = {piece.strip() for piece in found}
    missing = [s for s in dict.fromkeys(required) if s not in pieces and s not in text]
    if missing:
        shown = ", ".join(repr(s) for s in missing[:10])
        problems.append(f"these do not appear in the page: {shown}")
    if problems:
        raise HtmlError("The rendered web page failed its checks: " + "; ".join(problems))


@paused
def render_html(
    context: Mapping[str, Any],
    template: Path | None = None,
    *,
    pictures: Mapping[str, Any] | None = None,
) -> bytes:
    """The paper's web page (UTF-8 bytes) from its context and a template, checked, byte-identical.

    ``context`` is the one the Word template gets (docs/template.md); ``template`` defaults to
    the shipped templates/committee-paper.html; ``pictures`` holds the charts by their context
    keys, as for the .docx. Raises :class:`HtmlError`.
    """
    from jinja2 import TemplateError

    clean, _ = sanitise_context(context)
    path = Path(template) if template is not None else default_html_template()
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise HtmlError(f"The web-page template {path} cannot be read: {exc}") from None
    try:
        # The shipped template's code was made when perfreport was (paper.precompiled_page).
        compiled = page_template(make_html_environment(), source)
        page = compiled.render(html_context(clean, pictures))
    except TemplateError as exc:
        raise HtmlError(f"The web-page template {path.name} cannot be filled in: {exc}") from None
    page = page.rstrip("\n") + "\n"
    verify_html(page, required_strings(clean))
    return page.encode("utf-8")
