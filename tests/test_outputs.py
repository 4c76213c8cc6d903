"""Publishing a build: all files or none, nothing half-written, nothing lost to a locked file."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from perfreport.publish import outputs
from perfreport.publish.outputs import OutputResult, remove_stale_staging, write_outputs
from perfreport.publish.staging import Staging

REPORT = "Corporate Performance Management Report Q2 2024-25.docx"


def previous_build(target: Path) -> dict[str, bytes]:
    """A build already in place, returned as name -> bytes to compare with later."""
    target.mkdir(parents=True)
    files = {REPORT: b"old report", "dataset.json": b'{"old": true}', "notes.txt": b"mine"}
    for name, content in files.items():
        (target / name).write_bytes(content)
    return files


def contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def staging_folders(target: Path) -> list[str]:
    return sorted(p.name for p in target.parent.iterdir() if ".tmp-" in p.name)


def test_writes_bytes_and_copies_files_into_the_output_folder(tmp_path):
    source = tmp_path / "rendered.pdf"
    source.write_bytes(b"%PDF-1.7 new")
    target = tmp_path / "build" / "Q2-2024"
    result = write_outputs(target, {REPORT: b"new report", "report.pdf": source})
    assert result == OutputResult(
        target_dir=target,
        written={REPORT: target / REPORT, "report.pdf": target / "report.pdf"},
        diverted={},
    )
    assert contents(target) == {REPORT: b"new report", "report.pdf": b"%PDF-1.7 new"}
    assert source.read_bytes() == b"%PDF-1.7 new"
    assert staging_folders(target) == []


def test_replaces_the_previous_build_and_leaves_its_other_files_alone(tmp_path):
    target = tmp_path / "build" / "Q2-2024"
    previous_build(target)
    write_outputs(target, {REPORT: b"new report", "dataset.json": b"{}"})
    assert contents(target) == {REPORT: b"new report", "dataset.json": b"{}", "notes.txt": b"mine"}


def _fail_while_staging(monkeypatch, tmp_path, how):
    if how == "missing source":
        return {
            REPORT: b"new report",
            "report.pdf": tmp_path / "never-made.pdf",
            "dataset.json": b"{}",
        }
    written = []
    real = outputs.write_durably

    def write_then_fail(path, content):
        if written:
            raise OSError(28, "No space left on device")
        written.append(path)
        real(path, content)

    monkeypatch.setattr(outputs, "write_durably", write_then_fail)
    return {REPORT: b"new report", "dataset.json": b"{}"}


@pytest.mark.parametrize("how", ["missing source", "disk full"])
def test_leaves_the_previous_build_untouched_when_staging_fails(tmp_path, monkeypatch, how):
    target = tmp_path / "build" / "Q2-2024"
    before = previous_build(target)
    files = _fail_while_staging(monkeypatch, tmp_path, how)
    with pytest.raises(OSError):
        write_outputs(target, files)
    assert contents(target) == before
    assert staging_folders(target) == []


def test_never_shows_a_new_file_under_its_final_name_before_all_are_staged(tmp_path, monkeypatch):
    target = tmp_path / "build" / "Q2-2024"
    before = previous_build(target)
    seen: list[dict[str, bytes]] = []
    real = outputs.write_durably

    def watching(path, content):
        seen.append(contents(target))
        real(path, content)

    monkeypatch.setattr(outputs, "write_durably", watching)
    write_outputs(target, {REPORT: b"new report", "dataset.json": b"{}", "findings.json": b"[]"})
    assert seen == [before, before, before]


# -- a file open in Word (Windows refuses to replace it) ------------------------------------


def refuse_replacing(monkeypatch, *names: str) -> list[str]:
    """Make os.replace fail as Windows does for files that are open in Word."""
    attempts: list[str] = []
    real = os.replace

    def replace(source, target):
        if Path(target).name in names:
            attempts.append(Path(target).name)
            raise PermissionError(13, "The process cannot access the file", str(target))
        return real(source, target)

    monkeypatch.setattr(os, "replace", replace)
    return attempts


def test_keeps_the_new_file_beside_one_that_is_open_in_word(tmp_path, monkeypatch):
    target = tmp_path / "build" / "Q2-2024"
    previous_build(target)
    attempts = refuse_replacing(monkeypatch, REPORT)
    result = write_outputs(target, {REPORT: b"new report", "dataset.json": b"{}"}, retry_delay=0.01)
    diverted = target / "Corporate Performance Management Report Q2 2024-25 (new).docx"
    assert attempts == [REPORT] * outputs.RETRIES
    assert result.diverted == {REPORT: diverted}
    assert result.written == {REPORT: diverted, "dataset.json": target / "dataset.json"}
    assert contents(target) == {
        REPORT: b"old report",
        diverted.name: b"new report",
        "dataset.json": b"{}",
        "notes.txt": b"mine",
    }
    assert staging_folders(target) == []


def test_numbers_the_new_copy_when_an_earlier_new_copy_is_open_too(tmp_path, monkeypatch):
    target = tmp_path / "build" / "Q2-2024"
    target.mkdir(parents=True)
    (target / "paper.docx").write_bytes(b"old")
    (target / "paper (new).docx").write_bytes(b"older new")
    refuse_replacing(monkeypatch, "paper.docx", "paper (new).docx")
    result = write_outputs(target, {"paper.docx": b"newest"}, retry_delay=0)
    assert result.diverted == {"paper.docx": target / "paper (new 2).docx"}
    assert contents(target) == {
        "paper (new 2).docx": b"newest",
        "paper (new).docx": b"older new",
        "paper.docx": b"old",
    }


def test_replaces_an_earlier_new_copy_that_is_no_longer_open(tmp_path, monkeypatch):
    target = tmp_path / "build" / "Q2-2024"
    target.mkdir(parents=True)
    (target / "paper.docx").write_bytes(b"old")
    (target / "paper (new).docx").write_bytes(b"superseded")
    refuse_replacing(monkeypatch, "paper.docx")
    result = write_outputs(target, {"paper.docx": b"newest"}, retry_delay=0)
    assert result.diverted == {"paper.docx": target / "paper (new).docx"}
    assert contents(target) == {"paper (new).docx": b"newest", "paper.docx": b"old"}


# -- runs that died -------------------------------------------------------------------------


def test_removes_staging_folders_left_by_a_run_that_died(tmp_path):
    target = tmp_path / "build" / "Q2-2024"
    previous_build(target)
    leftover = tmp_path / "build" / ".Q2-2024.tmp-k1ll3d01"
    leftover.mkdir()
    (leftover / REPORT).write_bytes(b"half a rep")
    unrelated = [tmp_path / "build" / ".Q3-2024.tmp-other", tmp_path / "build" / "Q2-2024-old"]
    for folder in unrelated:
        folder.mkdir()
    (tmp_path / "build" / ".Q2-2024.lock").write_bytes(b"")
    write_outputs(target, {REPORT: b"new report"})
    assert not leftover.exists()
    assert all(folder.is_dir() for folder in unrelated)
    assert (tmp_path / "build" / ".Q2-2024.lock").exists()
    assert (target / REPORT).read_bytes() == b"new report"


def test_loses_nothing_when_the_run_is_killed_while_moving_files_into_place(tmp_path):
    target = tmp_path / "build" / "Q2-2024"
    before = previous_build(target)
    # A run that stops (for ever) at its first move into place, and is then killed.
    script = textwrap.dedent(f"""
        import os, sys, time
        from pathlib import Path
        from perfreport.publish.outputs import write_outputs

        def stuck(source, target):
            print("moving", flush=True)
            time.sleep(300)

        os.replace = stuck
        write_outputs(Path({str(target)!r}), {{{REPORT!r}: b"new report", "dataset.json": b"{{}}"}})
    """)
    with subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True) as run:
        assert run.stdout.readline() == "moving\n"
        run.kill()
        run.wait()
    assert contents(target) == before
    (leftover,) = staging_folders(target)
    assert leftover.startswith(".Q2-2024.tmp-")
    assert sorted(p.name for p in (target.parent / leftover).iterdir()) == [REPORT, "dataset.json"]
    # The next run cleans up after it and publishes.
    write_outputs(target, {REPORT: b"newer report"})
    assert staging_folders(target) == []
    assert (target / REPORT).read_bytes() == b"newer report"


def test_has_nothing_to_clean_when_the_build_folder_does_not_exist(tmp_path):
    assert remove_stale_staging(tmp_path / "nowhere" / "Q2-2024") == []


@pytest.mark.parametrize(
    "name", ["", ".", "..", "../escape.docx", "sub/paper.docx", "sub\\paper.docx", ".hidden"]
)
def test_rejects_names_that_are_not_plain_visible_file_names(tmp_path, name):
    with pytest.raises(ValueError, match="plain, visible file name"):
        write_outputs(tmp_path / "build" / "Q2-2024", {name: b"x"})
    assert not (tmp_path / "build").exists()


# -- files staged early (publish.staging: while the paper is checked) -----------------------------


def published(target: Path) -> tuple[dict[str, bytes], bytes]:
    """The output folder's files and the record beside it."""
    return contents(target), outputs.record_path(target).read_bytes()


