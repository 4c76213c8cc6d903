"""Publishing is one step (issue 17, item 5): a run killed at any step of the publish leaves the
previous build or the new one, whole, once the next run has started; never a mixture.

Each test runs the publish in a child process that ends abruptly (os._exit, as kill -9 would)
right after one step, chosen with PERFREPORT_TEST_KILL_AT, then looks at the folder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from perfreport.publish.journal import KILL_AT_ENV, KILLED_EXIT, journal_path, record_path
from perfreport.publish.outputs import recover_outputs, sha256, write_outputs

DOCX, PDF = "Report Q2 2024-25.docx", "Report Q2 2024-25.pdf"
OLD = {
    DOCX: b"old docx",
    PDF: b"%PDF- old, made from the old docx",
    "dataset.json": b'{"old": true}',
    "dataset.csv": b"old,csv\n",
    "findings.json": b"[]\n",
}
NEW = {
    DOCX: b"new docx",
    "dataset.json": b'{"new": true}',
    "dataset.csv": b"new,csv\n",
    "findings.json": b'[{"code": "new"}]\n',
}
NOTES = {"notes.txt": b"the officer's own notes: never touched"}
# The new build made no PDF, so the old one (of the old figures) is removed in the same step.
STEPS = ["staged", "committed", *(f"placed {name}" for name in NEW), "removed", "recorded"]
STEPS += ["finished"]
BEFORE_COMMIT = {"staged"}


def contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def leftovers(target: Path) -> list[str]:
    """Staging folders and journals beside the output folder."""
    return sorted(
        p.name
        for p in target.parent.iterdir()
        if ".tmp" in p.name or p.name.endswith("publish.json")
    )


def publish_in_child(target: Path, files: dict[str, bytes], remove: list[str], kill_at: str):
    script = textwrap.dedent(f"""
        from pathlib import Path
        from perfreport.publish.outputs import write_outputs

        write_outputs(Path({str(target)!r}), {files!r}, remove={remove!r},
                      made_from={{}})
    """)
    env = {**os.environ, KILL_AT_ENV: kill_at}
    return subprocess.run([sys.executable, "-c", script], env=env, check=False).returncode


@pytest.fixture
def previous(tmp_path) -> Path:
    target = tmp_path / "build" / "Q2-2024"
    target.mkdir(parents=True)
    for name, data in {**OLD, **NOTES}.items():
        (target / name).write_bytes(data)
    return target


@pytest.mark.parametrize("step", STEPS)
def test_a_kill_at_any_step_leaves_the_old_build_or_the_new_one_whole(previous, step):
    assert publish_in_child(previous, NEW, [PDF], step) == KILLED_EXIT
    if step in BEFORE_COMMIT:
        # Before the commit point nothing in the folder has changed, even before any recovery.
        assert contents(previous) == {**OLD, **NOTES}
        assert not journal_path(previous).exists()
    elif step != "finished":
        # After it, the journal says the publish is decided and which files it still owes.
        journal = json.loads(journal_path(previous).read_text(encoding="utf-8"))
        assert journal["files"] == list(NEW)
        assert journal["remove"] == [PDF]
    # The next run's first step: finish what was committed, throw away what was not.
    completed = recover_outputs(previous)
    assert completed is (step not in BEFORE_COMMIT and step != "finished")
    expected = {**OLD, **NOTES} if step in BEFORE_COMMIT else {**NEW, **NOTES}
    assert contents(previous) == expected
    assert leftovers(previous) == []
    if step not in BEFORE_COMMIT:
        record = json.loads(record_path(previous).read_text(encoding="utf-8"))
        assert record["files"] == {name: sha256(data) for name, data in sorted(NEW.items())}


@pytest.mark.parametrize("step", ["staged", "committed", f"placed {DOCX}", "recorded"])
def test_the_next_publish_recovers_first_then_publishes_its_own_files(previous, step):
    assert publish_in_child(previous, NEW, [PDF], step) == KILLED_EXIT
    newest = {name: data.replace(b"new", b"newest") for name, data in NEW.items()}
    result = write_outputs(previous, newest)
    assert result.recovered is (step not in BEFORE_COMMIT)
    # The killed run's removal of the old PDF was part of its publish once committed.
    old_pdf = {PDF: OLD[PDF]} if step in BEFORE_COMMIT else {}
    assert contents(previous) == {**newest, **old_pdf, **NOTES}
    assert leftovers(previous) == []


def test_a_kill_while_the_journal_is_written_is_before_the_commit(previous, monkeypatch):
    # The journal appears in one rename: its temporary copy alone commits nothing.
    partial = journal_path(previous).with_suffix(".tmp")
    partial.write_bytes(b'{"schema": "perfreport.publish-journal/1", "files": ["dataset.j')
    staging = previous.parent / ".Q2-2024.tmp-k1ll3d"
    staging.mkdir()
    (staging / "dataset.json").write_bytes(b"half")
    assert recover_outputs(previous) is False
    assert contents(previous) == {**OLD, **NOTES}
    assert leftovers(previous) == []


@pytest.mark.parametrize(
    "journal",
    [
        {"schema": "perfreport.publish-journal/1", "staging": "../elsewhere", "files": []},
        {"schema": "perfreport.publish-journal/1", "staging": ".x", "files": ["../../etc"]},
        {"schema": "something else"},
        [],
    ],
)
def test_a_journal_that_is_not_ours_moves_nothing(previous, journal):
    journal_path(previous).write_text(json.dumps(journal), encoding="utf-8")
    assert recover_outputs(previous) is False
    assert contents(previous) == {**OLD, **NOTES}
