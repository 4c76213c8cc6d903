"""The main document part's XML as the stream writes it: held packed until the .docx is zipped."""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterator

# The streamed body's XML waits for the end of the render before it goes into the .docx (the
# relationships part, zipped before it, is complete only then): ~58 MB for a 100x paper. Once a
# paper holds more than PACK_AFTER bytes of it, runs of finished pieces are packed with zlib at
# level 1 (about 14 times smaller, ~3 ms a MB each way); a smaller paper is held as it is.
PACK_AFTER = 8 << 20
RUN = 1 << 20


class Pieces:
    """Bytes in order. A piece may be left open (a table's grid, written at the table's end) or
    be marked (it holds link marks, replaced at the end); the others are final."""

    def __init__(self) -> None:
        self._items: list[bytes | None] = []
        self._packed: set[int] = set()  # the items packed with zlib
        self._run: list[bytes] = []  # final pieces not yet an item
        self._run_size = 0
        self._held = 0  # bytes added so far
        self._marked: list[int] = []  # the items holding marks

    def add(self, piece: bytes, marked: bool = False) -> None:
        self._held += len(piece)
        if marked:
            self._end_run()
            self._marked.append(len(self._items))
            self._items.append(piece)
            return
        self._run.append(piece)
        self._run_size += len(piece)
        if self._run_size >= RUN:
            self._end_run()

    def open(self) -> int:
        """A place for a piece written later, with :meth:`fill`."""
        self._end_run()
        self._items.append(None)
        return len(self._items) - 1

    def fill(self, place: int, piece: bytes) -> None:
        self._held += len(piece)
        self._items[place] = piece

    def replace_marks(self, replace: Callable[[bytes], bytes]) -> None:
        """Apply ``replace`` to each marked piece."""
        for at in self._marked:
            piece = self._items[at]
            assert piece is not None  # (marked pieces are added whole)
            self._items[at] = replace(piece)

    @property
    def held(self) -> int:
        """Bytes added so far."""
        return self._held

    def finish(self) -> None:
        """No more pieces: from here iterating changes nothing (a forked child may do it)."""
        self._end_run()

    def __iter__(self) -> Iterator[bytes]:
        self._end_run()
        for at, item in enumerate(self._items):
            if item is not None:
                yield zlib.decompress(item) if at in self._packed else item

    def _end_run(self) -> None:
        if not self._run:
            return
        data = b"".join(self._run)
        self._run, self._run_size = [], 0
        if self._held > PACK_AFTER:
            self._packed.add(len(self._items))
            data = zlib.compress(data, 1)
        self._items.append(data)
