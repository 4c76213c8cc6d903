"""Appendix C, the definitions: each indicator of Appendix A from the catalogue, and the glossary."""

from __future__ import annotations

from collections.abc import Iterable

from perfreport.core.formatting import NO_TARGET, quarters_label
from perfreport.core.glossary import Glossary
from perfreport.core.model import Frequency, Indicator, Polarity
from perfreport.paper.model import GroupSection
from perfreport.paper.model_definitions import (
    Abbreviation,
    DefinitionEntry,
    DefinitionGroup,
    Definitions,
)
from perfreport.rating.rules import as_shown, shown_text
from perfreport.summary.rated import RatedIndicator
from perfreport.summary.summary import Summary

TITLE = "Appendix C: Definitions"
NO_DEFINITION = "No definition given."
NOTES = (
    "This appendix defines each indicator in Appendix A, in the same order: what it measures, "
    "its unit, whether a higher or lower figure is better, how often it is reported, where the "
    "figure comes from, and the target it is rated against this quarter with the point at which "
    "Amber turns to Red."
)
GLOSSARY_NOTE = (
    "Each abbreviation is written out in full where the paper first uses it; the table at the "
    "end of this appendix lists them all."
)
POLARITIES = {
    Polarity.HIGHER: "Good is higher",
    Polarity.LOWER: "Good is lower",
    Polarity.NONE: "Context: no polarity",
}
# Units as words where the symbol alone says little in a column of its own.
UNITS = {"%": "Percentage (%)", "£": "Pounds (£)", "£m": "£ million", "£k": "£ thousand"}


def unit_text(unit: str) -> str:
    """``Percentage (%)``, ``Number``, ``Rate``, ``kg``: the catalogue's unit as a reader sees it."""
    unit = unit.strip()
    if unit in UNITS:
        return UNITS[unit]
    # "number" and "days" start with a capital; "kg" and "FTE" are left as they are.
    return unit[:1].upper() + unit[1:] if unit.islower() and len(unit) > 2 else unit


def frequency_text(indicator: Indicator) -> str:
    """``Quarterly``; ``Annual (due Q4)``, ``Half-yearly (due Q2 and Q4)``."""
    word = _FREQUENCIES[indicator.frequency]
    if indicator.frequency in _NOT_QUARTERLY:
        return f"{word} (due {quarters_label(indicator.due)})"
    return word


# Asked for every row of Appendix C: made once (Enum.value is a Python descriptor, and Python
# 3.11 reads a member through its class by a slow path: rating.rules).
_FREQUENCIES = {f: f.value.capitalize() for f in Frequency}
_NOT_QUARTERLY = (Frequency.ANNUAL, Frequency.HALF_YEARLY)
_HIGHER = Polarity.HIGHER


def target_text(row: RatedIndicator) -> str:
    """The target this quarter's RAG was rated against, with its Amber threshold: ``70.0% (Amber
    from 66.5%)``; a quarter's own target names its quarter and the year's, ``54.5% by Q2 (Amber
    from 51.8%; year 97.5%)``. A figure carried from an earlier year names that year's target."""
    indicator, rating = row.indicator, row.current

    def shown(value: float) -> str:
        return shown_text(value, indicator.unit, indicator.decimals, indicator.compact)

    if rating.target is None:
        return NO_TARGET
    text, year = shown(rating.target), ""
    basis = rating.basis
    if basis is not None and basis.own:
        text += f" {'by' if basis.cumulative else 'for'} Q{basis.quarter}"
        if basis.year_target is not None:
            year = f"; year {shown(basis.year_target)}"
    earlier = rating.value_period
    if earlier is not None and earlier.year != rating.period.year:
        text += f" for {earlier.fy_label}"
    threshold = rating.amber_threshold
    if threshold is None:
        return f"{text} (not rated{year})"
    if as_shown(indicator, threshold) == as_shown(indicator, rating.target):
        return f"{text} (no Amber band{year})"
    side = "from" if indicator.polarity is _HIGHER else "up to"
    return f"{text} (Amber {side} {shown(threshold)}{year})"


def definition_entry(row: RatedIndicator) -> DefinitionEntry:
    indicator = row.indicator
    return DefinitionEntry(
        ref=indicator.ref,
        title=indicator.title,
        definition=indicator.definition.strip() or NO_DEFINITION,
        source=indicator.source.strip(),
        unit=unit_text(indicator.unit),
        polarity=POLARITIES[indicator.polarity],
        frequency=frequency_text(indicator),
        target=target_text(row),
    )


def make_definitions(summary: Summary, sections: Iterable[GroupSection]) -> Definitions:
    """Appendix C for the indicators of Appendix A (``sections``), grouped and ordered as it is;
    a group of Appendix A with no indicators has no heading here."""
    rows = {r.ref: r for r in summary.indicators}
    glossary: Glossary = summary.glossary
    return Definitions(
        title=TITLE,
        notes=(NOTES, GLOSSARY_NOTE) if glossary else (NOTES,),
        groups=tuple(
            DefinitionGroup(
                section.name,
                tuple(definition_entry(rows[shown.ref]) for shown in section.indicators),
            )
            for section in sections
            if section.indicators  # a group with none has nothing to define
        ),
        abbreviations=tuple(Abbreviation(a, m) for a, m in glossary.sorted_terms()),
    )
