"""A performance project: the folder with perfreport.toml, its settings and where its files live."""

from __future__ import annotations

import math
import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from perfreport.core.filenames import command_argument
from perfreport.core.glossary import Glossary, GlossaryError, parse_glossary
from perfreport.core.model import Directorate, Priority, normalise_heading  # noqa: F401
from perfreport.core.paper_settings import GroupBy, PaperSettings
from perfreport.core.periods import Period, wrong_weekday
from perfreport.core.toml_advice import toml_problem

CONFIG_NAME = "perfreport.toml"


class ConfigError(ValueError):
    """perfreport.toml (or another configuration file) cannot be used; the CLI exits 2."""

    def __init__(self, message: str, file: Path | str | None = None, key: str | None = None):
        self.file = str(file) if file is not None else None
        self.key = key
        where = ", ".join(p for p in (self.file, key and f"key '{key}'") if p)
        super().__init__(f"{where}: {message}" if where else message)
        self.detail = message


# The range of every numeric setting (docs/security.md lists them): anything else, infinity and
# NaN included (TOML allows both), is a ConfigError naming the key. A limit of nan would switch
# its check off (every comparison with NaN is false), and inf or 1e308 breaks the arithmetic.
TOLERANCE_BOUNDS = {False: (0.0, 1e12), True: (0.0, 1000.0)}  # an amount; a percentage
SETTING_BOUNDS: dict[str, tuple[float, float]] = {
    "validation.commentary_word_limit": (1, 100_000),
    "validation.implausible_factor": (1.0, 1_000_000.0),
    "limits.max_file_bytes": (1024, 1024**3),
    "limits.max_zip_members": (10, 100_000),
    "limits.max_uncompressed_bytes": (1024, 4 * 1024**3),
    "limits.max_compression_ratio": (1.0, 10_000.0),
    "limits.max_sheet_cells": (100, 100_000_000),
    "limits.max_cell_chars": (100, 32_767),
    "limits.max_catalogue_rows": (1, 100_000),
    "limits.parse_timeout_seconds": (1.0, 3600.0),
    "limits.parse_memory_mb": (0, 65_536),  # 0: no memory limit
    "performance.workers": (0, 256),  # 0: perfreport chooses (inputs.workers.worker_count)
}


def _in_range(
    value: float, bounds: tuple[float, float], file: Path | str | None, key: str, unit: str = ""
) -> float:
    low, high = bounds
    if not math.isfinite(value) or not low <= value <= high:
        raise ConfigError(
            f"must be a number from {_shown(low)}{unit} to {_shown(high)}{unit}, "
            f"got {_shown(value)}{unit}",
            file,
            key,
        )
    return value


def _shown(value: float) -> str:
    """1,073,741,824 or 0.5 or inf: a number as the message shows it."""
    if math.isfinite(value) and float(value).is_integer() and abs(value) < 1e16:
        return f"{int(value):,}"
    return repr(float(value)) if math.isfinite(value) else str(value)


@dataclass(frozen=True)
class Tolerance:
    """An Amber tolerance: a percentage of |target| ("5%") or an absolute distance (2.5)."""

    amount: float
    percent: bool

    @classmethod
    def parse(cls, raw: object, *, file: Path | str | None = None, key: str = "") -> Tolerance:
        if isinstance(raw, bool):
            raise ConfigError(
                f'expected a number or a percentage like "5%", got {raw!r}', file, key
            )
        if isinstance(raw, int | float):
            return cls(_in_range(float(raw), TOLERANCE_BOUNDS[False], file, key), False)
        if isinstance(raw, str):
            match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(%?)\s*", raw)
            if match:
                percent = bool(match[2])
                amount = _in_range(float(match[1]), TOLERANCE_BOUNDS[percent], file, key, match[2])
                return cls(amount, percent)
        raise ConfigError(f'expected a number or a percentage like "5%", got {raw!r}', file, key)

    def distance(self, target: float) -> float:
        """How far the Amber band reaches from the target (zero target + percentage: no band)."""
        return abs(target) * self.amount / 100 if self.percent else self.amount

    def __str__(self) -> str:
        return f"{self.amount:g}%" if self.percent else f"{self.amount:g}"


