"""Writing the workbooks perfreport hands out: byte-for-byte reproducible, never half-written."""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

# One fixed moment for every generated workbook's document properties and zip entries, so that
# generating the same forms twice gives identical files (and a diff shows only real changes).
FIXED_TIME = dt.datetime(2000, 1, 1, 0, 0, 0)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def workbook_bytes(workbook: Any) -> bytes:
    """The .xlsx bytes of an openpyxl workbook with fixed timestamps."""
    from openpyxl.writer.excel import ExcelWriter

    # openpyxl's save_workbook stamps "modified" with the current time; ExcelWriter does not.
    workbook.properties.created = FIXED_TIME
    workbook.properties.modified = FIXED_TIME
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()
    # zipfile stamps each entry with the current time: copy the entries with a fixed one.
    fixed = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(fixed, "w", zipfile.ZIP_DEFLATED) as out:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            out.writestr(info, source.read(entry.filename))
    return fixed.getvalue()


def write_atomically(path: Path, data: bytes) -> None:
    """Write beside the target and move into place, so a reader never sees a partial file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # The temporary name starts with a dot: the returns reader skips hidden files.
    handle, temp_name = tempfile.mkstemp(
        prefix=".~perfreport-", suffix=path.suffix, dir=path.parent
    )
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        # mkstemp makes the file readable by its owner only (0600); a form or export on a shared
        # drive must open for colleagues too, as any file the user saves would: honour the umask.
        os.chmod(temp, _new_file_mode())
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def _new_file_mode() -> int:
    """The mode a newly created file gets (0o666 less the umask, e.g. 0o644)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def write_new(path: Path, data: bytes) -> None:
    """Create ``path`` with ``data``; an existing file is never replaced (FileExistsError)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("xb") as stream:
        stream.write(data)
