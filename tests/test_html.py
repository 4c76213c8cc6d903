"""The paper's web page: the same content as the .docx, semantic HTML, safe with hostile text, byte-identical."""

from __future__ import annotations

import base64
import copy
import hashlib
import io
from pathlib import Path

import pytest
from buildfactory import HTML, Q2, copy_example, edit_report, headings, reuse_summary
from docx import Document
from lxml import html as lxml_html
from paperfactory import make_context
from typer.testing import CliRunner

from perfreport.build import PdfMode, build_paper, summarise_period
from perfreport.cli import app
from perfreport.paper.document import render_document
from perfreport.paper.html import (
    HtmlError,
    default_html_template,
    linked,
    render_html,
    verify_html,
)
from perfreport.paper.template import check_template, default_template

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def page_of(context: dict) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(render_html(context).decode("utf-8"))


def texts(elements) -> list[str]:
    return [" ".join(e.text_content().split()) for e in elements]


@pytest.fixture(scope="module")
def sample() -> tuple[dict, lxml_html.HtmlElement]:
    context = make_context()
    return context, page_of(context)


def test_the_page_has_the_papers_headings_in_order_one_h1_and_no_skipped_level(sample) -> None:
    context, page = sample
    word = headings(Document(io.BytesIO(render_document(context, default_template()))))
    shown = [
        (int(h.tag[1]) - 1, " ".join(h.text_content().split()))
        for h in page.iter("h1", "h2", "h3", "h4", "h5", "h6")
    ]
    assert [h for h in shown if h[1] != "Contents"] == word
    assert [level for level, _ in shown].count(0) == 1
    levels = [level for level, _ in shown]
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))
    assert page.get("lang") == "en-GB"
    assert page.findtext(".//title") == f"{context['title']}: {context['council']}"


def test_numbered_paragraphs_are_ordered_lists_that_continue_across_sections(sample) -> None:
    context, page = sample
    lists = page.find_class("numbered")
    assert len(lists) > 5
    start = 1
    for ordered in lists:
        assert ordered.tag == "ol" and int(ordered.get("start")) == start
        start += len(ordered.findall("li"))
    word = Document(io.BytesIO(render_document(context, default_template())))
    numbered = [p for p in word.paragraphs if p.style.name == "Numbered Paragraph" and p.text]
    assert start - 1 == len(numbered)
    items = [li for ordered in lists for li in ordered.findall("li")]
    assert texts(items) == [" ".join(p.text.split()) for p in numbered]


def test_every_table_has_a_caption_and_marked_headers(sample) -> None:
    context, page = sample
    tables = page.findall(".//table")
    # Six on the cover, one per priority in Appendix A, one per entry of Appendix B, one per
    # group of Appendix C (the factory's paper has no glossary, so no Abbreviations table).
    assert len(tables) == 6 + len(context["appendix"]["groups"]) + len(
        context["exceptions"]["entries"]
    ) + len(context["definitions"]["groups"])
    for table in tables:
        assert table.find("caption") is not None and table.find("caption").text_content().strip()
        assert all(th.get("scope") in ("col", "row", "rowgroup") for th in table.iter("th"))
        assert all(th.get("scope") == "col" for th in table.findall("thead/tr/th"))
    appendix = [t for t in tables if "appendix-table" in t.classes]
    rows = [r for t in appendix for r in t.findall("tbody/tr")]
    indicators = [i for p in context["appendix"]["groups"] for i in p["indicators"]]
    assert [r[0].tag for r in rows] == ["th"] * len(indicators)
    assert [r[0].get("scope") for r in rows] == ["row"] * len(indicators)
    assert [r[0].text for r in rows] == [i["ref"] for i in indicators]
    # RAG and direction are words, not colour: the cell holds the model's text.
    assert [r[7].text for r in rows] == [i["rag"] for i in indicators]
    assert [r[8].text for r in rows] == [i["direction"] for i in indicators]
    for table in appendix:
        region = table.getparent()
        assert (region.get("role"), region.get("tabindex")) == ("region", "0")
        assert region.get("aria-label") == table.find("caption").text


