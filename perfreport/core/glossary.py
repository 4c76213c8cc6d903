"""The ``[glossary]`` of perfreport.toml: abbreviations and what they stand for."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

# An abbreviation: a capital, then letters and digits, with at least two capitals (EHCP, NEET,
# SEN2, DfE), up to 15 characters. Ofsted or Mosaic are words, not abbreviations.
_ABBREVIATION = re.compile(r"[A-Z][A-Za-z0-9]{1,14}")
# The tokens the unexplained-abbreviation check looks for in a title: two or more capitals,
# perhaps with digits after them (NEET, SEN2), as a whole word.
_CAPITALS = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2,}[0-9]*(?![A-Za-z0-9])")
LONGEST_EXPANSION = 200


def is_abbreviation(text: str) -> bool:
    """EHCP, SEN2, DfE: a capital, letters and digits, at least two capitals, 2 to 15 characters."""
    return bool(_ABBREVIATION.fullmatch(text)) and sum(c.isupper() for c in text) >= 2


def whole_word(abbreviation: str) -> re.Pattern[str]:
    """``abbreviation`` as a whole word, case-sensitive: EHCP in "an EHCP." but not in "EHCPs"."""
    return re.compile(rf"(?<![A-Za-z0-9]){re.escape(abbreviation)}(?![A-Za-z0-9])")


def explained_in_place(text: str, start: int, end: int) -> bool:
    """The abbreviation at text[start:end] is already in brackets, "(NEET)": the words before it
    say what it stands for, so it needs no expansion and no warning."""
    return text[start - 1 : start] == "(" and text[end : end + 1] == ")"


def capitals_in(text: str) -> Iterator[str]:
    """The all-capital tokens of ``text`` (NEET, FOI, SEN2) not already explained in brackets."""
    for match in _CAPITALS.finditer(text):
        if not explained_in_place(text, match.start(), match.end()):
            yield match.group()


@dataclass(frozen=True)
class Glossary:
    """Abbreviations in the order perfreport.toml lists them, each with its expansion."""

    terms: tuple[tuple[str, str], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.terms)

    @cached_property
    def expansions(self) -> dict[str, str]:
        return dict(self.terms)

    def sorted_terms(self) -> tuple[tuple[str, str], ...]:
        """The terms in alphabetical order (ignoring case), as the Abbreviations table lists them."""
        return tuple(sorted(self.terms, key=lambda term: (term[0].casefold(), term[0])))


class GlossaryError(ValueError):
    """A ``[glossary]`` line that cannot be used; perfreport.toml's loader names the file."""

    def __init__(self, message: str, key: str):
        super().__init__(message)
        self.key = key


def parse_glossary(table: dict[str, object]) -> Glossary:
    """``[glossary]``: ``EHCP = "Education, Health and Care Plan"``; a GlossaryError names the key."""
    terms = []
    for key, raw in table.items():
        if not is_abbreviation(key):
            raise GlossaryError(
                "is not an abbreviation. A glossary key is a capital letter followed by letters "
                "and digits, with at least two capitals and no spaces, such as EHCP or DfE; "
                'write it as EHCP = "Education, Health and Care Plan".',
                key,
            )
        if not isinstance(raw, str):
            raise GlossaryError(
                f"expected text, the words {key} stands for in quotes, got "
                f"{type(raw).__name__} {raw!r}",
                key,
            )
        expansion = " ".join(raw.split())
        if not expansion:
            raise GlossaryError(
                f'is empty. Give the words {key} stands for, e.g. {key} = "Education, Health '
                'and Care Plan", or delete the line.',
                key,
            )
        if len(expansion) > LONGEST_EXPANSION:
            raise GlossaryError(
                f"is {len(expansion):,} characters long; an expansion is at most "
                f"{LONGEST_EXPANSION} characters: the words the abbreviation stands for.",
                key,
            )
        terms.append((key, expansion))
    return Glossary(tuple(terms))
