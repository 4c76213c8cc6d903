"""The report file's figures ([[figures]]: an image and its alt text) and the links in its prose."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from perfreport.core.codes import finding
from perfreport.core.findings import Finding
from perfreport.core.project import ConfigError

# [text](https://…): the one link syntax, as Markdown writes it. The text may not hold brackets;
# the address may not hold spaces or a closing bracket.
LINK = re.compile(r"\[([^\[\]]+)\]\(([^()\s]+)\)")
LINK_SCHEMES = ("https://", "http://", "mailto:")
FIGURE_FIELDS = ("image", "alt", "caption", "after")
# The errors a report file can have (the build lists them; 'perfreport validate' reads no report).
REPORT_FILE_ERRORS = frozenset({"link-not-allowed", "figure-no-alt", "figure-not-found"})
# PNG and JPEG are what Word and LibreOffice both place without conversion.
_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


@dataclass(frozen=True)
class Figure:
    """An image placed in the paper after the paragraphs of one report-file item."""

    image: Path  # resolved against the report file's folder
    alt: str
    after: str  # the report-file item it follows, e.g. "council_plan_links"
    caption: str | None = None


def link_allowed(url: str) -> bool:
    return url.casefold().startswith(LINK_SCHEMES)


def link_findings(texts: Iterable[str] | None, where: str, key: str) -> list[Finding]:
    """A ``link-not-allowed`` error for each link to anything but a web or e-mail address."""
    return [
        finding("link-not-allowed", file=where, key=key, text=text, url=url)
        for paragraph in texts or ()
        for text, url in LINK.findall(paragraph)
        if not link_allowed(url)
    ]


def _image_problem(path: Path) -> str | None:
    try:
        with path.open("rb") as handle:
            start = handle.read(8)
    except OSError:
        return "does not exist"
    if not start.startswith(_MAGIC):
        return "is not a PNG or JPEG image"
    return None


def parse_figures(
    raw: object, file: Path, where: str, sections: tuple[str, ...]
) -> tuple[tuple[Figure, ...], list[Finding]]:
    """The figures of a report file; one without alt text or a usable image is an error finding
    (and is left out of the paper), a mistake in the file's shape a ConfigError."""
    if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
        raise ConfigError("expected a list of tables, each written [[figures]]", file, "figures")
    figures, found = [], []
    for number, row in enumerate(raw, start=1):
        at = f"figures[{number}]"
        for name in row:
            if name not in FIGURE_FIELDS:
                raise ConfigError(
                    f"unknown item. Allowed: {', '.join(FIGURE_FIELDS)}.", file, f"{at}.{name}"
                )
        values = {}
        for name in FIGURE_FIELDS:
            value = row.get(name, "")
            if not isinstance(value, str):
                raise ConfigError(f"expected text in quotes, got {value!r}", file, f"{at}.{name}")
            values[name] = " ".join(value.split())
        if not values["image"]:
            raise ConfigError('needs an image, e.g. "golden-thread.png"', file, f"{at}.image")
        if values["after"] not in sections:
            raise ConfigError(
                f"expected the report item the figure follows, one of: {', '.join(sections)}",
                file,
                f"{at}.after",
            )
        path = (file.parent / values["image"]).resolve()
        problem = _image_problem(path)
        if problem:
            found.append(
                finding(
                    "figure-not-found",
                    file=where,
                    key=f"{at}.image",
                    image=values["image"],
                    problem=problem,
                )
            )
        if not values["alt"]:
            found.append(
                finding("figure-no-alt", file=where, key=f"{at}.alt", image=values["image"])
            )
        if not problem and values["alt"]:
            figures.append(Figure(path, values["alt"], values["after"], values["caption"] or None))
    return tuple(figures), found