def test_a_skip_link_and_a_contents_list_lead_to_real_places(sample) -> None:
    _, page = sample
    ids = {e.get("id") for e in page.iter() if e.get("id")}
    skip = page.find(".//body/a")
    assert skip.get("href") == "#main" and "main" in ids and skip.text == "Skip to the report"
    contents = page.find(".//nav")
    targets = [a.get("href") for a in contents.iter("a")]
    assert len(targets) == 29 and all(t[1:] in ids for t in targets)


def test_report_file_links_are_links_with_their_words_and_refused_ones_stay_text() -> None:
    context = make_context(
        background=[
            "See the [Council Plan 2023-2027](https://www.somerset.example/plan?a=1&b=2) and "
            "[e-mail us](mailto:performance@somerset.example).",
            "Not a link: [click](javascript:alert(1)) or [open](file:///etc/passwd).",
        ]
    )
    page = page_of(context)
    links = [(a.text, a.get("href")) for a in page.iter("a") if a.get("href")[0] != "#"]
    assert ("Council Plan 2023-2027", "https://www.somerset.example/plan?a=1&b=2") in links
    assert ("e-mail us", "mailto:performance@somerset.example") in links
    assert not [href for _, href in links if not href.startswith(("https:", "mailto:"))]
    assert "[click](javascript:alert(1)) or [open](file:///etc/passwd)." in page.text_content()
    assert str(linked('[a "quoted"](https://x.example/"><b>)')) == (
        '<a href="https://x.example/&#34;&gt;&lt;b&gt;">a &#34;quoted&#34;</a>'
    )


