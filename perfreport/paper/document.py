"""Render the committee paper: a docxtpl template filled from a context, checked, byte-identical."""

from __future__ import annotations

import datetime as dt
import gc
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from perfreport.core.codes import finding
from perfreport.core.findings import Finding
from perfreport.paper.bodybeside import stream_body
from perfreport.paper.bodystream import StreamedBody, Unstreamable
from perfreport.paper.checkbeside import read_beside
from perfreport.paper.docxzip import (
    EARLIEST,
    ReadPart,
    main_entry,
    missing_strings,
    open_package,
    package_parts,
    read_main_part,
    write_package,
    xml_problems,
)
from perfreport.paper.listing import resolve_listing
from perfreport.paper.pictures import graft_body
from perfreport.paper.prepared import FOOTNOTES, PreparedTemplate, make_environment
from perfreport.paper.required import required_strings
from perfreport.paper.richtext import make_links, mark_links, place_charts, place_figures
from perfreport.paper.standins import swap_pictures
from perfreport.paper.tablegrid import order_cell_properties
from perfreport.paper.textsafety import Sanitised, clean_text, sanitise_context

LANGUAGE = "en-GB"


class DocumentError(RuntimeError):
    """The paper could not be rendered, or the rendered document failed its checks."""


def document_timestamp(context: Mapping[str, Any]) -> dt.datetime:
    """The date stamped into the document: SOURCE_DATE_EPOCH if set, else the meeting date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            stamp = dt.datetime.fromtimestamp(int(epoch), dt.UTC).replace(tzinfo=None)
        except (ValueError, OverflowError, OSError):
            raise DocumentError(
                f"SOURCE_DATE_EPOCH must be whole seconds since 1970, got {epoch!r}"
            ) from None
        return max(stamp, EARLIEST)
    meeting = str(context.get("meeting_date_iso") or "")
    try:
        # 09:00 rather than midnight, so that no time zone shows the day before the meeting.
        return dt.datetime.combine(dt.date.fromisoformat(meeting), dt.time(9, 0))
    except ValueError:
        return EARLIEST


# The most characters of one indicator's commentary and actions the paper shows: 32,767-character
# commentary and actions (an Excel cell's most) on 7 indicators took LibreOffice 108 s to turn
# into a PDF. 3,000 characters is twice the 250-word commentary limit plus actions.
COMMENTARY_LIMIT = 3_000
CUT_MARK = "… [cut]"


def fit_commentary(
    context: Mapping[str, Any], limit: int = COMMENTARY_LIMIT
) -> tuple[dict[str, Any], tuple[Finding, ...]]:
    """A copy of ``context`` whose Appendix A commentaries are at most ``limit`` characters (cut
    at a word, ending CUT_MARK), with a ``commentary-cut`` warning for each one cut."""
    found: list[Finding] = []
    appendix = dict(context.get("appendix") or {})
    groups = []
    for group in appendix.get("groups") or []:
        indicators = []
        for indicator in group.get("indicators") or []:
            text = str(indicator.get("commentary", ""))
            if len(text) > limit:
                cut = text[: limit - len(CUT_MARK)]
                cut = (cut.rsplit(None, 1)[0] if " " in cut[-80:] else cut).rstrip()
                indicator = {**indicator, "commentary": f"{cut} {CUT_MARK}"}
                found.append(
                    finding(
                        "commentary-cut",
                        ref=str(indicator.get("ref", "")),
                        length=f"{len(text):,}",
                        limit=f"{limit:,}",
                        mark=CUT_MARK,
                    )
                )
            indicators.append(indicator)
        groups.append({**group, "indicators": indicators})
    if "groups" in appendix:
        appendix["groups"] = groups
    fitted = {**context, "appendix": appendix} if "appendix" in context else dict(context)
    # Cutting clean text at a word and adding CUT_MARK leaves it clean.
    return (Sanitised(fitted) if isinstance(context, Sanitised) else fitted), tuple(found)


def _render(
    context: Mapping[str, Any],
    template: Path,
    timeout: float,
    pictures: Mapping[str, Any],
    stream: bool = True,
    prepared: PreparedTemplate | None = None,
    meanwhile: Callable[[], None] | None = None,
    wanted: list[str] | None = None,
) -> tuple[Any, StreamedBody | None]:
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError
    from lxml import etree

    class _Template(DocxTemplate):
        streamed: StreamedBody | None = None

        def build_xml(self, context, jinja_env=None) -> bytes | StreamedBody:
            xml = self.patch_xml(self.get_xml())
            if stream:
                try:
                    return stream_body(self, xml, context, jinja_env, meanwhile, wanted)
                except (etree.XMLSyntaxError, Unstreamable):
                    # docxtpl's recovering parse of the whole text takes what the stream refused.
                    # The stream relates no link before its end, and the pictures it placed are
                    # found again by the index, with the same numbers.
                    pass
            # As UTF-8 bytes: docxtpl keeps the rendered body to the end of render(), and as
            # text with one non-ASCII character it takes two bytes a character (~90 MB at 100x).
            return self.render_xml_part(xml, self.docx._part, context, jinja_env).encode("utf-8")

        def patch_xml(self, src_xml):
            done = prepared.patched.get(src_xml) if prepared is not None else None
            return done if done is not None else super().patch_xml(src_xml)

        def fix_tables(self, xml):
            return xml if isinstance(xml, StreamedBody) else super().fix_tables(xml)

        def fix_docpr_ids(self, tree) -> None:
            if not isinstance(tree, StreamedBody):
                super().fix_docpr_ids(tree)

        def render_properties(self, context, jinja_env=None) -> None:
            # The core properties are set from the context after rendering instead: docxtpl would
            # run them through the XML escaping and store "&amp;" in the title.
            return None

        def map_tree(self, tree) -> None:
            if isinstance(tree, StreamedBody):
                self.streamed = tree
            else:
                graft_body(self.docx._element, tree)

        def render_footnotes(self, context, jinja_env=None) -> None:
            # As docxtpl's, which lists every part of the package once for each section to find
            # the footnotes: a second for a paper with thousands of sparklines.
            footnotes = [
                part
                for part in package_parts(self.docx.part.package)
                if part.content_type == FOOTNOTES
            ]
            # (once for each section of the rendered body, as docxtpl)
            sections = self.streamed.sections if self.streamed else len(self.docx.sections)
            for _section in range(sections):
                for part in footnotes:
                    blob = part.blob.decode("utf-8") if isinstance(part.blob, bytes) else part.blob
                    xml = self.render_xml_part(self.patch_xml(blob), part, context, jinja_env)
                    part._blob = xml.encode("utf-8")

        def resolve_listing(self, xml):
            return resolve_listing(xml)  # as docxtpl's, rewriting only what changes

    if not template.is_file():
        raise DocumentError(f"The template {template} does not exist.")
    from perfreport.paper.sandbox import RENDER_MEMORY_MB, RenderLimit, render_limits

    try:
        document = _Template(str(template))
        filled = place_charts(place_figures(mark_links(context), document), document, pictures)
        with render_limits(timeout, RENDER_MEMORY_MB):
            environment = prepared.environment if prepared is not None else make_environment()
            document.render(filled, jinja_env=environment)
        if document.streamed is None:
            make_links(document.docx)
    except (RenderLimit, MemoryError) as exc:
        why = str(exc) if isinstance(exc, RenderLimit) else "the template needed too much memory"
        raise DocumentError(
            f"The template {template.name} cannot be filled in: {why}. Check its loops and "
            "repeated text (docs/security.md lists the limits), or use the default template."
        ) from None
    except TemplateError as exc:
        near = " ".join(getattr(exc, "docx_context", None) or []).strip()
        raise DocumentError(
            f"The template {template.name} cannot be filled in: {exc}"
            + (f" (near: {' '.join(near.split())[:200]})" if near else "")
            + ". Run 'perfreport template check' on it."
        ) from None
    except Exception as exc:  # a corrupt or foreign .docx: python-docx, zipfile, lxml errors
        raise DocumentError(f"The template {template.name} cannot be used: {exc}") from None
    return document.docx, document.streamed


def _release_freed_memory() -> None:
    """Give the freed tree's memory back to the system (glibc keeps it for lxml's next nodes,
    but Python's own objects are allocated elsewhere): what comes after the render (the web
    page, the dataset files) then does not add to a high-water mark the tree set already."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (musl): the memory is only kept longer
        return


