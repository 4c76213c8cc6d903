"""File names that Windows, macOS and Linux all accept, made from titles and service names."""

from __future__ import annotations

import re
from pathlib import Path

# What a returns folder is read for (inputs.dataset lists them; the rating stage asks only
# whether a folder holds any, without reading them).
RETURN_SUFFIXES = frozenset({".xlsx", ".xlsm"})
# Excel's owner (lock) file of an open workbook: "~$Housing return.xlsx" beside "Housing return.xlsx".
OWNER_PREFIX = "~$"
# Names a returns folder's listing passes over: Excel's ~$ owner files and hidden dot-files.
SKIPPED_PREFIXES = (OWNER_PREFIX, ".")

# Characters Windows refuses in a file name (/ is refused everywhere), and control characters.
_UNSAFE = re.compile(r'[/\\:*?"<>|\x00-\x1f]+')


def safe_file_name(text: str, fallback: str) -> str:
    """``text`` with each run of unsafe characters as "-", spaces collapsed, and no leading or
    trailing space or dot (Windows drops them): "Legal/Democratic." gives "Legal-Democratic".
    ``fallback`` when nothing is left."""
    cleaned = " ".join(_UNSAFE.sub("-", text).split()).strip(" .")
    return cleaned or fallback


def is_return_name(name: str) -> bool:
    """Whether a returns folder's file of this name is a return to read, by its name alone:
    a workbook's suffix, and not Excel's ~$ owner file or a hidden dot-file."""
    return not name.startswith(SKIPPED_PREFIXES) and Path(name).suffix.lower() in RETURN_SUFFIXES


def owned_workbook(name: str) -> str | None:
    """The name of the workbook that Excel's owner file ``name`` stands for ("~$Housing
    return.xlsx" gives "Housing return.xlsx"), or None when ``name`` is not an owner file: the
    rule by which a returns folder's listing skips them (SKIPPED_PREFIXES)."""
    return name.removeprefix(OWNER_PREFIX) if name.startswith(OWNER_PREFIX) else None


def command_argument(name: str) -> str:
    """``name`` as typed after a command (a file in the advice of imported-dataset-unreadable
    and imported-rating-differs, the folder after cd in init's): in double quotes when it holds
    a space or a character that a Windows or other shell would take otherwise."""
    return f'"{name}"' if re.search(r"[\s&|<>()^;'`$]", name) else name


def matplotlib_dir(root: Path) -> Path:
    """matplotlib's settings and font cache folder for the project at ``root``'s drawing process
    (MPLCONFIGDIR, when it is not set and the home folder cannot be written), beside the chart
    cache. Here, not in the build: the console script asks before it imports anything else."""
    return Path(root) / "build" / ".cache" / "matplotlib"
