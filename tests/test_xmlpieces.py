"""The main part's pieces deflated as they come (paper.xmlpieces): the same bytes as zipfile's
deflate of the whole part, the pieces the same, and the way back when they cannot be whole."""

from __future__ import annotations

import io
import random
import threading
import zipfile
import zlib

import pytest

from perfreport.paper import xmlpieces
from perfreport.paper.xmlpieces import Deflated, Pieces

HEAD, TAIL = b'<?xml version="1.0"?><w:document><w:body>', b"</w:body></w:document>"


def _text(rng: random.Random, size: int) -> bytes:
    words = [b"<w:p>", b"</w:p>", b"<w:t>", b"text ", b"\xc2\xa3", b"\n", b"1234"]
    return b"".join(rng.choice(words) for _ in range(size))


def _fill(pieces: Pieces, rng: random.Random, marked: bool = False) -> bytes:
    """Add pieces of random sizes, with open places filled later and, when asked, a marked
    piece; the bytes they make, in order."""
    made: list[bytes] = []
    places: list[tuple[int, int, bytes]] = []
    for n in range(300):
        if n % 37 == 5:
            places.append((pieces.open(), len(made), _text(rng, 20)))
            made.append(b"")
        elif places and n % 37 == 20:
            place, at, piece = places.pop()
            pieces.fill(place, piece)
            made[at] = piece
        else:
            piece = _text(rng, rng.choice([1, 10, 300, 3000]))
            pieces.add(piece, marked=marked and n == 150)
            made.append(piece)
    for place, at, piece in places:
        pieces.fill(place, piece)
        made[at] = piece
    return b"".join(made)


def _zipped(data: bytes) -> bytes:
    """zipfile's deflate of ``data`` (no level given: zlib's default)."""
    deflate = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return deflate.compress(data) + deflate.flush()


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("packed", [False, True])
@pytest.mark.parametrize("batch", [1 << 20, 3_000])
def test_pieces_deflated_as_they_come_are_the_entry_zipfile_makes(
    monkeypatch, seed, packed, batch
) -> None:
    if packed:  # runs packed at level 1 while a place is open, then deflated
        monkeypatch.setattr(xmlpieces, "PACK_AFTER", 0)
        monkeypatch.setattr(xmlpieces, "RUN", 2_000)
    # (small batches: many go through the deflate's thread, which the adding waits for)
    monkeypatch.setattr(xmlpieces, "BATCH", batch)
    monkeypatch.setattr(xmlpieces, "QUEUED", 2)
    threads = threading.active_count()
    rng = random.Random(seed)
    pieces = Pieces()
    first = _text(rng, 500)
    pieces.add(first)
    pieces.deflate(HEAD)  # (after some pieces: they are deflated first)
    made = first + _fill(pieces, rng)
    pieces.finish(HEAD, TAIL)
    assert pieces.entry is not None and pieces.held == len(made)
    whole = HEAD + made + TAIL
    assert pieces.entry == Deflated(_zipped(whole), zlib.crc32(whole), len(whole))
    assert b"".join(pieces) == made
    pieces.finish()  # (the render finishes them again: nothing changes)
    assert b"".join(pieces) == made and pieces.entry.data == _zipped(whole)
    # No thread is left (a process with another thread may not fork: core.forked.can_fork).
    assert threading.active_count() == threads


def test_the_deflate_is_made_in_a_thread_and_its_failure_raised_by_finish(monkeypatch) -> None:
    monkeypatch.setattr(xmlpieces, "BATCH", 1_000)
    monkeypatch.setattr(xmlpieces, "RUN", 1_000)
    made: list[str] = []
    compressobj = zlib.compressobj

    class Failing:
        def __init__(self, *args: object) -> None:
            self._deflate = compressobj(*args)

        def compress(self, data: bytes) -> bytes:
            made.append(threading.current_thread().name)
            if len(made) == 3:
                raise MemoryError
            return self._deflate.compress(data)

    monkeypatch.setattr(xmlpieces.zlib, "compressobj", Failing)
    pieces = Pieces()
    pieces.deflate(HEAD)
    for _ in range(20):  # (more batches than the queue holds: none waits for a failed thread)
        pieces.add(_text(random.Random(3), 500))
    with pytest.raises(MemoryError):
        pieces.finish(HEAD, TAIL)
    assert made == ["perfreport-deflate"] * len(made) and len(made) >= 3


