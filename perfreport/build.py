"""The pipeline: read the quarters once, rate them, summarise, render the paper, publish atomically."""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from perfreport.core.filenames import matplotlib_dir, safe_file_name
from perfreport.core.findings import (
    Finding,
    Severity,
    count,
    findings_document,
    has_blocking,
    sort_findings,
)
from perfreport.core.formatting import plural
from perfreport.core.gcpause import gc_paused, keep_from_here, kept_apart
from perfreport.core.model import PeriodRead
from perfreport.core.periods import Period
from perfreport.core.project import Project

if TYPE_CHECKING:
    from perfreport.core.forked import ForkedFiles
    from perfreport.inputs.dataset import Progress
    from perfreport.paper.begun_charts import PaperCharts, TrendCharts
    from perfreport.paper.chart_worker import EarlyDrawer
    from perfreport.publish.history_store import HistoryImport
    from perfreport.rating.history import History
    from perfreport.summary.status import StatusReport
    from perfreport.summary.summary import Summary
    from perfreport.summary.trend import Trend

# Reads one quarter's returns (tests give their own, built in memory).
Reader = Callable[[Project, Period], PeriodRead]

BUILD_SCHEMA = "perfreport.build/1"
TITLE_IN_NAME = 100  # characters of the report title used in the paper's file name
EARLY_EXPORT_BELOW = 2_000  # indicators: see _build


class PdfMode(enum.StrEnum):
    AUTO = "auto"  # make the PDF when LibreOffice is installed; otherwise warn and go on
    REQUIRED = "required"  # --pdf: no PDF is an error
    OFF = "off"  # --no-pdf


class PdfOutcome(enum.StrEnum):
    """What became of the PDF: made, not asked for (or the build stopped first), no LibreOffice,
    or LibreOffice failed or timed out (without --pdf: the rest is published, pdf-failed)."""

    WRITTEN = "written"
    SKIPPED = "skipped"
    UNAVAILABLE = "unavailable"
    FAILED = "failed"


@dataclass(frozen=True)
class BuildResult:
    """What a build did: whether it published, where, and every finding on the way."""

    period: Period
    published: bool
    out_dir: Path
    outputs: dict[str, Path] = field(default_factory=dict)
    diverted: dict[str, Path] = field(default_factory=dict)  # kept under a new name (file in use)
    # An earlier build's PDF that this build did not replace: removed, or (when it is open
    # elsewhere) stale, so that no PDF is left beside a .docx whose figures it does not match.
    removed: tuple[Path, ...] = ()
    stale: tuple[Path, ...] = ()
    # An earlier build's PDF kept because it was made from this same .docx (--no-pdf).
    kept: tuple[Path, ...] = ()
    removed_because: str = ""  # why the earlier PDF or page could not be kept, completing "it …"
    recovered: bool = False  # an interrupted earlier publish was completed first
    findings: tuple[Finding, ...] = ()
    reason: str = ""  # why nothing was published
    summary: Summary | None = None  # when the build got that far
    pdf: PdfOutcome = PdfOutcome.SKIPPED
    # How it ended; None: published, or (not published) blocked by its findings.
    status: BuildStatus | None = None

    @property
    def outcome(self) -> BuildStatus:
        if self.status is not None:
            return self.status
        return BuildStatus.PUBLISHED if self.published else BuildStatus.BLOCKED

    @property
    def exit_code(self) -> int:
        """The command's exit code for this outcome (README.md, Exit codes)."""
        return BUILD_EXIT_CODES[self.outcome]

    def to_dict(self) -> dict:
        """Schema perfreport.build/1 (docs/json.md)."""
        summary = self.summary
        counts = summary.counts.to_dict() if summary is not None else None
        outcome = self.outcome
        # A busy or failed run reports no findings: nothing was checked, or not to the end.
        checked = outcome in (BuildStatus.PUBLISHED, BuildStatus.BLOCKED)
        blocking = blocking_findings(self.findings) if outcome is BuildStatus.BLOCKED else ()
        return {
            "schema": BUILD_SCHEMA,
            "period": self.period.key,
            "period_label": self.period.label,
            "published": self.published,
            "status": outcome.value,
            "exit_code": self.exit_code,
            "reason": self.reason,
            "out_dir": str(self.out_dir),
            "outputs": {name: str(path) for name, path in sorted(self.outputs.items())},
            "diverted": {name: str(path) for name, path in sorted(self.diverted.items())},
            "removed": [str(path) for path in self.removed],
            "stale": [str(path) for path in self.stale],
            "kept": [str(path) for path in self.kept],
            "removed_because": self.removed_because,
            "recovered": self.recovered,
            "pdf": self.pdf.value,
            "total": summary.total if summary is not None else None,
            "rated": summary.rated if summary is not None else None,
            "counts": counts,
            "findings": {s.value: count(self.findings, s) for s in Severity} if checked else None,
            "blocking": [f.to_dict() for f in blocking] if checked else None,
        }


