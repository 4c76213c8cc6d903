"""Appendix C of the paper as frozen values: each indicator's definition, and the abbreviations."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any


def _doc(text: str) -> Any:
    # The same metadata as paper.model.doc (which cannot be imported here: model imports this).
    return dataclasses.field(metadata={"doc": text, "section": None, "inline": False})


@dataclass(frozen=True)
class DefinitionEntry:
    """One indicator in Appendix C: what it measures, how, where from, and what it aims at."""

    ref: str = _doc("CS-12")
    title: str = _doc(
        "Percentage of Education, Health and Care Plans issued within 20 weeks (as Appendix A "
        "names it; an abbreviation is expanded where the paper first uses it)"
    )
    definition: str = _doc("the catalogue's definition, or No definition given.")
    source: str = _doc("DfE SEN2 return (the catalogue's source; empty when not given)")
    unit: str = _doc("Percentage (%), Number, Rate, £ million …")
    polarity: str = _doc("Good is higher, Good is lower, or Context: no polarity")
    frequency: str = _doc("Quarterly, Monthly, Half-yearly (due Q2 and Q4) or Annual (due Q4)")
    target: str = _doc(
        "70.0% (Amber from 66.5%): the target and Amber threshold the RAG was rated against; "
        "54.5% by Q2 (Amber from 53.7%; year 97.5%) for a quarter's own target; "
        '"up to" where lower is better; 14.0 (not rated); No target'
    )


@dataclass(frozen=True)
class DefinitionGroup:
    name: str = _doc("A healthy and caring Somerset (as Appendix A heads the group)")
    entries: tuple[DefinitionEntry, ...] = _doc("one entry per indicator, in Appendix A's order")


@dataclass(frozen=True)
class Abbreviation:
    abbreviation: str = _doc("EHCP")
    meaning: str = _doc("Education, Health and Care Plan")


@dataclass(frozen=True)
class Definitions:
    title: str = _doc("Appendix C: Definitions")
    notes: tuple[str, ...] = _doc("what the appendix lists, and how to read the target")
    groups: tuple[DefinitionGroup, ...] = _doc(
        "one entry per group of Appendix A, in the same order"
    )
    abbreviations: tuple[Abbreviation, ...] = _doc(
        "perfreport.toml's [glossary] in alphabetical order, for the table at the end of the "
        "appendix; empty when there is no glossary"
    )
