"""clean_text's quick way (a plain ASCII text, nothing to take out) gives what its whole way gives."""

from __future__ import annotations

import pytest

from perfreport.inputs.cells import _cleaned, clean_text

# Every character of the first 256 and some beyond, alone and inside a text with outer spaces,
# and Excel's escapes: whichever way clean_text takes, the text and the flag are the whole way's.
TEXTS = [
    *(chr(code) for code in range(256)),
    *(f"  a{chr(code)}b\t" for code in range(256)),
    *(f"x{chr(code)}" for code in (0x2007, 0x202F, 0x2028, 0xFFFE, 0xD800, 0x1F600)),
    "",
    "plain text",
    "_x",
    "a_x0041_b",
    "A_X0041_",
    "_x000D_",
    "_x001F_ control",
    "line\r\nline",
    "Ref ",
]


@pytest.mark.parametrize("text", TEXTS, ids=repr)
def test_the_quick_way_cleans_a_text_as_the_whole_way(text: str) -> None:
    assert clean_text(text) == _cleaned(text)


def test_the_quick_way_is_taken_for_a_plain_text_only(monkeypatch) -> None:
    import perfreport.inputs.cells as cells

    whole: list[str] = []
    monkeypatch.setattr(cells, "_cleaned", lambda text: whole.append(text) or _cleaned(text))
    assert cells.clean_text("  Adult Social Care ") == ("Adult Social Care", False)
    assert whole == []
    assert cells.clean_text("Caf\u00e9\x07") == ("Caf\u00e9", True)
    assert cells.clean_text("a_x0041_") == ("aA", False)
    assert whole == ["Caf\u00e9\x07", "a_x0041_"]
