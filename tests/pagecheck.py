"""The page-use check: how far down its text area each page of a PDF is used (poppler pdftotext)."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

MARGIN = 20 / 25.4 * 72  # the template's 20 mm top and bottom margins, in points
FULL_ENOUGH = 0.6  # a page that is not the last of its part is used at least this far down
FULL_BEFORE_SECTION = 0.45  # or this far, when the next page starts with a heading
REMNANT = 0.25  # no page but the last holds less than this
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(
    r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>'
)


@dataclass(frozen=True)
class Page:
    number: int
    landscape: bool
    used: float  # the lowest body text's depth, as a fraction of the text area's height
    first_line: str  # the body's first line of text


def require_pdftotext() -> str:
    program = shutil.which("pdftotext")
    if program is None:
        pytest.skip("poppler's pdftotext is not installed (Debian: apt install poppler-utils)")
    return program


def _bbox(pdf: Path) -> str:
    """pdftotext's -bbox page of every word of ``pdf``, with its place."""
    return subprocess.run(
        [require_pdftotext(), "-bbox", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
        encoding="utf-8",
    ).stdout


def page_use(pdf: Path) -> list[Page]:
    """Each page's use of its text area; the header and footer (in the margins) do not count."""
    html = _bbox(pdf)
    pages = []
    for number, (width, height, words) in enumerate(_PAGE.findall(html), start=1):
        top, bottom = MARGIN, float(height) - MARGIN
        body = [
            (float(y_min), float(y_max), text)
            for y_min, y_max, text in _WORD.findall(words)
            if float(y_min) >= top - 2 and float(y_max) <= bottom + 2
        ]
        used = (max(w[1] for w in body) - top) / (bottom - top) if body else 0.0
        first = min((w[0] for w in body), default=0.0)
        line = " ".join(w[2] for w in body if abs(w[0] - first) < 1)
        pages.append(Page(number, float(width) > float(height), round(used, 3), line))
    return pages


def heading_pages(pdf: Path) -> dict[int, set[str]]:
    """The bookmarked headings (the PDF outline) on each page, by page number."""
    import pypdf

    reader = pypdf.PdfReader(str(pdf))
    found: dict[int, set[str]] = {}

    def walk(items: list) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                number = reader.get_destination_page_number(item) + 1
                found.setdefault(number, set()).add(" ".join(str(item.title).split()))

    walk(reader.outline)
    return found


def _starts_appendix(page: Page, headings: dict[int, set[str]]) -> bool:
    """The page opens with an appendix's bookmarked heading ("Appendix C: Definitions")."""
    return any(
        h.startswith("Appendix ") and page.first_line.startswith(h)
        for h in headings.get(page.number, ())
    )


def _starts_section(page: Page, headings: dict[int, set[str]]) -> bool:
    """The page opens with a bookmarked heading."""
    return any(
        page.first_line.startswith(h) or h.startswith(page.first_line)
        for h in headings.get(page.number, ())
    )


def page_use_problems(pdf: Path) -> list[str]:
    """Pages that break the rules: a page ends above 60% of its text area unless it is the last
    page or the last before a new part (the orientation changes: Appendix A); and no page but
    the last holds a remnant under a quarter of its text area. A short last page of a part that
    starts with a heading holds a whole section (the heading keeps with its table), not the
    remnant of one split from the page before. A page before one that starts with a heading
    is used to 45% at least (the heading keeps with its table's header row and first rows)."""
    pages = page_use(pdf)
    headings = heading_pages(pdf)
    problems = []
    for page, following in zip(pages, [*pages[1:], None], strict=True):
        # A part ends where the orientation changes (Appendix A) or a new appendix starts on a
        # new page (Appendix C after Appendix B, both portrait).
        end_of_part = (
            following is None
            or following.landscape != page.landscape
            or _starts_appendix(following, headings)
        )
        # A page before one that starts with a heading may end shorter: the heading went on
        # with its table's header row and first two rows (they keep with the next), which
        # did not fit under the page's last lines (an appendix's notes, a group's last rows).
        before_section = following is not None and _starts_section(following, headings)
        full_enough = FULL_BEFORE_SECTION if before_section else FULL_ENOUGH
        if not end_of_part and page.used < full_enough:
            problems.append(f"page {page.number} is used to {page.used:.0%} of its text area")
        whole_section = end_of_part and _starts_section(page, headings)
        if following is not None and page.used < REMNANT and not whole_section:
            problems.append(f"page {page.number} holds a remnant: {page.used:.0%}")
    return problems


_WORD_AT = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>'
)
_REF = re.compile(r"[A-Z]{2,4}-\d{2}")  # an indicator's Ref: WST-01, CS-12


