"""Render the README's pictures of the paper: the example's first page and an Appendix A page.

    python docs/make_images.py

Builds examples/somerset (a copy, in a temporary folder, so nothing is written into examples/),
converts it to PDF with LibreOffice, and renders two pages at about 100 dpi with poppler's
pdftoppm into docs/images/paper-first-page.png and docs/images/paper-appendix-a.png. Needs
LibreOffice and poppler-utils (pdftotext, pdftoppm) installed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXAMPLE = HERE.parent / "examples" / "somerset"
IMAGES = HERE / "images"
PERIOD = "Q2-2024"
DPI = 100
# An Appendix A page shows a table's header row, on or after the page with the appendix's
# heading ("Appendix A" alone also occurs in the Executive Summary's prose). The heading's page
# may hold its notes alone: the first group's heading keeps with its table's first rows.
APPENDIX_HEADING = "Appendix A: "
TABLE_MARKERS = ("Good is", "Same quarter last year")


def _need(program: str) -> str:
    found = shutil.which(program)
    if found is None:
        sys.exit(f"{program} is not installed (Debian: apt install poppler-utils).")
    return found


def build_pdf(folder: Path) -> Path:
    """Build the example's paper with its PDF in ``folder`` and return the PDF."""
    from perfreport.build import PdfMode, build_paper
    from perfreport.core.periods import Period
    from perfreport.core.project import load_project

    project_dir = folder / "somerset"
    shutil.copytree(EXAMPLE, project_dir, ignore=shutil.ignore_patterns("build"))
    result = build_paper(load_project(project_dir), Period.parse(PERIOD), pdf=PdfMode.REQUIRED)
    if not result.published:
        sys.exit(f"The example did not build: {result.reason}")
    return next(path for name, path in result.outputs.items() if name.endswith(".pdf"))


def page_texts(pdf: Path) -> list[str]:
    """Each page's text from pdftotext, with runs of white space as one space.

    (Pages are separated by form feeds; a table header wraps inside its cell, "Good" / "is".)
    """
    text = subprocess.run(
        [_need("pdftotext"), str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
        encoding="utf-8",
    ).stdout
    return [" ".join(page.split()) for page in text.split("\f")]


def appendix_page(texts: list[str]) -> int:
    """The first page (1-based) of Appendix A with a table header on it."""
    heading = next((n for n, text in enumerate(texts, start=1) if APPENDIX_HEADING in text), None)
    for number, text in enumerate(texts, start=1):
        if heading is not None and number >= heading and all(m in text for m in TABLE_MARKERS):
            return number
    sys.exit("No page of the PDF shows Appendix A with a table header.")


def render_page(pdf: Path, page: int, target: Path) -> None:
    """One page as a PNG at DPI dots per inch (pdftoppm adds .png to the prefix it is given)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            _need("pdftoppm"),
            "-png",
            "-r",
            str(DPI),
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(pdf),
            str(target.with_suffix("")),
        ],
        check=True,
    )


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="perfreport-images-") as tmp:
        pdf = build_pdf(Path(tmp))
        appendix = appendix_page(page_texts(pdf))
        render_page(pdf, 1, IMAGES / "paper-first-page.png")
        render_page(pdf, appendix, IMAGES / "paper-appendix-a.png")
    print(
        f"Wrote {IMAGES / 'paper-first-page.png'} (page 1) and "
        f"{IMAGES / 'paper-appendix-a.png'} (page {appendix})."
    )


if __name__ == "__main__":
    main()
