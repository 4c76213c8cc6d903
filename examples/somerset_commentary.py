"""The Somerset commentary: how officers describe a figure, its movement and their actions."""

from __future__ import annotations

import random

from example_workbooks import Quarter
from somerset_catalogue import Spec
from somerset_rating import at_precision, is_cumulative

NOT_AVAILABLE = {
    "PH-01": "Not available: the GP system supplier has not yet provided the Q1 extract. The "
    "figure will be reported with Q2.",
    "CUS-02": "Not available: the telephony platform moved to the new contact centre system in "
    "May and waiting-time reporting is not yet configured.",
}
LONG_COMMENTARY = {
    ("ASC-01", "Q2-2024"): (
        "At the end of September 812 people were waiting for a Care Act assessment or "
        "reassessment. Since Q1 the measure has included people waiting for a reassessment of "
        "their existing care and support, so the figure cannot be compared with 2023/24, when "
        "only new assessments were counted. Around 290 of the people waiting are awaiting a "
        "reassessment, most of them with stable packages of care. The number waiting for a first "
        "assessment has fallen for three consecutive months, helped by the agency social workers "
        "who joined the locality teams in July, but demand continues to exceed capacity in the "
        "West and South localities, where recruitment of permanent staff has been hardest. "
        "Everyone waiting has a named contact and is risk-rated using the waiting well "
        "framework, and people rated high risk are seen within ten working days. Managers review "
        "the list weekly and the longest waits are being cleared first. We expect the number "
        "waiting to fall below 700 by the end of the year if the current staffing levels are "
        "maintained and demand stays at its present level."
    ),
}


def _fmt(spec: Spec, value: float) -> str:
    text = f"{value:,.{spec.decimals}f}"
    return {
        "%": f"{text}%",
        "£m": f"£{text}m",
        "days": f"{text} days",
        "kg": f"{text} kg",  # as the paper shows a figure in kg
        "minutes": f"{text} minutes",
    }.get(spec.unit, text)


def _movement(
    spec: Spec,
    quarter: Quarter,
    value: float,
    previous: tuple[Quarter, float] | None,
    target: float | None,
    rng: random.Random,
) -> str:
    shown = _fmt(spec, value)
    against = f" against a target of {_fmt(spec, target)}" if target is not None else ""
    if spec.frequency == "annual":
        last_year = f", compared with {_fmt(spec, previous[1])} last year" if previous else ""
        return f"The annual figure is {shown}{against}{last_year}."
    if is_cumulative(spec, quarter.year):  # year to date: last quarter's is part of it
        by = f" by Q{quarter.quarter}" if target is not None else ""
        return f"{shown} in the year to date{against}{by}."
    if previous is None:
        return f"{shown} this quarter{against}."
    then, before = previous
    when = f"Q{then.quarter}" if then.year == quarter.year else then.label
    if at_precision(before, spec.decimals) == at_precision(value, spec.decimals):
        return f"{shown}, unchanged from {when}."
    up = value > before
    if spec.polarity == "none":
        word = "up" if up else "down"
        return f"{shown} this quarter, {word} from {_fmt(spec, before)} in {when}."
    better = up == (spec.polarity == "higher")
    choice = rng.randrange(3)
    if choice == 0:
        verb = "Improved" if better else "Worsened"
        return f"{verb} from {_fmt(spec, before)} in {when} to {shown}{against}."
    if choice == 1:
        return f"{shown} this quarter{against}, compared with {_fmt(spec, before)} in {when}."
    word = "better than" if better else "worse than"
    return f"{shown}{against}, {word} {_fmt(spec, before)} in {when}."


_EXTRA = {
    "A": (
        "We expect performance to return to target by the end of the year.",
        "Performance is reviewed monthly at the service management meeting.",
    ),
    "R": (
        "This is reported as a risk on the directorate risk register.",
        "The service director is reviewing progress fortnightly.",
        "",
    ),
}


def story(
    spec: Spec,
    quarter: Quarter,
    letter: str,
    value: float,
    previous: tuple[Quarter, float] | None,
    target: float | None,
    rng: random.Random,
) -> tuple[str, str]:
    """Commentary (1-3 sentences, officer style) and, for Amber and Red, the actions."""
    if spec.comparable_from and quarter == Quarter.parse(spec.comparable_from):
        previous = None
        lead = (
            f"{_fmt(spec, value)} at the end of the quarter. The figure now includes people "
            "waiting for a reassessment, so it cannot be compared with earlier quarters."
        )
    else:
        rated = letter in "GAR"
        lead = _movement(spec, quarter, value, previous, target if rated else None, rng)
    if letter == "G":
        if rng.random() < 0.2:
            return "", ""  # officers often leave a Green measure without comment
        return f"{lead} {spec.good}".strip(), ""
    if letter in "AR":
        extra = rng.choice(_EXTRA[letter])
        if quarter.quarter == 4 or spec.frequency == "annual":
            extra = ""  # a year-end figure cannot recover "by the end of the year"
        text = " ".join(p for p in (lead, spec.bad, extra) if p)
        generic = "Performance is being monitored closely by the service management team."
        action = spec.action or generic
        if letter == "A" and rng.random() < 0.3:
            action = generic
        return text, action
    return f"{lead} {spec.note}".strip(), ""