def test_files_staged_early_are_published_with_the_rest_as_one_step(tmp_path):
    files = {REPORT: b"new report", "dataset.json": b"{}", "findings.json": b"[]"}
    plain = tmp_path / "plain" / "Q2-2024"
    previous_build(plain)
    write_outputs(plain, files)
    target = tmp_path / "build" / "Q2-2024"
    previous_build(target)
    stale = target.parent / ".Q2-2024.tmp-killed"  # a killed run's: removed as before
    stale.mkdir()
    staged = Staging(target)
    staged.write({REPORT: files[REPORT], "dataset.json": files["dataset.json"]})
    write_outputs(target, files, staged=staged)
    assert published(target) == published(plain)  # the same files and the same record
    assert staging_folders(target) == []
    assert staged.take() == (None, {})  # handed over


def test_a_file_staged_with_other_content_is_published_with_the_content_given(tmp_path):
    target = tmp_path / "build" / "Q2-2024"
    staged = Staging(target)
    staged.write({REPORT: b"a report", "dataset.json": b"{}"})
    write_outputs(target, {REPORT: b"another report", "dataset.json": b"{}"}, staged=staged)
    assert contents(target) == {REPORT: b"another report", "dataset.json": b"{}"}
    record = outputs.read_record(outputs.record_path(target))
    assert record is not None and record.files[REPORT] == outputs.sha256(b"another report")


