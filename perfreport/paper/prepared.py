"""The templates' Jinja environment, and a template's parts patched and compiled in advance."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_SPECIAL = re.compile("[&<>'\"{}]")  # what _xml_text changes in a str
FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


def _xml_text(value: Any) -> Any:
    """Jinja's finalize: escape for XML, and write braces as character references.

    Autoescape alone handles & < > and quotes. The braces matter because docxtpl turns "{_{" back
    into "{{" after rendering, so a literal "{_{" in a commentary would otherwise change.
    """
    if value.__class__ is str:
        if not _SPECIAL.search(value):
            # Most values: nothing to escape, so the text as it is (autoescape's escape, or
            # str() in an {% autoescape false %} block, gives it unchanged: a Markup made here
            # would only be made again).
            return value
        # markupsafe's escape of a str, written out
        text = (
            value.replace("&", "&amp;")
            .replace(">", "&gt;")
            .replace("<", "&lt;")
            .replace("'", "&#39;")
            .replace('"', "&#34;")
        )
    else:
        text = str(_markup()[1](value))
    return _markup()[0](text.replace("{", "&#123;").replace("}", "&#125;"))


_MARKUP: Any = None  # markupsafe's Markup and escape, imported when first needed


def _markup() -> Any:
    global _MARKUP
    if _MARKUP is None:
        from markupsafe import Markup, escape

        _MARKUP = (Markup, escape)
    return _MARKUP


def make_environment(prepared: bool = False):
    """The Jinja environment for templates: sandboxed, autoescaped, strict about missing fields.

    ``prepared``: one that keeps the templates compiled by its ``prepare`` (prepare_template).
    """
    from jinja2 import StrictUndefined

    from perfreport.paper.sandbox import BoundedEnvironment

    kind = prepared_environment() if prepared else BoundedEnvironment
    environment = kind(autoescape=True, undefined=StrictUndefined, finalize=_xml_text)
    environment.code_generator_class = finalized_output()
    return environment


_GENERATOR: Any = None  # the class of finalized_output(), made when first needed


def finalized_output() -> Any:
    """Jinja's code generator, writing each ``{{ value }}`` as ``finalize(value)`` alone.

    Why: Jinja writes it as ``escape(finalize(value))`` (or ``str(...)`` where autoescape is
    off), and what _xml_text gives is already the text escape gives back: a str with nothing to
    escape, or a Markup (escape keeps a Markup as it is). So the same text is output, without
    a call to escape and a Markup made for each of a 100x paper's ~270,000 values (~0.1-0.2 s).
    Only for an environment whose finalize is _xml_text; any other is generated as Jinja does.
    """
    global _GENERATOR
    if _GENERATOR is None:
        from jinja2.compiler import CodeGenerator

        class FinalizedOutput(CodeGenerator):
            def _output_child_pre(self, node: Any, frame: Any, finalize: Any) -> None:
                if self.environment.finalize is not _xml_text or finalize.src is None:
                    super()._output_child_pre(node, frame, finalize)
                    return
                # (_output_child_post closes both parentheses, as it closes Jinja's two calls)
                self.write("(" + finalize.src)

        _GENERATOR = FinalizedOutput
    return _GENERATOR


_PREPARED: Any = None  # the class of a prepared environment, made when first needed


def prepared_environment() -> Any:
    """The class of make_environment(prepared=True) (it needs jinja2: made when first asked)."""
    global _PREPARED
    if _PREPARED is None:
        from perfreport.paper.sandbox import BoundedEnvironment

        class PreparedEnvironment(BoundedEnvironment):
            """A template environment holding the parts of one template compiled in advance,
            by their source text (a handful: the parts of the template's package)."""

            def __init__(self, *args: Any, **kwargs: Any):
                super().__init__(*args, **kwargs)
                self.compiled: dict[str, Any] = {}

            def prepare(self, source: str) -> None:
                self.compiled[source] = super().from_string(source)

            def from_string(self, source: Any, globals: Any = None, template_class: Any = None):
                if isinstance(source, str) and globals is None and template_class is None:
                    found = self.compiled.get(source)
                    if found is not None:
                        return found
                return super().from_string(source, globals, template_class)

        _PREPARED = PreparedEnvironment
    return _PREPARED


@dataclass(frozen=True)
class PreparedTemplate:
    """What filling a template needs before its context: each part's XML patched as docxtpl
    patches it (by the XML's text) and compiled by Jinja in ``environment``."""

    template: Path
    patched: Mapping[str, str]
    environment: Any


def prepare_template(template: Path, timeout: float | None = None) -> PreparedTemplate | None:
    """Patch and compile ``template``'s parts for :func:`render_document` (a build does it while
    its charts are drawn elsewhere). None when any of it fails: the render then does it all
    again, and says what is wrong. Bounded as the render is (paper.sandbox)."""
    from docxtpl import DocxTemplate

    from perfreport.paper.sandbox import RENDER_MEMORY_MB, RENDER_TIMEOUT, render_limits

    try:
        document = DocxTemplate(str(template))
        sources = template_sources(document)
        environment = make_environment(prepared=True)
        patched = {}
        with render_limits(RENDER_TIMEOUT if timeout is None else timeout, RENDER_MEMORY_MB):
            for source in sources:
                xml = patched[source] = document.patch_xml(source)
                # as docxtpl's render_xml_part (and jinjatext.rendered_text) give it to Jinja
                environment.prepare(re.sub(r"<w:p([ >])", r"\n<w:p\1", xml))
    except Exception:  # a corrupt template, a Jinja syntax error, a limit: the render says it
        return None
    return PreparedTemplate(Path(template), patched, environment)


def template_sources(document: Any) -> list[str]:
    """The XML of a docxtpl template's parts that a render fills in: the body, the headers and
    footers (as docxtpl's build_xml and build_headers_footers_xml), the footnotes (as
    document.py's render_footnotes)."""
    document.init_docx()
    sources = [document.get_xml()]
    for uri in (document.HEADER_URI, document.FOOTER_URI):
        sources += [document.get_part_xml(part) for _, part in document.get_headers_footers(uri)]
    for part in document.docx.part.package.parts:
        if part.content_type == FOOTNOTES:
            blob = part.blob
            sources.append(blob.decode("utf-8") if isinstance(blob, bytes) else blob)
    return sources
