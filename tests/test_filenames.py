"""One safe_file_name for the paper and the return forms: names every platform accepts."""

from __future__ import annotations

import pytest

from perfreport.core.filenames import safe_file_name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Corporate Performance Report Q2 2024-25", "Corporate Performance Report Q2 2024-25"),
        ('Legal\\Democratic: "A/B" <c>|d?*', "Legal-Democratic- -A-B- -c-d-"),
        ("Tab\tand\nnewline", "Tab-and-newline"),
        ("Finance.", "Finance"),
        ("  Many   spaces  ", "Many spaces"),
        # Unicode spaces at either end go too, and a dot they hid: Windows drops both.
        ("\u00a0Report .\u3000", "Report"),
        ("???", "-"),
    ],
)
def test_replaces_unsafe_characters_and_trims_the_ends(text: str, expected: str) -> None:
    assert safe_file_name(text, "report") == expected


@pytest.mark.parametrize("text", ["", " . ", "\u00a0.\u00a0", ".."])
def test_gives_the_fallback_when_nothing_is_left(text: str) -> None:
    assert safe_file_name(text, "return") == "return"
