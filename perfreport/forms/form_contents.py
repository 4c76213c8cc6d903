"""What each service's return form shows: its indicators due, their targets and earlier figures."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from perfreport.core.model import Catalogue, DataStatus, Indicator, Polarity
from perfreport.core.periods import Period
from perfreport.core.project import ConfigError, Project, normalise_heading
from perfreport.core.targets import QuarterTarget
from perfreport.rating.history import History
from perfreport.rating.rules import Rating, Status, amber_threshold


@dataclass(frozen=True)
class ReturnForm:
    """Everything one service's workbook shows."""

    council: str
    service: str
    period: Period
    indicators: tuple[Indicator, ...]
    targets: Mapping[str, float | None]  # the quarter's target: its own, else the year's
    ambers: Mapping[str, float | None]  # where Amber turns Red, by ref (None: not rated)
    previous: Mapping[str, float | str | None]  # the figure shown, by ref
    last_year: Mapping[str, float | str | None]
    deadline: str
    contact: str
    word_limit: int
    # Where each target came from: the quarter's own (Q1–Q4 or a profile) or the year's, by ref.
    bases: Mapping[str, QuarterTarget] = field(default_factory=lambda: MappingProxyType({}))


def select_services(catalogue: Catalogue, wanted: Sequence[str] | None) -> tuple[str, ...]:
    """The catalogue's services named in ``wanted`` (ignoring case and punctuation), or all."""
    if not wanted:
        return catalogue.services
    known = {normalise_heading(s): s for s in catalogue.services}
    chosen: list[str] = []
    for name in wanted:
        service = known.get(normalise_heading(name))
        if service is None:
            raise ConfigError(
                f"'{name}' is not a service in the catalogue. Services: "
                f"{', '.join(catalogue.services)}."
            )
        if service not in chosen:
            chosen.append(service)
    return tuple(chosen)


def service_forms(
    project: Project, history: History, services: Sequence[str] | None = None
) -> tuple[ReturnForm, ...]:
    """The form of each service in ``services`` (default all) with indicators due in the
    history's quarter, showing the figures of the quarters before it.

    Services with nothing due this quarter get no form. Raises ConfigError for a service that is
    not in the catalogue.
    """
    catalogue, period = history.catalogue, history.period
    chosen = select_services(catalogue, services)
    previous, last_year = _earlier_figures(history)
    settings = project.returns_settings
    forms = []
    for service in chosen:
        due = tuple(i for i in catalogue.indicators if i.service == service and i.is_due(period))
        if due:
            bases = {i.ref: catalogue.quarter_target(i.ref, period) for i in due}
            forms.append(
                ReturnForm(
                    council=project.council,
                    service=service,
                    period=period,
                    indicators=due,
                    targets={i.ref: bases[i.ref].target for i in due},
                    ambers={i.ref: _amber(project, bases[i.ref], i) for i in due},
                    previous=previous,
                    last_year=last_year,
                    deadline=settings.deadline,
                    contact=settings.contact,
                    word_limit=project.validation.commentary_word_limit,
                    bases=MappingProxyType({i.ref: bases[i.ref] for i in due}),
                )
            )
    return tuple(forms)


def _amber(project: Project, basis: QuarterTarget, indicator: Indicator) -> float | None:
    """Where Amber turns Red for the quarter: services ask "how close is close enough?"."""
    target, year_amber = basis.target, basis.amber
    if target is None or not indicator.rated or indicator.polarity is Polarity.NONE:
        return None
    return amber_threshold(target, indicator, project.rating.amber_tolerance, year_amber)


def _earlier_figures(
    history: History,
) -> tuple[dict[str, float | str | None], dict[str, float | str | None]]:
    """The previous quarter's and the same quarter last year's figures, by ref.

    They come from the rating stage's history: the published dataset.json of that quarter when
    there is one (what committee saw), else that quarter's returns; blank when there are neither.
    """
    period = history.period
    figures: tuple[dict[str, float | str | None], ...] = ({}, {})
    for indicator in history.catalogue.indicators:
        for shown, earlier in zip(
            figures, (period.previous, period.same_quarter_last_year), strict=True
        ):
            shown[indicator.ref] = _shown(history.rating(indicator, earlier))
    return figures


def _shown(rating: Rating | None) -> float | str | None:
    """A figure for the form: the value, "Not available" or "No data"; blank when not due."""
    if rating is None or rating.status is Status.NOT_DUE or rating.carried:
        return None  # a carried-forward or late figure belongs to another quarter's column
    if rating.value is not None:
        return rating.value
    observation = rating.observation
    if observation is not None and observation.data_status is DataStatus.NOT_AVAILABLE:
        return DataStatus.NOT_AVAILABLE.value
    return "No data"
