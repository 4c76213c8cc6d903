"""The web page's fast reader gives HTMLParser's text, or leaves the page to HTMLParser."""

from __future__ import annotations

import pytest
from paperfactory import make_context

from perfreport.paper.html import HtmlError, _Text, render_html, verify_html
from perfreport.paper.html_text import read_plain_page


def parsed(page: str) -> _Text:
    parser = _Text()
    parser.feed(page)
    parser.close()
    return parser


PLAIN = [
    "",
    "text only &amp; an entity, &#39;quoted&#39; &pound;5 &notanentity; & alone",
    '<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8"><title>T</title></head>'
    "<body><p>x</p></body></html>\n",
    '<p id="a">one</p><p id="b">two<br>three</p><img src="data:image/png;base64,AAA=" alt="x">',
    '<div class="a b" data-rag="red" hidden><span>in</span> out</div>',
    '<p title="a > b and a &lt; c">quoted &gt; inside</p>',
    '<p title="x id=">value holding id=</p><p id="x id">ok</p>',
    '<p id="&amp;">escaped id</p><p id="&">the same id</p>',
    "<style>a > b { c: d; } p::before { content: '<'; }</style><p>after</p>",
    '<script>if (1 < 2) { x = "&amp;"; }</script>\n<p>x</p>',
    "<script></script><style></style>",
    '<table><tr data-rag="none"><th scope="row">R</th><td>V</td></tr></table>\n\n',
]

NOT_PLAIN = [
    "<p>x</p><!-- a comment -->",
    "<P>upper case</P>",
    "<br/><p>x</p>",
    '<p  class="two spaces">x</p>',
    "<p class='single quotes'>x</p>",
    "<p class=bare>x</p>",
    "<p>x < y</p>",
    '<p\nclass="newline">x</p>',
    "<p>x</p ><p>y</p>",
    "<script>x = '</b>';</script>",
    "<div><p>x</div>",  # not sound: </div> does not close <p>
    "<p>open",
    '<p id="a">x</p><p id="a">y</p>',
    '<p id="&amp;">x</p><p id="&">y</p>'.replace('id="&"', 'id="&amp;"'),
    "</p>",
    "<p>x</p></p>",
    "<?php x ?>",
    "<!DOCTYPE html SYSTEM>",
]


@pytest.mark.parametrize("page", PLAIN, ids=range(len(PLAIN)))
def test_a_plain_page_gives_htmlparsers_text(page: str) -> None:
    theirs = parsed(page)
    found = read_plain_page(page)
    if found is None:  # a page with a problem: left to HTMLParser, which finds it
        assert theirs.problems or theirs.open
        return
    assert not theirs.problems and not theirs.open
    assert found == theirs.text


@pytest.mark.parametrize("page", NOT_PLAIN, ids=range(len(NOT_PLAIN)))
def test_anything_else_is_left_to_htmlparser(page: str) -> None:
    assert read_plain_page(page) is None


def test_a_page_with_a_repeated_id_is_refused_in_htmlparsers_words() -> None:
    assert read_plain_page('<p id="&amp;">x</p><p id="&">y</p>') is None
    with pytest.raises(HtmlError, match='the id "&" is used twice'):
        verify_html('<p id="&amp;">x</p><p id="&">y</p>', [])
    with pytest.raises(HtmlError, match="these elements are not closed: p"):
        verify_html("<p>open", [])


def test_the_rendered_papers_are_read_the_fast_way_with_htmlparsers_text() -> None:
    for context in (
        make_context(),
        make_context(council="<b>&amp; ' \" </b>", executive_summary=["a < b & c > d"]),
    ):
        page = render_html(context).decode("utf-8")
        theirs = parsed(page)
        assert not theirs.problems and not theirs.open
        found = read_plain_page(page)
        assert found is not None and len(found) > 100
        assert found == theirs.text
