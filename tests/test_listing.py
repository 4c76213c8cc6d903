"""paper.listing.resolve_listing gives what docxtpl's resolve_listing gives, on any text."""

from __future__ import annotations

import random

from docxtpl import DocxTemplate

from perfreport.paper.listing import resolve_listing


def _docxtpl(xml: str) -> str:
    return DocxTemplate.resolve_listing(None, xml)  # (it does not use the template)


PPR = '<w:pPr><w:pStyle w:val="TableText"/></w:pPr>'
RPR = "<w:rPr><w:b/></w:rPr>"
CASES = [
    "",
    "no paragraph\there\n",
    f"<w:p>{PPR}<w:r>{RPR}<w:t>a\tb\nc\ad\fe</w:t></w:r></w:p>",
    # a picture's pretty-printed XML: new lines outside any w:t, then one inside
    "<w:p><w:r><w:drawing>\n  <wp:inline>\n</wp:inline>\n</w:drawing></w:r>"
    '<w:r><w:t xml:space="preserve">x\ny</w:t></w:r></w:p>',
    # a text box: paragraphs inside a paragraph, the outer one's end after the inner ones'
    "<w:p><w:r><w:t>out\ter</w:t></w:r><w:r><w:pict><w:txbxContent><w:p><w:r><w:t>in\n1</w:t>"
    "</w:r></w:p><w:p><w:r><w:t>in\t2</w:t></w:r></w:p></w:txbxContent></w:pict></w:r>"
    "<w:r><w:t>tail\nafter</w:t></w:r></w:p>",
    # self-closing paragraphs (docxtpl's regex runs on to the next "</w:p>")
    '<w:p/><w:p w:rsidR="1"/><w:r><w:t>a\tb</w:t></w:r><w:p><w:r><w:t>c\nd</w:t></w:r></w:p>',
    # special characters in a paragraph's start tag, in w:pPr and w:rPr, a w:t outside a w:r
    '<w:p w:x="a\tb"><w:pPr>\n</w:pPr><w:t>x\ty</w:t><w:r><w:rPr>\t</w:rPr><w:t>\f</w:t></w:r>'
    "</w:p>",
    # text that is not XML: "</w:p>" inside what looks like a start tag
    "<w:p a</w:p>\t<w:r><w:t>b\n</w:t></w:r></w:p><w:p ><w:r><w:t>\a</w:t></w:r></w:p>",
    "</w:p>\n<w:p>\n</w:p>\t</w:p><w:p><w:r><w:t>\n</w:t></w:r>",
]
TOKENS = [
    "<w:p>", "<w:p ", '<w:p w:a="1">', "<w:p/>", '<w:p w:a="1"/>', "</w:p>", "<w:pPr>",
    "</w:pPr>", "<w:r>", '<w:r w:b="2">', "</w:r>", "<w:rPr>", "</w:rPr>", "<w:t>",
    '<w:t xml:space="preserve">', "</w:t>", "<w:tab/>", ">", "<", "a", "b c", "\t", "\n",
    "\a", "\f", "</w:p", "<w:tbl>", "<w:p><w:r><w:t>", "</w:t></w:r></w:p>",
    f"<w:p>{PPR}<w:r>{RPR}<w:t>", "</w:t></w:r><w:r><w:t>", "<w:t>\t</w:t>", "x\ny",
    # what a character outside any w:t is told by: w:t's start tags, the ends, lookalikes
    "<w:t ", '<w:t a="</w:t>">', "<w:t\n", "<w:tc>", "</w:t", "<w:drawing>\n  <wp:inline>",
    "</wp:inline>\n</w:drawing>",
]  # fmt: skip


def test_the_listing_pass_gives_docxtpls_text() -> None:
    for xml in CASES:
        assert resolve_listing(xml) == _docxtpl(xml), xml
    # The cases above change text: the check is not between two unchanged texts.
    assert sum(resolve_listing(xml) != xml for xml in CASES) == 6


def test_the_listing_pass_gives_docxtpls_text_on_random_text() -> None:
    chooser = random.Random(15)
    changed = 0
    for _ in range(3_000):
        xml = "".join(chooser.choice(TOKENS) for _ in range(chooser.randint(1, 60)))
        assert resolve_listing(xml) == _docxtpl(xml), repr(xml)
        changed += resolve_listing(xml) != xml
    assert changed > 500, changed
