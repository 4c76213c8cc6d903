"""Reading a period: every return in its folder, checked across files, into one dataset."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest
from projectfactory import INDICATORS, make_project, service_return, write_return

from perfreport.core.findings import FINDINGS_SCHEMA, Severity, findings_document
from perfreport.core.periods import Period
from perfreport.inputs.catalogue import CatalogueError
from perfreport.inputs.dataset import (
    list_return_files,
    read_period,
    read_periods,
    validate_files,
)

Q2, Q4 = Period(2024, 2), Period(2024, 4)
WASTE = "returns/Q2-2024/waste.xlsx"
ASC = "returns/Q2-2024/adult-social-care.xlsx"


def flat(findings) -> list[tuple[str, str | None, str | None, str | None, str | None]]:
    return [(f.code, f.file, f.sheet, f.cell, f.ref) for f in findings]


@pytest.fixture
def project(tmp_path: Path):
    return make_project(tmp_path / "council")


def test_a_clean_period_reads_into_one_dataset(project) -> None:
    service_return(project, Q2, "Waste", values={"WR-01": 52.5, "WR-02": 61})
    service_return(project, Q2, "Adult Social Care")
    read = read_period(project, Q2)
    assert read.findings == ()
    assert read.files == (ASC, WASTE)
    dataset = read.dataset
    assert dataset.period == Q2
    assert [r.display_name for r in dataset.returns] == [ASC, WASTE]
    # Catalogue order; ASC-02 is annual (due in Q4), so it is not expected in Q2.
    assert list(dataset.observations) == ["WR-01", "WR-02", "ASC-01", "ASC-03"]
    wr01 = dataset.observations["WR-01"]
    assert (wr01.value, wr01.source.file, wr01.source.sheet, wr01.source.cell) == (
        52.5,
        WASTE,
        "Return",
        "C9",
    )


def test_missing_return_for_a_service_with_something_due(project) -> None:
    service_return(project, Q2, "Waste")
    read = read_period(project, Q2)
    assert flat(read.findings) == [("missing-return", None, None, None, None)]
    finding = read.findings[0]
    assert finding.severity is Severity.WARNING
    assert finding.message == (
        "No return from Adult Social Care for Q2 2024/25 (2 indicators "
        "due). Ask the service for its return and save it in "
        "returns/Q2-2024."
    )
    assert finding.value == "Adult Social Care"


def test_a_service_with_nothing_due_is_not_chased(tmp_path: Path) -> None:
    library = {
        "ref": "LIB-01",
        "title": "Library visits (annual)",
        "priority": "greener",
        "service": "Libraries",
        "unit": "number",
        "polarity": "higher",
        "frequency": "annual",
    }
    project = make_project(tmp_path, [*INDICATORS, library])
    service_return(project, Q2, "Waste")
    service_return(project, Q2, "Adult Social Care")
    assert read_period(project, Q2).findings == ()
    for service in ("Waste", "Adult Social Care"):
        service_return(project, Q4, service)
    assert [f.value for f in read_period(project, Q4).findings] == ["Libraries"]


def test_missing_indicator_when_a_return_lacks_a_due_ref(project) -> None:
    service_return(project, Q2, "Waste", skip=["WR-02"])
    service_return(project, Q2, "Adult Social Care")
    read = read_period(project, Q2)
    assert flat(read.findings) == [("missing-indicator", WASTE, "Return", None, "WR-02")]
    assert read.findings[0].message == (
        "WR-02 (Missed bin collections per 100,000) is due this quarter but is not in this "
        "return. Add a row for it; if the figure is not available, set Data status to Not "
        "available."
    )


def test_an_annual_measure_is_expected_only_in_its_due_quarter(project) -> None:
    service_return(project, Q4, "Waste")
    service_return(project, Q4, "Adult Social Care", skip=["ASC-02"])
    read = read_period(project, Q4)
    assert flat(read.findings) == [
        ("missing-indicator", "returns/Q4-2024/adult-social-care.xlsx", "Return", None, "ASC-02")
    ]


def test_a_return_without_a_service_cell_is_matched_by_its_refs(project) -> None:
    write_return(project.returns_dir(Q2) / "bins.xlsx", [{"Ref": "WR-01", "Value": 50}])
    service_return(project, Q2, "Adult Social Care")
    assert flat(read_period(project, Q2).findings) == [
        ("missing-indicator", "returns/Q2-2024/bins.xlsx", "Return", None, "WR-02")
    ]


def test_duplicate_ref_across_files_keeps_the_first_file(project) -> None:
    service_return(project, Q2, "Waste", values={"WR-01": 40})
    service_return(project, Q2, "Adult Social Care", values={"WR-01": 99})
    read = read_period(project, Q2)
    duplicates = [f for f in read.findings if f.code == "duplicate-ref"]
    # adult-social-care.xlsx comes first in name order, so its figure is used.
    assert flat(duplicates) == [("duplicate-ref", WASTE, "Return", "C9", "WR-01")]
    assert duplicates[0].severity is Severity.ERROR
    assert duplicates[0].message.startswith(f"WR-01 is also returned by {ASC} (cell C11)")
    assert read.dataset.observations["WR-01"].value == 99


def test_owner_files_hidden_files_and_folders_are_skipped_other_files_are_reported(project) -> None:
    folder = project.returns_dir(Q2)
    service_return(project, Q2, "Waste")
    service_return(project, Q2, "Adult Social Care")
    (folder / "~$waste.xlsx").write_bytes(b"owner file")
    (folder / ".hidden.xlsx").write_bytes(b"junk")
    (folder / "archive").mkdir()
    write_return(folder / "archive" / "old.xlsx", [{"Ref": "XX-1", "Value": 1}])
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4")
    paths, ignored = list_return_files(folder)
    assert [p.name for p in paths] == ["adult-social-care.xlsx", "waste.xlsx"]
    assert [p.name for p in ignored] == ["notes.pdf"]
    read = read_period(project, Q2)
    assert flat(read.findings) == [("ignored-file", "returns/Q2-2024/notes.pdf", None, None, None)]
    assert read.findings[0].severity is Severity.INFO
    assert read.files == (ASC, WASTE)


# Said of a file by its name alone, before it is opened (test_reading_codes counts it as tested).
BY_NAME_CODES = ("excel-owner-file",)


def test_an_owner_file_named_alone_says_it_is_excels_for_the_workbook_not_a_return(
    project,
) -> None:
    folder = project.returns_dir(Q2)
    service_return(project, Q2, "Waste")
    # As Excel writes it beside an open workbook: the user's name, padded, in 165 bytes.
    owner = folder / "~$waste.xlsx"
    owner.write_bytes(b"\x0cMark Bennett".ljust(54, b" ") + bytes(111))
    read = validate_files(project, [owner, folder / "waste.xlsx"])
    assert read.files == ("returns/Q2-2024/~$waste.xlsx", WASTE)
    assert flat(read.findings) == [
        (BY_NAME_CODES[0], "returns/Q2-2024/~$waste.xlsx", None, None, None)
    ]
    assert read.findings[0].severity is Severity.ERROR
    assert read.findings[0].message == (
        "This is not a return but Excel's temporary owner file for the workbook "
        f"{WASTE}, kept while that workbook is open. Check the workbook itself instead, after "
        "saving it and closing it in Excel if it is open."
    )
    assert [r.display_name for r in read.dataset.returns] == [WASTE]


def test_other_spreadsheets_are_read_so_the_service_hears_to_resave_them(project) -> None:
    service_return(project, Q2, "Waste")
    service_return(project, Q2, "Adult Social Care")
    (project.returns_dir(Q2) / "highways.csv").write_text("Ref,Value\nHW-01,3\n", encoding="utf-8")
    read = read_period(project, Q2)
    assert read.files == (ASC, "returns/Q2-2024/highways.csv", WASTE)
    assert [(f.file, f.severity) for f in read.findings] == [
        ("returns/Q2-2024/highways.csv", Severity.ERROR)
    ]


def test_one_corrupt_file_does_not_stop_the_others(project) -> None:
    folder = project.returns_dir(Q2)
    service_return(project, Q2, "Waste")
    (folder / "adult-social-care.xlsx").write_bytes(b"PK\x03\x04 this is not really a zip")
    read = read_period(project, Q2)
    broken = [f for f in read.findings if f.file == ASC]
    assert broken and all(f.severity is Severity.ERROR for f in broken)
    assert set(read.dataset.observations) == {"WR-01", "WR-02"}
    missing = [f for f in read.findings if f.code == "missing-return"]
    assert missing[0].message.endswith(
        "If it is one of the 1 file(s) that could not be read, fix that first."
    )


def test_a_reader_failure_is_reported_and_the_rest_still_read(project, monkeypatch) -> None:
    import perfreport.inputs.returns as returns

    real = returns.read_return

    def flaky(path, *args, **kwargs):
        if path.name == "adult-social-care.xlsx":
            raise RuntimeError("boom")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(returns, "read_return", flaky)
    service_return(project, Q2, "Waste")
    service_return(project, Q2, "Adult Social Care")
    # The patch lives in this process, so read here rather than in worker processes.
    in_process = dataclasses.replace(
        project, limits=dataclasses.replace(project.limits, isolate=False)
    )
    read = read_period(in_process, Q2)
    unreadable = [f for f in read.findings if f.code == "unreadable-file"]
    assert flat(unreadable) == [("unreadable-file", ASC, None, None, None)]
    assert "(RuntimeError: boom)" in unreadable[0].message
    assert set(read.dataset.observations) == {"WR-01", "WR-02"}


def test_no_returns_folder(project) -> None:
    read = read_period(project, Q2)
    assert flat(read.findings) == [
        ("missing-return", None, None, None, None),
        ("missing-return", None, None, None, None),
        ("no-returns-folder", "returns/Q2-2024", None, None, None),
    ]
    assert read.files == ()


def test_an_unreadable_catalogue_stops_the_period(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    (tmp_path / "catalogue.xlsx").unlink()
    with pytest.raises(CatalogueError):
        read_period(project, Q2)


def test_progress_is_reported_per_file(project) -> None:
    service_return(project, Q2, "Waste")
    service_return(project, Q2, "Adult Social Care")
    calls = []
    read_period(project, Q2, progress=lambda done, total, name: calls.append((done, total, name)))
    # Files are read in parallel, so the middle calls depend on timing; the ends do not.
    assert calls[0] == (0, 2, ASC)
    assert calls[-1] == (2, 2, "")
    assert [done for done, _, _ in calls] == sorted({done for done, _, _ in calls})
    assert set(calls[1:-1]) <= {(1, 2, WASTE)}


# -- loose files ----------------------------------------------------------------------------


def test_loose_files_take_the_period_from_the_option(project, tmp_path: Path) -> None:
    emailed = write_return(
        tmp_path / "Downloads" / "waste (1).xlsx", [{"Ref": "WR-01", "Value": 50}], service="Waste"
    )
    read = validate_files(project, [emailed], Q2)
    assert read.dataset.period == Q2
    shown = emailed.as_posix()
    assert read.files == (shown,)
    assert flat(read.findings) == [("missing-indicator", shown, "Return", None, "WR-02")]


def test_loose_files_take_the_period_from_the_return_then_the_folder(
    project, tmp_path: Path
) -> None:
    from_cell = write_return(
        tmp_path / "a" / "waste.xlsx",
        [{"Ref": "WR-01", "Value": 5}, {"Ref": "WR-02", "Value": 5}],
        service="Waste",
        period="Q4-2024",
    )
    assert validate_files(project, [from_cell]).dataset.period == Q4
    in_folder = service_return(project, Q2, "Waste")
    read = validate_files(project, [in_folder, in_folder])  # named twice, read once
    assert read.files == (WASTE,)
    assert read.dataset.period == Q2


def test_a_loose_file_of_no_known_period_is_still_checked(project, tmp_path: Path) -> None:
    emailed = write_return(
        tmp_path / "Downloads" / "waste.xlsx", [{"Ref": "WR-01", "Value": 50}], service="Waste"
    )
    read = validate_files(project, [emailed])
    assert read.dataset.period is None
    shown = emailed.as_posix()
    # WR-02 is due every quarter, so it is missed whatever the period.
    assert flat(read.findings) == [
        ("missing-indicator", shown, "Return", None, "WR-02"),
        ("unknown-period", shown, "Return", None, None),
    ]
    document = findings_document(read.dataset.period, read.findings, read.files)
    assert (document["period"], document["period_label"]) == (None, None)


def test_findings_document(project) -> None:
    service_return(project, Q2, "Waste", skip=["WR-02"])
    read = read_period(project, Q2)
    document = findings_document(read.dataset.period, read.findings, read.files)
    assert document == {
        "schema": FINDINGS_SCHEMA,
        "period": "Q2-2024",
        "period_label": "Q2 2024/25",
        "files": [WASTE],
        "counts": {"error": 0, "warning": 2, "info": 0},
        "findings": [f.to_dict() for f in read.findings],
    }
    assert document["findings"][0] == {
        "code": "missing-return",
        "severity": "warning",
        "message": read.findings[0].message,
        "file": None,
        "sheet": None,
        "cell": None,
        "ref": None,
        "value": "Adult Social Care",
    }


def test_findings_document_without_files_is_builds_findings_json(project) -> None:
    read = read_period(project, Q2)
    document = findings_document(Q2, read.findings)
    assert list(document) == ["schema", "period", "period_label", "counts", "findings"]
    with_files = findings_document(Q2, read.findings, read.files)
    assert {**document, "files": list(read.files)} == with_files


def test_a_hidden_attribute_hides_a_file_on_windows(project) -> None:
    if os.name != "nt":
        pytest.skip("the hidden attribute exists only on Windows")
    import ctypes

    path = service_return(project, Q2, "Waste")
    ctypes.windll.kernel32.SetFileAttributesW(str(path), 2)
    assert list_return_files(project.returns_dir(Q2)) == ([], [])


def test_reading_periods_together_gives_what_reading_each_gives(project) -> None:
    q1 = Period(2024, 1)
    service_return(project, Q2, "Waste", values={"WR-01": 52.5, "WR-02": 61})
    service_return(project, q1, "Waste", values={"WR-01": "about 50", "WR-02": 60})
    service_return(project, q1, "Adult Social Care")
    together = read_periods(project, [Q2, q1, Period(2023, 4)])
    assert list(together) == [Q2, q1, Period(2023, 4)]
    for period, read in together.items():
        alone = read_period(project, period)
        assert read.findings == alone.findings
        assert read.files == alone.files
        assert dict(read.dataset.observations) == dict(alone.dataset.observations)
    assert "not-a-number" in {f.code for f in together[q1].findings}
    assert "no-returns-folder" in {f.code for f in together[Period(2023, 4)].findings}