class BuildFailed(RuntimeError):
    """A stage failed after validation (rendering, the document check, the PDF)."""


class BuildStatus(enum.StrEnum):
    """How a build ended: the build JSON's ``status``, each with its exit code."""

    PUBLISHED = "published"  # the paper was published
    BLOCKED = "blocked"  # findings block it (errors; with --strict, warnings): nothing written
    FAILED = "failed"  # a stage failed (disk, LibreOffice, the document check): nothing written
    BUSY = "busy"  # another run holds the project and period: nothing was checked


BUILD_EXIT_CODES = {
    BuildStatus.PUBLISHED: 0,
    BuildStatus.BLOCKED: 1,
    BuildStatus.FAILED: 1,
    BuildStatus.BUSY: 3,
}


def blocking_findings(findings: Sequence[Finding]) -> tuple[Finding, ...]:
    """The findings that stopped a blocked build, as its reason counts them: the errors, or
    (--strict, and no error) the warnings."""
    errors = tuple(f for f in findings if f.severity is Severity.ERROR)
    return errors or tuple(f for f in findings if f.severity is Severity.WARNING)


def paper_name(project: Project, period: Period) -> str:
    """The paper's file name without its suffix: "Corporate Performance Report Q2 2024-25"; a
    title too long for a file name (Windows paths hold 260) is cut there, whole in the paper."""
    title = safe_file_name(project.title, "report")
    if len(title) > TITLE_IN_NAME:
        title = title[:TITLE_IN_NAME].rstrip(" .-")
    return safe_file_name(f"{title} {period.file_label}", "report")


def read_history(
    project: Project,
    period: Period,
    *,
    reader: Reader | None = None,
    progress: Progress | None = None,
) -> History:
    """Read ``period`` and the earlier quarters its ratings depend on: the four before it in one
    batch, then (rarely) older ones that a measure not due looks back to."""
    from perfreport.rating.history import history_periods

    # In a build (core.gcpause.kept_apart), what the read makes lives on with the summary: kept
    # apart from here, it is frozen as the read's pause ends. Else the collector's first young
    # collection after the pause walked all of it to free ~30 objects (~0.005 s of CPU at 10x,
    # ~0.057 s at 100x; measured with gc.callbacks). Elsewhere this does nothing.
    keep_from_here()
    reads = _read(project, history_periods(project, period), reader, progress)
    return _history(project, reads[period], reads, reader, progress)


def _history(
    project: Project,
    current: PeriodRead,
    reads: dict[Period, PeriodRead],
    reader: Reader | None,
    progress: Progress | None,
) -> History:
    """The history of ``current``'s quarter from ``reads``, and the older quarters it needs."""
    from perfreport.rating.history import History

    history = History.of(project, current, reads)
    # Each round adds quarters not read before, within a bounded look-back: it ends.
    while further := history.further_periods():
        reads = {**reads, **_read(project, further, reader, progress)}
        history = History.of(project, current, reads)
    return history


def _read(
    project: Project, periods: Sequence[Period], reader: Reader | None, progress: Progress | None
) -> dict[Period, PeriodRead]:
    if reader is not None:
        return {p: reader(project, p) for p in periods}
    from perfreport.inputs.dataset import read_periods

    return read_periods(project, periods, progress=progress)


def summarise_period(
    project: Project,
    period: Period,
    *,
    reader: Reader | None = None,
    progress: Progress | None = None,
    on_trends: Callable[[dict[str, Trend]], None] | None = None,
) -> Summary:
    """Read ``period`` (and what it needs of earlier quarters), rate it and summarise it;
    ``on_trends`` is given the indicators' trends as soon as they are made, before the rest."""
    from perfreport.summary.summary import summarise, summary_trends

    history = read_history(project, period, reader=reader, progress=progress)
    trends = summary_trends(history)
    if on_trends is not None:
        on_trends(trends)
    return summarise(history, trends)


