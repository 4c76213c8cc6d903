"""One build at a time per project and period; a killed run never leaves the lock behind."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from perfreport.publish.locking import RunLocked, lock_path, period_lock

# Another run in its own process: takes the lock, says so, holds it until told to stop.
HOLDER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from perfreport.publish.locking import period_lock

    with period_lock(Path(sys.argv[1]), sys.argv[2]):
        print("locked", flush=True)
        sys.stdin.readline()
    print("released", flush=True)
""")


def start_holder(project: Path, period_key: str = "Q2-2024") -> subprocess.Popen:
    run = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(project), period_key],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert run.stdout.readline() == "locked\n"
    return run


def test_holds_the_lock_and_names_this_run_in_a_note_beside_it(tmp_path):
    with period_lock(tmp_path, "Q2-2024") as path:
        assert path == tmp_path / "build" / ".Q2-2024.lock"
        note = json.loads(path.with_name(".Q2-2024.lock.json").read_text(encoding="utf-8"))
        assert note["pid"] == os.getpid()
        assert note["host"] == socket.gethostname()
        assert note["period"] == "Q2-2024"
    assert not path.with_name(".Q2-2024.lock.json").exists()
    with period_lock(tmp_path, "Q2-2024"):
        pass  # free again


def test_refuses_a_second_run_at_once_naming_the_first(tmp_path):
    with start_holder(tmp_path) as first:
        try:
            started = time.monotonic()
            with pytest.raises(RunLocked) as error, period_lock(tmp_path, "Q2-2024"):
                pass
            assert time.monotonic() - started < 5
        finally:
            first.stdin.write("stop\n")
            first.stdin.flush()
            first.wait(30)
    message = str(error.value)
    assert message.startswith(
        "Another perfreport run is already building Q2-2024 for this "
        f"project (process {first.pid} on {socket.gethostname()}, started "
    )
    assert message.endswith("). Let it finish, then run again.")
    assert error.value.holder["pid"] == first.pid
    assert error.value.lock_path == tmp_path / "build" / ".Q2-2024.lock"


def test_waits_for_the_first_run_to_finish_when_asked(tmp_path):
    with start_holder(tmp_path) as first:

        def stop_first_soon() -> None:
            time.sleep(1.0)
            first.stdin.write("stop\n")
            first.stdin.flush()

        stopper = threading.Thread(target=stop_first_soon)
        started = time.monotonic()
        stopper.start()
        with period_lock(tmp_path, "Q2-2024", wait=30):
            waited = time.monotonic() - started
            assert first.stdout.readline() == "released\n"
        stopper.join()
        first.wait(30)
    assert 0.9 <= waited < 30


def test_gives_up_after_the_wait_and_says_so(tmp_path):
    with start_holder(tmp_path) as first:
        try:
            started = time.monotonic()
            with (
                pytest.raises(RunLocked, match="after waiting 0.5 seconds"),
                period_lock(tmp_path, "Q2-2024", wait=0.5),
            ):
                pass
            assert 0.4 <= time.monotonic() - started < 10
        finally:
            first.stdin.write("stop\n")
            first.stdin.flush()
            first.wait(30)


def test_leaves_no_stale_lock_when_a_run_is_killed(tmp_path):
    with start_holder(tmp_path) as first:
        first.kill()  # SIGKILL on POSIX, TerminateProcess on Windows: no clean-up code runs
        first.wait(30)
    note = tmp_path / "build" / ".Q2-2024.lock.json"
    assert json.loads(note.read_text(encoding="utf-8"))["pid"] == first.pid  # left behind
    with period_lock(tmp_path, "Q2-2024", wait=0):
        assert json.loads(note.read_text(encoding="utf-8"))["pid"] == os.getpid()


def test_locks_each_period_separately(tmp_path):
    with start_holder(tmp_path, "Q2-2024") as first:
        try:
            with period_lock(tmp_path, "Q3-2024"):
                pass
        finally:
            first.stdin.write("stop\n")
            first.stdin.flush()
            first.wait(30)


def test_puts_the_lock_where_it_is_told(tmp_path):
    with period_lock(tmp_path / "project", "Q2-2024", lock_dir=tmp_path / "locks") as path:
        assert path == tmp_path / "locks" / ".Q2-2024.lock"
        assert path.exists()
    assert not (tmp_path / "project").exists()


@pytest.mark.parametrize("key", ["", "../Q2-2024", "Q2 2024", "Q2/2024", ".Q2-2024"])
def test_rejects_a_period_key_that_is_not_a_plain_name(tmp_path, key):
    with pytest.raises(ValueError, match="a period key must be"):
        lock_path(tmp_path, key)
