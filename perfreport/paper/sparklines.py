"""Sparklines drawn straight onto matplotlib's Agg renderer and saved as greyscale PNGs."""

from __future__ import annotations

import struct
import zlib
from typing import Any

from perfreport.paper.chart_data import Sparkline
from perfreport.paper.pngchunks import SIGNATURE, chunk, resolution

# Why not a Figure: a sparkline is three lines, and matplotlib's artists (set_data, set_xlim,
# the figure's draw) cost ~0.8 ms of each one's 1.3 ms; a 100x paper has 9,000. Here the lines
# are drawn with the calls Line2D.draw makes (draw_path, draw_markers), with the same graphics
# context, path and transform, so the pixels are the same as the axes below would draw them
# (tests/test_sparklines.py checks it against such a figure, on every kind of sparkline).
AXES = (0.05, 0.16, 0.88, 0.68)  # the axes' place in the figure (left, bottom, width, height)
TARGET = {"color": "0.45", "lw": 0.9, "dashes": (3, 2)}  # a step: it changes with the year
FIGURES = {"color": "black", "lw": 1.1, "ms": 1.6, "mew": 1.0}  # a line, a dot on each figure
RING = {"ms": 4.2, "mew": 1.2, "face": "white", "edge": "black"}  # on the current figure
# The picture is black, grey and white only: one grey byte a pixel, not four (RGBA), half the
# PNG's size. Filter none with zlib's run-length strategy: the smallest and fastest of those
# measured on a 100x paper's sparklines (~580 bytes each, against 1,378 as matplotlib saved
# them in RGBA).
ZLIB = {"level": 6, "memLevel": 9, "strategy": zlib.Z_RLE}


