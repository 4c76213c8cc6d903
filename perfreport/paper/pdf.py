"""Convert Word documents to tagged PDF with LibreOffice (soffice), one isolated run per build."""

from __future__ import annotations

import functools
import json
import os
import plistlib
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from perfreport.core.codes import finding
from perfreport.core.codes_outputs import PDF_ADVICE_FIX_SETTING, PDF_ADVICE_INSTALL
from perfreport.core.findings import Finding
from perfreport.paper.processes import (
    claim,
    clean_after_killed_runs,
    run_watched,
)

ENV_VAR = "PERFREPORT_SOFFICE"
# Said when only the PDF failed; a build that stops because of it leaves this sentence out.
DOCX_FINE = "The Word document (.docx) is fine."

# Filter options given as JSON on the command line arrived in LibreOffice 7.4; the PDF/UA option
# in 7.0. Older versions get the plain filter and the options through the profile's registry.
JSON_OPTIONS_SINCE = (7, 4)
PDF_UA_SINCE = (7, 0)

_MACOS_APP = "LibreOffice.app/Contents/MacOS/soffice"
_MACOS_FOLDERS = (Path("/Applications"), Path("~/Applications"))
_WINDOWS_PROGRAM_FOLDERS = ("ProgramFiles", "ProgramW6432", "ProgramFiles(x86)")
_VERSION_TIMEOUT = 30.0


class PdfError(Exception):
    """The PDF could not be made; the message says why and what to do, in plain English."""


class SofficeNotFound(PdfError):
    """LibreOffice is not installed (or not where perfreport looks): the build's warning."""

    def __init__(self, found: Finding):
        super().__init__(found.message)
        self.finding = found


def find_soffice() -> Path | None:
    """The LibreOffice program to use: $PERFREPORT_SOFFICE, then PATH, then the usual folders."""
    return next(_found_programs(), None)


def _found_programs() -> Iterator[Path]:
    configured = os.environ.get(ENV_VAR, "").strip()
    if configured:
        path = Path(configured).expanduser()
        # Accept the program itself or the folder it is in (or the install folder above it).
        for candidate in (
            path,
            path / "soffice",
            path / "soffice.exe",
            path / "program" / "soffice.exe",
            path / "program" / "soffice",
        ):
            if candidate.is_file():
                yield candidate
                return
        # A wrong setting is not silently replaced by another LibreOffice: it is reported.
        return
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            yield Path(found)
    for variable in _WINDOWS_PROGRAM_FOLDERS:
        folder = os.environ.get(variable)
        if folder:
            candidate = Path(folder) / "LibreOffice" / "program" / "soffice.exe"
            if candidate.is_file():
                yield candidate
    for folder in _MACOS_FOLDERS:
        try:
            candidate = folder.expanduser() / _MACOS_APP
        except RuntimeError:  # no home folder to expand "~" to
            continue
        if candidate.is_file():
            yield candidate


def not_found() -> Finding:
    """Why there is no PDF and how to get one, when LibreOffice cannot be found."""
    configured = os.environ.get(ENV_VAR, "").strip()
    if configured:
        why = f": {ENV_VAR} is set to '{configured}', but there is no LibreOffice program there"
        return finding("pdf-not-made", why=why, advice=PDF_ADVICE_FIX_SETTING)
    return finding(
        "pdf-not-made", why=" because LibreOffice is not installed", advice=PDF_ADVICE_INSTALL
    )