def return_forms(
    project: Project,
    period: Period,
    services: Sequence[str] | None = None,
    out_dir: Path | None = None,
) -> list[Path]:
    """Write the return workbooks for ``period`` (``perfreport returns``), with the figures of
    the quarters before it; ``services`` by name, default all (see write_return_templates)."""
    from perfreport.core.model import Dataset
    from perfreport.forms.return_forms import write_return_templates
    from perfreport.inputs.catalogue import load_catalogue
    from perfreport.rating.history import history_periods

    catalogue, _ = load_catalogue(project)
    # This quarter has no returns yet: the history needs it only for its period and catalogue.
    blank = PeriodRead(Dataset(period, catalogue), ())
    earlier = history_periods(project, period)[1:]
    reads = _read(project, earlier, None, None) if earlier else {}
    history = _history(project, blank, reads, None, None)
    return write_return_templates(project, history, services, out_dir)


def import_history(
    project: Project,
    file: Path,
    *,
    replace: bool = False,
    today: dt.date | None = None,
    wait: float = 0.0,
) -> HistoryImport:
    """Read a file of past figures, rate them as published and keep each quarter's in its
    history folder (``perfreport history import``): all of it, or nothing when it has errors.
    ``replace`` lets it replace quarters that perfreport built and published. Each quarter's
    build lock is held while it is stored (:func:`run_lock`, waiting up to ``wait`` seconds),
    so that a build of it at the same time cannot undo the import; RunLocked when one runs."""
    from perfreport.inputs.catalogue import load_catalogue
    from perfreport.inputs.history_file import read_history_file
    from perfreport.publish.history_store import store_history
    from perfreport.rating.imported import rate_imported

    catalogue, _ = load_catalogue(project)
    read = read_history_file(project, catalogue, Path(file), today=today)
    rated = rate_imported(catalogue, project.rating, read.figures)
    with contextlib.ExitStack() as held:
        # In the order of the quarters, as every import takes them: two never wait on each other.
        for quarter in sorted(rated.quarters):
            held.enter_context(run_lock(project, quarter, wait))
        return store_history(
            project,
            rated.quarters,
            file=read.display,
            replace=replace,
            findings=(*read.findings, *rated.findings),
            figures=len(read.figures),
        )


def period_status(
    project: Project, period: Period, *, progress: Progress | None = None
) -> StatusReport:
    """Read the period's returns and say, per service, what has arrived and in what state."""
    from perfreport.inputs.dataset import read_period
    from perfreport.summary.status import return_status

    return return_status(project, read_period(project, period, progress=progress))


def build_paper(
    project: Project,
    period: Period,
    *,
    out_dir: Path | None = None,
    template: Path | None = None,
    pdf: PdfMode = PdfMode.AUTO,
    html: bool = True,
    strict: bool = False,
    wait: float = 0.0,
    soffice: Path | None = None,
    pdf_timeout: float = 180,
    on_stage: Callable[[str], None] | None = None,
) -> BuildResult:
    """Build the committee paper for ``period`` into ``out_dir`` (default ``[paths] build``).

    Errors in the returns (with ``strict``, warnings and placeholders too) stop the build before
    anything is written. Everything is rendered in a temporary folder and published at the end,
    so a failure leaves the previous build as it was. ``on_stage`` is called as each stage
    starts: "read" (returns, rating, summary), "rate" (the report file and the paper's
    context), "render", "pdf" and "write"; the benchmark times them. Raises RunLocked when another run holds
    the period, ConfigError for configuration problems, BuildFailed when a stage fails.
    """
    target = Path(out_dir) if out_dir is not None else project.build_dir(period)
    job = _Job(project, period, target, template, pdf, html, strict, soffice, pdf_timeout,
               on_stage or (lambda stage: None))  # fmt: skip
    # The charts' process starts first, so that matplotlib is imported while the lock is taken
    # and the returns are read (paper/chart_worker.py); it draws them while the paper's context
    # is made. When another run holds the lock, it is stopped having drawn nothing.
    drawer = _start_drawer(project)
    try:
        # The lock is the project's and the period's, wherever the paper goes (--out).
        with run_lock(project, period, wait, target):
            # Once the returns are read, the collector leaves what lives to the end alone.
            with kept_apart(from_here=False):
                return _build(job, drawer)
    finally:
        if drawer is not None:
            drawer.close()


