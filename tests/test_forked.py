"""Files made in a forked process: the same bytes as made here, and None (made here) whenever
the child cannot make them; a build whose export is made there publishes the same files."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest
from buildfactory import copy_example
from test_chart_worker import run_fresh

from perfreport.core import forked

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the child is forked: Linux only"
)


@pytest.fixture
def one_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """pytest's process may hold other threads (a timeout's watchdog): the children made here
    touch no lock, so forking is safe for these tests whatever the count."""
    monkeypatch.setattr(forked, "can_fork", lambda: True)


def big_files() -> dict[str, bytes]:
    return {"dataset.json": bytes(range(256)) * 40_000, "empty.csv": b"", "é.txt": "é".encode()}


def test_the_child_sends_every_file_whole_and_in_order(one_thread: None) -> None:
    started = forked.fork_files(big_files)
    assert started is not None
    files = started.result()
    assert files == big_files()
    assert list(files or {}) == ["dataset.json", "empty.csv", "é.txt"]
    assert started._process.exitcode == 0


def niceness() -> dict[str, bytes]:
    return {"nice": str(os.nice(0)).encode()}


def test_the_child_yields_the_cores_to_the_build(one_thread: None) -> None:
    started = forked.fork_files(niceness)
    assert started is not None
    files = started.result()
    assert files is not None
    assert int(files["nice"]) == min(os.nice(0) + forked.NICENESS, 19)


def fails() -> dict[str, bytes]:
    raise ValueError("no export")


def dies() -> dict[str, bytes]:
    os._exit(7)


def sends_something_else() -> dict[str, bytes]:
    return {"a.txt": "text, not bytes"}  # type: ignore[dict-item]


@pytest.mark.parametrize("make", [fails, dies, sends_something_else])
def test_no_files_when_the_child_fails_dies_or_cannot_send(one_thread: None, make) -> None:
    started = forked.fork_files(make)
    assert started is not None
    assert started.result() is None
    assert not started._process.is_alive()


def test_a_child_still_at_work_is_stopped_when_the_caller_lets_it_go(one_thread: None) -> None:
    started = forked.fork_files(lambda: time.sleep(600) or {})  # type: ignore[func-returns-value]
    assert started is not None
    began = time.monotonic()
    started.close()
    assert time.monotonic() - began < 30
    assert started._process.exitcode is not None and started._process.exitcode < 0  # killed
    started.close()  # twice is harmless


def test_nothing_is_forked_where_it_is_not_safe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    assert not forked.can_fork()
    assert forked.fork_files(big_files) is None


@pytest.mark.slow
def test_a_build_whose_export_is_made_in_a_child_publishes_the_same_files(
    tmp_path: Path,
) -> None:
    # In a new interpreter (one thread, as the command runs): built with the export made in a
    # forked child (every paper counted as large), then with it made in the build's process.
    project = copy_example("somerset", tmp_path / "somerset")
    lines = run_fresh(
        f"""
        import hashlib, os, shutil
        from pathlib import Path
        from perfreport import build
        from perfreport.build import PdfMode, build_paper
        from perfreport.core import forked
        from perfreport.core.periods import Period
        from perfreport.core.project import load_project

        root = Path({str(project.root)!r})
        answers = []
        result = forked.ForkedFiles.result

        def spy(self):
            files = result(self)
            answers.append(None if files is None else sorted(files))
            return files

        def digests(result):
            assert result.published, result.reason
            return sorted(
                (p.name, hashlib.sha256(p.read_bytes()).hexdigest())
                for p in result.outputs.values()
            )

        if __name__ == "__main__":
            forked.ForkedFiles.result = spy
            build.EARLY_EXPORT_BELOW = 0
            there = digests(build_paper(load_project(root), Period(2024, 2), pdf=PdfMode.OFF))
            shutil.rmtree(root / "build")
            build.EARLY_EXPORT_BELOW = 10**9
            here = digests(build_paper(load_project(root), Period(2024, 2), pdf=PdfMode.OFF))
            print(here == there, len(here))
            print(answers)
        """,
        tmp_path,
        NO_COLOR="1",
    )
    assert lines == ["True 5", "[['dataset.csv', 'dataset.json']]"]


@pytest.mark.slow
def test_a_build_makes_its_export_itself_when_the_child_fails(tmp_path: Path) -> None:
    project = copy_example("somerset", tmp_path / "somerset")
    lines = run_fresh(
        f"""
        import json, os
        from perfreport import build
        from perfreport.build import PdfMode, build_paper
        from perfreport.core.periods import Period
        from perfreport.core.project import load_project

        parent = os.getpid()
        make = build._data_files

        def only_here(summary):
            if os.getpid() != parent:
                raise MemoryError("the child ran out")
            return make(summary)

        if __name__ == "__main__":
            build.EARLY_EXPORT_BELOW = 0
            build._data_files = only_here
            result = build_paper(load_project({str(project.root)!r}), Period(2024, 2),
                                 pdf=PdfMode.OFF)
            print(result.published)
            data = json.loads(result.outputs["dataset.json"].read_text(encoding="utf-8"))
            print(len(data["indicators"]))
        """,
        tmp_path,
    )
    assert lines == ["True", "114"]


def _interrupted(sender: object) -> None:
    raise KeyboardInterrupt


def _failed(sender: object) -> None:
    raise ValueError("a real failure")


def test_a_child_stopped_by_ctrl_c_ends_without_a_traceback(
    one_thread: None, capfd: pytest.CaptureFixture
) -> None:
    child = forked.ForkedChild(_interrupted, (), "perfreport-test")
    child._process.join(30)
    assert child._process.exitcode == 130
    assert "Traceback" not in capfd.readouterr().err
    child.close()
    # Any other failure still shows where it happened.
    child = forked.ForkedChild(_failed, (), "perfreport-test")
    child._process.join(30)
    assert child._process.exitcode == 1
    assert "ValueError: a real failure" in capfd.readouterr().err
    child.close()


def test_a_helper_of_the_drawing_process_leaves_ctrl_c_to_it(tmp_path: Path) -> None:
    import signal

    # Started as from a terminal: a process started in the background (a shell's `&`, some
    # schedulers) inherits Ctrl-C ignored already, which would say nothing about the call.
    code = """
        import signal
        signal.signal(signal.SIGINT, signal.default_int_handler)
        from perfreport.core.forked import die_with_parent_quietly
        print(signal.getsignal(signal.SIGINT) is signal.SIG_IGN)
        die_with_parent_quietly()
        print(signal.getsignal(signal.SIGINT) is signal.SIG_IGN)
    """
    before = signal.getsignal(signal.SIGINT)
    assert run_fresh(code, tmp_path)[-2:] == ["False", "True"]
    assert signal.getsignal(signal.SIGINT) is before  # only where it is called
