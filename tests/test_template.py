"""The default Word template, exporting a copy, and checking a custom template's fields."""

from __future__ import annotations

import base64
import importlib.util
import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from paperfactory import make_context
from typer.testing import CliRunner

from perfreport.cli import app
from perfreport.paper.template import (
    CONTEXT_SCHEMA,
    TEMPLATE_NAME,
    TemplateError,
    check_template,
    context_problems,
    default_template,
    export_template,
)

ROOT = Path(__file__).resolve().parent.parent
# A 1×1 transparent PNG, for a template with an image.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhf"
    "DwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def custom_template(tmp_path: Path, *lines: str, name: str = "custom.docx") -> Path:
    """A plain Word document whose paragraphs are ``lines`` (python-docx's blank template)."""
    document = Document()
    for line in lines:
        document.add_paragraph(line)
    path = tmp_path / name
    document.save(path)
    return path


def load_builder():
    spec = importlib.util.spec_from_file_location(
        "build_template", ROOT / "templates" / "build_template.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- the default template ------------------------------------------------------------------------


def test_the_default_template_ships_in_the_package() -> None:
    path = default_template()
    assert path.name == TEMPLATE_NAME and path.is_file()
    assert path.resolve() == (ROOT / "templates" / TEMPLATE_NAME).resolve()


def test_the_default_template_is_found_in_the_checkout_without_the_package_data(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def missing(package: str) -> None:
        raise ModuleNotFoundError(package)

    monkeypatch.setattr("perfreport.paper.shipped.resources.files", missing)
    assert default_template().resolve() == (ROOT / "templates" / TEMPLATE_NAME).resolve()


def entries(data: bytes) -> list[tuple[str, tuple, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return [(i.filename, i.date_time, package.read(i)) for i in package.infolist()]


def test_the_committed_template_is_what_the_build_script_makes() -> None:
    # Compared entry by entry: another zlib may compress the same parts to other bytes.
    built = load_builder().build()
    assert entries(built) == entries(default_template().read_bytes()), (
        "run: python templates/build_template.py"
    )
    assert load_builder().build() == built


def test_the_template_is_a4_with_council_properties_and_en_gb_styles() -> None:
    document = Document(str(default_template()))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert document.core_properties.author == "{{ council }}"  # never python-docx's own
    assert document.core_properties.comments == ""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert (
        defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}").get(qn("w:val"))
        == "en-GB"
    )
    fonts = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    assert {fonts.get(qn(f"w:{k}")) for k in ("ascii", "hAnsi", "cs", "eastAsia")} == {"Arial"}
    names = {s.name for s in document.styles}
    assert {
        "Title",
        "Heading 1",
        "Heading 2",
        "Heading 3",
        "Numbered Paragraph",
        "List Bullet",
        "Table Text",
        "Table Heading",
        "Data Table",
    } <= names
    outline = [
        document.styles[f"Heading {n}"].element.pPr.find(qn("w:outlineLvl")).get(qn("w:val"))
        for n in (1, 2, 3)
    ]
    assert outline == ["0", "1", "2"]


def test_the_template_carries_no_thumbnail_or_leftovers_of_python_docx() -> None:
    names = zipfile.ZipFile(default_template()).namelist()
    assert not [n for n in names if "thumbnail" in n or "customXml" in n or "WithEffects" in n]
    app_xml = zipfile.ZipFile(default_template()).read("docProps/app.xml").decode()
    assert "Macintosh" not in app_xml


def test_rag_and_band_fills_in_the_template_come_from_fields() -> None:
    xml = zipfile.ZipFile(default_template()).read("word/document.xml").decode()
    # Appendix A: the RAG word's own shading, so that a row continued on the next page takes no
    # colour there without its word; the risk bands and Appendix B's entries fill their cells.
    assert (
        '<w:r><w:rPr><w:shd w:val="clear" w:color="auto" w:fill="{{ ind.rag_fill }}"/></w:rPr>'
        "<w:t>{{ ind.rag }}</w:t></w:r>"
    ) in xml
    assert "cellbg ind.rag_fill" not in xml
    assert "{% cellbg risk.fill %}" in xml
    assert "{% cellbg entry.rag_fill %}" in xml


# -- exporting -----------------------------------------------------------------------------------


def test_export_writes_a_copy_of_the_default_template(tmp_path: Path) -> None:
    path = export_template(tmp_path / "brand")
    assert path == tmp_path / "brand" / TEMPLATE_NAME
    assert path.read_bytes() == default_template().read_bytes()


def test_export_will_not_overwrite_unless_asked(tmp_path: Path) -> None:
    path = export_template(tmp_path)
    path.write_bytes(b"edited in Word")
    with pytest.raises(TemplateError, match="already exists"):
        export_template(tmp_path)
    assert path.read_bytes() == b"edited in Word"
    export_template(tmp_path, overwrite=True)
    assert path.read_bytes() == default_template().read_bytes()


# -- checking ------------------------------------------------------------------------------------


def test_the_default_template_passes_its_check_and_uses_only_documented_fields() -> None:
    check = check_template(default_template())
    assert check.ok, (check.unknown, check.problems)
    assert {
        "title",
        "committee",
        "summary.headline",
        "summary.rag_rows[].green_current",
        "risks.current[].band",
        "assurance[].date",
        "appendix.groups[].count_line",
        "appendix.groups[].indicators[].rag_fill",
        "key_issues[].name",
        "key_issues[].issues",
        "key_issues_none",
    } <= set(check.fields)


def test_check_flags_unknown_fields_at_any_depth(tmp_path: Path) -> None:
    path = custom_template(
        tmp_path,
        "{{ council }} {{ colour }}",
        "{{ summary.headlines }}",
        "{%p for p in appendix.groups %}",
        "{{ p.nmae }} {{ p.name }} {{ loop.index }}",
        "{%p for ind in p.indicators %}",
        "{{ ind.rag }} {{ ind.value }}",
        "{%p endfor %}",
        "{%p endfor %}",
        "{% set x = 3 %}{{ x }}",
    )
    check = check_template(path)
    assert check.unknown == (
        "appendix.groups[].indicators[].value",
        "appendix.groups[].nmae",
        "colour",
        "summary.headlines",
    )
    assert {
        "council",
        "appendix.groups[].name",
        "appendix.groups[].indicators[].rag",
    } <= set(check.fields)
    assert not check.ok


def test_check_reports_a_tag_that_cannot_be_read(tmp_path: Path) -> None:
    check = check_template(custom_template(tmp_path, "{{ council }", "{% if title %}"))
    assert any(p.startswith("a tag cannot be read") for p in check.problems)


def test_check_flags_an_image_without_alt_text_and_the_wrong_language(tmp_path: Path) -> None:
    document = Document()
    document.add_picture(io.BytesIO(PIXEL))
    path = tmp_path / "logo.docx"
    document.save(path)
    problems = check_template(path).problems
    assert problems[0].startswith("the default language is en-US, not en-GB")
    assert re.match(r"the image '.*' has no alt text", problems[1])


def test_check_refuses_a_file_that_is_not_a_word_document(tmp_path: Path) -> None:
    path = tmp_path / "notes.docx"
    path.write_text("not a zip", encoding="utf-8")
    with pytest.raises(TemplateError, match="is not a Word document"):
        check_template(path)
    with pytest.raises(TemplateError, match="does not exist"):
        check_template(tmp_path / "missing.docx")


# -- the context schema --------------------------------------------------------------------------


def test_the_fixture_context_matches_the_documented_schema() -> None:
    assert context_problems(make_context()) == []


def test_context_problems_name_missing_unknown_and_misshapen_fields() -> None:
    context = make_context(colour="blue", chair=["not", "text"])
    del context["summary"]["headline"]
    context["appendix"]["groups"][0]["indicators"][0]["rag"] = None
    context["recommendations"] = ["One", 2]
    assert context_problems(context) == [
        "chair should be text, not a list",
        "recommendations[1] should be text, not int",
        "summary.headline is missing",
        "appendix.groups[0].indicators[0].rag should be text, not nothing",
        "colour is not a documented field",
    ]


def test_docs_describe_every_field_of_the_context() -> None:
    docs = (ROOT / "docs" / "template.md").read_text(encoding="utf-8")

    def paths(schema, prefix=""):
        for key, value in schema.items():
            path = f"{prefix}{key}"
            yield path
            if isinstance(value, dict):
                yield from paths(value, f"{path}.")
            elif isinstance(value, list) and isinstance(value[0], dict):
                yield from paths(value[0], f"{path}[].")

    missing = [p for p in paths(CONTEXT_SCHEMA) if f"`{p}`" not in docs]
    assert missing == []


def load_docs_generator():
    spec = importlib.util.spec_from_file_location(
        "gen_template_fields", ROOT / "docs" / "gen_template_fields.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_field_list_in_the_docs_is_generated_from_the_model_and_current() -> None:
    written = (ROOT / "docs" / "template.md").read_text(encoding="utf-8")
    generator = load_docs_generator()
    assert written == generator.render(written), "run: python docs/gen_template_fields.py"
    rows = re.findall(r"^\| `([^`]+)` \| (\w+) \|", generator.fields_section(), re.MULTILINE)
    assert ("appendix.groups[].indicators[].rag_fill", "text") in rows
    assert ("risks.current", "table") in rows and ("summary", "group") in rows
    assert ("executive_summary", "paragraphs") in rows


def test_the_docs_generator_refuses_a_page_without_its_markers() -> None:
    with pytest.raises(SystemExit, match="lost its markers"):
        load_docs_generator().render("# The template\n\nNo markers here.\n")


# -- the commands --------------------------------------------------------------------------------


def test_cli_template_export_and_check(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["template", "export", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "committee-paper.docx" in result.output
    again = runner.invoke(app, ["template", "export", str(tmp_path)])
    assert again.exit_code == 2
    result = runner.invoke(app, ["template", "check", str(tmp_path / TEMPLATE_NAME)])
    assert result.exit_code == 0, result.output
    assert "The template is ready to use." in result.output


def test_cli_template_check_json_equals_the_library_and_exits_1_on_unknown_fields(
    tmp_path: Path,
) -> None:
    path = custom_template(tmp_path, "{{ colour }}")
    result = CliRunner().invoke(app, ["template", "check", str(path), "--format", "json"])
    assert result.exit_code == 1
    check = check_template(path)
    assert json.loads(result.stdout) == {
        "schema": "perfreport.template-check/1",
        "template": str(path),
        "ok": False,
        "fields": list(check.fields),
        "unknown": ["colour"],
        "problems": list(check.problems),
    }


def test_export_to_a_name_ending_docx_writes_that_file(tmp_path: Path) -> None:
    """'perfreport template export brand.docx' writes brand.docx, not a folder named so."""
    path = export_template(tmp_path / "brand.docx")
    assert path == tmp_path / "brand.docx"
    assert path.is_file()
    assert path.read_bytes() == default_template().read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brand.docx"]
    with pytest.raises(TemplateError, match="already exists"):
        export_template(tmp_path / "brand.docx")
    export_template(tmp_path / "Brand.DOCX", overwrite=True)  # the suffix in any case
    assert (tmp_path / "Brand.DOCX").read_bytes() == default_template().read_bytes()


def test_export_to_a_folder_whose_name_ends_docx_writes_into_it(tmp_path: Path) -> None:
    (tmp_path / "odd.docx").mkdir()
    path = export_template(tmp_path / "odd.docx")
    assert path == tmp_path / "odd.docx" / TEMPLATE_NAME


def test_export_to_a_name_of_the_other_kind_says_which_to_give(tmp_path: Path) -> None:
    from perfreport.paper.html import HtmlError, export_html_template

    with pytest.raises(TemplateError) as word:
        export_template(tmp_path / "brand.html")
    assert str(word.value) == (
        f"{tmp_path / 'brand.html'} is a name for the web-page template, and this copies the "
        "Word template. Give a name ending .docx, or a folder (add --html for the web page's)."
    )
    with pytest.raises(
        HtmlError, match=r"Give a name ending \.html, or a folder \(without --html\)"
    ):
        export_html_template(tmp_path / "brand.docx")
    assert list(tmp_path.iterdir()) == []
    page = export_html_template(tmp_path / "site.html")
    assert page == tmp_path / "site.html" and page.is_file()
