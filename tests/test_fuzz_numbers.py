"""Any number, anywhere (issue 17, items 1, 2 and 4): rated and shown, or refused by name.

Hypothesis runs values, targets, tolerances and decimals over the whole float range, numeric text
of any length, and every numeric setting of perfreport.toml over inf, nan, 1e308, 0 and negative
numbers. The runs are bounded and reproducible (the "fuzz" profile of test_fuzz.py).
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from projectfactory import make_project, service_return, write_config
from typer.testing import CliRunner

from perfreport.build import PdfMode, build_paper, summarise_period
from perfreport.cli import app
from perfreport.core.formatting import LARGEST_FIGURE, format_value
from perfreport.core.model import Polarity
from perfreport.core.periods import Period
from perfreport.core.project import (
    SETTING_BOUNDS,
    TOLERANCE_BOUNDS,
    ConfigError,
    Tolerance,
    parse_config,
)
from perfreport.inputs.cells import read_number
from perfreport.inputs.dataset import read_period
from perfreport.publish.export import csv_text, dataset_document
from perfreport.rating.rules import amber_threshold, display_round, rate_value
from perfreport.xlsx.workbook import SheetCell

FUZZ = settings(
    max_examples=int(os.environ.get("PERFREPORT_FUZZ_EXAMPLES", "200")),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
Q2 = Period(2024, 2)
ANY_FLOAT = st.floats(allow_nan=False, allow_infinity=False)
EVERY_FLOAT = st.floats()  # inf and nan too
DECIMALS = st.integers(min_value=0, max_value=6)
UNITS = st.sampled_from(["%", "number", "£", "£m", "days", "rate", "per 1,000"])


def cell(value: object, number_format: str = "General") -> SheetCell:
    data_type = "n" if isinstance(value, int | float) else "s"
    return SheetCell(value=value, data_type=data_type, number_format=number_format)


# -- item 1: what reading accepts is exactly what can be rated and shown ---------------------


@FUZZ
@given(value=EVERY_FLOAT, percent=st.booleans())
def test_a_number_cell_of_any_float_is_a_figure_or_a_problem(value, percent):
    number = read_number(cell(value, "0.0%" if percent else "General"))
    if number.problem is None:
        assert math.isfinite(number.value) and abs(number.value) < LARGEST_FIGURE
    else:
        assert number.value is None
        assert number.problem in ("not-a-number", "too-large")
        assert len(number.shown) < 80


NUMERIC_TEXT = st.builds(
    lambda sign, digits, fraction, percent: f"{sign}{digits}{fraction}{percent}",
    st.sampled_from(["", "-", "+", "\u2212", "£"]),
    st.text("0123456789", min_size=1, max_size=2000),
    st.one_of(st.just(""), st.text("0123456789", max_size=500).map(lambda d: "." + d)),
    st.sampled_from(["", "%"]),
)


@FUZZ
@given(text=NUMERIC_TEXT)
def test_numeric_text_of_any_length_is_a_figure_or_too_large(text):
    number = read_number(cell(text))
    digits = text.lstrip("-+\u2212£").rstrip("%").split(".")[0].lstrip("0")
    if len(digits) > 15:
        assert number.problem == "too-large"
    if number.problem is None:
        assert abs(number.value) < LARGEST_FIGURE
        format_value(number.value, "%", 6)  # and it can be shown
    else:
        assert number.problem == "too-large"
        assert len(number.shown) < 80  # the message quotes the start and the length


@FUZZ
@given(
    value=ANY_FLOAT,
    target=ANY_FLOAT,
    tolerance=st.one_of(
        st.floats(min_value=0, max_value=TOLERANCE_BOUNDS[True][1]).map(
            lambda a: Tolerance(a, True)
        ),
        st.floats(min_value=0, max_value=TOLERANCE_BOUNDS[False][1]).map(
            lambda a: Tolerance(a, False)
        ),
    ),
    decimals=DECIMALS,
    polarity=st.sampled_from([Polarity.HIGHER, Polarity.LOWER]),
    unit=UNITS,
)
def test_rating_and_showing_never_fail_over_the_whole_float_range(
    value, target, tolerance, decimals, polarity, unit
):
    class Measure:  # what amber_threshold reads of an indicator
        ref = "X-01"

    Measure.polarity = polarity
    edge = amber_threshold(target, Measure, tolerance)
    assert math.isfinite(edge)
    rag = rate_value(value, target, edge, polarity, decimals)
    assert rag is not None
    shown = format_value(value, unit, decimals)
    assert shown and "nan" not in shown.lower() and "inf" not in shown.lower()
    assert display_round(value, decimals) == display_round(value, decimals)


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        (1e30, "1e+30"),
        (-1e15, "-1e+15"),
        ("1" * 400, "1" * 30 + "… (400 characters)"),
        ("9" * 16, "9" * 16),
        ("1e999", None),  # not a number at all: not-a-number, as before
    ],
)
def test_a_huge_value_is_refused_by_name_and_the_quarter_still_builds(tmp_path, typed, shown):
    project = make_project(tmp_path / "project")
    service_return(project, Q2, "Waste", values={"WR-02": typed})
    read = read_period(project, Q2)
    (found,) = [f for f in read.findings if f.ref == "WR-02"]
    if shown is None:
        assert found.code == "not-a-number"
    else:
        assert found.code == "out-of-range"
        assert found.message == (
            f"Cell C10: the value {shown} is too large to be a performance figure (perfreport "
            "reads figures up to 999,999,999,999,999 in size). Check the figure."
        )
    # Before, summary, export and build crashed with decimal.InvalidOperation.
    summary = summarise_period(project, Q2)
    assert "WR-02" in csv_text(summary)
    assert dataset_document(summary)["period"] == "Q2-2024"
    result = build_paper(project, Q2, pdf=PdfMode.OFF)
    assert not result.published  # an error blocks the paper, with a reason, not a traceback
    assert "must be fixed" in result.reason


@pytest.mark.parametrize("target", ["1" * 400, 1e300, "-" + "9" * 20])
def test_a_huge_target_in_the_catalogue_is_a_catalogue_finding(tmp_path, target):
    from projectfactory import INDICATORS

    indicators = [dict(i) for i in INDICATORS]
    indicators[1]["target"] = target
    project = make_project(tmp_path / "project", indicators)
    service_return(project, Q2, "Waste", values={"WR-02": 75})
    summary = summarise_period(project, Q2)
    codes = {(f.code, f.ref) for f in summary.findings}
    assert ("catalogue-bad-number", "WR-02") in codes
    assert build_paper(project, Q2, pdf=PdfMode.OFF).reason  # refused, with a reason


# -- items 2 and 4: every numeric setting is finite and in its documented range ---------------

BASE = {"council": {"name": "Test Council"}, "priorities": [{"key": "a", "name": "A"}]}
NUMERIC = sorted(SETTING_BOUNDS)
ODD = st.one_of(
    st.sampled_from([math.inf, -math.inf, math.nan, 1e308, -1e308, 0.0, -0.0, -1.0, 1e-308]),
    st.floats(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
)


@FUZZ
@given(key=st.sampled_from(NUMERIC), raw=ODD)
def test_a_numeric_setting_is_in_its_documented_range_or_refused_naming_the_key(key, raw):
    section, name = key.split(".")
    from perfreport.core import project as settings_module

    classes = {
        "validation": settings_module.ValidationSettings,
        "limits": settings_module.LimitSettings,
        "performance": settings_module.PerformanceSettings,
    }
    default = getattr(classes[section](), name)
    if isinstance(default, int) and isinstance(raw, float):
        raw = int(raw) if math.isfinite(raw) and raw.is_integer() else raw
    low, high = SETTING_BOUNDS[key]
    try:
        project = parse_config({**BASE, section: {name: raw}}, Path("perfreport.toml"))
    except ConfigError as error:
        assert error.key == key
        if (
            isinstance(raw, int | float)
            and type(raw) is type(default)
            or (isinstance(default, float) and isinstance(raw, int))
        ):
            assert not (math.isfinite(raw) and low <= raw <= high)
            assert "must be a number from" in error.detail
        return
    value = getattr(getattr(project, section if section != "returns" else "returns_settings"), name)
    assert math.isfinite(value) and low <= value <= high


@FUZZ
@given(key=st.sampled_from(["amber_tolerance", "no_change_band"]), raw=ODD, percent=st.booleans())
def test_a_tolerance_is_finite_and_in_range_or_refused_naming_the_key(key, raw, percent):
    typed = f"{raw}%" if percent and isinstance(raw, int | float) else raw
    try:
        project = parse_config({**BASE, "rating": {key: typed}}, Path("perfreport.toml"))
    except ConfigError as error:
        assert error.key == f"rating.{key}"
        return
    tolerance = getattr(project.rating, key)
    low, high = TOLERANCE_BOUNDS[tolerance.percent]
    assert math.isfinite(tolerance.amount) and low <= tolerance.amount <= high


@pytest.mark.parametrize(
    ("setting", "key"),
    [
        ("[rating]\namber_tolerance = inf", "rating.amber_tolerance"),
        ("[rating]\namber_tolerance = nan", "rating.amber_tolerance"),
        ("[rating]\nno_change_band = 1e308", "rating.no_change_band"),
        ("[limits]\nmax_compression_ratio = nan", "limits.max_compression_ratio"),
        ("[limits]\nparse_timeout_seconds = nan", "limits.parse_timeout_seconds"),
        ("[limits]\nparse_timeout_seconds = 0", "limits.parse_timeout_seconds"),
        ("[limits]\nmax_file_bytes = 0", "limits.max_file_bytes"),
        ("[validation]\nimplausible_factor = -inf", "validation.implausible_factor"),
        ("[performance]\nworkers = -1", "performance.workers"),
    ],
)
def test_the_cli_refuses_a_setting_toml_allows_with_exit_2_naming_it(tmp_path, setting, key):
    write_config(tmp_path, extra=setting + "\n")
    result = CliRunner().invoke(
        app, ["validate", "Q2-2024", "--project", str(tmp_path)], env={"COLUMNS": "300"}
    )
    assert result.exit_code == 2, result.output
    assert f"key '{key}'" in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_max_compression_ratio_nan_can_no_longer_switch_off_the_zip_bomb_check(tmp_path):
    import dataclasses
    import zipfile

    from perfreport.core.project import LimitSettings, load_project
    from perfreport.xlsx.package import check_package

    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<a>" + b" " * (30 * 2**20) + b"</a>")
    data = bomb.read_bytes()
    assert "zip bomb" in check_package(data, LimitSettings()).fields["problem"]
    # With nan every comparison is false: the check passed the bomb. nan is now refused.
    off = dataclasses.replace(LimitSettings(), max_compression_ratio=math.nan)
    assert check_package(data, off) is None or "zip bomb" not in str(check_package(data, off))
    write_config(tmp_path / "p", extra="[limits]\nmax_compression_ratio = nan\n")
    with pytest.raises(ConfigError, match="max_compression_ratio.*from 1 to 10,000, got nan"):
        load_project(tmp_path / "p")