def run_lock(
    project: Project, period: Period, wait: float = 0.0, target: Path | None = None
) -> contextlib.AbstractContextManager[Path]:
    """The lock a build of ``period`` holds, and ``history import`` for each quarter it stores:
    one per project and period, in the project's build folder (build/.Q2-2024.lock) whatever
    ``--out`` says, so that two builds into different folders still wait for each other. Only
    when that folder cannot be written (a read-only project built elsewhere) does the lock go
    beside ``target``'s folder instead. Raises RunLocked when another run holds it."""
    import os

    from perfreport.publish.locking import period_lock

    folder = project.build_dir(period).parent
    if target is not None and folder != target.parent:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            usable = os.access(folder, os.W_OK)
        except OSError:
            usable = False
        if not usable:
            folder = target.parent
    return period_lock(project.root, period.key, wait, lock_dir=folder)


@dataclass(frozen=True)
class _Job:
    """What :func:`build_paper` was asked for."""

    project: Project
    period: Period
    target: Path
    template: Path | None
    pdf: PdfMode
    html: bool
    strict: bool
    soffice: Path | None
    pdf_timeout: float
    on_stage: Callable[[str], None]


def _build(job: _Job, drawer: EarlyDrawer | None = None) -> BuildResult:
    from perfreport.publish.outputs import not_saved_message, recover_outputs

    project, period, target = job.project, job.period, job.target
    # A killed run's committed publish is completed before anything else (docs/security.md).
    try:
        recovered = recover_outputs(target)
    except OSError as exc:
        raise BuildFailed(not_saved_message(target, exc)) from None

    job.on_stage("read")
    # The trends' charts are handed to the drawing process as soon as the trends are made: it
    # draws them while the rest of the summary and the paper's context are made (100x: ~9,000
    # sparklines, which began ~1.5 s later, after those, with the other core idle meanwhile).
    begun: list[TrendCharts] = []
    on_trends = None
    if drawer is not None and project.paper.charts:
        import functools

        on_trends = functools.partial(_begin_trend_charts, project, drawer, begun)
    summary = summarise_period(project, period, on_trends=on_trends)
    findings = list(summary.findings)
    if has_blocking(findings, False):
        return _blocked(period, target, findings, summary)
    # With --strict, the report file's placeholders are counted too before stopping, so that one
    # run lists every warning to resolve.

    # A large paper's export (dataset.json and .csv, ~1 s at 100x) is made in a forked process
    # while this one makes and renders the paper; elsewhere (or when that fails) it is made here.
    keep_from_here()  # done in read_history, unless a caller gave its own summary
    exporting = _start_export(summary)
    try:
        return _paper(job, drawer, summary, recovered, exporting, begun[0] if begun else None)
    finally:
        if exporting is not None:
            exporting.close()


