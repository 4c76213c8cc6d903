"""Every odd real-world spreadsheet and every hostile file gives its expected outcome, in bounded time.

The manifest tests/corpus/expected.csv maps each file (``wild/...`` in ../shared/corpus/wild, or
the folder named by PERFREPORT_CORPUS; ``hostile/...`` in tests/data/hostile, made by
tests/data/make_hostile.py) to ``ok`` or the first error code reading it gives. Any change of
outcome fails, including a file expected to fail that starts to pass. Its ``category`` column
says what each file tries (several separated by ``;``), so that a test can hold the corpus to the
list of issue 6.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import os
import zipfile
from pathlib import Path

import pytest
from corpusread import outcome

from perfreport.core.project import LimitSettings
from perfreport.xlsx.isolation import map_isolated

TESTS = Path(__file__).resolve().parent
MANIFEST = TESTS / "corpus" / "expected.csv"
HOSTILE = TESTS / "data" / "hostile"
SECONDS_PER_FILE = 10.0


def wild_folder() -> Path:
    configured = os.environ.get("PERFREPORT_CORPUS")
    return Path(configured) if configured else Path(__file__).parents[2] / "shared/corpus/wild"


def folder_of(entry: str) -> Path:
    return wild_folder() if entry.startswith("wild/") else HOSTILE


def read_manifest() -> dict[str, str]:
    with MANIFEST.open(encoding="utf-8", newline="") as stream:
        return {row["file"]: row["expected_code"] for row in csv.DictReader(stream)}


def read_categories() -> dict[str, set[str]]:
    with MANIFEST.open(encoding="utf-8", newline="") as stream:
        return {
            row["file"]: {c.strip() for c in (row["category"] or "").split(";") if c.strip()}
            for row in csv.DictReader(stream)
        }


EXPECTED = read_manifest()
CATEGORIES = read_categories()

# What the corpus must cover (issue 6, section 2, and the bounds of section 1), each category by
# at least one generated hostile file (always present, unlike the real-world corpus), with the
# outcomes such a file may have: an attack is never "ok", an ordinary Excel feature never breaks
# the reader (a clean read, or the finding that names the problem).
XML_PARTS = (
    "workbook",
    "shared-strings",
    "styles",
    "sheet",
    "content-types",
    "package-rels",
    "workbook-rels",
)
SUSPICIOUS = {"suspicious-file"}
REQUIRED: dict[str, set[str]] = {
    **{f"entity-bomb:{part}": SUSPICIOUS for part in XML_PARTS},
    **{f"xxe:{part}": SUSPICIOUS for part in XML_PARTS},
    "zip-bomb": SUSPICIOUS,
    "declared-size": SUSPICIOUS,
    "too-many-parts": SUSPICIOUS,
    "duplicate-part": SUSPICIOUS,
    "long-cell-text": SUSPICIOUS,
    "far-corner-cell": SUSPICIOUS,
    "huge-shared-string-count": SUSPICIOUS,
    "encrypted": {"encrypted-workbook"},
    "xls-as-xlsx": {"legacy-format", "encrypted-workbook"},
    "xlsb-as-xlsx": {"legacy-format"},
    "ods-as-xlsx": {"legacy-format"},
    "csv-as-xlsx": {"not-a-workbook"},
    "html-as-xlsx": {"not-a-workbook"},
    "truncated": {"unreadable-file"},
    "zero-byte": {"unreadable-file"},
    "strict-ooxml": {"unsupported-dialect"},
    "error-cells": {"error-value"},
    "1904-dates": {"ok"},
    "merged-cells": {"ok"},
    "hidden-sheets": {"ok", "no-return-sheet"},
    "external-links": {"ok"},
}
NO_CORPUS = (
    f"the corpus of real-world spreadsheets is not at {wild_folder()}; set "
    "PERFREPORT_CORPUS to its folder to run these"
)


@pytest.fixture(scope="module")
def outcomes() -> dict[str, object]:
    """Read every file present, each in a worker process with a time and memory limit."""
    present = [
        entry for entry in sorted(EXPECTED) if (folder_of(entry) / entry.split("/", 1)[1]).is_file()
    ]
    paths = [str(folder_of(entry) / entry.split("/", 1)[1]) for entry in present]
    results = map_isolated(
        outcome,
        paths,
        timeout=SECONDS_PER_FILE,
        memory_mb=LimitSettings().parse_memory_mb,
        workers=2,
    )
    return dict(zip(present, results, strict=True))


@pytest.mark.parametrize("entry", sorted(EXPECTED))
def test_reads_each_file_to_its_expected_outcome_in_bounded_time(entry, outcomes):
    if entry.startswith("wild/") and not wild_folder().is_dir():
        pytest.skip(NO_CORPUS)
    result = outcomes.get(entry)
    assert result is not None, f"{entry} is in the manifest but not on disk"
    assert result.ok, f"{entry}: the reading process failed ({result.failure}: {result.detail})"
    code, seconds = result.value
    assert code == EXPECTED[entry]
    assert seconds < SECONDS_PER_FILE


def test_lists_every_corpus_file_in_the_manifest():
    if not wild_folder().is_dir():
        pytest.skip(NO_CORPUS)
    on_disk = {
        f"wild/{p.name}" for p in wild_folder().iterdir() if p.is_file() and p.name != "corpus.md"
    }
    assert on_disk == {e for e in EXPECTED if e.startswith("wild/")}


def test_lists_every_hostile_file_in_the_manifest():
    on_disk = {f"hostile/{p.name}" for p in HOSTILE.iterdir() if p.is_file()}
    assert on_disk == {e for e in EXPECTED if e.startswith("hostile/")}


def _generator():
    spec = importlib.util.spec_from_file_location(
        "make_hostile", TESTS / "data" / "make_hostile.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _contents(data: bytes) -> object:
    """A zip by its members (compressed bytes may differ between zlib builds); else the bytes."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [(i.filename, archive.read(i)) for i in archive.infolist()]
    except zipfile.BadZipFile:
        return data


def test_regenerates_the_same_hostile_files():
    built = _generator().build()
    assert sorted(built) == sorted(p.name for p in HOSTILE.iterdir())
    for name, data in built.items():
        assert _contents(data) == _contents((HOSTILE / name).read_bytes()), name


def test_keeps_the_hostile_files_small_on_disk():
    assert sum(p.stat().st_size for p in HOSTILE.iterdir()) < 512 * 1024


def test_gives_every_file_a_category():
    assert [entry for entry, categories in CATEGORIES.items() if not categories] == []


@pytest.mark.parametrize("category", sorted(REQUIRED))
def test_covers_each_required_category_with_a_generated_file(category):
    files = [e for e, c in CATEGORIES.items() if e.startswith("hostile/") and category in c]
    assert files, f"no file in tests/data/hostile covers {category}"
    wrong = {e: EXPECTED[e] for e in files if EXPECTED[e] not in REQUIRED[category]}
    assert wrong == {}, f"{category} may only give {sorted(REQUIRED[category])}"
