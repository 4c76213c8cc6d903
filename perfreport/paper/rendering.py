"""The paper's .docx and web page made while its charts are drawn elsewhere, or once they are."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from perfreport.paper.begun_charts import PaperCharts
    from perfreport.paper.chart_worker import EarlyDrawer
    from perfreport.paper.prepared import PreparedTemplate


class PaperRender:
    """The .docx and the web page of a paper whose charts are being drawn elsewhere (or not).

    The web page is made in the charts' process while the .docx is rendered here, when it drew
    them (with every chart in the cache it may still be importing matplotlib). When the charts
    are not yet drawn as the template is ready, the .docx (and a small paper's page) are filled
    in with stand-ins meanwhile, and the charts put in when they come (paper.standins).
    ``make_page(context, template, pictures)`` makes the web page here (the build's, which
    words its errors).
    """

    def __init__(
        self,
        context: dict,
        template: Path,
        html: bool,
        html_template: Path | None,
        drawer: EarlyDrawer | None,
        charts: PaperCharts | None,
        make_page: Callable[[dict, Path | None, dict], bytes],
    ) -> None:
        self.context, self.template, self._make_page = context, template, make_page
        self.html, self.html_template = html, html_template
        self.drawer = drawer if charts is not None and charts.elsewhere else None
        self.charts = charts
        self.pictures: dict | None = None  # the charts, once they have come
        self._page: bytes | None = None  # made here with stand-ins: the charts put in later
        self._stood: dict = {}
        self._small = False  # a small paper's page is made here with stand-ins (_fetch)
        self._elsewhere = False  # the page is made in the charts' process
        self._failed: Exception | None = None  # what failed as the body was filled in (_poll)

    def docx(
        self,
        prepared: PreparedTemplate | None,
        small: bool,
        zipped: Callable[[bytes], None] | None = None,
    ) -> bytes:
        """The .docx (``zipped``: as render_document's)."""
        from perfreport.paper.document import render_document

        charts, template = self.charts, self.template
        if charts is None:
            return render_document(self.context, template, prepared=prepared, zipped=zipped)
        # Always through stand-ins, so that the paper is the same whenever the charts come.
        self._stood, self._small = charts.stand_ins(), small
        if self.drawer is None or charts.ready():
            self._arrived()  # here: the page (when it is made elsewhere) begins now
        return render_document(self.context, template, pictures=self._stood, prepared=prepared,
                               drawn=self._fetch, meanwhile=self._poll, zipped=zipped)  # fmt: skip

    def _fetch(self) -> dict:
        if self._failed is not None:
            raise self._failed
        if self.pictures is not None:
            return self.pictures
        if self.html and self._small and self.charts is not None and not self.charts.ready():
            # The body is filled in and the charts are still being drawn: a small paper's page
            # is made here with stand-ins meanwhile (a large one's in the charts' process after).
            self._page = self._make_page(self.context, self.html_template, self._stood)
        return self._arrived()

    def _poll(self) -> None:
        """As the .docx's body is filled in (after each ~1 MB of it): the charts are taken as
        soon as they are drawn, so that the charts' process makes the web page meanwhile (at
        100x it began once the body was filled in, and ended after the .docx; at 10x the charts
        came ~0.1 s into the render, after a small paper's page was made here with stand-ins)."""
        from perfreport.paper.sandbox import RenderLimit

        if self.pictures is not None or self.charts is None or self._failed is not None:
            return
        try:
            if self.charts.ready():
                self._arrived()
        except RenderLimit:
            raise
        except Exception as exc:  # raised once the body is filled in: not the template's error
            self._failed = exc

    def _arrived(self) -> dict:
        """The charts, once drawn; the page handed to the charts' process when it is to make it."""
        self.pictures = pictures = self.charts.result() if self.charts is not None else {}
        self._elsewhere = bool(
            self.html
            and self._page is None
            and self.drawer is not None
            and self.drawer.submit_page(self.context, self.html_template, pictures)
        )
        return pictures

    def page(self) -> bytes | None:
        """The web page, or None when it is to be made here."""
        from perfreport.paper.standins import swap_page, swaps

        if self._page is not None:
            swap = swaps(self._stood, self.pictures or {})
            return swap_page(self._page, swap) if swap is not None else None
        return self.drawer.page() if self._elsewhere and self.drawer is not None else None
