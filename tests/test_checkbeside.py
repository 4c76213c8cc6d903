"""The main part read for the check in a forked child: taken only when the .docx holds the bytes
it read; the same papers and the same failures as the check made here."""

from __future__ import annotations

import io
import os
import sys
import zipfile
from pathlib import Path

import pytest
from paperfactory import make_context

from perfreport.paper import checkbeside, document, docxzip
from perfreport.paper.document import DocumentError, render_document, verify_document
from perfreport.paper.template import default_template

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the child is forked: Linux only"
)
MAIN = "word/document.xml"


@pytest.fixture
def beside(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every paper's main part read in a child (pytest's process may hold a watchdog thread;
    the child touches no lock); the list gets "child" for each answer the child gave, "here"
    for each main part the check read itself."""
    monkeypatch.setattr(checkbeside, "can_fork", lambda: True)
    monkeypatch.setattr(checkbeside, "BESIDE_FROM", 0)
    seen: list[str] = []
    answer, here = checkbeside.Reading.result, document.missing_strings

    def answered(self: checkbeside.Reading) -> docxzip.ReadPart | None:
        read = answer(self)
        seen.extend(["child"] if read is not None and read.parsed else [])
        return read

    def read_here(paragraphs: list[str], wanted: list[str]) -> list[str]:
        seen.append("here")
        return here(paragraphs, wanted)

    monkeypatch.setattr(checkbeside.Reading, "result", answered)
    monkeypatch.setattr(document, "missing_strings", read_here)
    return seen


def render(template: Path, **kwargs) -> bytes:
    return render_document(make_context(), template, **kwargs)


@pytest.fixture(scope="module")
def template() -> Path:
    return default_template()


@pytest.fixture(scope="module")
def here(template: Path) -> bytes:
    """The paper checked in this process alone."""
    return render(template)


def test_the_childs_reading_is_taken_and_the_paper_is_the_same(
    beside: list[str], template: Path, here: bytes
) -> None:
    assert render(template) == here
    assert beside == ["child"]


def test_a_string_the_child_does_not_find_stops_the_render(
    beside: list[str], template: Path
) -> None:
    with pytest.raises(DocumentError) as made_beside:
        render(template, required=["ASC-01", "ZZZ-99", "ASC-\ud80001"])
    assert beside == ["child"]
    checkbeside.BESIDE_FROM = 1 << 62  # (put back by the fixture)
    with pytest.raises(DocumentError) as made_here:  # read here as the child reads it
        render(template, required=["ASC-01", "ZZZ-99", "ASC-\ud80001"])
    assert beside == ["child"] and "'ZZZ-99'" in str(made_beside.value)
    with pytest.raises(DocumentError) as made_whole:  # docxtpl's tree: the .docx read whole
        render(template, required=["ASC-01", "ZZZ-99", "ASC-\ud80001"], stream=False)
    assert beside == ["child", "here"]
    assert str(made_beside.value) == str(made_here.value) == str(made_whole.value)


def test_a_child_that_dies_leaves_the_check_to_this_process(
    beside: list[str], template: Path, here: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(checkbeside, "read_main_part", lambda *args: os._exit(3))
    assert render(template) == here
    assert beside == ["here"]


def _with_main(data: bytes, xml: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, xml if info.filename == MAIN else source.read(info))
    return out.getvalue()


def test_a_reading_of_other_bytes_is_not_taken(here: bytes) -> None:
    good = zipfile.ZipFile(io.BytesIO(here)).read(MAIN)
    read = docxzip.read_main_part(MAIN, [good[:1000], good[1000:]], ["ASC-01"])
    assert read.parsed and read.missing == () and read.size == len(good)
    verify_document(here, ["ASC-01"], read)
    assert docxzip.holds_read_part(here, read)
    # The same size, a broken part: the CRC-32 differs, the part is parsed, and fails.
    broken = _with_main(here, good.replace(b"<w:body>", b"<w:bodx>", 1))
    assert not docxzip.holds_read_part(broken, read)
    with pytest.raises(DocumentError, match=MAIN):
        verify_document(broken, ["ASC-01"], read)
    # A part the child could not parse is parsed here, for the message.
    unparsed = docxzip.read_main_part(MAIN, [good[:-5]], ["ASC-01"])
    assert not unparsed.parsed
    with pytest.raises(DocumentError, match=MAIN):
        verify_document(_with_main(here, good[:-5]), ["ASC-01"], unparsed)
    # A reading of another part's name is not taken for the main part.
    other = docxzip.ReadPart("word/other.xml", read.size, read.crc, True)
    assert not docxzip.holds_read_part(here, other)


def test_the_zipped_paper_is_handed_out_while_the_child_reads_it(
    beside: list[str], template: Path, here: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    handed: list[tuple[bytes, list[str]]] = []
    assert render(template, zipped=lambda data: handed.append((data, list(beside)))) == here
    # Once, with the paper's very bytes, before the child's answer was taken.
    assert handed == [(here, [])] and beside == ["child"]
    # A paper failing its check after it was handed out is not returned: the same error.
    handed.clear()
    with pytest.raises(DocumentError, match="'ZZZ-99'"):
        render(template, required=["ZZZ-99"], zipped=lambda data: handed.append((data, [])))
    assert [data for data, _ in handed] == [here]
