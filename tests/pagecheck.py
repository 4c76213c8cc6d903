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


def page_use(pdf: Path) -> list[Page]:
    """Each page's use of its text area; the header and footer (in the margins) do not count."""
    html = subprocess.run(
        [require_pdftotext(), "-bbox", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
        encoding="utf-8",
    ).stdout
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


def page_use_problems(pdf: Path) -> list[str]:
    """Pages that break the rules: a page ends above 60% of its text area unless it is the last
    page or the last before a new part (the orientation changes: Appendix A); and no page but
    the last holds a remnant under a quarter of its text area. A short last page of a part that
    starts with a heading holds a whole section (the heading keeps with its table), not the
    remnant of one split from the page before."""
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
        if not end_of_part and page.used < FULL_ENOUGH:
            problems.append(f"page {page.number} is used to {page.used:.0%} of its text area")
        starts_a_section = any(
            page.first_line.startswith(h) or h.startswith(page.first_line)
            for h in headings.get(page.number, ())
        )
        whole_section = end_of_part and starts_a_section
        if following is not None and page.used < REMNANT and not whole_section:
            problems.append(f"page {page.number} holds a remnant: {page.used:.0%}")
    return problems
