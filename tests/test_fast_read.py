"""A workbook's bytes read by the size its stat gave (xlsx.sniff.read_up_to): the same bytes as
one read of the limit, also when the file grew or shrank after the stat."""

import io

import pytest

from perfreport.xlsx.sniff import read_up_to


class _Counting(io.BytesIO):
    """Says how large a read it was asked for."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.asked: list[int] = []

    def read(self, size: int | None = -1) -> bytes:
        self.asked.append(size)
        return super().read(size)


@pytest.mark.parametrize("actual", [0, 1, 5, 9, 10, 11, 12, 40])
@pytest.mark.parametrize("most", [1, 5, 10, 11, 12])
def test_the_bytes_are_those_of_one_read_of_the_limit(actual, most):
    data = bytes(range(actual))
    for stated in sorted(
        {0, 1, max(actual - 3, 0), max(actual - 1, 0), actual, actual + 1, actual + 7}
    ):
        assert read_up_to(io.BytesIO(data), stated, most) == io.BytesIO(data).read(most), stated


def test_a_file_as_its_stat_said_is_read_by_its_size_not_the_limit():
    stream = _Counting(b"x" * 8_000)
    assert read_up_to(stream, 8_000, 20 * 2**20 + 1) == b"x" * 8_000
    assert stream.asked == [8_001]  # one read, one byte over: the end is seen at once


def test_a_file_that_grew_after_its_stat_is_read_on_to_the_limit():
    stream = _Counting(b"y" * 50)
    assert read_up_to(stream, 10, 31) == b"y" * 31
    assert stream.asked == [11, 20]
