"""Files of a build written ahead of its publish, into the staging folder the publish commits."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path

from perfreport.publish.journal import write_durably


def staging_prefix(target_dir: Path) -> str:
    """Staging folders for ``build/Q2-2024`` are ``build/.Q2-2024.tmp-<random>``."""
    return f".{Path(target_dir).name}.tmp-"


def sha256(content: bytes | Path) -> str:
    """The SHA-256 of some bytes, or of a file's content."""
    if isinstance(content, bytes | bytearray | memoryview):
        return hashlib.sha256(content).hexdigest()
    digest = hashlib.sha256()
    with open(content, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def check_name(name: str) -> None:
    """Refuse a name that is not a plain, visible file name (it could leave the folder)."""
    if (
        not name
        or name in (".", "..")
        or "/" in name
        or "\\" in name
        or "\0" in name
        or name.startswith(".")
    ):
        raise ValueError(f"an output name must be a plain, visible file name, got {name!r}")


class Staging:
    """Some of a build's files written and flushed to disk early (while its paper is checked),
    into a staging folder that publish.outputs.write_outputs (``staged=``)
    then commits with the rest. Until then nothing is published: a failed build discards it,
    and a killed one's folder is removed by the next build, as any staging folder is."""

    def __init__(self, target_dir: Path) -> None:
        self.target_dir = Path(target_dir)
        self._folder: Path | None = None
        self._written: dict[str, tuple[bytes, str]] = {}  # name -> content, SHA-256
        self._writing: threading.Thread | None = None

    def write(self, files: Mapping[str, bytes]) -> None:
        """Write ``files`` in a thread: writing and flushing to disk mostly waits for the disk
        (and hashing lets go of Python's lock), so this process goes on meanwhile. Once one
        fails, nothing is staged: the publish writes them all, and says what failed."""
        self._join()
        self._writing = threading.Thread(
            target=self._write_all, args=(dict(files),), name="perfreport-staging", daemon=True
        )
        self._writing.start()

    def _write_all(self, files: dict[str, bytes]) -> None:
        try:
            for name, content in files.items():
                self.add(name, content)
        except Exception:  # noqa: BLE001 - whatever it is, the publish writes them all
            # (a full disk, a name refused, no memory): no traceback from this thread, and no
            # half-filled folder handed over
            self._remove()

    def add(self, name: str, content: bytes) -> None:
        """Write ``content`` as ``name`` (the staging folder is made at the first)."""
        check_name(name)
        if self._folder is None:
            parent = self.target_dir.parent
            parent.mkdir(parents=True, exist_ok=True)
            prefix = staging_prefix(self.target_dir)
            self._folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
        path = self._folder / name
        path.unlink(missing_ok=True)
        write_durably(path, content)
        self._written[name] = (content, sha256(content))

    def take(self) -> tuple[Path | None, dict[str, tuple[bytes, str]]]:
        """The folder (None: nothing was written) and what is in it, handed over to the
        publish: from here the folder is the publish's to commit or to remove."""
        self._join()
        taken = (self._folder, self._written)
        self._folder, self._written = None, {}
        return taken

    def discard(self) -> None:
        """Remove what was written (the build failed, or publishes otherwise)."""
        self._join()
        self._remove()

    def _join(self) -> None:
        if self._writing is not None:
            self._writing.join()
            self._writing = None

    def _remove(self) -> None:
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
        self._folder, self._written = None, {}
