"""The values that flow between stages: indicators, the catalogue, returns and the dataset."""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import MappingProxyType

from perfreport.core.findings import Finding
from perfreport.core.periods import Period
from perfreport.core.targets import QuarterTarget, TargetProfile, quarter_target


def normalise_heading(text: object) -> str:
    """Match headings ignoring case, spaces and punctuation: 'Data status' == 'DATA_STATUS'."""
    if type(text) is str:
        return _normalised(text)
    return _NOT_WORD.sub("", str(text or "")).casefold()


_NOT_WORD = re.compile(r"[\W_]+")


@functools.lru_cache(maxsize=8192)  # headings, labels and services: the same few, many times
def _normalised(text: str) -> str:
    return _NOT_WORD.sub("", text).casefold()


class Polarity(enum.StrEnum):
    """Good is: higher, lower, or none (a context measure with no judgement)."""

    HIGHER = "higher"
    LOWER = "lower"
    NONE = "none"

    @property
    def good_is(self) -> str:
        return {"higher": "Higher", "lower": "Lower", "none": "n/a (context)"}[self.value]


class Frequency(enum.StrEnum):
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"
    HALF_YEARLY = "half-yearly"
    ANNUAL = "annual"


class DataStatus(enum.StrEnum):
    FINAL = "Final"
    PROVISIONAL = "Provisional"
    ESTIMATED = "Estimated"
    NOT_AVAILABLE = "Not available"
    IN_ARREARS = "In arrears"  # the figure is for the indicator's previous due period


class Display(enum.StrEnum):
    """How a figure is shown: in full (£149,600), or compact (£150k, £1.2m; money only)."""

    FULL = "full"
    COMPACT = "compact"


_COMPACT = Display.COMPACT


