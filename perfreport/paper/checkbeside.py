"""The main part of a rendered paper read for its check in a forked child while it is zipped."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from perfreport.core.forked import ForkedChild, can_fork, die_with_parent
from perfreport.paper.docxzip import ReadPart, read_main_part

# The check of a rendered paper (document.verify_document) parses every XML part of the .docx
# strictly: for a 100x paper, ~1.6 s for its 58 MB main part (~0.3 s when the body's writer
# looked for the required strings: docxzip.read_main_part), all in lxml's parser, which keeps
# Python's lock (a thread could not run beside the render). So a child forked once the body's
# pieces are final parses them while this process zips them; the check then takes its answer
# when the .docx holds those very bytes (their size and CRC-32), and parses the part itself when
# it does not, or when the child failed. A smaller main part is parsed here: forking would cost
# more than it saves.
BESIDE_FROM = 4 << 20  # bytes of the main part's pieces


class Reading(ForkedChild):
    """The child reading the main part: :meth:`result` waits for its answer (None: no answer)."""

    def result(self) -> ReadPart | None:
        try:
            answer = self._conn.recv()
        except (EOFError, OSError):
            answer = None
        self.close()
        return answer if isinstance(answer, ReadPart) else None


def read_beside(
    name: str,
    xml: Callable[[], Iterable[bytes]],
    wanted: list[str],
    size: int,
    missing: tuple[str, ...] | None = None,
) -> Reading | None:
    """Start reading the main part ``name`` (its pieces: ``xml()``, ``size`` bytes) as
    docxzip.read_main_part does (``missing``: what its body lacks of ``wanted``, when known),
    in a forked child; None where that is not worth it or not safe (the check reads the part in
    the .docx)."""
    if size < BESIDE_FROM or not can_fork():
        return None
    try:
        return Reading(_read, (name, xml, wanted, missing), "perfreport-check")
    except OSError:  # the fork refused (a process limit, no memory for the copy): read there
        return None


def _read(
    sender: Any,
    name: str,
    xml: Callable[[], Iterable[bytes]],
    wanted: list[str],
    missing: tuple[str, ...] | None,
) -> None:
    """In the child: read the part and send what was read; None when that failed."""
    die_with_parent()
    try:
        read: ReadPart | None = read_main_part(name, xml(), wanted, missing)
    except Exception:
        read = None
    try:
        sender.send(read)
    except OSError:  # the render has gone, or stopped waiting
        return
