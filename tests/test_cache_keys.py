"""A return's cache key: the hash of the code's fingerprint, the context and the file's bytes,
whatever the file's size, and another key when the code changes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from perfreport.inputs import cache

CONTEXT = "catalogue-key|Q2-2024|returns/Q2-2024/waste.xlsx"


def _expected(fingerprint: str, data: bytes) -> str:
    return hashlib.sha256(fingerprint.encode() + CONTEXT.encode() + data).hexdigest()


@pytest.mark.parametrize("size", [0, 1, 100, 65_535, 65_536, 65_537, 200_000])
def test_the_key_hashes_the_fingerprint_the_context_and_every_byte(
    tmp_path: Path, size: int
) -> None:
    path = tmp_path / "waste.xlsx"
    data = bytes(range(256)) * (size // 256) + bytes(range(size % 256))
    path.write_bytes(data)
    key = cache.entry_key(path, CONTEXT)
    assert key == _expected(cache.code_fingerprint(), data)
    assert cache.entry_key(path, CONTEXT) == key  # the copied hash is left as it was
    path.write_bytes(data + b"!")
    assert cache.entry_key(path, CONTEXT) != key


def test_a_file_that_cannot_be_read_has_no_key(tmp_path: Path) -> None:
    assert cache.entry_key(tmp_path / "gone.xlsx", CONTEXT) is None
    assert cache.entry_key(tmp_path, CONTEXT) is None  # a folder


def test_changed_code_changes_every_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "waste.xlsx"
    path.write_bytes(b"PK" * 50)
    before = cache.entry_key(path, CONTEXT)
    monkeypatch.setattr(cache, "code_fingerprint", lambda: "another version of the code")
    after = cache.entry_key(path, CONTEXT)
    assert after != before
    assert after == _expected("another version of the code", b"PK" * 50)
    monkeypatch.undo()
    assert cache.entry_key(path, CONTEXT) == before