def test_pieces_waiting_behind_an_open_place_are_packed_only_when_many_wait(
    monkeypatch,
) -> None:
    monkeypatch.setattr(xmlpieces, "PACK_AFTER", 20_000)
    monkeypatch.setattr(xmlpieces, "RUN", 2_000)
    rng = random.Random(5)
    pieces = Pieces()
    pieces.deflate(HEAD)
    made = [_text(rng, 100) for _ in range(100)]  # ~50 kB deflated as they come
    for piece in made:
        pieces.add(piece)
    place = pieces.open()
    waiting = [_text(rng, 100) for _ in range(20)]  # ~10 kB behind the open place
    for piece in waiting:
        pieces.add(piece)
    assert pieces.held > xmlpieces.PACK_AFTER and not pieces._packed  # held as they are
    more = [_text(rng, 100) for _ in range(40)]  # past PACK_AFTER waiting: packed
    for piece in more:
        pieces.add(piece)
    assert pieces._packed
    pieces.fill(place, b"<grid/>")
    pieces.finish(HEAD, TAIL)
    whole = HEAD + b"".join(made) + b"<grid/>" + b"".join(waiting + more) + TAIL
    assert pieces.entry == Deflated(_zipped(whole), zlib.crc32(whole), len(whole))


def test_pieces_deflated_after_another_beginning_are_taken_back_out() -> None:
    rng = random.Random(7)
    pieces = Pieces()
    pieces.deflate(HEAD)
    made = _fill(pieces, rng)
    pieces.finish(HEAD.replace(b"w:body", b"w:body a='1'"), TAIL)
    assert pieces.entry is None
    assert b"".join(pieces) == made


def test_a_marked_piece_stops_the_deflate_and_is_replaced_as_before() -> None:
    rng = random.Random(8)
    pieces = Pieces()
    pieces.deflate(HEAD)
    made = _fill(pieces, rng, marked=True)
    pieces.replace_marks(lambda piece: piece.upper())
    pieces.finish(HEAD, TAIL)
    assert pieces.entry is None
    plain = Pieces()
    assert _fill(plain, random.Random(8), marked=True) == made
    plain.replace_marks(lambda piece: piece.upper())
    plain.finish()
    assert b"".join(pieces) == b"".join(plain) != made


def _zip(write) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        info = zipfile.ZipInfo("word/document.xml", (2024, 1, 1, 9, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with target.open(info, "w") as stream:
            write(stream)
        # (a fixed date: a name alone is dated now, and two zips a second apart differed)
        target.writestr(zipfile.ZipInfo("after.xml", (2024, 1, 1, 9, 0, 0)), b"<a/>")
    return out.getvalue()


def test_a_deflated_entry_is_zipped_as_zipfile_zips_what_it_inflates_to() -> None:
    data = HEAD + _text(random.Random(9), 50_000) + TAIL
    entry = Deflated(_zipped(data), zlib.crc32(data), len(data))
    written = _zip(lambda stream: entry.written_into(stream) or pytest.fail("not written"))
    assert written == _zip(lambda stream: stream.write(data))
    with zipfile.ZipFile(io.BytesIO(written)) as package:
        assert package.read("word/document.xml") == data  # (zipfile checks the CRC-32)


def test_a_deflated_entry_is_not_put_where_zipfile_would_not_deflate_it() -> None:
    entry = Deflated(_zipped(b"<a/>"), zlib.crc32(b"<a/>"), 4)
    with zipfile.ZipFile(io.BytesIO(), "w") as target:
        with target.open("stored.xml", "w") as stream:  # (stored: no compressor)
            assert not entry.written_into(stream)
        info = zipfile.ZipInfo("begun.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with target.open(info, "w") as stream:
            stream.write(b"<")
            assert not entry.written_into(stream)
    assert not entry.written_into(io.BytesIO())