def _paper(
    job: _Job,
    drawer: EarlyDrawer | None,
    summary: Summary,
    recovered: bool,
    exporting: ForkedFiles | None,
    begun: TrendCharts | None = None,
) -> BuildResult:
    """The rest of :func:`_build`, once the returns are read and rated without a blocking
    finding: the paper made, rendered and published."""
    job.on_stage("rate")
    # The charts are handed over first, and drawn elsewhere while this goes on: the imports
    # below took ~0.05 s at 1x, where the drawing is the longest path.
    charts = _charts(job.project, summary, drawer, begun)
    if drawer is not None and not (charts is not None and charts.elsewhere):
        drawer.close()  # every chart was in the cache: it is not needed (nor its matplotlib)
    # Imported with the collector paused: in a build their objects are then frozen, not walked
    # by each collection to the end (core.gcpause.kept_apart).
    with gc_paused():
        from perfreport.inputs.report_file import read_report
        from perfreport.paper.context import paper_context
        from perfreport.paper.document import DocumentError, fit_commentary
        from perfreport.paper.precompiled import prepare
        from perfreport.paper.rendering import PaperRender
        from perfreport.paper.template import default_template
        from perfreport.paper.textsafety import sanitise_context
        from perfreport.publish.outputs import (
            earlier_file_matches,
            not_saved_message,
            sha256,
            write_outputs,
        )
        from perfreport.publish.staging import Staging

    project, period, target, strict, on_stage = (
        job.project, job.period, job.target, job.strict, job.on_stage
    )  # fmt: skip
    template, pdf, html = job.template, job.pdf, job.html
    findings = list(summary.findings)
    report, report_findings = read_report(project, period)
    findings.extend(report_findings)
    with_charts = project.paper.charts
    context, text_findings = sanitise_context(paper_context(summary, report, charts=with_charts))
    context, cut_findings = fit_commentary(context)  # bounded, so the PDF is bounded in time
    findings.extend(text_findings + cut_findings)
    if has_blocking(findings, strict):
        return _blocked(period, target, findings, summary)

    on_stage("render")
    template_path = (
        Path(template) if template is not None else (project.template_path or default_template())
    )
    if not template_path.is_file():
        from perfreport.core.project import ConfigError

        if template is not None:  # --template: not a setting of perfreport.toml
            raise ConfigError(f"the template {template_path} does not exist")
        raise ConfigError(
            f"the template {template_path} does not exist", project.config_path, "paths.template"
        )
    unreadable = _not_a_docx(template_path)
    if unreadable:  # as 'perfreport template check' says it: a setting to correct, exit 2
        from perfreport.core.project import ConfigError

        message = (
            f"the template {template_path} is not a Word document (.docx) that can be read: "
            f"{unreadable}. Run 'perfreport template check' on it, or give a .docx."
        )
        if template is not None:
            raise ConfigError(message)
        raise ConfigError(message, project.config_path, "paths.template")
    # The export's documents need no chart: a small paper's are made here while its charts are
    # drawn elsewhere; a large one's in the export's process (_start_export), else after the
    # render, so that they do not add to its peak memory (54 MB at 100x).
    small = summary.total < EARLY_EXPORT_BELOW
    early = charts is not None and charts.elsewhere and small
    data_files = _data_files(summary) if early else {}
    if charts is not None and charts.elsewhere:
        # While the charts are drawn elsewhere, the renderer's libraries are imported here.
        with gc_paused():
            import docxtpl  # noqa: F401
            import jinja2.sandbox  # noqa: F401
    html_template = _html_template(project) if html else None
    # The template's parts are patched and compiled now, while the charts are drawn elsewhere
    # (the default template's were when perfreport was made: paper.precompiled).
    prepared = prepare(template_path)
    name = paper_name(project, period)
    files: dict[str, bytes] = {}
    # Without a PDF to make, the build's files are all ready once the .docx is zipped: they are
    # gathered and staged (written and flushed) while its check runs, in a forked child for a
    # large paper (~0.3 s of a 100x build's end), and committed only once it has passed.
    staged = Staging(target) if pdf == PdfMode.OFF else None
    failed: list[Exception] = []  # raised once the .docx has passed its check, as before
    paper = PaperRender(context, template_path, html, html_template, drawer, charts, _make_html)

    def gather(docx: bytes, paper: PaperRender = paper, context: dict = context) -> None:
        try:
            files[f"{name}.docx"] = docx
            if html:  # the web page, from the same context (docs/html.md)
                files[f"{name}.html"] = paper.page() or _make_html(
                    context, html_template, paper.pictures or {}
                )
            # The export's documents when they are made already (early, or in their forked
            # process); else (no fork: Windows) they are made after the context is let go, as
            # below, not beside it (100x: the peak ~16 MB higher).
            made = staged is not None and (data_files or (exporting and exporting.result()))
            if made:
                files.update(made)
                files["findings.json"] = _findings_json(period, findings)
        except Exception as exc:
            failed.append(exc)
            return
        if staged is not None:
            staged.write(files)

    try:
        docx = paper.docx(prepared, small=small, zipped=gather)
        if failed:
            raise failed[0]
    except BaseException as exc:
        if staged is not None:
            staged.discard()
        if isinstance(exc, DocumentError):
            raise BuildFailed(str(exc)) from None
        raise
    if f"{name}.docx" not in files:
        gather(docx)
    # The paper's context and pictures are done with: let them go before the export is made,
    # so that the two are not held at once (100x: the write stage peaked 120 MB above the render).
    del context, charts, paper, gather
    if drawer is not None:
        # Done with it: it ends while the files are written (it may still be keeping its charts
        # in the cache), and is waited for only when the build is done; when there is a PDF to
        # make, now, so that it is not kept through LibreOffice.
        if pdf == PdfMode.OFF:
            drawer.release()
        else:
            drawer.close()
    pdf_state = PdfOutcome.SKIPPED
    if pdf != PdfMode.OFF:
        on_stage("pdf")
        pdf_bytes, pdf_state, pdf_finding = _make_pdf(docx, name, pdf, job.soffice, job.pdf_timeout)
        if pdf_finding is not None:
            findings.append(pdf_finding)
            if strict:  # --strict publishes nothing with a warning, the missing PDF included
                return _blocked(period, target, findings, summary)
        if pdf_bytes is not None:
            files[f"{name}.pdf"] = pdf_bytes

    on_stage("write")
    ordered = sort_findings(findings)
    if "findings.json" not in files:
        files.update(data_files or (exporting and exporting.result()) or _data_files(summary))
        files["findings.json"] = _findings_json(period, findings)
    # Without a new PDF (or web page), an earlier one stays only if it was made from this same
    # .docx; else it is removed in the same publish, so that none of other figures sits beside
    # the new paper.
    docx_hash, kept, remove, made_from, why = sha256(docx), (), (), {}, ""
    for made in (f"{name}.pdf", f"{name}.html"):
        reason = None if made in files else earlier_file_matches(target, made, docx_hash)
        kept += (target / made,) if reason == "" else ()
        remove += (made,) if reason else ()
        why = why or reason or ""
        if made in files or reason == "":
            made_from[made] = docx_hash
    try:
        result = write_outputs(target, files, remove=remove, made_from=made_from, staged=staged)
    except OSError as exc:  # a full disk, a read-only or locked folder: not a traceback
        raise BuildFailed(not_saved_message(target, exc)) from None
    return BuildResult(
        period=period,
        published=True,
        out_dir=target,
        outputs=dict(result.written),
        diverted=dict(result.diverted),
        removed=result.removed,
        stale=result.stale,
        kept=kept,
        removed_because=why if result.removed or result.stale else "",
        recovered=recovered or result.recovered,
        findings=ordered,
        summary=summary,
        pdf=pdf_state,
    )


