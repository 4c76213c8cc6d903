"""The main document part's XML as the stream writes it: held packed until the .docx is zipped."""

from __future__ import annotations

import queue
import threading
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

# The streamed body's XML waits for the end of the render before it goes into the .docx (the
# relationships part, zipped before it, is complete only then): ~58 MB for a 100x paper. Once
# more than PACK_AFTER bytes of it wait, runs of finished pieces are packed with zlib at level 1
# (about 14 times smaller, ~3 ms a MB each way); a smaller paper is held as it is. (Pieces being
# deflated as they come, below, wait only behind an open place or a marked piece: a 100x
# paper's tables, each waiting for its grid, were packed and unpacked there while the part was
# 8 MB or more into its writing, ~0.14 s CPU on the render's longest path.)
PACK_AFTER = 8 << 20
RUN = 1 << 20

# Or, once asked (:meth:`Pieces.deflate`: the body's forked writer, paper.bodybeside), the pieces
# are deflated as they become final into the very stream the .docx's entry holds (zipfile's raw
# deflate at zlib's default level), after the part's beginning. Why: for a 100x paper the pieces
# were packed at level 1 there (~0.16 s CPU), unpacked in the check's child (~0.06 s) and here,
# and deflated here at level 6 to be zipped (~0.41 s): ~0.62 s; now they are deflated once there
# (~0.35 s with the CRC-32), zipped as they are (docxzip.write_package) and inflated for the
# check (~0.04 s): ~0.39 s, and ~0.4 s less here after the body. zlib's stream is the same
# however its input is cut, so the .docx is too (tests/test_xmlpieces.py, test_bodybeside.py).
_LEVEL = zlib.Z_DEFAULT_COMPRESSION  # zipfile's, when no level is given
_RAW = -15  # zipfile's window bits: a raw deflate stream, no zlib header
# The deflate runs in a thread of its own (_Deflater), given the bytes in batches of BATCH or
# more: zlib lets go of the GIL while it deflates, so it runs on the other core beside the
# writer's lxml work (the render's longest path: ~0.3 s of a 100x paper's body child, ~0.03 s
# at 10x). Few large batches, because the thread waits for the GIL to take each one (the writer
# holds it in lxml's calls, and lets it go only when asked, every 5 ms); at most QUEUED wait.
BATCH = 1 << 20
QUEUED = 8


@dataclass(frozen=True)
class Deflated:
    """A zip entry's data deflated as zipfile deflates it: the bytes, and the CRC-32 and size of
    what they inflate to."""

    data: bytes
    crc: int
    size: int

    def written_into(self, stream: Any) -> bool:
        """Make the zip entry ``stream`` (zipfile's, opened to write, deflated at zlib's
        default level, nothing written yet) hold these bytes as they are, as if zipfile had
        deflated what they inflate to. zipfile has no public way to write an entry's deflated
        bytes, so this sets what its writer (_ZipWriteFile) counts and flushes; False where it
        has not those (the entry is then written as any other)."""
        names = ("_compressor", "_crc", "_file_size")
        if not all(hasattr(stream, name) for name in names) or stream._file_size:
            return False
        if stream._compressor is None:  # (a stored entry)
            return False
        stream._compressor = _Made(self.data)
        stream._crc, stream._file_size = self.crc, self.size
        return True