# The .docx core properties hold at most 255 characters each (python-docx refuses more, as the
# OOXML schema does); a longer title or council name is cut there and stays whole in the text.
PROPERTY_LIMIT = 255


def fit_property(text: str) -> str:
    """``text`` cut to PROPERTY_LIMIT characters, ending "…" when it was cut."""
    text = clean_text(text)[0]
    return text if len(text) <= PROPERTY_LIMIT else text[: PROPERTY_LIMIT - 1].rstrip() + "…"


def _set_properties(document, context: Mapping[str, Any], when: dt.datetime) -> None:
    props = document.core_properties
    props.title = fit_property(str(context["title"]))
    props.subject = fit_property(str(context.get("subject", "")))
    props.author = props.last_modified_by = fit_property(str(context["council"]))
    props.language = LANGUAGE
    props.revision = 1
    props.created = props.modified = when


def wanted_strings(required: Iterable[str]) -> list[str]:
    """The strings the check looks for: ``required`` as clean text, each once."""
    return list(dict.fromkeys(clean_text(s)[0] for s in required))


def verify_document(
    data: bytes,
    required: Iterable[str],
    read: ReadPart | Callable[[], ReadPart | None] | None = None,
) -> None:
    """Reopen a rendered paper: every XML part parses strictly and each required string appears.

    ``read``: its main part read already from the bytes it was zipped from (paper.checkbeside),
    or what gives that (asked once the rest is checked); taken only when the .docx holds those
    very bytes, and otherwise the check is made here whole.
    """
    problems: list[str] | None = None
    missing: list[str] = []
    if read is not None:
        with open_package(data) as package:
            entry = main_entry(data, package)
            if entry is not None:
                others = xml_problems(data, skip=entry[0], opened=package)
                answer = read() if callable(read) else read
                if answer is not None and answer.matches(entry):
                    problems, missing = others, list(answer.missing)
    if problems is None:  # checked here whole (the strings cleaned only then)
        paragraphs: list[str] = []
        problems = xml_problems(data, paragraphs)
        missing = missing_strings(paragraphs, wanted_strings(required))
    if not problems and missing:
        shown = ", ".join(repr(s) for s in missing[:10])
        more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
        problems.append(
            f"these do not appear in the document: {shown}{more}. The template "
            "may have lost the Appendix A table or one of its columns"
        )
    if problems:
        raise DocumentError("The rendered paper failed its checks: " + "; ".join(problems))


