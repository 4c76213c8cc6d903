"""Charts' pictures stood in for while they are drawn, so that the paper is made meanwhile."""

from __future__ import annotations

import base64
import re
import struct
import zlib
from collections.abc import Mapping
from typing import Any

from perfreport.paper.chart_data import Chart, Placed, RagByGroup
from perfreport.paper.pngchunks import DPI, SIGNATURE, chunk, resolution
from perfreport.paper.pngchunks import header as _header

# Why: at 1x the build waits ~0.16 s for its charts (matplotlib's import, then the summary's
# chart) with nothing else to do, and then fills the .docx and the web page (~0.13 s). What those
# take of a picture before it is saved is its size and resolution, and that it is a picture of
# its own: a stand-in PNG has the very header (IHDR, pHYs) the chart's PNG will have, and a
# private chunk naming it. The .docx and the page are made with stand-ins, and each stand-in's
# bytes are swapped for the chart's when it comes (document.render_document, swap_page); where
# a chart's header differs, the paper is made again with the charts.
_CHUNK = b"prSt"  # ancillary (lower-case first letter), private (lower-case second): ignored
_URI = re.compile(rb"data:image/png;base64,([A-Za-z0-9+/]+=*)")


def figure_size(chart: Chart) -> tuple[float, float]:
    """The chart's figure in inches (width, height), as charts.py draws it."""
    if isinstance(chart, RagByGroup):
        return chart.width, chart.height or 0.5 + 0.42 * len(chart.groups)
    return chart.width, chart.height


def stand_in(chart: Chart, number: int) -> bytes:
    """A PNG header for ``chart`` as matplotlib will save it (its pixels: the figure's inches at
    DPI, truncated as Agg's canvas is; its resolution: DPI), with ``number`` in a chunk of its
    own so that no two stand-ins are the same bytes. Its image data is empty: it is never shown."""
    width, height = figure_size(chart)
    size = struct.pack(">IIBBBBB", int(width * DPI), int(height * DPI), 8, 6, 0, 0, 0)
    return b"".join(
        (
            SIGNATURE,
            chunk(b"IHDR", size),
            resolution(DPI),
            chunk(_CHUNK, b"perfreport chart %08d" % number),
            chunk(b"IDAT", zlib.compress(b"")),
            chunk(b"IEND", b""),
        )
    )


# What every stand-in's data: address holds and no chart's does: the base64 of its private
# chunk's start (54 bytes in, a multiple of 3, so the same characters in every stand-in).
_MARK = base64.b64encode(stand_in(RagByGroup((), (), None, "", ""), 0))[72:104]


def stand_ins(charts: Mapping[str, tuple[Chart, str, str]]) -> dict[str, Placed]:
    """A stand-in for each chart (key -> chart, alt text, title): the same chart, the same one."""
    numbers: dict[Chart, int] = {}
    return {
        key: Placed(stand_in(chart, numbers.setdefault(chart, len(numbers))), alt, title)
        for key, (chart, alt, title) in charts.items()
    }


def swaps(stood: Mapping[str, Placed], drawn: Mapping[str, Placed]) -> dict[bytes, bytes] | None:
    """Each stand-in's bytes -> its chart's PNG; None when a chart is missing."""
    swap: dict[bytes, bytes] = {}
    for key, placed in stood.items():
        real = drawn.get(key)
        if real is None:
            return None
        swap[placed.png] = real.png
    return swap


def swap_page(page: bytes, swap: Mapping[bytes, bytes]) -> bytes | None:
    """The web page with each stand-in's data: address made its chart's; None when a stand-in
    is left in it (a template that does something else with the address)."""
    if not swap:
        return page
    coded = {base64.b64encode(old): base64.b64encode(new) for old, new in swap.items()}

    def put(match: re.Match[bytes]) -> bytes:
        new = coded.get(match[1])
        return match[0] if new is None else b"data:image/png;base64," + new

    swapped = _URI.sub(put, page)
    return None if _MARK in swapped else swapped


def swap_pictures(package: Any, stood: Mapping[str, Placed], drawn: Mapping[str, Placed]) -> bool:
    """Put each chart's PNG in the python-docx ``package`` in place of its stand-in: True when
    each chart's header (size, resolution) is its stand-in's, so that the paper is what filling
    the template with the charts gives; False, and the package unchanged, when one is not.

    Each chart has a picture of its own, as it has a stand-in of its own: two charts drawn the
    same (two trends of the same shape) are two pictures, where python-docx shares one picture
    between images of the same bytes. So the paper is the same whenever its charts come.
    """
    swap = swaps(stood, drawn)
    if swap is None:
        return False
    parts = [(part, swap[part.blob]) for part in package.image_parts if part.blob in swap]
    if any(_header(part.blob) != _header(new) for part, new in parts):
        return False
    for part, new in parts:
        part._blob = new  # python-docx's ImagePart keeps its bytes there (no setter)
    return True


def stand_in_key(png: bytes) -> bytes | None:
    """What python-docx reads of a stand-in, a PNG whose chunks are IHDR, pHYs, a private
    "prSt" chunk holding its number, and what follows it: all its bytes but that chunk's data
    and CRC. None for any other file."""
    if png[8:16] != b"\x00\x00\x00\x0dIHDR" or png[33:41] != b"\x00\x00\x00\x09pHYs":
        return None
    if png[58:62] != _CHUNK or len(png) < 66:
        return None
    (length,) = struct.unpack(">I", png[54:58])
    return png[:62] + png[66 + length :] if len(png) >= 66 + length else None
