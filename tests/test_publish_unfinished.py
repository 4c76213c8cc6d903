"""A build folder left part-way through a publish: a later quarter reads the committed run's
ratings and says the folder is mixed; the next build of that quarter finishes the publish."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from projectfactory import make_project, service_return
from typer.testing import CliRunner

from perfreport.build import PdfMode, build_paper, summarise_period
from perfreport.cli import app
from perfreport.core.findings import Severity
from perfreport.core.model import RAG
from perfreport.core.periods import Period
from perfreport.core.project import Project
from perfreport.publish.export import dataset_document
from perfreport.publish.journal import KILL_AT_ENV, KILLED_EXIT, journal_path
from perfreport.rating.history import HistorySource

Q1, Q2 = Period(2024, 1), Period(2024, 2)

# WR-01 Red in Q1's returns today, Amber in a publish of Q1 stopped past its commit point.
STOPPED_DIFFERS = (
    "WR-01 was published as Amber for Q1 2024/25, but its returns rated with today's "
    "catalogue give Red (50.0% against target 55.0%: Red (Amber from 52.3%)). The summary "
    "keeps the published Amber, as committee saw it. If the published paper was wrong, "
    "rebuild Q1-2024: it first finishes the stopped publish, then publishes a new "
    "build/Q1-2024/dataset.json."
)


def _waste(project: Project, period: Period, wr01: float) -> None:
    service_return(project, period, "Waste", values={"WR-01": wr01, "WR-02": 70})
    service_return(project, period, "Adult Social Care", values={"ASC-01": 31.0})


def _publish_killed(project: Project, files: dict[str, bytes], step: str) -> None:
    """Publish ``files`` into Q1's build folder in a child process that dies after ``step``."""
    script = textwrap.dedent(
        f"""
        import json, sys
        from pathlib import Path
        from perfreport.publish.outputs import write_outputs
        files = {{k: v.encode("latin-1") for k, v in json.loads(sys.argv[1]).items()}}
        write_outputs(Path({str(project.build_dir(Q1))!r}), files)
        """
    )
    shown = json.dumps({k: v.decode("latin-1") for k, v in files.items()})
    ran = subprocess.run(
        [sys.executable, "-c", script, shown],
        env={**os.environ, KILL_AT_ENV: step},
        capture_output=True,
        check=False,
    )
    assert ran.returncode == KILLED_EXIT, ran.stderr


def _red_published_then_amber(project: Project) -> tuple[bytes, bytes]:
    """Q1 rated Red and its dataset.json published whole (build/Q1-2024/), then its return
    corrected to Amber: (the Red dataset.json, the Amber one, to publish)."""
    _waste(project, Q1, 50.0)  # Red against 55 (Amber from 52.25)
    _waste(project, Q2, 54.0)
    red = json.dumps(dataset_document(summarise_period(project, Q1))).encode()
    project.build_dir(Q1).mkdir(parents=True)
    (project.build_dir(Q1) / "dataset.json").write_bytes(red)
    _waste(project, Q1, 53.0)  # Amber
    amber = json.dumps(dataset_document(summarise_period(project, Q1))).encode()
    return red, amber


def test_a_later_quarter_reads_the_stopped_publishs_ratings_and_says_the_folder_is_mixed(
    tmp_path: Path,
) -> None:
    project = make_project(tmp_path / "council")
    red, amber = _red_published_then_amber(project)  # the first build of Q1, published whole
    folder = project.build_dir(Q1)
    (folder / "paper.docx").write_bytes(b"the Red paper")
    # Q1 corrected and built again; its publish stopped after the commit point, with the new
    # paper in place and the new dataset.json still staged.
    _publish_killed(
        project, {"paper.docx": b"the Amber paper", "dataset.json": amber}, "placed paper.docx"
    )
    assert (folder / "paper.docx").read_bytes() == b"the Amber paper"
    assert (folder / "dataset.json").read_bytes() == red  # the folder is mixed
    assert journal_path(folder).is_file()

    q2 = summarise_period(project, Q2)
    assert q2.history_source is HistorySource.PUBLISHED
    assert q2.row("WR-01").previous_rag is RAG.AMBER  # as the committed publish has it
    [stopped] = [f for f in q2.findings if f.code == "publish-unfinished"]
    assert (stopped.severity, stopped.file) == (Severity.WARNING, "build/Q1-2024")
    assert stopped.message == (
        "build/Q1-2024 was left part-way through a publish (build/.Q1-2024.publish.json): a "
        "build of Q1 2024/25 was stopped while putting its files in place, so some are from "
        "that build and some from the one before. Its ratings are read from that build's "
        "dataset.json. Build Q1-2024 again: it first finishes the stopped publish."
    )
    # perfreport summary shows it (validate, which it points to, reads only Q2's returns).
    shown = CliRunner().invoke(app, ["summary", Q2.key, "-p", str(project.root)])
    assert shown.exit_code == 0, shown.output
    assert "Build Q1-2024 again: it first finishes the stopped publish." in " ".join(
        shown.output.replace("|", " ").split()
    )
    # Nothing was written by reading: the folder is finished by the next build of Q1 only.
    assert (folder / "dataset.json").read_bytes() == red and journal_path(folder).is_file()