def soffice_version(path: Path) -> tuple[int, ...] | None:
    """The LibreOffice version of the program at ``path``, e.g. (7, 4, 7, 2); None if unknown."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        return None
    return _version(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=16)
def _version(path: str, _mtime_ns: int, _size: int) -> tuple[int, ...] | None:
    # The modification time and size are part of the cache key so an upgrade is noticed.
    program = Path(path)
    return _version_from_files(program) or _version_from_program(program)


def _version_from_files(program: Path) -> tuple[int, ...] | None:
    """Read the version without starting LibreOffice where the install records it in a file."""
    for ini in (program.parent / "version.ini", program.parent / "versionrc"):
        try:
            text = ini.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        match = re.search(r"^\s*(?:MsiProductVersion|ProductVersion)\s*=\s*([\d.]+)", text, re.M)
        if match:
            return _parse_version(match.group(1))
    plist = program.parent.parent / "Info.plist"  # macOS: Contents/MacOS/soffice
    if plist.is_file():
        try:
            info = plistlib.loads(plist.read_bytes())
            return _parse_version(str(info.get("CFBundleShortVersionString", "")))
        except (OSError, ValueError, plistlib.InvalidFileException):
            return None
    return None


def _version_from_program(program: Path) -> tuple[int, ...] | None:
    # On Windows soffice.exe is a windowed program that prints nothing; soffice.com prints.
    console = program.with_suffix(".com")
    if program.suffix.lower() == ".exe" and console.is_file():
        program = console
    with tempfile.TemporaryDirectory(
        prefix="perfreport-soffice-", ignore_cleanup_errors=True
    ) as tmp:
        work = Path(tmp)
        claim(work)
        (work / "home").mkdir()
        try:
            code, output = _run(
                [str(program), "--version"],
                env=_environment(work / "home"),
                timeout=_VERSION_TIMEOUT,
                log=work / "version.log",
            )
        except (OSError, PdfError):
            return None
    match = re.search(r"LibreOffice\s+(\d+(?:\.\d+)+)", output)
    return _parse_version(match.group(1)) if code == 0 and match else None


def _parse_version(text: str) -> tuple[int, ...] | None:
    parts = [p for p in text.strip().split(".") if p.isdigit()]
    return tuple(int(p) for p in parts) if parts else None


def export_options(version: tuple[int, ...] | None) -> dict[str, bool]:
    """The PDF export settings perfreport asks for: tagged, bookmarks from headings, no notes."""
    options = {
        "UseTaggedPDF": True,  # a structure tree for screen readers (WCAG 2.2 AA)
        "ExportBookmarks": True,  # the outline comes from the Word headings
        "ExportNotes": False,  # review comments never reach the published paper
        "DisplayPDFDocumentTitle": True,  # viewers show the title, not the file name
    }
    if version is not None and version >= PDF_UA_SINCE:
        options["PDFUACompliance"] = True
    return options


def pdf_filter(version: tuple[int, ...] | None) -> str:
    """The ``--convert-to`` argument: JSON options where LibreOffice accepts them (7.4 and later)."""
    if version is None or version < JSON_OPTIONS_SINCE:
        return "pdf:writer_pdf_Export"
    data = {
        name: {"type": "boolean", "value": "true" if value else "false"}
        for name, value in export_options(version).items()
    }
    return "pdf:writer_pdf_Export:" + json.dumps(data, separators=(",", ":"))


def convert_to_pdf(
    docx_paths: Sequence[Path], out_dir: Path, *, soffice: Path | None = None, timeout: float = 180
) -> list[Path]:
    """Convert each .docx to ``out_dir/<stem>.pdf`` with a single LibreOffice run; return the PDFs.

    LibreOffice runs with its own temporary profile, home and output folder, so concurrent
    conversions never share state, and is stopped (with everything it started) after ``timeout``
    seconds. A conversion counts as done only when a real PDF appears for every document:
    soffice exits 0 even when it could not load a document. Raises PdfError otherwise.
    """
    sources = [Path(p).resolve() for p in docx_paths]
    if not sources:
        return []
    stems = [s.stem.casefold() for s in sources]
    if len(set(stems)) != len(stems):
        raise ValueError(
            "documents converted together need different file names, got "
            + ", ".join(s.name for s in sources)
        )
    for source in sources:
        if not source.is_file():
            raise PdfError(f"Cannot make a PDF of '{source}': the file does not exist.")
    program = Path(soffice) if soffice is not None else find_soffice()
    if program is None:
        raise SofficeNotFound(not_found())
    version = soffice_version(program)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    clean_after_killed_runs()
    with tempfile.TemporaryDirectory(
        prefix="perfreport-soffice-", ignore_cleanup_errors=True
    ) as tmp:
        work = Path(tmp)
        claim(work)
        profile, home, produced = work / "profile", work / "home", work / "out"
        for folder in (home, produced):
            folder.mkdir()
        if version is None or version < JSON_OPTIONS_SINCE:
            _write_profile_options(profile, export_options(version))
        args = [
            str(program),
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            "--convert-to",
            pdf_filter(version),
            "--outdir",
            str(produced),
            *(str(s) for s in sources),
        ]
        try:
            code, output = _run(
                args, env=_environment(home), timeout=timeout, log=work / "soffice.log"
            )
        except OSError as exc:  # not a program, not executable, ...
            raise PdfError(
                f"LibreOffice could not be started from '{program}' "
                f"({exc.strerror or exc}). {DOCX_FINE} "
                f"Check {ENV_VAR}, or reinstall LibreOffice."
            ) from None
        failed = [s for s in sources if not _is_pdf(produced / f"{s.stem}.pdf")]
        if failed:
            raise PdfError(_failure_message(failed, code, output))
        return [_move(produced / f"{s.stem}.pdf", out_dir / f"{s.stem}.pdf") for s in sources]


def pdf_bytes(
    docx: bytes, name: str, *, soffice: Path | None = None, timeout: float = 180
) -> bytes:
    """The PDF of the .docx ``docx``, made as ``name``.pdf in a private temporary folder (which
    records its owner, so that a killed run's folder is removed by the next run)."""
    clean_after_killed_runs()  # LibreOffice and folders left by a build that was killed
    with tempfile.TemporaryDirectory(prefix="perfreport-pdf-", ignore_cleanup_errors=True) as tmp:
        claim(Path(tmp))
        source = Path(tmp) / f"{name}.docx"
        source.write_bytes(docx)
        (pdf,) = convert_to_pdf([source], Path(tmp) / "pdf", soffice=soffice, timeout=timeout)
        return pdf.read_bytes()


def _environment(home: Path) -> dict[str, str]:
    # LibreOffice exits 77, or waits for ever, when HOME is not a writable folder (a service
    # account, a locked-down desktop); it only needs a scratch one here.
    env = dict(os.environ)
    env["HOME"] = str(home)
    env.pop(ENV_VAR, None)
    return env


def _write_profile_options(profile: Path, options: dict[str, bool]) -> None:
    """Before 7.4 the export options can only come from the profile's registry."""
    items = "\n".join(
        '<item oor:path="/org.openoffice.Office.Common/Filter/PDF/Export">'
        f'<prop oor:name="{name}" oor:op="fuse"><value>{str(value).lower()}</value></prop></item>'
        for name, value in options.items()
    )
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        f"{items}\n</oor:items>\n",
        encoding="utf-8",
    )