def _lines(words: list[tuple[float, float, float, str]]) -> list[tuple[float, float, str]]:
    """Words as lines of text, top down: (top, left, text) each."""
    lines: list[list[tuple[float, float, float, str]]] = []
    for word in sorted(words, key=lambda w: (w[1], w[0])):
        if lines and abs(lines[-1][0][1] - word[1]) < 1:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [(line[0][1], min(w[0] for w in line), " ".join(w[3] for w in line)) for line in lines]


def table_start_problems(pdf: Path) -> list[str]:
    """Headings left at the foot of a page: a bookmarked heading with nothing under it on its
    page, or one over a table with a Ref column (Appendix A's, Appendix C's) that shows fewer
    than two of its rows there while the table goes on over the page, unless that one row is
    half a page tall or more (such a row keeps with no other: it may go on over the page).
    Each heading keeps with its table's header row and first two rows (Keep with next)."""
    html = _bbox(pdf)
    headings = heading_pages(pdf)
    pages, bottoms = [], []
    for _width, height, words in _PAGE.findall(html):
        top, bottom = MARGIN, float(height) - MARGIN
        bottoms.append(bottom)
        body = [
            (float(x), float(y_min), float(y_max), text)
            for x, y_min, y_max, text in _WORD_AT.findall(words)
            if float(y_min) >= top - 2 and float(y_max) <= bottom + 2
        ]
        pages.append(_lines(body))
    problems = []
    for number, lines in enumerate(pages, start=1):
        left = min((x for _y, x, _t in lines), default=0.0)
        marks = []  # (top, heading) of each bookmarked heading on the page, top down
        for heading in headings.get(number, ()):
            at = next(
                (y for y, _x, text in lines if text == heading or heading.startswith(text + " ")),
                None,
            )
            if at is not None:
                marks.append((at, heading))
        marks.sort()
        following = pages[number] if number < len(pages) else []
        next_starts = bool(following) and any(
            following[0][2] == h or h.startswith(following[0][2] + " ")
            for h in headings.get(number + 1, ())
        )
        for index, (at, heading) in enumerate(marks):
            end = marks[index + 1][0] if index + 1 < len(marks) else None
            under = [(y, x, t) for y, x, t in lines if y > at and (end is None or y < end)]
            below = [line for line in under if not heading.startswith(line[2])]
            if not below and end is None:
                problems.append(f"page {number}: {heading!r} is alone at the foot of the page")
                continue
            header = next((y for y, x, t in under if x < left + 15 and t.startswith("Ref ")), None)
            if header is None or end is not None or next_starts or not following:
                continue  # no table of indicators, or it ends on this page
            rows = [
                (y, t.split()[0])
                for y, x, t in under
                if y > header and x < left + 15 and _REF.fullmatch(t.split()[0])
            ]
            # A row more than half a page tall keeps with no other: it may be alone under the
            # heading, whole or going on over the page.
            if len(rows) == 1:
                area = bottoms[number - 1] - MARGIN
                here = bottoms[number - 1] - rows[0][0]
                rest = _continued(following, left, rows[0][0] - header)
                if here + rest >= area / 2:
                    continue
            if len(rows) < 2:
                problems.append(
                    f"page {number}: {heading!r} ends the page with its table's header row "
                    f"and {len(rows)} row(s): {', '.join(ref for _y, ref in rows)}"
                )
    return problems


def _continued(lines: list[tuple[float, float, str]], left: float, header_depth: float) -> float:
    """How far down the page the rest of a row from the page before goes: from under the
    repeated header row (``header_depth`` from its "Ref" heading to the first row's Ref, as on
    the page before) to the page's first Ref."""
    column = [(y, t) for y, x, t in lines if x < left + 15]
    header = next((y for y, t in column if t.startswith("Ref ")), None)
    if header is None:
        return 0.0
    first = next((y for y, t in column if y > header and _REF.fullmatch(t.split()[0])), None)
    if first is None:  # the row goes on over the whole page
        first = max((y for y, _x, _t in lines), default=header)
    return max(first - header - header_depth, 0.0)
