"""Fuzzing (issue 6, section 3): hypothesis mutates a valid return, and nothing breaks.

The mutations: any cell set to a value of any type (numbers huge, negative and non-finite, booleans,
dates, times, text with control characters, lone surrogates, right-to-left text and emoji,
formulas with and without saved results, Excel errors), rows and columns deleted or duplicated,
and cells merged. The properties: reading never raises; every finding has a registered code, a
severity and a message that names its cell or file; and text a workbook can hold reaches the
paper unchanged.

The runs are bounded and reproducible (the "fuzz" profile: 50 examples, derandomized); set
PERFREPORT_FUZZ_EXAMPLES to run more.
"""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

import pytest
from buildfactory import appendix_tables
from docx import Document
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from projectfactory import catalogue_rows, make_project
from returnfactory import (
    CATALOGUE,
    FIRST_ROW,
    HEADER_ROW,
    HEADINGS,
    METADATA,
    TITLE,
    Formula,
    Styled,
)
from returnfactory import write_return as write_workbook

from perfreport.build import PdfMode, build_paper
from perfreport.core.codes import CODES
from perfreport.core.findings import Finding, Severity
from perfreport.core.periods import Period
from perfreport.core.project import Project
from perfreport.inputs.dataset import read_period
from perfreport.inputs.returns import read_return
from perfreport.xlsx.workbook import column_letter