class RAG(enum.StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"

    @property
    def word(self) -> str:
        # Asked for every rating and row; Enum.value is a Python descriptor, a dict is not.
        return _RAG_WORDS[self]


_RAG_WORDS = {rag: rag.value.capitalize() for rag in RAG}


@dataclass(frozen=True)
class Priority:
    """A Council Plan priority; the order in perfreport.toml is the order in the paper."""

    key: str
    name: str
    supporting: bool = False


@dataclass(frozen=True)
class Directorate:
    """A directorate from perfreport.toml's optional [[directorates]], in the paper's order."""

    key: str
    name: str


@dataclass(frozen=True)
class Indicator:
    """One row of the catalogue."""

    ref: str
    title: str
    priority: str  # the priority's key
    service: str
    polarity: Polarity
    unit: str = "number"
    decimals: int = 0
    frequency: Frequency = Frequency.QUARTERLY
    due: tuple[int, ...] = (1, 2, 3, 4)  # quarters in which a figure arrives
    rated: bool = True
    target: float | None = None
    amber: float | None = None
    directorate: str = ""  # its name as perfreport.toml lists it, else as written
    lead_officer: str = ""
    definition: str = ""
    source: str = ""  # where the figure comes from: "DfE SEN2 return" (Appendix C)
    comparable_from: Period | None = None
    display: Display = Display.FULL  # compact also sets the precision the figure is rated at
    row: int | None = None  # catalogue row, for findings

    @property
    def is_percent(self) -> bool:
        return self.unit.strip() == "%"

    @property
    def compact(self) -> bool:
        # Asked for every figure shown (~175,000 times at 100x): a member read through its class
        # is slow in Python 3.11 (EnumType has a __getattr__), a module name is not.
        return self.display is _COMPACT

    def is_due(self, period: Period) -> bool:
        return period.quarter in self.due


@dataclass(frozen=True)
class YearTarget:
    """A row of the catalogue's Targets sheet: a target for one financial year."""

    ref: str
    year: int  # the financial year's first year: 2024 for 2024/25
    target: float | None
    amber: float | None = None
    # Q1–Q4 as typed (None where blank; () when the row has no quarter columns filled), and the
    # Profile: the quarters' own targets, used by quarter_target.
    quarters: tuple[float | None, ...] = ()
    profile: TargetProfile | None = None


@dataclass(frozen=True)
class Catalogue:
    indicators: tuple[Indicator, ...]
    targets: tuple[YearTarget, ...] = ()
    path: Path | None = None

    @cached_property
    def by_ref(self) -> Mapping[str, Indicator]:
        return MappingProxyType({i.ref: i for i in self.indicators})

    @cached_property
    def services(self) -> tuple[str, ...]:
        """Services in catalogue order, each once."""
        return tuple(dict.fromkeys(i.service for i in self.indicators))

    @cached_property
    def by_service(self) -> Mapping[str, tuple[Indicator, ...]]:
        """Each service's indicators, in catalogue order (lookups stay linear at any scale)."""
        groups: dict[str, list[Indicator]] = {}
        for indicator in self.indicators:
            groups.setdefault(indicator.service, []).append(indicator)
        return MappingProxyType({k: tuple(v) for k, v in groups.items()})

    @cached_property
    def by_folded_ref(self) -> Mapping[str, Indicator]:
        """Refs as a return may type them: any case, spaces folded (" asc-01 " is ASC-01)."""
        return MappingProxyType({" ".join(i.ref.split()).casefold(): i for i in self.indicators})

    @cached_property
    def position(self) -> Mapping[str, int]:
        """Each ref's place in the catalogue, to put any selection back in catalogue order."""
        return MappingProxyType({i.ref: n for n, i in enumerate(self.indicators)})

    @cached_property
    def service_keys(self) -> Mapping[str, str]:
        """Service names as a return may spell them (case, spaces, punctuation ignored)."""
        return MappingProxyType({normalise_heading(s): s for s in reversed(self.services) if s})

    @cached_property
    def _year_targets(self) -> Mapping[tuple[str, int], YearTarget]:
        found: dict[tuple[str, int], YearTarget] = {}
        for row in self.targets:
            found.setdefault((row.ref, row.year), row)  # the first row for a year wins
        return MappingProxyType(found)

    def __getstate__(self) -> dict:
        # Cached lookups hold MappingProxyType, which cannot be pickled (for worker processes);
        # they are rebuilt on first use.
        return {
            k: v
            for k, v in self.__dict__.items()
            if k
            not in (
                "by_ref",
                "services",
                "by_service",
                "by_folded_ref",
                "_year_targets",
                "position",
                "service_keys",
                "_default_targets",
            )
        }

    def target_for(self, ref: str, year: int) -> tuple[float | None, float | None]:
        """(target, amber) for a financial year: the Targets sheet, else the catalogue default."""
        row = self._year_targets.get((ref, year))
        if row is not None:
            return row.target, row.amber
        indicator = self.by_ref[ref]
        return indicator.target, indicator.amber

    def quarter_target(self, ref: str, period: Period) -> QuarterTarget:
        """What a figure for ``period`` is rated against: the quarter's own target where the
        Targets sheet gives one (Q1–Q4, or a profile), else the year's (as ``target_for``)."""
        row = self._year_targets.get((ref, period.year))
        if row is None:  # the catalogue's default, the same every year: made once a measure
            found = self._default_targets.get(ref)
            if found is None:
                indicator = self.by_ref[ref]
                found = self._default_targets[ref] = QuarterTarget(
                    indicator.target, indicator.amber
                )
            return found
        return quarter_target(row.target, row.amber, period.quarter, row.quarters, row.profile)

    @cached_property
    def _default_targets(self) -> dict[str, QuarterTarget]:
        # quarter_target asks ~90,000 times at 100x (rating, trends): a QuarterTarget is frozen.
        return {}


@dataclass(frozen=True)
class CellRef:
    """Where a value came from."""

    file: str
    sheet: str
    cell: str


@dataclass(frozen=True)
class Observation:
    """One indicator's row in a return: the value as read, with its provenance."""

    ref: str
    value: float | None
    data_status: DataStatus = DataStatus.FINAL
    numerator: float | None = None
    denominator: float | None = None
    target: float | None = None
    commentary: str = ""
    actions: str = ""
    forecast_rag: RAG | None = None
    rag_override: RAG | None = None
    override_reason: str = ""
    source: CellRef | None = None  # the Value cell
    # The row's Actions cell (as "O10"), where the return has an Actions column: a Red or Amber
    # row with no actions is reported there, the cell to fill in.
    actions_cell: str | None = None
    # The period the figure is for when it is not the return's own (Period of data, or Data
    # status "In arrears"): an annual outturn sent a quarter late, waste data a quarter behind.
    data_period: Period | None = None


@dataclass(frozen=True)
class ReturnFile:
    """One service's return workbook as read."""

    path: Path
    display_name: str  # the file as findings name it (relative to the project where possible)
    sheet: str | None = None
    service: str | None = None
    period: Period | None = None
    submitted_by: str = ""
    submitted_on: str = ""
    observations: tuple[Observation, ...] = ()
    modified: float | None = None  # the file's modification time (epoch seconds)


@dataclass(frozen=True)
class Benchmark:
    """A row of benchmarks.csv/xlsx: how a comparator group did on an indicator in a period."""

    ref: str
    comparator: str  # "England median", "CIPFA nearest neighbours median"
    period: Period  # the last quarter it covers: Q4-2022 for the financial year 2022/23
    period_label: str  # as the paper names it: "2022/23", or "Q2 2024/25" for a quarter
    value: float
    lower_quartile: float | None = None
    upper_quartile: float | None = None
    source: CellRef | None = None  # the Value cell


@dataclass(frozen=True)
class Dataset:
    """Everything read for one period: the catalogue and the accepted observations by ref."""

    period: Period | None  # None only for loose files (validate FILE...) of no known period
    catalogue: Catalogue
    returns: tuple[ReturnFile, ...] = ()
    observations: Mapping[str, Observation] = field(default_factory=lambda: MappingProxyType({}))
    benchmarks: tuple[Benchmark, ...] = ()  # benchmarks.csv or .xlsx, in file order


@dataclass(frozen=True)
class PeriodRead:
    """The result of reading a period: the dataset and every finding on the way."""

    dataset: Dataset
    findings: tuple[Finding, ...]
    files: tuple[str, ...] = ()  # the return files checked, as findings name them

    @property
    def has_returns(self) -> bool:
        """Whether any return was read (a folder emptied of them, or with other files only:
        not). Figures with no file count too: a library caller's reader may make them."""
        return bool(self.files or self.dataset.observations)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")
