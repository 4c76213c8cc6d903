"""Publish a build's files as one step: staged beside the output folder, committed by a journal."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from perfreport.publish.journal import (
    RECORD_SCHEMA,
    Journal,
    checkpoint,
    journal_path,
    read_journal,
    read_record,
    record_path,
    sync_folder,
    write_durably,
    write_json_durably,
)
from perfreport.publish.staging import Staging, check_name, sha256, staging_prefix

# Why a journal (docs/security.md, "Atomic outputs"): a set of files cannot be replaced in one
# rename while the output folder stays an ordinary folder that officers browse and open in Word.
# Swapping whole folders fails on Windows as soon as one file in the old folder is open, and it
# leaves a moment with no folder at all. So the new files are first staged and flushed; then a
# journal naming them is written in one atomic rename: the commit point. Before it, the previous
# build is untouched and a killed run's staging is thrown away. After it, the files are moved into
# place one by one, and if the run dies on the way, the next run (of build, before it does
# anything else) finishes the moves from the staged copies: it rolls the publish forward.

# Replacing a file that Word has open fails on Windows with PermissionError until Word lets go;
# a short wait covers a virus scanner or a preview pane, not a document left open for hours.
RETRIES = 5
RETRY_DELAY = 0.2
MAX_DIVERSIONS = 20


class PublishError(OSError):
    """The files could not be published; the message says exactly what was and was not replaced."""

    def __init__(
        self, message: str, replaced: Iterable[str] = (), not_replaced: Iterable[str] = ()
    ):
        super().__init__(message)
        self.message = message
        self.replaced = tuple(replaced)
        self.not_replaced = tuple(not_replaced)

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class OutputResult:
    """Where each file of the build ended up.

    ``written`` maps every name to the file that now holds it; ``diverted`` holds the names whose
    file could not be replaced (open in Word on Windows) and were kept under a suffixed name,
    such as "Report (new).docx", beside the old one. ``removed`` are earlier files removed as
    asked; ``stale`` those that could not be removed (open elsewhere). ``recovered`` is True when
    an earlier run's interrupted publish was completed first.
    """

    target_dir: Path
    written: dict[str, Path] = field(default_factory=dict)
    diverted: dict[str, Path] = field(default_factory=dict)
    removed: tuple[Path, ...] = ()
    stale: tuple[Path, ...] = ()
    recovered: bool = False


def write_outputs(
    target_dir: Path,
    files: Mapping[str, bytes | Path],
    *,
    remove: Iterable[str] = (),
    made_from: Mapping[str, str] | None = None,
    retries: int = RETRIES,
    retry_delay: float = RETRY_DELAY,
    staged: Staging | None = None,
) -> OutputResult:
    """Publish ``files`` (name -> content, or a file to copy) into ``target_dir`` as one step.

    Everything is staged and flushed to disk beside ``target_dir`` first, then committed by the
    journal, then moved into place (see the comment at the top of this module). ``remove`` names
    earlier files to delete in the same step (a PDF that no longer matches). ``made_from`` maps
    a file to the SHA-256 of the file it was made from (the PDF to its .docx); it is kept in the
    record beside the folder (read_record) with the hash of every file published. Files of the
    previous build that are neither in ``files`` nor in ``remove`` are left alone. ``staged``:
    some of ``files`` written already (:class:`Staging`), committed with the rest.

    Raises PublishError (an OSError) saying what was replaced. Call it while holding the
    period's lock (perfreport.publish.locking.period_lock): it first completes or discards what
    a killed run left (recover_outputs).
    """
    target_dir = Path(target_dir)
    remove = tuple(remove)
    for name in (*files, *remove):
        check_name(name)
    parent = target_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    early, written = staged.take() if staged is not None else (None, {})
    try:
        recovered = recover_outputs(
            target_dir, retries=retries, retry_delay=retry_delay, keep=early
        )
        _preflight(target_dir, files)
        staging = early or Path(tempfile.mkdtemp(prefix=staging_prefix(target_dir), dir=parent))
    except BaseException:
        if early is not None:
            shutil.rmtree(early, ignore_errors=True)
        raise
    try:
        hashes = {}
        for name, content in files.items():
            if name in written and written[name][0] is content:
                hashes[name] = written[name][1]  # staged already
                continue
            (staging / name).unlink(missing_ok=True)  # (staged with other content: anew)
            write_durably(staging / name, content)
        sync_folder(staging)
        record = _record(target_dir, files, made_from or {}, hashes)
        checkpoint("staged")
        journal = Journal(staging.name, tuple(files), remove, record)
        write_json_durably(journal_path(target_dir), journal.to_dict())
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    checkpoint("committed")
    result = _apply(target_dir, journal, retries, retry_delay)
    return OutputResult(
        target_dir=target_dir,
        written=result.written,
        diverted=result.diverted,
        removed=result.removed,
        stale=result.stale,
        recovered=recovered,
    )


def recover_outputs(
    target_dir: Path,
    *,
    retries: int = RETRIES,
    retry_delay: float = RETRY_DELAY,
    keep: Path | None = None,
) -> bool:
    """Complete the publish of a run that was killed after its commit point, and remove the
    staging folders of runs killed before it (but ``keep``, this run's). Returns True when a
    publish was completed.

    Call it holding the period's lock, before anything else reads or writes ``target_dir``.
    """
    target_dir = Path(target_dir)
    journal = read_journal(journal_path(target_dir))
    completed = False
    if journal is not None:
        _apply(target_dir, journal, retries, retry_delay)
        completed = True
    else:
        # A journal cut short is impossible (it is written whole, then renamed): one that cannot
        # be read is not ours, and a temporary copy belongs to a run that died before committing.
        for leftover in (journal_path(target_dir), journal_path(target_dir).with_suffix(".tmp")):
            with contextlib.suppress(OSError):
                leftover.unlink(missing_ok=True)
    remove_stale_staging(target_dir, keep)
    return completed


def remove_stale_staging(target_dir: Path, keep: Path | None = None) -> list[Path]:
    """Remove staging folders of ``target_dir`` left behind by a run that was killed (but
    ``keep``, this run's)."""
    target_dir = Path(target_dir)
    prefix = staging_prefix(target_dir)
    removed = []
    if not target_dir.parent.is_dir():
        return removed
    for entry in sorted(target_dir.parent.iterdir()):
        # By name, in this one folder: ``keep`` may be spelt otherwise (tempfile.mkdtemp gives
        # an absolute path from Python 3.12, where iterdir gives relative ones for --out papers)
        if keep is not None and entry.name == keep.name:
            continue
        if entry.name.startswith(prefix) and entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


def _record(
    target_dir: Path,
    files: Mapping[str, bytes | Path],
    made_from: Mapping[str, str],
    known: Mapping[str, str],
) -> dict[str, object]:
    """What the record will say: each published file's hash (``known`` already for some),
    and what each was made from."""
    hashes = {name: known.get(name) or sha256(content) for name, content in files.items()}
    for name in made_from:
        if name not in hashes and (target_dir / name).is_file():  # kept from the earlier build
            hashes[name] = sha256(target_dir / name)
    return {
        "files": dict(sorted(hashes.items())),
        "made_from": {name: made_from[name] for name in sorted(made_from) if name in hashes},
    }


def _preflight(target_dir: Path, files: Mapping[str, bytes | Path]) -> None:
    """Refuse before anything is replaced when a file cannot take its place (issue 17, item 6)."""
    if target_dir.exists() and not target_dir.is_dir():
        raise PublishError(
            f"{target_dir} is a file, not a folder, so the build cannot be saved there. Nothing "
            "was replaced. Move or rename that file, or build with --out into another folder."
        )
    if target_dir.is_dir():
        _check_writable(target_dir)
    for name in files:
        final = target_dir / name
        if final.is_symlink() or (final.exists() and not final.is_file()):
            kind = "a link" if final.is_symlink() else "a folder"
            raise PublishError(
                f"'{name}' in {target_dir} is {kind}, not a file, so the new {name} cannot take "
                "its place. Nothing was replaced: the previous build's files are as they were. "
                f"Move or rename that {kind.split()[1]} and build again.",
                not_replaced=files,
            )


def _check_writable(target_dir: Path) -> None:
    """Refuse before the commit when no file can be made in ``target_dir`` (a read-only folder,
    or one the scheduled task's account may not write): committed, the publish could put
    nothing in place, and its staged files would wait there for a later build. Tried by making
    a file, the one test that answers the same on Windows and for an administrator."""
    try:
        handle, probe = tempfile.mkstemp(prefix=".perfreport-probe-", dir=target_dir)
    except PermissionError as exc:
        raise PublishError(
            f"{target_dir} cannot be written to ({exc.strerror or exc}), so the build cannot be "
            "saved there. Nothing was replaced: the previous build's files are as they were. "
            "Ask for write access to that folder (for a scheduled task: for its account), or "
            "build with --out into another folder."
        ) from None
    os.close(handle)
    with contextlib.suppress(OSError):
        os.unlink(probe)


@dataclass
class _Applied:
    written: dict[str, Path] = field(default_factory=dict)
    diverted: dict[str, Path] = field(default_factory=dict)
    removed: tuple[Path, ...] = ()
    stale: tuple[Path, ...] = ()


def _apply(target_dir: Path, journal: Journal, retries: int, retry_delay: float) -> _Applied:
    """Move the staged files into place, remove what the journal says, write the record, and
    end the journal. Safe to run again from any point: a file already moved is not staged."""
    staging = target_dir.parent / journal.staging
    applied = _Applied()
    target_dir.mkdir(exist_ok=True)
    done: list[str] = []
    for name in journal.files:
        staged = staging / name
        if not staged.exists():  # moved before the run died: already in place
            applied.written[name] = target_dir / name
            done.append(name)
            continue
        try:
            final = _place(staged, target_dir / name, retries, retry_delay)
        except OSError as exc:
            left = [n for n in journal.files if n not in done]
            raise PublishError(_partial_message(target_dir, done, left, exc), done, left) from None
        applied.written[name] = final
        if final.name != name:
            applied.diverted[name] = final
        done.append(name)
        checkpoint(f"placed {name}")
    removed, stale = [], []
    for name in journal.remove:
        path = target_dir / name
        try:
            if path.is_file():
                path.unlink()
                removed.append(path)
        except OSError:  # open in a PDF viewer on Windows
            stale.append(path)
    applied.removed, applied.stale = tuple(removed), tuple(stale)
    checkpoint("removed")
    try:
        write_json_durably(record_path(target_dir), {**journal.record, "schema": RECORD_SCHEMA})
        sync_folder(target_dir)
        checkpoint("recorded")
        journal_path(target_dir).unlink(missing_ok=True)
    except OSError as exc:
        raise PublishError(
            f"The new files are in place in {target_dir}, but the publish could not be "
            f"finished: {exc.strerror or exc}. The next build finishes it.",
            done,
        ) from None
    checkpoint("finished")
    shutil.rmtree(staging, ignore_errors=True)
    return applied


def _partial_message(target_dir: Path, done: list[str], left: list[str], exc: OSError) -> str:
    replaced = ", ".join(done) if done else "nothing"
    return (
        f"The build could not finish saving in {target_dir}: {exc.strerror or exc}. Replaced "
        f"so far: {replaced}. Not yet replaced: {', '.join(left)}. The new files are kept, and "
        "the next build puts them in place before it does anything else."
    )


def not_saved_message(target_dir: Path, exc: OSError) -> str:
    """What a failure to save says: exactly what was replaced (a PublishError knows)."""
    if isinstance(exc, PublishError):
        return str(exc)
    return (
        f"The paper could not be saved in {target_dir}: {exc.strerror or exc}. Nothing was "
        "replaced: the previous build's files are as they were."
    )


def earlier_file_matches(target_dir: Path, name: str, source_hash: str) -> str | None:
    """Whether the file ``name`` of an earlier build was made from content with ``source_hash``.

    Returns "" when it was (and the file is as the build left it), else the reason it cannot be
    kept, completing "it …"; None when there is no such file. So the PDF of an unchanged .docx
    is kept by a --no-pdf build.
    """
    path = Path(target_dir) / name
    if not path.is_file():
        return None
    record = read_record(record_path(target_dir))
    if record is None or name not in record.made_from:
        return "has no record of the Word document it was made from, so it may not match"
    if record.made_from[name] != source_hash:
        return "was made from an earlier Word document with other content"
    try:
        if sha256(path) != record.files.get(name):
            return "has been changed since the build that made it"
    except OSError:
        return "cannot be read"
    return ""


def _place(staged: Path, final: Path, retries: int, retry_delay: float) -> Path:
    """Move a staged file to its final name; if that stays locked, beside it under a new name."""
    for attempt in range(max(1, retries)):
        try:
            os.replace(staged, final)
            return final
        except PermissionError:
            if attempt + 1 < retries:
                time.sleep(retry_delay)
    # Neither file is lost: the old one stays (it is open), the new one goes beside it. An
    # earlier "(new)" copy is a superseded build of ours, so it is replaced when it can be.
    for number in range(1, MAX_DIVERSIONS + 1):
        label = "new" if number == 1 else f"new {number}"
        candidate = final.with_name(f"{final.stem} ({label}){final.suffix}")
        try:
            os.replace(staged, candidate)
            return candidate
        except PermissionError:
            continue
    raise PermissionError(
        13,
        f"'{final.name}' and {MAX_DIVERSIONS} alternatives are in use or read-only; close the "
        "documents in that folder",
    )