settings.register_profile(
    "fuzz",
    max_examples=int(os.environ.get("PERFREPORT_FUZZ_EXAMPLES", "50")),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FUZZ = settings.get_profile("fuzz")
Q2 = Period(2024, 2)
NAME = "adult-social-care.xlsx"

# -- the valid return that every example starts from -------------------------------------------

VALID_ROWS = (
    {
        "Ref": "ASC-01",
        "Measure": "Adults reviewed within 12 months",
        "Value": 86.5,
        "Target": 85,
        "Numerator": 173,
        "Denominator": 200,
        "Data status": "Final",
        "Commentary": "Reviews are ahead of plan.",
        "Actions": "Keep the weekly panel.",
        "Forecast RAG": "Green",
    },
    {
        "Ref": "ASC-02",
        "Measure": "People in long-term residential care",
        "Value": 108,
        "Target": 110,
        "Commentary": "Fewer admissions than last year.",
    },
    {
        "Ref": "ASC-04",
        "Measure": "Safeguarding enquiries started",
        "Value": 412,
        "Data status": "Provisional",
    },
)
Grid = dict[tuple[int, int], object]  # (row, column) -> value, as returnfactory lays a return out


def valid_grid() -> Grid:
    grid: Grid = {(1, 1): TITLE}
    for offset, (label, value) in enumerate(METADATA.items()):
        grid[(3 + offset, 1)], grid[(3 + offset, 2)] = label, value
    for column, heading in enumerate(HEADINGS, start=1):
        grid[(HEADER_ROW, column)] = heading
    for number, row in enumerate(VALID_ROWS, start=FIRST_ROW):
        for heading, value in row.items():
            grid[(number, HEADINGS.index(heading) + 1)] = value
    return grid


LAST_ROW, LAST_COLUMN = FIRST_ROW + len(VALID_ROWS) + 1, len(HEADINGS) + 2
TITLE_MERGE = (1, 1, 1, 6)


def write_grid(path: Path, grid: Grid, merges: list[tuple[int, int, int, int]]) -> Path:
    """The grid written by returnfactory (cell by cell), with its merges."""
    cells = {f"{column_letter(c)}{r}": value for (r, c), value in sorted(grid.items())}
    areas = [f"{column_letter(c1)}{r1}:{column_letter(c2)}{r2}" for r1, c1, r2, c2 in merges]
    return write_workbook(path, headings=(), metadata={}, title=None, cells=cells, merged=areas)


# -- values of every type ------------------------------------------------------------------------

ERRORS = ("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!")
# Characters XML cannot hold, which Excel writes as _xHHHH_ escapes (so must we).
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
SPECIAL_TEXT = (
    "مؤشر الأداء",
    "שיעור ההחלמה",
    "\u202eevil\u202c",
    "\u200f85\u200f",
    "👩🏽‍💻",
    "🇬🇧 ✔︎",
    "Ｆｕｌｌｗｉｄｔｈ",
    "e\u0301",
    "_x0007_",
    "_x005F_x0041_",
    "n/a",
    "85%",
    "£1,234.50",
    "−12",
    "1e309",
    " 12 ",
    "TBC",
    "Not available",
    "Q1 2024/25",
    "{{ council }}",
    "{% if x %}",
    "{_{",
    "<w:t>",
    "&amp;",
    "]]>",
    "=1/0",
    "@SUM(A1)",
    "+cmd|' /C calc'!A0",
    "\r\n",
    "\t",
    "\x85",
    "\x9b31m",
)


def excel_text(text: str) -> str:
    """Text as Excel stores it: its own _x escape for "_x", and for each character XML cannot hold."""
    text = text.replace("_x", "_x005F_x")
    return _UNWRITABLE.sub(lambda match: f"_x{ord(match[0]):04X}_", text)


ANY_CHARACTER = st.characters(exclude_categories=())  # control characters and lone surrogates too
texts = st.one_of(
    st.text(ANY_CHARACTER, max_size=40),
    st.sampled_from(SPECIAL_TEXT),
    st.lists(
        st.one_of(st.sampled_from(SPECIAL_TEXT), st.text(ANY_CHARACTER, max_size=5)), max_size=5
    ).map("".join),
)
finite = st.floats(allow_nan=False, allow_infinity=False)
saved_results = st.one_of(
    st.floats(),
    st.integers(-(10**6), 10**6),
    st.sampled_from(ERRORS),
    st.text("abcXYZ 0123456789.%", max_size=12),
)
formulas = st.builds(
    Formula,
    st.sampled_from(
        (
            "=1/0",
            "=SUM(C9:C11)",
            "=[1]Sheet1!A1",
            '=HYPERLINK("http://x","y")',
            "=NA()",
            "=C9*100",
            "=cmd|' /C calc'!A0",
        )
    ),
    st.one_of(st.none(), saved_results),
)
values = st.one_of(
    st.none(),
    st.integers(-(10**6), 10**6),
    st.integers(-(10**30), 10**30),
    st.floats(),  # openpyxl writes nan and inf as blank; formulas bring them in as saved results
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.timedeltas(),
    texts.map(excel_text),
    st.sampled_from(ERRORS),  # openpyxl writes these as error cells
    formulas,
    st.builds(
        Styled,
        finite,
        st.sampled_from(("0.0%", "0%", "#,##0", "dd/mm/yyyy", "@", '"£"#,##0.00', "[h]:mm")),
    ),
)

# -- mutations -------------------------------------------------------------------------------------

rows = st.integers(1, LAST_ROW)
columns = st.integers(1, LAST_COLUMN)
# Most values go where the figures are; some anywhere (headings, labels, the title, beyond).
table_cells = st.tuples(
    st.integers(FIRST_ROW, FIRST_ROW + len(VALID_ROWS) - 1), st.integers(1, len(HEADINGS))
)
new_values = st.tuples(
    st.just("set"), st.one_of(table_cells, table_cells, st.tuples(rows, columns)), values
).map(lambda m: (m[0], *m[1], m[2]))
structural = st.one_of(
    st.tuples(st.just("delete-row"), rows),
    st.tuples(st.just("duplicate-row"), rows),
    st.tuples(st.just("delete-column"), columns),
    st.tuples(st.just("duplicate-column"), columns),
    st.tuples(st.just("merge"), rows, columns, st.integers(0, 3), st.integers(0, 3)),
)


def _moved(grid: Grid, axis: int, at: int, shift: int) -> Grid:
    """Cells past ``at`` on one axis (0 rows, 1 columns) moved by ``shift``; those at it dropped."""
    moved: Grid = {}
    for place, value in grid.items():
        if place[axis] == at and shift < 0:
            continue
        if place[axis] > at:
            place = (place[0] + shift, place[1]) if axis == 0 else (place[0], place[1] + shift)
        moved[place] = value
    return moved


def mutate(grid: Grid, merges: list, mutation: tuple) -> Grid:
    kind, *args = mutation
    if kind == "set":
        row, column, value = args
        grid = {**grid, (row, column): value}
    elif kind in ("delete-row", "delete-column"):
        grid = _moved(grid, 0 if kind == "delete-row" else 1, args[0], -1)
    elif kind in ("duplicate-row", "duplicate-column"):
        axis, at = (0 if kind == "duplicate-row" else 1), args[0]
        copies = {
            ((p[0] + 1, p[1]) if axis == 0 else (p[0], p[1] + 1)): v
            for p, v in grid.items()
            if p[axis] == at
        }
        grid = {**_moved(grid, axis, at, 1), **copies}
    else:
        row, column, down, across = args
        area = (row, column, row + down, column + across)
        if (down or across) and not any(_overlap(area, other) for other in merges):
            merges.append(area)  # Excel never writes overlapping merges; openpyxl cannot either
    return grid


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


@st.composite
def mutated_returns(draw) -> tuple[Grid, list[tuple[int, int, int, int]]]:
    grid, merges = valid_grid(), [TITLE_MERGE]
    for mutation in draw(st.lists(new_values, min_size=1, max_size=6)) + draw(
        st.lists(structural, max_size=3)
    ):
        grid = mutate(grid, merges, mutation)
    return grid, merges


# -- what every finding must be -------------------------------------------------------------------

_A1 = re.compile(r"[A-Z]{1,3}([1-9][0-9]*)")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")  # tab, CR, LF allowed


def check_finding(finding: Finding, display: str | None) -> None:
    """Registered, with a severity, and a message in plain text that names its cell or file."""
    assert finding.code in CODES, finding
    assert isinstance(finding.severity, Severity), finding
    message = finding.message
    assert message.strip() and not _CONTROL.search(message), finding
    assert "Traceback" not in message and "Error:" not in message, finding
    if display is not None:
        assert finding.file == display, finding
    if finding.cell is not None:
        match = _A1.fullmatch(finding.cell)
        assert match, finding
        assert finding.cell in message or f"Row {match[1]}:" in message, finding
    else:  # a whole file or sheet, or (coverage) an indicator or service by name
        assert message.startswith(("This file", f"Sheet '{finding.sheet}'")) or any(
            name and name in message for name in (finding.file, finding.ref, finding.value)
        ), finding


# -- the properties ---------------------------------------------------------------------------------


def test_starts_from_a_return_that_reads_cleanly(tmp_path):
    path = write_grid(tmp_path / NAME, valid_grid(), [TITLE_MERGE])
    result, findings = read_return(path, CATALOGUE)
    assert findings == ()
    assert [obs.ref for obs in result.observations] == ["ASC-01", "ASC-02", "ASC-04"]


@FUZZ
@given(mutated_returns())
def test_never_raises_reading_a_mutated_return_and_every_finding_is_well_formed(
    tmp_path_factory, mutated
):
    grid, merges = mutated
    path = write_grid(tmp_path_factory.mktemp("fuzz") / NAME, grid, merges)
    result, findings = read_return(path, CATALOGUE, period=Q2)
    for finding in findings:
        check_finding(finding, NAME)
    if result is not None:
        assert all(obs.source.file == NAME for obs in result.observations)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Project:
    """A project whose catalogue is returnfactory's, reading returns in this process (fast) and
    never from the cache of earlier reads (so that every example, and every way of reading, is
    really read)."""
    made = make_project(
        tmp_path_factory.mktemp("fuzz-project"),
        catalogue_rows(CATALOGUE, "Adult Social Care"),
        targets=[{"ref": "ASC-02", "year": "2024/25", "target": 110}],
    )
    return dataclasses.replace(
        made,
        limits=dataclasses.replace(made.limits, isolate=False),
        performance=dataclasses.replace(made.performance, cache=False),
    )


def put_returns(project: Project, returns: list[tuple[Grid, list]]) -> list[str]:
    """Replace the period's returns with these; their names as findings show them."""
    folder = project.returns_dir(Q2)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    names = [f"service-{number}.xlsx" for number in range(1, len(returns) + 1)]
    for name, (grid, merges) in zip(names, returns, strict=True):
        write_grid(folder / name, grid, merges)
    return [project.display(folder / name) for name in names]


def test_starts_from_a_period_that_reads_without_errors(project):
    put_returns(project, [(valid_grid(), [TITLE_MERGE])])
    read = read_period(project, Q2)
    assert read.errors == ()
    assert list(read.dataset.observations) == ["ASC-01", "ASC-02", "ASC-04"]


@FUZZ
@given(mutated_returns())
def test_never_raises_reading_a_period_with_a_mutated_return(project, mutated):
    (display,) = put_returns(project, [mutated])
    read = read_period(project, Q2)
    assert read.files == (display,)
    for finding in read.findings:
        # Only the coverage check speaks of no file: the service whose return is missing.
        check_finding(finding, None if finding.code == "missing-return" else display)
        if finding.code == "missing-return":
            assert "Adult Social Care" in finding.message


@settings(FUZZ, max_examples=min(FUZZ.max_examples, 4))
@given(st.lists(mutated_returns(), min_size=3, max_size=3))
def test_reads_the_same_in_worker_processes_as_in_this_one(project, returns):
    put_returns(project, returns)
    isolated = dataclasses.replace(
        project, limits=dataclasses.replace(project.limits, isolate=True)
    )
    inline, in_workers = read_period(project, Q2), read_period(isolated, Q2)
    assert in_workers.findings == inline.findings
    assert dict(in_workers.dataset.observations) == dict(inline.dataset.observations)


# -- the paper ----------------------------------------------------------------------------------------

# Text a workbook holds as it is: no control characters other than tab and line feed, no lone
# surrogates, no U+FFFE/U+FFFF (right-to-left text, emoji, braces and markup included).
WRITABLE = st.characters(
    exclude_categories=("Cc", "Cs"), exclude_characters="\ufffe\uffff", include_characters="\n\t"
)
WRITABLE_SPECIAL = tuple(
    t for t in SPECIAL_TEXT if not _UNWRITABLE.search(t) and not re.search("[\x7f-\x9f\r]", t)
)
writable_texts = st.one_of(
    st.text(WRITABLE, min_size=1, max_size=60),
    st.lists(
        st.one_of(st.sampled_from(WRITABLE_SPECIAL), st.text(WRITABLE, max_size=8)),
        min_size=1,
        max_size=6,
    ).map("".join),
)
_OUTER_SPACES = " \t\r\n\u00a0\u2007\u202f"  # trimmed by the reader (inputs/cells.py)


_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def as_read(text: str) -> str:
    """What the paper shows of a cell's text: outer spaces trimmed, and the bidi controls written
    out (\\u202e) so that Word cannot reorder the text; nothing else changed."""
    trimmed = text.strip(_OUTER_SPACES).strip()
    return _BIDI.sub(lambda match: f"\\u{ord(match[0]):04x}", trimmed)


def commentary_cell(docx: Path, ref: str) -> str:
    for table in appendix_tables(Document(str(docx))):
        heading = [cell.text for cell in table.rows[0].cells]
        column = heading.index("Commentary (and actions)")
        for row in table.rows[1:]:
            if row.cells[0].text == ref:
                return row.cells[column].text
    raise AssertionError(f"{ref} is not in Appendix A")


@FUZZ
@given(commentary=writable_texts, actions=writable_texts)
def test_puts_commentary_that_a_workbook_can_hold_into_the_paper_unchanged(
    project, tmp_path_factory, commentary, actions
):
    # openpyxl writes text starting with "=" as a formula, with no saved result
    assume(not commentary.startswith("=") and not actions.startswith("="))
    expected = [as_read(commentary)] + (
        [f"Actions: {as_read(actions)}"] if as_read(actions) else []
    )
    assume(expected[0])
    rows = [
        {**VALID_ROWS[0], "Commentary": excel_text(commentary), "Actions": excel_text(actions)},
        *VALID_ROWS[1:],
    ]
    folder = project.returns_dir(Q2)
    for old in folder.glob("*"):
        old.unlink()
    write_workbook(folder / NAME, rows)
    out = tmp_path_factory.mktemp("paper")
    result = build_paper(project, Q2, out_dir=out, pdf=PdfMode.OFF)
    assert result.published, result.reason
    (docx,) = [path for name, path in result.outputs.items() if name.endswith(".docx")]
    assert commentary_cell(docx, "ASC-01") == "\n".join(expected)


def test_findings_never_carry_control_characters_from_a_workbook():
    """Sheet names and cell text reach messages; control characters are written out (\\x1b)."""
    from perfreport.core.codes import finding
    from perfreport.core.codes_files import ADVICE_RENAME_TO_RETURN, NONE_NAMED_RETURN

    made = finding(
        "ambiguous-sheet",
        file="r\x00.xlsx",
        sheet="Re\x1bturn",
        ref="A\ud800",
        value="x\x7fy",
        sheets="2 visible sheets",
        names="'Re\x1bturn', 'Return\x07'",
        none_named=NONE_NAMED_RETURN,
        hint="",
        advice=ADVICE_RENAME_TO_RETURN,
    )
    for text in (made.message, made.file, made.sheet, made.ref, made.value):
        assert not any(
            ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F or 0xD800 <= ord(ch) <= 0xDFFF for ch in text
        )
    assert made.sheet == "Re\\x1bturn"
    assert made.file == "r\\x00.xlsx" and made.ref == "A\\ud800" and made.value == "x\\x7fy"