def render_document(
    context: Mapping[str, Any],
    template: Path,
    *,
    required: Iterable[str] | None = None,
    timestamp: dt.datetime | None = None,
    pictures: Mapping[str, Any] | None = None,
    timeout: float | None = None,
    stream: bool = True,
    prepared: PreparedTemplate | None = None,
    drawn: Callable[[], Mapping[str, Any]] | None = None,
    meanwhile: Callable[[], None] | None = None,
    zipped: Callable[[bytes], None] | None = None,
) -> bytes:
    """Fill ``template`` from ``context`` and return the .docx bytes, checked and byte-identical.

    ``context`` is the display-ready view documented in docs/template.md; text XML cannot hold is
    removed first (call :func:`sanitise_context` yourself to get the warnings). ``required``
    defaults to every Appendix A indicator's ref and value. Filling the template is bounded
    (paper.sandbox: range, repetition, ``timeout`` seconds, memory). ``pictures``
    holds the charts by their context keys (paper.charts.draw_paper_charts). The body is
    rendered as a stream (paper.bodystream); ``stream=False`` holds it whole as one tree, as
    docxtpl does (the same bytes, in far more memory). ``prepared``: :func:`prepare_template`'s
    work for this template, done in advance (parts it does not match are done here as before).
    ``drawn``: ``pictures`` are stand-ins (paper.standins) for the charts being drawn, and
    ``drawn()`` gives them once the template is filled; the same bytes as rendering with them.
    ``meanwhile()`` is called now and then while the body is filled in (streamed).
    ``zipped(data)`` is called with the .docx once it is zipped, while it is checked (in a
    forked child, for a large paper): the check may yet fail. Raises :class:`DocumentError`.
    """
    from perfreport.paper.sandbox import RENDER_TIMEOUT

    clean, _ = sanitise_context(context)
    when = timestamp or document_timestamp(clean)
    limit = RENDER_TIMEOUT if timeout is None else timeout
    # The cyclic collector is paused while the paper is made: its full collections walk every
    # object of the summary and the context again and again (~0.5 s at 100x), and free nothing
    # until the document goes. The document's objects are then all in the youngest generation:
    # collecting that one alone frees python-docx's parts and package, which refer to each other.
    enabled = gc.isenabled()
    gc.disable()
    try:
        ready = prepared if prepared is not None and prepared.template == Path(template) else None
        wanted = wanted_strings(required_strings(clean) if required is None else required)
        document, streamed = _render(
            clean, Path(template), limit, pictures or {}, stream, ready, meanwhile, wanted
        )
        if drawn is not None:
            charts = drawn()
            if not swap_pictures(document.part.package, pictures or {}, charts):
                # A chart not as stood in for: filled in again with the charts, as before.
                del document, streamed
                again = {"required": required, "timestamp": timestamp, "timeout": timeout}
                return render_document(context, template, **again, pictures=charts,
                                       stream=stream, prepared=prepared, zipped=zipped)  # fmt: skip
        if streamed is None:
            order_cell_properties(document.element.body)
        _set_properties(document, clean, when)
        reading, read = None, None
        if streamed:
            # The main part (most of the check's work) is read in a forked child from the
            # bytes it is zipped from, while it is zipped here (paper.checkbeside); with no
            # child, when its writer found what it lacks, it is read here as the child reads it.
            streamed.pieces.finish()
            name = document.part.partname.membername
            reading = read_beside(name, streamed.xml, wanted, streamed.size(), streamed.missing)
            if reading is None and streamed.missing is not None:
                read = read_main_part(name, streamed.xml(), wanted, streamed.missing)
        try:
            main, deflated = (streamed.xml(), streamed.pieces.entry) if streamed else (None, None)
            data = write_package(document, when, main, deflated)
        except BaseException:
            if reading:
                reading.close()
            raise
        del document, streamed
        gc.collect(0)
    finally:
        if enabled:
            gc.enable()
    _release_freed_memory()
    try:
        if zipped is not None:
            zipped(data)
        verify_document(data, wanted, reading.result if reading else read)
    finally:
        if reading:
            reading.close()
    return data