class SparkDrawer:
    """Draws sparklines of one size at ``dpi``: the renderer, its graphics contexts and the
    markers made once, each sparkline drawn on the blank figure and saved as a PNG."""

    def __init__(self, size: tuple[float, float], dpi: float) -> None:
        import numpy as np
        from matplotlib.backends.backend_agg import RendererAgg
        from matplotlib.colors import to_rgba
        from matplotlib.figure import Figure
        from matplotlib.markers import MarkerStyle
        from matplotlib.transforms import Bbox, TransformedBbox

        figure = Figure(figsize=size, dpi=dpi)
        axes = figure.add_axes(AXES)  # where the axes' pixels are, as matplotlib puts them
        box = TransformedBbox(Bbox.unit(), axes.transAxes).frozen()  # a line's clip box
        width, height = figure.bbox.size
        self._renderer = renderer = RendererAgg(width, height, dpi)
        renderer.clear()
        figure.patch.draw(renderer)  # the figure's white ground, as FigureCanvasAgg draws it
        self._pixels = np.asarray(renderer.buffer_rgba())
        self._blank = self._pixels.copy()
        x, y, w, h = axes.bbox.bounds
        self._axes = np.array([[w, 0.0, x], [0.0, h, y], [0.0, 0.0, 1.0]])  # axes -> pixels
        self._identity = np.identity(3)
        # The y limits made safe as set_ylim makes them (widened when too narrow).
        self._nonsingular = axes.yaxis.get_major_locator().nonsingular
        self._size = (int(width), int(height))
        self._dpi = dpi
        self._png = _GreyPng(self._pixels.shape[1], self._pixels.shape[0], dpi)

        def context(color: str, lw: float, clipped: bool, **style: Any) -> Any:
            gc = renderer.new_gc()
            gc.set_antialiased(True)
            gc.set_foreground(to_rgba(color), isRGBA=True)
            gc.set_linewidth(lw)
            gc.set_joinstyle(style.get("join", "round"))
            gc.set_capstyle(style.get("cap", "projecting"))
            gc.set_snap(style.get("snap"))
            gc.set_dashes(*style.get("dashes", (0, None)))
            if clipped:  # the lines stop at the axes; the ring does not (clip_on=False)
                gc.set_clip_rectangle(box)
            return gc

        lw = TARGET["lw"]
        dashes = [n * lw for n in TARGET["dashes"]]  # scaled by the width, as lines.scale_dashes
        self._target = context(TARGET["color"], lw, True, cap="butt", dashes=(0.0, dashes))
        self._line = context(FIGURES["color"], FIGURES["lw"], True)
        self._dots = context(FIGURES["color"], FIGURES["mew"], True, cap="butt", snap=False)
        self._ring = context(RING["edge"], RING["mew"], False, cap="butt", snap=False)
        circle = MarkerStyle("o")
        self._circle = circle.get_path()

        def marker(points: float) -> Any:  # the circle at its size in pixels, as Line2D scales it
            return circle.get_transform().scale(renderer.points_to_pixels(points))

        self._dot, self._ring_size = marker(FIGURES["ms"]), marker(RING["ms"])
        self._black, self._white = to_rgba(FIGURES["color"]), to_rgba(RING["face"])

    def png(self, chart: Sparkline) -> bytes:
        """The sparkline as a greyscale PNG: the same chart always gives the same bytes."""
        self._draw(chart)
        return self._png.png(self._pixels[..., 0])

    def _draw(self, chart: Sparkline) -> None:
        import numpy as np
        from matplotlib.cbook import pts_to_midstep
        from matplotlib.path import Path
        from matplotlib.transforms import Affine2D

        renderer, pixels = self._renderer, self._pixels
        pixels[...] = self._blank
        values = chart.values
        known = [(x, v) for x, v in enumerate(values) if v is not None]
        targets = [(x, t) for x, t in enumerate(chart.targets) if t is not None]
        every = [v for _, v in known] + [t for _, t in targets]
        low, high = (min(every), max(every)) if every else (0.0, 1.0)
        pad = (high - low) * 0.15 or abs(high) * 0.05 or 1.0
        affine = Affine2D(self._transform(len(values), *self._nonsingular(low - pad, high + pad)))
        if targets:
            steps = np.asarray(pts_to_midstep(*np.array(targets, dtype=float).T)).T
            renderer.draw_path(self._target, Path(steps), affine)
        if known:
            points = Path(np.array(known, dtype=float))
            renderer.draw_path(self._line, points, affine)
            renderer.draw_markers(self._dots, self._circle, self._dot, points, affine, self._black)
        at = chart.current
        if at is not None and values[at] is not None:
            ring = Path(np.array([[at, values[at]]], dtype=float))
            renderer.draw_markers(
                self._ring, self._circle, self._ring_size, ring, affine, self._white
            )

    def _transform(self, count: int, bottom: float, top: float) -> Any:
        """Data to pixels, computed as the axes' transData is (the same floating-point steps):
        x from -0.4 to count - 0.6, y from bottom to top, onto the axes' box."""
        import numpy as np

        left, right = -0.4, count - 0.6
        x_scale, y_scale = 1.0 / (right - left), 1.0 / (top - bottom)
        limits = np.array(
            [[x_scale, 0.0, -left * x_scale], [0.0, y_scale, -bottom * y_scale], [0.0, 0.0, 1.0]]
        )
        # transData: (transLimits + transAxes) after transScale (the identity), as matrices
        return np.dot(np.dot(self._axes, limits), self._identity)


class _GreyPng:
    """8-bit greyscale PNGs of one size and resolution, no text.

    Why: a 100x paper has ~9,000 sparklines of one size; their header, resolution and end
    chunks, and the rows' buffer with its filter bytes, are the same for each: made once, as
    the drawer's pens are (the same bytes)."""

    def __init__(self, width: int, height: int, dpi: float) -> None:
        import numpy as np

        self._rows = np.zeros((height, width + 1), dtype=np.uint8)  # each row: filter 0, pixels
        self._head = b"".join(
            (
                SIGNATURE,
                chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)),
                resolution(dpi),
            )
        )
        self._end = chunk(b"IEND", b"")

    def png(self, grey: Any) -> bytes:
        """``grey`` (rows of bytes, of this size) as a PNG."""
        rows = self._rows
        rows[:, 1:] = grey
        packer = zlib.compressobj(
            ZLIB["level"], zlib.DEFLATED, 15, ZLIB["memLevel"], ZLIB["strategy"]
        )
        data = packer.compress(rows.tobytes()) + packer.flush()
        return b"".join((self._head, chunk(b"IDAT", data), self._end))
