"""LibreOffice's processes and folders: they die with perfreport, and a killed run's are cleaned up."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# Why: a build killed with kill -9 (or a power cut of the scheduler's session) cannot stop what
# it started, and LibreOffice went on running, holding its temporary folders.
#
# 1. On POSIX, soffice runs under a small watchdog, in a session of its own. The watchdog reads a
#    pipe from perfreport: when perfreport ends, however it ends, the system closes the pipe, and
#    the watchdog kills the whole session's process group (soffice, oosplash, soffice.bin).
# 2. Everywhere, each temporary folder records its owner (process id and start time) and the
#    process group it started. Every PDF run first looks for folders whose owner is gone, kills
#    the processes recorded there if they are still the same processes (same start time, so a
#    reused process id is never killed), and removes the folders.
# 3. On Windows, soffice is put in a job object that kills everything in it when its last handle
#    closes: perfreport holds that handle, so the system closes it when perfreport dies, however
#    it dies. (soffice.exe could start soffice.bin in the moment before it joins the job; the
#    cleanup of point 2 is the backstop for that.)
PREFIXES = ("perfreport-pdf-", "perfreport-soffice-")
OWNER_FILE = ".perfreport-owner.json"
UNOWNED_AGE = 24 * 3600  # a folder with no owner record (perfreport 0.1) is removed after a day

START_FAILED = "perfreport-watchdog: cannot start: "
WATCHDOG = (
    f"MARK = {START_FAILED!r}\n"
    + """
import os, select, signal, subprocess, sys
try:
    child = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL)
except OSError as exc:
    print(f"{MARK}{exc.errno or 0}:{exc.strerror or exc}", flush=True)
    sys.exit(126)
while True:
    try:
        ready = select.select([0], [], [], 0.2)[0]
    except InterruptedError:
        continue
    if ready and not os.read(0, 1):
        os.killpg(0, signal.SIGKILL)  # perfreport has gone: so does everything in this group
    code = child.poll()
    if code is not None:
        sys.exit(code)