HOSTILE = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7 * 7 }} {% raw %}",
    "</style><script>alert(2)</script>",
)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_appears_literally_everywhere(text: str) -> None:
    context = make_context(council=text, title=text, executive_summary=[text])
    appendix = copy.deepcopy(context["appendix"])
    first = appendix["groups"][0]["indicators"][0]
    first.update(commentary=text, measure=text)
    context["appendix"] = appendix
    context["key_issues_narrative"] = [f"[{text}](javascript:alert(1))"]
    source = render_html(context).decode("utf-8")
    page = lxml_html.fromstring(source)
    assert len(page.findall(".//script")) == 1  # the page's own, allowed by its hash
    assert page.findall(".//img") == []
    assert not [a for e in page.iter() for a in e.attrib if a.startswith("on")]
    assert not [a for a in page.iter("a") if "javascript" in a.get("href", "")]
    row = page.find_class("appendix-table")[0].find("tbody/tr")
    assert (row[1].text, row[9].text) == (text, text)
    assert page.findtext(".//h1") == text and page.findtext(".//title") == f"{text}: {text}"
    assert f"[{text}](javascript:alert(1))" in page.text_content()
    assert "49" not in page.findtext(".//h1")


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_the_content_security_policy_allows_only_the_pages_own_style_and_script(sample) -> None:
    _, page = sample
    policy = page.find('.//meta[@http-equiv="Content-Security-Policy"]').get("content")
    (script,) = page.findall(".//script")
    (style,) = page.findall(".//style")
    assert policy == (
        f"default-src 'none'; style-src {_hash(style.text)}; script-src {_hash(script.text)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    assert script.get("src") is None and page.findall(".//link") == []
    assert not [e for e in page.iter() if e.get("style") is not None]


def test_figures_are_inline_images_with_their_alt_text(tmp_path: Path) -> None:
    image = tmp_path / "golden-thread.png"
    image.write_bytes(PNG)
    figure = {
        "image": str(image),
        "alt": "The Golden Thread: from the Council Plan to each service",
        "caption": "Figure 1: The Golden Thread",
        "after": "council_plan_links",
    }
    page = page_of(make_context(figures=[figure]))
    (img,) = page.findall(".//img")
    assert img.get("src") == "data:image/png;base64," + base64.b64encode(PNG).decode()
    assert img.get("alt") == figure["alt"]
    assert img.getparent().findtext("figcaption") == figure["caption"]
    section = img.getparent().getparent()
    assert section.findtext("h2") == "Links to Council Plan and Medium-Term Financial Plan"
    image.write_bytes(b"GIF89a")
    with pytest.raises(HtmlError, match="is not a PNG or JPEG image"):
        render_html(make_context(figures=[figure]))


def test_the_appendix_filter_offers_each_rating_present_and_each_group(sample) -> None:
    context, page = sample
    rag = [i.get("id") for i in page.iter("input") if i.get("name") == "rag"]
    present = {r.get("data-rag") for r in page.iter("tr") if r.get("data-rag")}
    assert rag[0] == "rag-all" and {r.removeprefix("rag-") for r in rag[1:]} == present
    groups = [i.get("value") for i in page.iter("input") if i.get("name") == "group"]
    assert groups == ["all"] + [str(n + 1) for n in range(len(context["appendix"]["groups"]))]
    style = page.findtext(".//style")
    for key in present:
        assert f".appendix:has(#rag-{key}:checked) tr[data-rag]:not([data-rag={key}])" in style


def test_the_page_is_byte_identical_each_time_and_checked(sample) -> None:
    context, _ = sample
    assert render_html(context) == render_html(copy.deepcopy(context))
    with pytest.raises(HtmlError, match="do not appear in the page: 'ZZ-99'"):
        verify_html("<p>ASC-01</p>", ["ASC-01", "ZZ-99"])
    with pytest.raises(HtmlError, match="</div> does not close <p>"):
        verify_html("<div><p>x</div>", [])


def test_template_export_html_copies_the_web_page_template(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["template", "export", str(tmp_path), "--html"])
    assert result.exit_code == 0, result.output
    copied = tmp_path / "committee-paper.html"
    assert copied.read_bytes() == default_html_template().read_bytes()
    assert "html_template" in result.output
    again = CliRunner().invoke(app, ["template", "export", str(tmp_path), "--html"])
    assert again.exit_code == 2 and "already exists" in again.output


def test_a_restyled_template_is_used_and_its_script_hashed(tmp_path: Path) -> None:
    source = default_html_template().read_text(encoding="utf-8")
    custom = tmp_path / "committee-paper.html"
    custom.write_text(source.replace("--link:#1a4fa0", "--link:#00529b"), encoding="utf-8")
    page = lxml_html.fromstring(render_html(make_context(), custom).decode("utf-8"))
    style = page.findtext(".//style")
    assert "--link:#00529b" in style
    assert _hash(style) in page.find(".//meta[@http-equiv]").get("content")
    broken = tmp_path / "broken.html"
    broken.write_text("{{ appendix.nothing }}", encoding="utf-8")
    with pytest.raises(HtmlError, match="cannot be filled in: 'dict object' has no attribute"):
        render_html(make_context(), broken)


def test_every_field_the_word_template_shows_is_on_the_page() -> None:
    # A token in every text field the Word template uses: each must reach the page, except the
    # layout data the page uses otherwise (fills become classes, may_split and very_tall are for Word's pages).
    # A field added to the paper and placed in the Word template must be placed here too.
    in_word = set(check_template(default_template()).fields)
    # The charts' pictures are the Word paper's: the page gives their numbers in words
    # (summary.history_sentence, each indicator's trend) and the table.
    layout = {"rag_fill", "fill", "may_split", "very_tall", "after", "image"}
    layout |= {"rag_chart", "history_chart", "trend_chart"}
    counter = iter(range(10**6))
    tokens: dict[str, str] = {}

    def mark(value, path=""):
        if isinstance(value, dict):
            return {k: mark(v, f"{path}.{k}" if path else k) for k, v in value.items()}
        if isinstance(value, list):
            return [mark(v, f"{path}[]") for v in value]
        name = path.rsplit(".", 1)[-1]
        if isinstance(value, str) and value and path in in_word and name not in layout:
            token = f"T{next(counter):05d}Z"
            tokens[token] = path
            return token
        return value

    shown = render_html(mark(make_context())).decode("utf-8")
    missing = sorted({path for token, path in tokens.items() if token not in shown})
    assert missing == [], "add these fields to templates/committee-paper.html"
    assert len(tokens) > 100


@pytest.fixture(scope="module")
def example_summary(tmp_path_factory):
    project = copy_example("somerset", tmp_path_factory.mktemp("s") / "somerset")
    return summarise_period(project, Q2)


def test_no_html_keeps_a_matching_page_and_removes_one_of_other_figures(
    tmp_path: Path, example_summary, monkeypatch
) -> None:
    reuse_summary(monkeypatch, example_summary)
    project = copy_example("somerset", tmp_path / "somerset")
    first = build_paper(project, Q2, pdf=PdfMode.OFF)
    page = first.outputs[HTML]
    made = page.read_bytes()
    assert made.startswith(b"<!DOCTYPE html>")

    same = build_paper(project, Q2, pdf=PdfMode.OFF, html=False)
    assert HTML not in same.outputs and same.kept == (page,) and page.read_bytes() == made

    edit_report(project, replace={"committee": '"Cabinet"'})
    result = CliRunner().invoke(
        app, ["build", "Q2-2024", "--project", str(project.root), "--no-pdf", "--no-html"]
    )
    assert result.exit_code == 0, result.output
    assert not page.exists()
    assert (
        f"Removed {page}, from an earlier build: it was made from an earlier Word document "
        "with other content. Build without --no-html to make a new one."
    ) in " ".join(result.output.split())


def test_charts_are_inline_images_with_alt_text_and_their_numbers_in_words() -> None:
    from types import SimpleNamespace

    context = make_context()
    summary = dict(context["summary"])
    summary.update(
        rag_chart="chart:rag",
        rag_chart_alt="RAG ratings by priority, Q1 and Q2: …",
        history_chart="chart:history",
        history_sentence="Over the last 8 quarters: Green 25, 27, 26.",
    )
    context["summary"] = summary
    appendix = copy.deepcopy(context["appendix"])
    rows = appendix["groups"][0]["indicators"]
    rows[0].update(trend_chart="chart:trend:ASC-01", trend="Trend: 61.2% to 57.1%, worsening.")
    rows[1].update(trend_chart="chart:trend:ASC-02", trend="Trend: not drawn.")
    context["appendix"] = appendix
    drawn = {
        key: SimpleNamespace(png=PNG, alt="", title="")
        for key in ("chart:rag", "chart:history", "chart:trend:ASC-01")
    }
    page = lxml_html.fromstring(render_html(context, pictures=drawn).decode("utf-8"))
    images = {img.get("alt"): img.get("src") for img in page.iter("img")}
    uri = "data:image/png;base64," + base64.b64encode(PNG).decode()
    assert images == {
        "RAG ratings by priority, Q1 and Q2: …": uri,
        "A line chart of the numbers of Green, Amber and Red measures in each quarter, as the "
        "paragraph above gives them.": uri,
        "Trend: 61.2% to 57.1%, worsening.": uri,  # ASC-02's chart was not drawn: no picture
    }
    # The sentence is a numbered paragraph, as in the .docx, continuing the Summary's numbers.
    summary = page.get_element_by_id("summary").getparent()
    items = [" ".join(li.text_content().split()) for li in summary.iter("li")]
    assert items[-1] == "Over the last 8 quarters: Green 25, 27, 26."
    # Each list starts where the one before it ended (the forecast paragraph, if any, between).
    lists = list(summary.iter("ol"))
    for before, after in zip(lists, lists[1:], strict=False):
        assert int(after.get("start")) == int(before.get("start")) + len(before.findall("li"))