# [rating] long_term: how the long-term direction of travel is judged.
LONG_TERM_CHOICES = ("year", "trend")


@dataclass(frozen=True)
class RatingSettings:
    amber_tolerance: Tolerance = Tolerance(5.0, True)
    no_change_band: Tolerance = Tolerance(0.0, False)
    # "year": this quarter against the same quarter last year; "trend": the least-squares line
    # through the last ``trend_points`` figures (Kent's way), within the same no-change band.
    long_term: str = "year"
    trend_points: int = 8


@dataclass(frozen=True)
class ValidationSettings:
    commentary_word_limit: int = 250
    implausible_factor: float = 10.0


@dataclass(frozen=True)
class PathSettings:
    catalogue: str = "catalogue.xlsx"
    returns: str = "returns/{period}"
    report: str = "reports/{period}.toml"
    build: str = "build/{period}"
    template: str = ""
    html_template: str = ""  # the web page's template (perfreport template export --html)
    forms: str = "forms/{period}"  # blank return workbooks for services (perfreport returns)
    history: str = "history/{period}"  # past figures imported (perfreport history import)


@dataclass(frozen=True)
class LimitSettings:
    """Bounds checked before a workbook is parsed (see docs/security.md)."""

    max_file_bytes: int = 20 * 1024 * 1024
    max_zip_members: int = 1000
    max_uncompressed_bytes: int = 200 * 1024 * 1024
    max_compression_ratio: float = 200.0
    max_sheet_cells: int = 500_000
    max_cell_chars: int = 32_767
    # Indicators in the catalogue: a large council has a few hundred; 100,000 took 90 s and 2.8 GB.
    max_catalogue_rows: int = 5_000
    parse_timeout_seconds: float = 60.0
    parse_memory_mb: int = 1024
    # Read each return in a worker process with the time and memory limits above, so that one
    # hostile file cannot crash or hang the run. Turn off only to debug the reader.
    isolate: bool = True


@dataclass(frozen=True)
class PerformanceSettings:
    """Speed without changing any result (see bench/README.md)."""

    cache: bool = True  # keep read returns in build/.cache, keyed by content (never stale)
    workers: int = 0  # worker processes reading returns; 0: one per core, one per 50 returns


@dataclass(frozen=True)
class BenchmarkSettings:
    """``[benchmarks]``: how close to the comparator a figure is "Similar" (docs/benchmarks.md)."""

    # "5%": within 5% of the comparator's value; 2.5: within 2.5 in the measure's own unit.
    similar_band: Tolerance = Tolerance(5.0, True)


@dataclass(frozen=True)
class ReturnsSettings:
    deadline: str = ""
    contact: str = ""


