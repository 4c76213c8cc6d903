"""A mistake in the trusted template or catalogue must not hang a scheduled run (issue 17,
item 12): range and repetition are bounded in the sandbox, a render has a time and memory limit,
and a catalogue beyond its documented size is a clear error."""

from __future__ import annotations

import sys
import time

import pytest
from paperfactory import template_with
from projectfactory import INDICATORS, make_project
from typer.testing import CliRunner

from perfreport.cli import app
from perfreport.inputs.catalogue_rows import CatalogueError
from perfreport.paper.document import DocumentError, render_document
from perfreport.paper.sandbox import RANGE_LIMIT, REPEAT_LIMIT

CONTEXT = {"title": "Paper", "council": "Test Council", "subject": ""}


def render(tmp_path, text: str, **kwargs) -> bytes:
    return render_document(CONTEXT, template_with(tmp_path, text), required=[], **kwargs)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("{{ 'x' * 10**9 }}", "'*' would make 1,000,000,000 characters"),
        ("{{ 10**9 * 'x' }}", "'*' would make 1,000,000,000 characters"),
        ("{{ ['x'] * 10**8 }}", "'*' would make 100,000,000 characters or items"),
        ("{{ 10 ** 100000 }}", "'**' would make a number of over 10,000 bits"),
        ("{% for a in range(100000) %}x{% endfor %}", "range() of 100,000 items"),
        ("{% for a in range(0, 10**9, 2) %}x{% endfor %}", "range() of 500,000,000 items"),
    ],
)
def test_the_sandbox_refuses_runaway_repetition_at_once(tmp_path, text, words):
    start = time.monotonic()
    with pytest.raises(DocumentError, match="cannot be filled in") as error:
        render(tmp_path, text)
    assert words in str(error.value)
    assert time.monotonic() - start < 10


@pytest.mark.parametrize(
    "text",
    [
        "{{ '-' * 20 }}",
        f"{{% for a in range({RANGE_LIMIT}) %}}{{% endfor %}}done",
        "{{ 2 ** 64 }}",
        f"{{{{ ('x' * {REPEAT_LIMIT}) | length }}}}",
    ],
)
def test_ordinary_templates_are_untouched(tmp_path, text):
    render(tmp_path, text)


@pytest.mark.skipif(sys.platform == "win32", reason="the render timer is POSIX only")
def test_nested_loops_stop_at_the_time_limit(tmp_path):
    text = "{% for a in range(10000) %}{% for b in range(10000) %}{% endfor %}{% endfor %}"
    start = time.monotonic()
    with pytest.raises(DocumentError, match="took longer than 2 seconds to fill in"):
        render(tmp_path, text, timeout=2)
    assert time.monotonic() - start < 15


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the memory limit is Linux only")
def test_a_template_that_needs_gigabytes_stops_at_the_memory_limit(tmp_path):
    text = "{% for i in range(10000) %}{{ 'x' * 1000000 }}{% endfor %}"
    start = time.monotonic()
    with pytest.raises(DocumentError, match="too much memory|took longer"):
        render(tmp_path, text, timeout=90)
    assert time.monotonic() - start < 90


def test_a_catalogue_beyond_its_documented_size_is_a_clear_error(tmp_path):
    from perfreport.inputs.catalogue import MAX_CATALOGUE_ROWS

    rows = [
        {**INDICATORS[1], "ref": f"WR-{n:05d}", "title": f"Measure {n}"}
        for n in range(MAX_CATALOGUE_ROWS + 1)
    ]
    project = make_project(tmp_path / "council", rows, catalogue="catalogue.csv")
    start = time.monotonic()
    result = CliRunner().invoke(
        app, ["validate", "Q2-2024", "--project", str(project.root)], env={"COLUMNS": "300"}
    )
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert f"has {MAX_CATALOGUE_ROWS + 1:,} rows of indicators; perfreport reads at most" in text
    assert time.monotonic() - start < 30


def test_the_catalogue_limit_is_a_setting(tmp_path):
    from perfreport.inputs.catalogue import load_catalogue

    rows = [{**INDICATORS[1], "ref": f"WR-{n:05d}", "title": f"Measure {n}"} for n in range(60)]
    limited = make_project(
        tmp_path / "limited", rows, catalogue="catalogue.csv",
        extra_config="[limits]\nmax_catalogue_rows = 59\n",
    )  # fmt: skip
    with pytest.raises(
        CatalogueError, match="has 60 rows of indicators; perfreport reads at most 59 "
    ):
        load_catalogue(limited)
    enough = make_project(
        tmp_path / "enough", rows, catalogue="catalogue.csv",
        extra_config="[limits]\nmax_catalogue_rows = 60\n",
    )  # fmt: skip
    assert len(load_catalogue(enough)[0].indicators) == 60


def test_a_catalogue_at_its_documented_size_is_read(tmp_path):
    from perfreport.inputs.catalogue import MAX_CATALOGUE_ROWS, load_catalogue

    rows = [
        {**INDICATORS[1], "ref": f"WR-{n:05d}", "title": f"Measure {n}"}
        for n in range(MAX_CATALOGUE_ROWS)
    ]
    project = make_project(tmp_path / "council", rows, catalogue="catalogue.csv")
    catalogue, _ = load_catalogue(project)
    assert len(catalogue.indicators) == MAX_CATALOGUE_ROWS


def test_a_catalogue_workbook_beyond_the_cell_limit_is_refused_in_the_catalogues_words(tmp_path):
    """100,000 rows in catalogue.xlsx were refused by the sheet-size check as if the catalogue
    were a return ("far beyond what a return needs ... send it again")."""
    from perfreport.inputs.catalogue import MAX_CATALOGUE_ROWS

    rows = [{**INDICATORS[1], "ref": f"WR-{n:05d}", "title": f"Measure {n}"} for n in range(300)]
    project = make_project(
        tmp_path / "council", rows, extra_config="[limits]\nmax_sheet_cells = 1000\n"
    )
    result = CliRunner().invoke(
        app, ["validate", "Q2-2024", "--project", str(project.root)], env={"COLUMNS": "300"}
    )
    assert result.exit_code == 2, result.output
    text = " ".join(result.output.split())
    assert "a return" not in text and "send it again" not in text
    assert (
        "catalogue.xlsx: the 'Indicators' sheet reaches row 301 (7 columns), more than a "
        f"catalogue can hold: perfreport reads at most {MAX_CATALOGUE_ROWS:,} indicators and "
        "1,000 cells a sheet (docs/security.md)."
    ) in text
