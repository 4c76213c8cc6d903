"""The installed versions of the libraries a cached result depends on, read without importing them."""

from __future__ import annotations

import functools
import os
import re
import sys

# Why not importlib.metadata: importing it costs ~0.04 s of a cold run (email, zipfile, csv...),
# on a 1x build's path, to learn a few versions. The version it reports is the one in the name of
# the first `<name>-<version>.dist-info` folder on sys.path, which is what this reads: one listing
# of each folder on sys.path (~0.2 ms for a site-packages), the same answer (tests/test_versions.py).
_DIST_INFO = re.compile(r"^(?P<name>[^-]+)-(?P<version>[^-]+)\.dist-info$", re.IGNORECASE)


def _normal(name: str) -> str:
    """A distribution's name as packaging compares it (PEP 503): Pillow, pillow and PIL-low alike."""
    return re.sub(r"[-_.]+", "-", name).lower()


@functools.cache
def _installed() -> dict[str, str]:
    """Every distribution's version by its normalised name: the first found on sys.path wins."""
    found: dict[str, str] = {}
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:  # a zip, or a folder that is not there: nothing installed in it for us
            continue
        for entry in names:
            match = _DIST_INFO.match(entry)
            if match is not None:
                found.setdefault(_normal(match["name"]), match["version"])
    return found


def installed_version(name: str) -> str:
    """``name``'s installed version ("3.1.5"), or "not installed"."""
    version = _installed().get(_normal(name))
    if version is None:  # installed some other way (an .egg-info): ask the standard library
        from importlib.metadata import PackageNotFoundError
        from importlib.metadata import version as metadata_version

        try:
            return metadata_version(name)
        except PackageNotFoundError:
            return "not installed"
    return version


def library_versions(*names: str) -> str:
    """A key part naming each library and its installed version: "openpyxl 3.1.5|lxml 6.1.3".
    A cached result made under other versions then has another key, so an upgrade never reuses
    what the old library produced."""
    return "|".join(f"{name} {installed_version(name)}" for name in names)


def forget() -> None:
    """Read the versions afresh next time (after an install in this process; tests)."""
    _installed.cache_clear()