class _Made:
    """A compressor whose output is made already: it gives it all at its flush."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def compress(self, data: bytes) -> bytes:
        raise ValueError("the entry is deflated already")

    def flush(self) -> bytes:
        return self._data


class _Deflater:
    """zipfile's raw deflate (at zlib's default level) of the bytes given in order, and their
    CRC-32, made in a thread of its own (see BATCH); :meth:`finish` gives them."""

    def __init__(self) -> None:
        self._compress = zlib.compressobj(_LEVEL, zlib.DEFLATED, _RAW)
        self._batch: list[bytes] = []
        self._batched = 0
        self._queue: queue.Queue[bytes | None] = queue.Queue(QUEUED)
        self._out: list[bytes] = []
        self._crc = 0
        self._failed: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="perfreport-deflate", daemon=True)
        self._thread.start()

    def add(self, data: bytes) -> None:
        self._batch.append(data)
        self._batched += len(data)
        if self._batched >= BATCH:
            self._queue.put(b"".join(self._batch))
            self._batch, self._batched = [], 0

    def finish(self) -> tuple[bytes, int]:
        """The deflated stream, ended, and the CRC-32 of what it inflates to."""
        self._queue.put(b"".join(self._batch))
        self._queue.put(None)
        self._thread.join()
        if self._failed is not None:
            raise self._failed
        self._out.append(self._compress.flush())
        return b"".join(self._out), self._crc

    def _run(self) -> None:
        while (data := self._queue.get()) is not None:
            if self._failed is not None:
                continue  # (taken, so that add() never waits for a thread that has stopped)
            try:
                self._crc = zlib.crc32(data, self._crc)
                if out := self._compress.compress(data):
                    self._out.append(out)
            except BaseException as exc:  # (MemoryError): raised by finish()
                self._failed = exc


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
        self._deflating: Any = None  # (see _LEVEL)
        self._head = b""  # what the deflated stream begins with, before the pieces
        self._fed = 0  # the items deflated (and dropped) so far
        self._passed = 0  # bytes of pieces deflated so far (the rest wait: see PACK_AFTER)
        self._size = 0  # bytes deflated
        self._stream: Deflated | None = None  # the finished stream: head, fed items(, tail)
        self._tail = 0  # bytes of the stream after the pieces
        self.entry: Deflated | None = None  # the part's whole entry, when it was deflated whole

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
        self._feed_final()

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

    def deflate(self, head: bytes) -> None:
        """From here, deflate the pieces as they become final, after ``head`` (the part's
        beginning), into the stream the part's zip entry holds (see :meth:`finish`)."""
        if self._deflating is None and self._stream is None:
            self._end_run()
            self._deflating = _Deflater()
            self._head = head
            self._deflate(head)
            self._feed_final()

    def finish(self, head: bytes | None = None, tail: bytes = b"") -> None:
        """No more pieces: from here iterating changes nothing (a forked child may do it).

        When they were being deflated, the part is ``head``, the pieces and ``tail``: if
        ``head`` is the one they were deflated after and each piece was final, :attr:`entry` is
        the part's entry; otherwise the pieces are taken from the stream as they were."""
        self._end_run()
        if self._deflating is None:
            return
        whole = head == self._head and self._fed == len(self._items)
        if whole:
            self._deflate(tail)
            self._tail = len(tail)
        data, crc = self._deflating.finish()
        self._deflating = None
        self._stream = Deflated(data, crc, self._size)
        if whole:
            self.entry = self._stream

    def __iter__(self) -> Iterator[bytes]:
        self._end_run()
        if self._stream is not None:
            yield from _inflated(self._stream, len(self._head), self._tail)
        for at in range(self._fed, len(self._items)):
            item = self._items[at]
            if item is not None:
                yield zlib.decompress(item) if at in self._packed else item

    def _end_run(self) -> None:
        if not self._run:
            return
        data = b"".join(self._run)
        self._run, self._run_size = [], 0
        if self._deflating is not None and self._fed == len(self._items):
            self._deflate(data)  # (nothing before it waits)
            self._passed += len(data)
            return
        if self._held - self._passed > PACK_AFTER:
            self._packed.add(len(self._items))
            data = zlib.compress(data, 1)
        self._items.append(data)

    def _feed_final(self) -> None:
        """Deflate the items from the first not yet deflated up to one open or marked."""
        if self._deflating is None:
            return
        while self._fed < len(self._items) and self._fed not in self._marked:
            item = self._items[self._fed]
            if item is None:
                return
            data = zlib.decompress(item) if self._fed in self._packed else item
            self._deflate(data)
            self._passed += len(data)
            self._items[self._fed] = None
            self._fed += 1

    def _deflate(self, data: bytes) -> None:
        assert self._deflating is not None
        self._size += len(data)
        self._deflating.add(data)


def _inflated(stream: Deflated, skip: int, tail: int) -> Iterator[bytes]:
    """What ``stream`` inflates to, but its first ``skip`` and last ``tail`` bytes, in runs."""
    inflate = zlib.decompressobj(_RAW)
    start, end = skip, stream.size - tail
    at = 0  # where the next inflated bytes begin
    for begin in range(0, len(stream.data), RUN >> 4):
        data = inflate.decompress(stream.data[begin : begin + (RUN >> 4)])
        piece = data[max(start - at, 0) : max(end - at, 0)]
        at += len(data)
        if piece:
            yield piece
    data = inflate.flush()
    piece = data[max(start - at, 0) : max(end - at, 0)]
    if piece:
        yield piece
