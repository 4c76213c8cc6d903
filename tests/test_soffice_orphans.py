"""LibreOffice never outlives a killed build (issue 17, item 7): it dies with perfreport, and
whatever an earlier killed run left (processes recorded by id and start time, temporary
folders) is cleaned up by the next run."""

from __future__ import annotations

import ctypes
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from pdf_helpers import make_fake_program, make_sample_docx, process_is_gone

from perfreport.paper.processes import (
    JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE,
    OWNER_FILE,
    UNOWNED_AGE,
    clean_after_killed_runs,
    job_limit_information,
    process_start,
)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX process groups")

# A LibreOffice that starts a helper (as soffice starts oosplash and soffice.bin) and hangs.
HANGING = """
    if sys.argv[1:] == ["--version"]:
        print("LibreOffice 7.4.7.2 40(Build:2)")
        sys.exit(0)
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    with open(os.environ["FAKE_PID_FILE"], "w") as out:
        out.write(f"{os.getpid()} {child.pid}")
    time.sleep(120)
"""


def wait_for(condition, seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def test_libreoffice_dies_when_the_build_is_killed(tmp_path):
    fake = make_fake_program(tmp_path / "fake", "soffice", HANGING)
    (document,) = [make_sample_docx(tmp_path / "paper.docx")]
    pids = tmp_path / "pids"
    temp = tmp_path / "temp"
    temp.mkdir()
    script = textwrap.dedent(f"""
        from pathlib import Path
        from perfreport.paper.pdf import convert_to_pdf
        convert_to_pdf([Path({str(document)!r})], Path({str(tmp_path / "out")!r}),
                       soffice=Path({str(fake)!r}), timeout=300)
    """)
    env = {**os.environ, "FAKE_PID_FILE": str(pids), "TMPDIR": str(temp)}
    with subprocess.Popen([sys.executable, "-c", script], env=env) as build:
        assert wait_for(lambda: pids.exists() and len(pids.read_text().split()) == 2)
        soffice, helper = (int(p) for p in pids.read_text().split())
        build.kill()  # kill -9: perfreport cannot stop anything itself
        build.wait()
    # Before: both ran on for two minutes, and the temporary folder stayed.
    assert wait_for(lambda: process_is_gone(soffice) and process_is_gone(helper), 10)
    (left,) = [p.name for p in temp.iterdir()]
    assert left.startswith("perfreport-soffice-")
    # The next run removes the killed run's folder.
    assert [p.name for p in clean_after_killed_runs(temp)] == [left]
    assert list(temp.iterdir()) == []


def dead_process() -> dict:
    """The id and start time of a process that has ended."""
    done = subprocess.Popen([sys.executable, "-c", "pass"])
    started = process_start(done.pid)
    done.wait()
    return {"pid": done.pid, "started": started or "0"}


def sleeper() -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(120)"], start_new_session=True
    )


def leftover(temp: Path, name: str, owner: dict | None) -> Path:
    folder = temp / name
    (folder / "profile").mkdir(parents=True)
    if owner is not None:
        (folder / OWNER_FILE).write_text(json.dumps(owner), encoding="utf-8")
    return folder


def test_the_next_run_stops_a_killed_runs_libreoffice_and_removes_its_folders(tmp_path):
    orphan = sleeper()
    try:
        folder = leftover(
            tmp_path,
            "perfreport-soffice-k1ll3d",
            {
                **dead_process(),
                "processes": [{"pid": orphan.pid, "started": process_start(orphan.pid)}],
            },
        )
        pdf_folder = leftover(tmp_path, "perfreport-pdf-k1ll3d", dead_process())
        assert sorted(clean_after_killed_runs(tmp_path)) == sorted([folder, pdf_folder])
        assert orphan.wait(timeout=10) == -9
        assert not folder.exists() and not pdf_folder.exists()
    finally:
        orphan.kill()
        orphan.wait()


def test_a_running_build_and_a_reused_process_id_are_left_alone(tmp_path):
    stranger = sleeper()
    try:
        ours = leftover(
            tmp_path,
            "perfreport-soffice-running",
            {"pid": os.getpid(), "started": process_start(os.getpid())},
        )
        # The recorded process ended and its id now belongs to a stranger (another start time).
        reused = leftover(
            tmp_path,
            "perfreport-soffice-reused",
            {**dead_process(), "processes": [{"pid": stranger.pid, "started": "12345"}]},
        )
        fresh = leftover(tmp_path, "perfreport-pdf-justmade", None)  # owner not yet written
        other = leftover(tmp_path, "something-else", None)
        assert clean_after_killed_runs(tmp_path) == [reused]
        assert stranger.poll() is None  # still running
        assert ours.exists() and fresh.exists() and other.exists()
        # A folder with no owner record (perfreport 0.1 left them) goes once it is a day old.
        old = time.time() - UNOWNED_AGE - 60
        os.utime(fresh, (old, old))
        assert clean_after_killed_runs(tmp_path) == [fresh]
    finally:
        stranger.kill()
        stranger.wait()


def test_a_start_time_tells_one_process_from_another():
    assert process_start(os.getpid()) == process_start(os.getpid()) is not None
    assert process_start(dead_process()["pid"]) is None
    assert process_start(-1) is None


@pytest.mark.skipif(ctypes.sizeof(ctypes.c_void_p) != 8, reason="laid out as on 64-bit Windows")
def test_the_windows_job_limits_are_laid_out_as_windows_reads_them():
    """SetInformationJobObject refuses a structure of the wrong size, and a LimitFlags at the
    wrong offset would not set kill-on-close: the layout of winnt.h on 64-bit Windows."""
    extended = job_limit_information()
    assert ctypes.sizeof(extended) == 144
    basic = extended.BasicLimitInformation
    assert basic.offset == 0
    assert extended.IoInfo.offset == 64
    assert extended.ProcessMemoryLimit.offset == 112
    info = extended()
    info.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
    assert bytes(info)[16:20] == (0x2000).to_bytes(4, "little")