def _run(args: list[str], *, env: dict[str, str], timeout: float, log: Path) -> tuple[int, str]:
    """Run a program with its output in a file; on timeout stop it and everything it started."""
    try:
        return run_watched(args, env=env, timeout=timeout, log=log)
    except subprocess.TimeoutExpired:
        raise PdfError(
            f"LibreOffice did not finish making the PDF within {timeout:g} seconds and was "
            f"stopped. {DOCX_FINE} Try again; if it keeps happening, "
            "open the .docx in Word or LibreOffice and save it as PDF by hand."
        ) from None


def _is_pdf(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(5) == b"%PDF-"
    except OSError:
        return False


def _move(source: Path, target: Path) -> Path:
    """Move within or across file systems; the target appears complete or not at all."""
    try:
        os.replace(source, target)
    except OSError:
        partial = target.with_name(f".{target.name}.part")
        try:
            shutil.copyfile(source, partial)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    return target


def _failure_message(failed: list[Path], code: int, output: str) -> str:
    names = ", ".join(f"'{p.name}'" for p in failed)
    said = " ".join(
        line.strip()
        for line in output.splitlines()
        if "error" in line.lower() and "javaldx" not in line
    )[:300]
    reason = f" LibreOffice said: '{said}'." if said else ""
    if code == 77:
        reason += " It stopped with exit code 77: it could not use its settings folder."
    elif code != 0:
        reason += f" It stopped with exit code {code}."
    return (
        f"LibreOffice did not produce a PDF for {names}.{reason} The Word document is "
        "unchanged: open it in Word or LibreOffice to check it, and save it as PDF by hand "
        "if needed."
    )