def test_a_publish_stopped_before_its_commit_point_leaves_the_earlier_build_unmentioned(
    tmp_path: Path,
) -> None:
    project = make_project(tmp_path / "council")
    _, amber = _red_published_then_amber(project)
    _publish_killed(project, {"dataset.json": amber}, "staged")  # not committed: never happened
    q2 = summarise_period(project, Q2)
    assert q2.row("WR-01").previous_rag is RAG.RED
    assert not [f for f in q2.findings if f.code == "publish-unfinished"]


def test_a_rating_that_differs_in_a_stopped_publish_names_the_build_folders_dataset_json(
    tmp_path: Path,
) -> None:
    # Q1 built Red and published; built again Amber, that publish stopped after its commit
    # point with its dataset.json still staged (in build/.Q1-2024.tmp-<random>/); then Q1's
    # return made Red again. The advice names the dataset.json an officer sees, not the hidden
    # staging copy that the next build of Q1 puts in its place.
    project = make_project(tmp_path / "council")
    _, amber = _red_published_then_amber(project)
    _publish_killed(project, {"dataset.json": amber}, "committed")
    [staging] = project.build_dir(Q1).parent.glob(".Q1-2024.tmp-*")
    assert (staging / "dataset.json").is_file()
    _waste(project, Q1, 50.0)  # Red today
    q2 = summarise_period(project, Q2)
    [differs] = [f for f in q2.findings if f.code == "published-rating-differs"]
    assert (differs.file, differs.ref) == ("build/Q1-2024/dataset.json", "WR-01")
    assert differs.message == STOPPED_DIFFERS
    assert q2.row("WR-01").previous_rag is RAG.AMBER  # still read from the staged copy


def test_a_rating_that_differs_in_a_stopped_first_publish_says_to_rebuild_not_to_delete(
    tmp_path: Path,
) -> None:
    # Q1's first build was stopped after its commit point with nothing in place yet: there is
    # no build/Q1-2024/dataset.json to delete, only the hidden staging copy the ratings are read
    # from. The advice is to rebuild, which finishes that publish and then publishes its own.
    project = make_project(tmp_path / "council")
    _waste(project, Q1, 53.0)  # Amber
    _waste(project, Q2, 54.0)
    amber = json.dumps(dataset_document(summarise_period(project, Q1))).encode()
    _publish_killed(project, {"dataset.json": amber}, "committed")
    published = project.build_dir(Q1) / "dataset.json"
    assert not published.exists() and journal_path(project.build_dir(Q1)).is_file()
    _waste(project, Q1, 50.0)  # Red today
    q2 = summarise_period(project, Q2)
    assert q2.row("WR-01").previous_rag is RAG.AMBER  # read from the staged copy
    [differs] = [f for f in q2.findings if f.code == "published-rating-differs"]
    assert (differs.file, differs.ref) == ("build/Q1-2024/dataset.json", "WR-01")
    assert differs.message == STOPPED_DIFFERS
    # Doing as it says: the rebuild publishes Q1 as rated today, and the difference is gone.
    built = build_paper(project, Q1, pdf=PdfMode.OFF, html=False)
    assert built.published and built.recovered, built.reason
    assert not journal_path(project.build_dir(Q1)).exists()
    assert json.loads(published.read_bytes()) == dataset_document(summarise_period(project, Q1))
    again = summarise_period(project, Q2)
    assert again.row("WR-01").previous_rag is RAG.RED
    assert not [f for f in again.findings if f.code == "published-rating-differs"]