def _findings_json(period: Period, findings: list[Finding]) -> bytes:
    from perfreport.publish.jsontext import indented_json

    # json.dumps(..., indent=2, ensure_ascii=False) + "\n", the same text: ~0.2 s less for a
    # 100x build's 10,000 findings (json's indented writer is pure Python)
    text = indented_json(findings_document(period, sort_findings(findings)), end="\n")
    return text.encode("utf-8")


def _data_files(summary: Summary) -> dict[str, bytes]:
    from perfreport.publish.export import csv_text, dataset_document, json_text

    dataset = dataset_document(summary)
    # The CSV's rows are the JSON's indicator records, flattened: made once. Each document is
    # let go as soon as it has been turned into text, and each text once encoded: at 100x they
    # are tens of MB each, and holding them all at once set the build's peak memory.
    csv = csv_text(summary, dataset["indicators"]).encode("utf-8")
    json_bytes = json_text(dataset).encode("utf-8")
    return {"dataset.json": json_bytes, "dataset.csv": csv}


def _start_export(summary: Summary) -> ForkedFiles | None:
    """A large paper's export, begun in a forked process (None: a small paper's, made while its
    charts are drawn, or no fork here: made when it is needed)."""
    if summary.total < EARLY_EXPORT_BELOW:
        return None
    import functools

    from perfreport.core.forked import fork_files

    return fork_files(functools.partial(_data_files, summary))


def _start_drawer(project: Project) -> EarlyDrawer | None:
    from perfreport.paper.chart_worker import start_drawer, stop_early

    if not project.paper.charts:
        stop_early()  # one the command line started before the project was read
        return None
    return start_drawer(matplotlib_dir(project.root))


def _chart_cache(project: Project) -> Path:
    return project.root / "build" / ".cache" / "charts"


def _begin_trend_charts(
    project: Project, drawer: EarlyDrawer, begun: list[TrendCharts], trends: dict[str, Trend]
) -> None:
    """The trends' charts, read from the cache or handed to ``drawer`` (summarise_period's
    on_trends)."""
    from perfreport.paper.begun_charts import TrendCharts

    begun.append(TrendCharts(trends, _chart_cache(project), drawer))