def test_a_staging_that_fails_leaves_the_publish_to_write_every_file(tmp_path, monkeypatch):
    from perfreport.publish import staging

    target = tmp_path / "build" / "Q2-2024"
    previous_build(target)
    real, tried = staging.write_durably, []

    def full_disk_at_the_second(path, content):
        tried.append(path.name)
        if len(tried) == 2:
            raise OSError(28, "No space left on device")
        real(path, content)

    monkeypatch.setattr(staging, "write_durably", full_disk_at_the_second)
    staged = Staging(target)
    staged.write({REPORT: b"new report", "dataset.json": b"{}"})
    assert staged.take() == (None, {})  # nothing staged: its folder removed
    assert tried == [REPORT, "dataset.json"] and staging_folders(target) == []
    # The publish writes them all itself, and says what fails there, as before.
    write_outputs(target, {REPORT: b"new report", "dataset.json": b"{}"}, staged=staged)
    assert contents(target) == {REPORT: b"new report", "dataset.json": b"{}", "notes.txt": b"mine"}


def test_a_publish_that_refuses_removes_what_was_staged_early(tmp_path):
    target = tmp_path / "build" / "Q2-2024"
    before = previous_build(target)
    (target / "dataset.json").unlink()
    (target / "dataset.json").mkdir()  # in the way
    staged = Staging(target)
    staged.write({REPORT: b"new report", "dataset.json": b"{}"})
    with pytest.raises(outputs.PublishError, match="is a folder, not a file"):
        write_outputs(target, {REPORT: b"new report", "dataset.json": b"{}"}, staged=staged)
    assert staging_folders(target) == []
    assert (target / REPORT).read_bytes() == before[REPORT]