@dataclass(frozen=True)
class Project:
    """A loaded perfreport.toml; every path is resolved against ``root``."""

    root: Path
    council: str
    title: str
    priorities: tuple[Priority, ...]
    directorates: tuple[Directorate, ...] = ()  # optional; empty: as the catalogue names them
    rating: RatingSettings = RatingSettings()
    validation: ValidationSettings = ValidationSettings()
    paths: PathSettings = PathSettings()
    limits: LimitSettings = LimitSettings()
    returns_settings: ReturnsSettings = ReturnsSettings()
    performance: PerformanceSettings = PerformanceSettings()
    paper: PaperSettings = PaperSettings()
    benchmarks: BenchmarkSettings = BenchmarkSettings()
    glossary: Glossary = Glossary()  # [glossary]: abbreviations the paper expands on first use
    config_path: Path = field(default=Path(CONFIG_NAME))

    def _path(self, pattern: str, period: Period | None) -> Path:
        text = pattern.replace("{period}", period.key) if period is not None else pattern
        path = Path(text)
        return path if path.is_absolute() else self.root / path

    @property
    def catalogue_path(self) -> Path:
        """catalogue.xlsx, or catalogue.csv when only that exists."""
        path = self._path(self.paths.catalogue, None)
        if not path.exists() and path.suffix.lower() == ".xlsx":
            csv = path.with_suffix(".csv")
            if csv.exists():
                return csv
        return path

    def returns_dir(self, period: Period) -> Path:
        return self._path(self.paths.returns, period)

    def report_path(self, period: Period) -> Path:
        return self._path(self.paths.report, period)

    def build_dir(self, period: Period) -> Path:
        return self._path(self.paths.build, period)

    def forms_dir(self, period: Period) -> Path:
        return self._path(self.paths.forms, period)

    def history_dir(self, period: Period) -> Path:
        """Where a quarter's imported past figures are kept, as a published dataset.json."""
        return self._path(self.paths.history, period)

    @property
    def cache_dir(self) -> Path:
        """Where read returns are cached (beside the build folders, like the lock)."""
        return self.root / "build" / ".cache" / "returns"

    @property
    def template_path(self) -> Path | None:
        return self._path(self.paths.template, None) if self.paths.template else None

    @property
    def html_template_path(self) -> Path | None:
        paths = self.paths
        return self._path(paths.html_template, None) if paths.html_template else None

    def priority(self, key_or_name: str) -> Priority | None:
        """Find a priority by key or name, ignoring case, spaces and punctuation."""
        wanted = normalise_heading(key_or_name)
        for priority in self.priorities:
            if wanted in (normalise_heading(priority.key), normalise_heading(priority.name)):
                return priority
        return None

    def directorate(self, key_or_name: str) -> Directorate | None:
        """Find a configured directorate by key or name, ignoring case, spaces and punctuation."""
        wanted = normalise_heading(key_or_name)
        for directorate in self.directorates:
            if wanted in (normalise_heading(directorate.key), normalise_heading(directorate.name)):
                return directorate
        return None

    def display(self, path: Path) -> str:
        """A path as findings show it: relative to the project root, with forward slashes."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return path.name

    def same_file(self, first: str, second: str) -> bool:
        """Whether two names of a file, as findings and records give them (relative to the
        project root, or absolute), name the same file: "./history/past-figures.xlsx", the
        absolute path and, on Windows, another case or backslashes are all
        "history/past-figures.xlsx"."""
        if first == second:
            return True
        if not first or not second:
            return False
        try:
            root = self.root.resolve()
            return os.path.normcase((root / first).resolve()) == os.path.normcase(
                (root / second).resolve()
            )
        except (OSError, ValueError, RuntimeError):  # a NUL in a name; a loop of links
            return False


def find_project_root(start: Path | str | None = None) -> Path:
    """The folder holding perfreport.toml: ``start`` itself, or its nearest parent (like git)."""
    here = Path(start) if start is not None else Path.cwd()
    here = here.resolve()
    if here.is_file():
        here = here.parent
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise ConfigError(
        f"no {CONFIG_NAME} here or in any parent folder of {here}. Run perfreport inside a "
        "performance project, pass --project DIR, or create one with 'perfreport init DIR'."
    )


def load_project(path: Path | str | None = None) -> Project:
    """Load the project at ``path`` (a folder or its perfreport.toml), or found from the cwd."""
    if path is not None and Path(path).is_file():
        config = Path(path).resolve()
        if config.suffix.lower() != ".toml":
            raise ConfigError(_not_a_project(Path(path), is_file=True), path)
    elif path is not None:
        folder = Path(path)
        config = (folder / CONFIG_NAME).resolve()
        if not config.is_file():
            raise ConfigError(_not_a_project(folder, is_file=False), folder)
    else:
        config = find_project_root() / CONFIG_NAME
    return parse_config(read_toml(config), config)


def _not_a_project(given: Path, *, is_file: bool) -> str:
    """Why --project ``given`` is no project, and what to give instead: the project that holds
    it, when there is one (a returns folder, the catalogue), else how to make one."""
    try:
        root = find_project_root(given)
    except ConfigError:
        root = None
    if root is not None:
        if is_file:
            what = (
                "is a file, and --project takes the project's folder (the one with "
                f"{CONFIG_NAME}); the file is in the project"
            )
        elif given.exists():
            what = "this folder is inside the project"
        else:  # a typo inside a project: no advice to init a project within the project
            what = "there is no such folder, and it would be inside the project"
        here = Path.cwd().resolve()
        if root == here or root in here.parents:
            return (
                f"{what} {root}, which perfreport finds by itself from the current folder: "
                "leave out --project."
            )
        try:
            shown = str(root.relative_to(here))
        except ValueError:
            shown = str(root)
        return f"{what} {shown}: use --project {command_argument(shown)}."
    if is_file:
        return (
            f"is a file, and --project takes the project's folder, the one with {CONFIG_NAME}. "
            "Check the folder given to --project."
        )
    problem = (
        "there is no such folder" if not given.exists() else f"there is no {CONFIG_NAME} in {given}"
    )
    return (
        f"{problem}. Check the folder given to --project, or create a project there with "
        f"'perfreport init {command_argument(str(given))}'."
    )


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file's content; one that cannot be read or parsed is a ConfigError naming it."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot be read: {exc}", path) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(toml_problem(text, exc), path) from None


_SECTIONS = {
    "council",
    "report",
    "priorities",
    "directorates",
    "rating",
    "validation",
    "paths",
    "limits",
    "returns",
    "performance",
    "paper",
    "benchmarks",
    "glossary",
}


def _table(data: dict[str, Any], name: str, file: Path) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise ConfigError(f"must be a table ([{name}])", file, name)
    return value


def _check_keys(table: dict[str, Any], allowed: set[str], section: str, file: Path) -> None:
    for key in table:
        if key not in allowed:
            top = section == "top level"  # named as written: [ratings], not "top level.ratings"
            raise ConfigError(
                f"unknown setting. Allowed {'at the top level' if top else f'in [{section}]'}: "
                f"{', '.join(sorted(allowed))}.",
                file,
                key if top else f"{section}.{key}",
            )


def _typed(cls: type, table: dict[str, Any], section: str, file: Path, **special: Any) -> Any:
    """Build a settings dataclass from a TOML table, naming the key on any wrong type."""
    names = {f.name: f for f in fields(cls)}
    _check_keys(table, set(names), section, file)
    values: dict[str, Any] = {}
    for key, raw in table.items():
        if key in special:
            values[key] = special[key](raw, f"{section}.{key}")
            continue
        default = getattr(cls(), key)
        expected = type(default)
        if expected is float and isinstance(raw, int) and not isinstance(raw, bool):
            raw = float(raw)
        if not isinstance(raw, expected) or isinstance(raw, bool) != isinstance(default, bool):
            raise ConfigError(
                f"expected {expected.__name__}, got {type(raw).__name__} {raw!r}",
                file,
                f"{section}.{key}",
            )
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            bounds = SETTING_BOUNDS.get(f"{section}.{key}")
            if bounds is not None:
                _in_range(raw, bounds, file, f"{section}.{key}")
        values[key] = raw
    return cls(**values)


def _named_list(
    data: dict[str, Any], name: str, file: Path, *, required: bool = False
) -> list[tuple[str, str, dict[str, Any]]]:
    """``[[priorities]]`` or ``[[directorates]]``: each entry's key, name and table, in order;
    a missing or twice-used key or name is a ConfigError naming the entry."""
    raw = data.get(name)
    if raw is None and not required:
        return []
    if not isinstance(raw, list) or not raw:
        raise ConfigError(
            f"at least one [[{name}]] entry with key and name is required", file, name
        )
    singular = "priority" if name == "priorities" else "directorate"
    allowed = {"key", "name", "supporting"} if name == "priorities" else {"key", "name"}
    entries: list[tuple[str, str, dict[str, Any]]] = []
    seen: set[str] = set()
    for number, entry in enumerate(raw, start=1):
        where = f"{name}[{number}]"
        if not isinstance(entry, dict):
            raise ConfigError("must be a table with key and name", file, where)
        _check_keys(entry, allowed, where, file)
        key, title = entry.get("key"), entry.get("name")
        if not isinstance(key, str) or not key.strip():
            raise ConfigError("is required and must be text", file, f"{where}.key")
        if not isinstance(title, str) or not title.strip():
            raise ConfigError("is required and must be text", file, f"{where}.name")
        if not isinstance(entry.get("supporting", False), bool):
            raise ConfigError("must be true or false", file, f"{where}.supporting")
        if normalise_heading(key) in seen:
            raise ConfigError(f"{singular} key '{key}' is used twice", file, f"{where}.key")
        seen.add(normalise_heading(key))
        entries.append((key.strip(), title.strip(), entry))
    return entries


def parse_config(data: dict[str, Any], file: Path) -> Project:
    """Turn parsed TOML into a Project; unknown keys and wrong types are ConfigErrors."""
    _check_keys(data, _SECTIONS, "top level", file)
    council = _table(data, "council", file)
    _check_keys(council, {"name"}, "council", file)
    report = _table(data, "report", file)
    _check_keys(report, {"title"}, "report", file)
    name = council.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(
            'is required: the council\'s name, e.g. "Somerset Council"', file, "council.name"
        )
    title = report.get("title", "Corporate Performance Management Report")
    if not isinstance(title, str) or not title.strip():
        raise ConfigError("must be text", file, "report.title")

    priorities = [
        Priority(key, name, bool(entry.get("supporting", False)))
        for key, name, entry in _named_list(data, "priorities", file, required=True)
    ]
    directorates = [
        Directorate(key, name) for key, name, _ in _named_list(data, "directorates", file)
    ]

    def tolerance(raw: object, key: str) -> Tolerance:
        return Tolerance.parse(raw, file=file, key=key)

    def long_term(raw: object, key: str) -> str:
        if raw not in LONG_TERM_CHOICES:
            raise ConfigError(
                f'expected "year" (against the same quarter last year) or "trend" (the line '
                f"through the last trend_points figures), got {raw!r}",
                file,
                key,
            )
        return str(raw)

    def trend_points(raw: object, key: str) -> int:
        if isinstance(raw, bool) or not isinstance(raw, int) or not 3 <= raw <= 20:
            raise ConfigError(f"expected a whole number from 3 to 20, got {raw!r}", file, key)
        return raw

    def deadline(raw: object, key: str) -> str:
        if not isinstance(raw, str):
            raise ConfigError(f"expected str, got {type(raw).__name__} {raw!r}", file, key)
        wrong = wrong_weekday(raw)
        if wrong is not None:
            section = key.partition(".")[0]
            raise ConfigError(f"{wrong}: correct the day or the date under [{section}].", file, key)
        return raw

    def group_by(raw: object, key: str) -> GroupBy:
        if raw not in tuple(GroupBy):
            accepted = ", ".join(f'"{g.value}"' for g in GroupBy)
            raise ConfigError(f"expected one of {accepted}, got {raw!r}", file, key)
        return GroupBy(raw)

    rating = _typed(
        RatingSettings,
        _table(data, "rating", file),
        "rating",
        file,
        amber_tolerance=tolerance,
        no_change_band=tolerance,
        long_term=long_term,
        trend_points=trend_points,
    )
    try:
        glossary = parse_glossary(_table(data, "glossary", file))
    except GlossaryError as exc:
        raise ConfigError(str(exc), file, f"glossary.{exc.key}") from None
    return Project(
        root=file.parent,
        council=name.strip(),
        title=title.strip(),
        priorities=tuple(priorities),
        directorates=tuple(directorates),
        rating=rating,
        validation=_typed(ValidationSettings, _table(data, "validation", file), "validation", file),
        paths=_typed(PathSettings, _table(data, "paths", file), "paths", file),
        limits=_typed(LimitSettings, _table(data, "limits", file), "limits", file),
        returns_settings=_typed(
            ReturnsSettings, _table(data, "returns", file), "returns", file, deadline=deadline
        ),
        performance=_typed(
            PerformanceSettings, _table(data, "performance", file), "performance", file
        ),
        paper=_typed(PaperSettings, _table(data, "paper", file), "paper", file, group_by=group_by),
        benchmarks=_typed(
            BenchmarkSettings,
            _table(data, "benchmarks", file),
            "benchmarks",
            file,
            similar_band=tolerance,
        ),
        glossary=glossary,
        config_path=file,
    )