def _charts(
    project: Project,
    summary: Summary,
    drawer: EarlyDrawer | None,
    begun: TrendCharts | None = None,
) -> PaperCharts | None:
    """The paper's charts, begun (``begun``: the trends', begun already): read from the cache,
    or drawn by ``drawer`` (else here, when their result is asked for: matplotlib is imported
    only then)."""
    if not project.paper.charts:
        return None
    from perfreport.paper.begun_charts import PaperCharts

    return PaperCharts(summary, _chart_cache(project), drawer, begun)


def _blocked(
    period: Period, target: Path, findings: list[Finding], summary: Summary
) -> BuildResult:
    errors = count(findings, Severity.ERROR)
    warnings = count(findings, Severity.WARNING)
    if errors:
        from perfreport.inputs.report_figures import REPORT_FILE_ERRORS

        # 'perfreport validate' checks the returns and the catalogue, not the report file.
        in_report = any(f.code in REPORT_FILE_ERRORS for f in findings)
        reason = (
            f"{plural(errors, 'error')} must be fixed before the "
            "paper can be built; nothing was written. "
            + (
                "The report file's errors are listed above."
                if in_report
                else f"Run 'perfreport validate {period.key}' to see them."
            )
        )
    else:
        placeholders = sum(1 for f in findings if f.code == "placeholder")
        including = ' (including "[To be completed: …]" placeholders)' if placeholders else ""
        reason = (
            f"--strict: {plural(warnings, 'warning')}{including} "
            "must be resolved first; nothing was written."
        )
    return BuildResult(
        period=period,
        published=False,
        out_dir=target,
        findings=sort_findings(findings),
        reason=reason,
        summary=summary,
    )


def _not_a_docx(path: Path) -> str:
    """Why ``path`` is not a Word document at all (not a zip, or no word/document.xml), else ""
    (what is inside is checked as the paper is filled in)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
    except (OSError, zipfile.BadZipFile, ValueError) as exc:
        return str(exc) or type(exc).__name__
    return "" if "word/document.xml" in names else "it has no word/document.xml"


def _html_template(project: Project) -> Path | None:
    """The web page's template of the settings, checked (None: the shipped one)."""
    from perfreport.core.project import ConfigError

    template = project.html_template_path
    if template is not None and not template.is_file():
        raise ConfigError(
            f"the template {template} does not exist", project.config_path, "paths.html_template"
        )
    return template


def _make_html(context: dict, template: Path | None, pictures: dict) -> bytes:
    from perfreport.paper.html import HtmlError, render_html

    try:
        return render_html(context, template, pictures=pictures)
    except HtmlError as exc:
        raise BuildFailed(
            f"{exc} Nothing was written; use --no-html to build without it."
        ) from None


def _stopped(exc: Exception) -> str:
    """A PDF failure's message for a build it stopped: no .docx was written, so it is not "fine"."""
    from perfreport.paper.pdf import DOCX_FINE

    return str(exc).replace(f" {DOCX_FINE}", "")


def _make_pdf(
    docx: bytes, name: str, mode: PdfMode, soffice: Path | None, timeout: float
) -> tuple[bytes | None, PdfOutcome, Finding | None]:
    """The PDF of ``docx``, and what became of it; it joins the outputs only if it worked."""
    from perfreport.paper.pdf import PdfError, SofficeNotFound, pdf_bytes

    try:
        return pdf_bytes(docx, name, soffice=soffice, timeout=timeout), PdfOutcome.WRITTEN, None
    except SofficeNotFound as exc:
        if mode == PdfMode.REQUIRED:
            raise BuildFailed(
                f"{_stopped(exc)} --pdf was given, so nothing was written; "
                "build without --pdf to get the Word document alone."
            ) from None
        return None, PdfOutcome.UNAVAILABLE, exc.finding
    except PdfError as exc:
        if mode == PdfMode.REQUIRED:
            raise BuildFailed(
                f"{_stopped(exc)} Nothing was written; use --no-pdf to build the Word document "
                "alone."
            ) from None
        # The default ("make the PDF when LibreOffice is installed"): a LibreOffice that fails
        # or hangs does not keep the .docx, the web page and the data from being published.
        from perfreport.core.codes import finding

        return None, PdfOutcome.FAILED, finding("pdf-failed", problem=_stopped(exc))