"""
)


def process_start(pid: int) -> str | None:
    """An opaque token for when process ``pid`` started, or None if there is no such process.

    Two processes with one id never have the same token, so a record can tell its process from
    a later one that was given the same id.
    """
    if pid <= 0:
        return None
    if sys.platform.startswith("linux"):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
        except OSError:
            return None
        fields = stat.rsplit(")", 1)[-1].split()
        # Field 22 (start time), counted from field 3 after the command name; a zombie is gone.
        return None if len(fields) < 20 or fields[0] == "Z" else fields[19]
    if sys.platform == "win32":
        return _windows_start(pid)
    try:
        result = subprocess.run(
            ["ps", "-o", "lstart=", "-p", str(pid)],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() or None


def _windows_start(pid: int) -> str | None:  # pragma: no cover - Windows only
    import ctypes
    from ctypes import wintypes

    kernel = ctypes.windll.kernel32
    handle = kernel.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return None
    try:
        times = [wintypes.FILETIME() for _ in range(4)]
        if not kernel.GetProcessTimes(handle, *(ctypes.byref(t) for t in times)):
            return None
        created, _, _, _ = times
        exit_code = wintypes.DWORD()
        if kernel.GetExitCodeProcess(handle, ctypes.byref(exit_code)) and exit_code.value != 259:
            return None  # 259 is STILL_ACTIVE: anything else has ended
        return str((created.dwHighDateTime << 32) | created.dwLowDateTime)
    finally:
        kernel.CloseHandle(handle)


def claim(folder: Path) -> None:
    """Record this process as the owner of the temporary ``folder``."""
    _write_owner(folder, {"pid": os.getpid(), "started": process_start(os.getpid())})


def record_process(folder: Path, pid: int) -> None:
    """Record a process group started for ``folder`` (its leader's id and start time)."""
    owner = _read_owner(folder) or {"pid": os.getpid(), "started": process_start(os.getpid())}
    started = owner.get("processes")
    processes = started if isinstance(started, list) else []
    processes.append({"pid": pid, "started": process_start(pid)})
    _write_owner(folder, {**owner, "processes": processes})


def _write_owner(folder: Path, data: dict) -> None:
    partial = folder / (OWNER_FILE + ".tmp")
    with contextlib.suppress(OSError):
        partial.write_text(json.dumps(data), encoding="utf-8")
        os.replace(partial, folder / OWNER_FILE)


def _read_owner(folder: Path) -> dict | None:
    try:
        data = json.loads((folder / OWNER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _alive(entry: object) -> bool:
    """True when the recorded process is still the one that was recorded."""
    if not isinstance(entry, dict) or not isinstance(entry.get("pid"), int):
        return False
    started = entry.get("started")
    return started is not None and process_start(entry["pid"]) == started


def clean_after_killed_runs(temp_dir: Path | None = None) -> list[Path]:
    """Stop the LibreOffice processes of runs that were killed, and remove their temporary
    folders. Folders of runs still going are left alone. Returns the folders removed."""
    base = Path(temp_dir) if temp_dir is not None else Path(tempfile.gettempdir())
    removed: list[Path] = []
    try:
        entries = sorted(base.iterdir())
    except OSError:
        return removed
    for folder in entries:
        if not folder.name.startswith(PREFIXES) or folder.is_symlink() or not folder.is_dir():
            continue
        with contextlib.suppress(OSError):
            if hasattr(os, "getuid") and folder.stat().st_uid != os.getuid():
                continue  # another user's run: not ours to judge
            owner = _read_owner(folder)
            if owner is None:
                if time.time() - folder.stat().st_mtime < UNOWNED_AGE:
                    continue  # just created, owner not yet written; or left by perfreport 0.1
            elif _alive(owner):
                continue
            else:
                for entry in owner.get("processes") or []:
                    if _alive(entry):
                        _kill_group(entry["pid"])
            _kill_processes_using(folder)
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _kill_group(pid: int) -> None:
    if sys.platform == "win32":  # pragma: no cover - Windows only
        subprocess.run(
            ["taskkill", "/F", "/T", "/PID", str(pid)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        return
    with contextlib.suppress(OSError):
        os.killpg(pid, signal.SIGKILL)  # started as a session leader: its group is its id


def _kill_processes_using(folder: Path) -> None:
    """Linux: a process whose command line names the folder (soffice.bin names its profile
    there) is the killed run's, even when its group leader has gone."""
    if not sys.platform.startswith("linux"):
        return
    needle = str(folder).encode()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        with contextlib.suppress(OSError):
            if needle in (proc / "cmdline").read_bytes():
                os.kill(int(proc.name), signal.SIGKILL)


def run_watched(
    args: list[str], *, env: dict[str, str], timeout: float, log: Path
) -> tuple[int, str]:
    """Run a program with its output in ``log``, recorded in ``log``'s folder (see claim); on
    timeout stop it and everything it started and raise subprocess.TimeoutExpired."""
    # Output goes to a file, not a pipe: a stray child holding a pipe open would block reading.
    with open(log, "wb") as out:
        if sys.platform == "win32":
            process = subprocess.Popen(
                args,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                creationflags=subprocess.CREATE_NEW_PROCESS_GROUP,
            )
            job = _windows_job(process)
        else:
            job = None
            # A session of its own, so the whole tree (watchdog -> soffice -> oosplash ->
            # soffice.bin) can be stopped at once; the watchdog stops it if perfreport dies.
            process = subprocess.Popen(
                watched(args),
                stdin=subprocess.PIPE,
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )
        record_process(log.parent, process.pid)
        try:
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_tree(process)
            raise
        finally:
            if process.stdin is not None:
                process.stdin.close()  # the watchdog's pipe: its program has finished
            if job is not None:  # pragma: no cover - Windows only
                _close_handle(job)  # ends anything of this run's still in the job
    output = log.read_text(encoding="utf-8", errors="replace")
    failure = start_failure(code, output)
    if failure is not None:
        raise failure
    return code, output


def _kill_tree(process: subprocess.Popen) -> None:
    if sys.platform == "win32":
        subprocess.run(
            ["taskkill", "/F", "/T", "/PID", str(process.pid)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
    else:
        # The group is still ours: its leader has not been waited for, so its id is not reused.
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    try:
        process.kill()
    except OSError:
        pass
    process.wait()


def start_failure(code: int, output: str) -> OSError | None:
    """The error starting the program under the watchdog, as Popen would have raised it."""
    if code != 126 or not output.startswith(START_FAILED):
        return None
    number, _, reason = output[len(START_FAILED) :].partition(":")
    return OSError(int(number) if number.isdigit() else 0, reason.strip())


def watched(args: list[str]) -> list[str]:
    """``args`` run under the watchdog (POSIX): give it a pipe on stdin and keep the pipe open
    while the program may run; the program and everything it starts die when the pipe closes."""
    if sys.platform == "win32":
        return args
    return [sys.executable, "-c", WATCHDOG, *args]


JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE = 0x2000
JOB_OBJECT_EXTENDED_LIMIT_INFORMATION_CLASS = 9  # JobObjectExtendedLimitInformation


def job_limit_information() -> type:
    """JOBOBJECT_EXTENDED_LIMIT_INFORMATION as a ctypes structure (144 bytes on 64-bit Windows)."""
    import ctypes

    class Basic(ctypes.Structure):
        _fields_ = [
            ("PerProcessUserTimeLimit", ctypes.c_int64),
            ("PerJobUserTimeLimit", ctypes.c_int64),
            ("LimitFlags", ctypes.c_uint32),
            ("MinimumWorkingSetSize", ctypes.c_size_t),
            ("MaximumWorkingSetSize", ctypes.c_size_t),
            ("ActiveProcessLimit", ctypes.c_uint32),
            ("Affinity", ctypes.c_size_t),
            ("PriorityClass", ctypes.c_uint32),
            ("SchedulingClass", ctypes.c_uint32),
        ]

    class Counters(ctypes.Structure):
        _fields_ = [
            (name, ctypes.c_uint64)
            for name in ("Read", "Write", "Other", "ReadBytes", "WriteBytes", "OtherBytes")
        ]

    class Extended(ctypes.Structure):
        _fields_ = [
            ("BasicLimitInformation", Basic),
            ("IoInfo", Counters),
            ("ProcessMemoryLimit", ctypes.c_size_t),
            ("JobMemoryLimit", ctypes.c_size_t),
            ("PeakProcessMemoryUsed", ctypes.c_size_t),
            ("PeakJobMemoryUsed", ctypes.c_size_t),
        ]

    return Extended


def _windows_job(process: subprocess.Popen) -> int | None:  # pragma: no cover - Windows only
    """A job object holding ``process``, set to kill all it holds when its handle closes; None
    where the system refuses one (the next run's cleanup still applies)."""
    import ctypes

    kernel = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel.CreateJobObjectW.restype = ctypes.c_void_p
    job = kernel.CreateJobObjectW(None, None)
    if not job:
        return None
    info = job_limit_information()()
    info.BasicLimitInformation.LimitFlags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
    handle = ctypes.c_void_p(int(process._handle))  # Popen keeps the process handle here
    if not (
        kernel.SetInformationJobObject(
            ctypes.c_void_p(job),
            JOB_OBJECT_EXTENDED_LIMIT_INFORMATION_CLASS,
            ctypes.byref(info),
            ctypes.sizeof(info),
        )
        and kernel.AssignProcessToJobObject(ctypes.c_void_p(job), handle)
    ):
        _close_handle(job)
        return None
    return job


def _close_handle(handle: int) -> None:  # pragma: no cover - Windows only
    import ctypes

    ctypes.WinDLL("kernel32").CloseHandle(ctypes.c_void_p(handle))