def test_a_discarded_staging_leaves_nothing(tmp_path):
    target = tmp_path / "build" / "Q2-2024"
    before = previous_build(target)
    staged = Staging(target)
    staged.write({REPORT: b"new report"})
    staged.discard()
    assert staging_folders(target) == [] and contents(target) == before


def test_a_staging_that_fails_in_any_way_leaves_the_publish_to_write_every_file(
    tmp_path, monkeypatch
):
    # Not only a full disk: whatever stops the staging thread (here no memory for a write) is
    # no traceback from the thread and no half-filled folder; the publish writes every file.
    from perfreport.publish import staging

    target = tmp_path / "build" / "Q2-2024"
    previous_build(target)

    def no_memory(path, content):
        raise MemoryError

    monkeypatch.setattr(staging, "write_durably", no_memory)
    staged = Staging(target)
    staged.write({REPORT: b"new report", "dataset.json": b"{}"})
    assert staged.take() == (None, {})  # nothing staged: its folder removed
    assert staging_folders(target) == []
    monkeypatch.undo()
    write_outputs(target, {REPORT: b"new report", "dataset.json": b"{}"}, staged=staged)
    assert contents(target) == {REPORT: b"new report", "dataset.json": b"{}", "notes.txt": b"mine"}


def test_files_staged_for_a_folder_given_relative_are_published(tmp_path, monkeypatch):
    # `build --out papers --no-pdf`: the folder is relative. From Python 3.12 tempfile.mkdtemp
    # gives an absolute path even then (as simulated here), and the publish's clean-up of
    # killed runs' staging folders took this run's own for a stale one: on Linux the build
    # failed, on Windows it said it had published files it had not written.
    import tempfile

    monkeypatch.chdir(tmp_path)
    made = tempfile.mkdtemp
    monkeypatch.setattr(tempfile, "mkdtemp", lambda **kwargs: os.path.abspath(made(**kwargs)))
    target = Path("papers")
    before = previous_build(target)
    files = {REPORT: b"new report", "dataset.json": b"{}"}
    staged = Staging(target)
    staged.write(files)
    result = write_outputs(target, files, staged=staged)
    assert contents(tmp_path / "papers") == {**files, "notes.txt": before["notes.txt"]}
    assert sorted(result.written) == sorted(files) and staging_folders(tmp_path / "papers") == []


def test_a_folder_that_cannot_be_written_is_refused_before_anything_is_committed(
    tmp_path, monkeypatch
):
    # A read-only folder (or one the scheduled task's account may not write). As root, which
    # writes anyway, the refusal to make a file there is what the folder would answer.
    target = tmp_path / "build" / "Q2-2024"
    before = previous_build(target)

    def refused(*args, dir=None, **kwargs):
        if Path(dir) == target:
            raise PermissionError(13, "Permission denied")
        return real(*args, dir=dir, **kwargs)

    real = outputs.tempfile.mkstemp
    monkeypatch.setattr(outputs.tempfile, "mkstemp", refused)
    with pytest.raises(outputs.PublishError) as raised:
        write_outputs(target, {REPORT: b"new report", "dataset.json": b"{}"})
    assert str(raised.value) == (
        f"{target} cannot be written to (Permission denied), so the build cannot be saved "
        "there. Nothing was replaced: the previous build's files are as they were. Ask for "
        "write access to that folder (for a scheduled task: for its account), or build with "
        "--out into another folder."
    )
    assert contents(target) == before
    assert staging_folders(target) == []
    assert not [p for p in target.parent.iterdir() if p.name.endswith(".publish.json")]


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes a read-only folder"
)
def test_a_read_only_folder_is_refused_before_anything_is_committed(tmp_path):
    target = tmp_path / "build" / "Q2-2024"
    before = previous_build(target)
    target.chmod(0o555)
    try:
        with pytest.raises(outputs.PublishError, match="cannot be written to"):
            write_outputs(target, {REPORT: b"new report"})
    finally:
        target.chmod(0o755)
    assert contents(target) == before and staging_folders(target) == []
