"""Building blocks of the template: paragraphs, loops over the context, accessible tables, fields."""

from __future__ import annotations

from dataclasses import dataclass

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm


def para(container, text: str = "", style: str = "Normal"):
    paragraph = container.add_paragraph(style=style)
    if text:
        paragraph.add_run(text)
    return paragraph


def loop(document, items: str, style: str = "Numbered Paragraph", name: str = "text") -> None:
    """One paragraph per item of a list in the context (the tag paragraphs vanish when rendered)."""
    para(document, f"{{%p for {name} in {items} %}}")
    para(document, f"{{{{ {name} }}}}", style)
    para(document, "{%p endfor %}")


def _row_flags(row, *, header: bool, split: bool = False, keep: bool = False) -> None:
    """A row's page behaviour: ``split`` lets a tall row continue on the next page; ``keep`` ties
    it to the next row (all rows of a small table kept, the table never splits)."""
    tr_pr = row._tr.get_or_add_trPr()
    if not split or header:
        tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))  # repeat as header row: PDF TH cells, every page
    if keep or header:
        # Word and LibreOffice keep a table together when every paragraph in it keeps with the
        # next; a header row always keeps with the first row below it.
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


def _fill(cell, colour: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shd)


@dataclass(frozen=True)
class Badge:
    """A cell's text whose first part wears a fill from the context: the RAG word, shaded behind
    its own letters. Why not the cell (docxtpl's {% cellbg %}): a tall row that runs on to the
    next page took its cell's colour with it, a coloured cell with no word there (RAG shown by
    colour alone); the word's shading stays with the word."""

    fill: str  # a Jinja expression of the hex colour: "ind.rag_fill"
    text: str  # the shaded part: "{{ ind.rag }}"
    rest: str = ""  # the plain text after it (last quarter's RAG, the forecast …)


def _cell_text(cell, text: str | Badge, style: str) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.style = style
    if isinstance(text, Badge):
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), f"{{{{ {text.fill} }}}}")  # rendered as docxtpl renders cellbg's
        paragraph.add_run(text.text)._r.get_or_add_rPr().append(shd)
        if text.rest:
            paragraph.add_run(text.rest)
    elif text:
        paragraph.add_run(text)


def _table(
    document,
    rows: int,
    widths_mm: list[float],
    caption: str,
    description: str,
    style: str = "Data Table",
):
    table = document.add_table(rows=rows, cols=len(widths_mm))
    table.style = style
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)  # also gives each cell a <w:tcPr> child, which cellbg needs
    tbl_pr = table._tbl.tblPr
    look = tbl_pr.find(qn("w:tblLook"))
    if look is not None:
        tbl_pr.remove(look)
    look = OxmlElement("w:tblLook")
    for key, value in (
        ("val", "0420"),
        ("firstRow", "1"),
        ("lastRow", "0"),
        ("firstColumn", "0"),
        ("lastColumn", "0"),
        ("noHBand", "1"),
        ("noVBand", "1"),
    ):
        look.set(qn(f"w:{key}"), value)
    tbl_pr.append(look)
    for tag, text in (("w:tblCaption", caption), ("w:tblDescription", description)):
        element = OxmlElement(tag)  # accessibility: the table's title and summary (alt text)
        element.set(qn("w:val"), text)
        tbl_pr.append(element)
    return table


# A body row of a table that runs over pages keeps with the next when it is the first (the
# heading, which keeps with the header row, which keeps with the first row, starts a page with
# the first two rows) or the last but one (the last row does not start a page alone). In a
# {%tr for %} loop: Jinja's loop variable.
KEEP_ENDS = "(loop.first and not loop.last or loop.revindex == 2)"


def data_table(
    document,
    headers: list[str],
    cells: list[str | Badge],
    widths_mm: list[float],
    *,
    loop_over: str,
    caption: str,
    description: str,
    header_fills: dict[int, str] | None = None,
    total: list[str] | None = None,
    split_rows: str | None = None,
    apart_rows: str | None = None,
    group: str | None = None,
    long: bool = False,
):
    """A header row repeated on every page, then one row per item of ``loop_over`` ({%tr for %}).

    A table is kept on one page (a short table of a few rows), unless ``split_rows`` names the
    field that marks a tall row (Appendix A's long commentary): such a row continues on the next
    page, under the repeated header row, rather than leave the page mostly blank; a shorter row
    never splits. A ``long`` table (Appendix C's) runs over pages as one with ``split_rows``
    does, but no row splits.

    A table that runs over pages keeps its start and its end together: the first body row and
    the last but one keep with the next (:data:`KEEP_ENDS`), so the heading above it (which
    keeps with the header row) goes on to the next page with the header row and the first two
    rows, never with one row alone, and the last row never starts a page alone; a row that
    ``apart_rows`` marks (Appendix A's, more than about half a page) keeps with none. So the
    body row is there twice, kept and not (four times with ``split_rows``, kept or not, tall or
    not): restyle each.
    """
    # The rows: the header, then {%tr %} tag rows (docxtpl removes them) around the body rows,
    # and with ``group``, a row in the Table Label style for the items that start a group.
    spec: list[tuple[str, str]] = [("header", ""), ("tag", f"{{%tr for {loop_over} %}}")]
    ends = bool(split_rows or long)
    kept = f"{KEEP_ENDS} and not {apart_rows}" if apart_rows else KEEP_ENDS
    if group and ends:
        raise ValueError("a group row is for a short table, kept whole")
    if group:
        spec += [("tag", f"{{%tr if {group} %}}"), ("group", ""), ("tag", "{%tr else %}")]
    if ends and split_rows:
        spec += [
            ("tag", f"{{%tr if {kept} and {split_rows} %}}"),
            ("tall kept", ""),
            ("tag", f"{{%tr elif {kept} %}}"),
            ("body kept", ""),
            ("tag", f"{{%tr elif {split_rows} %}}"),
            ("tall", ""),
            ("tag", "{%tr else %}"),
        ]
    elif ends:
        spec += [("tag", f"{{%tr if {kept} %}}"), ("body kept", ""), ("tag", "{%tr else %}")]
    spec.append(("body", ""))
    if group or ends:
        spec.append(("tag", "{%tr endif %}"))
    spec.append(("tag", "{%tr endfor %}"))
    if total is not None:
        spec.append(("total", ""))
    table = _table(document, len(spec), widths_mm, caption, description)
    for row, (kind, text) in zip(table.rows, spec, strict=True):
        if kind == "header":
            for index, (cell, heading) in enumerate(zip(row.cells, headers, strict=True)):
                _cell_text(cell, heading, "Table Heading")
                if header_fills and index in header_fills:
                    _fill(cell, header_fills[index])
            _row_flags(row, header=True)
            continue
        if kind == "tag":
            _cell_text(row.cells[0], text, "Table Text")
        elif kind == "group":
            _cell_text(row.cells[0], f"{{{{ {group} }}}}", "Table Label")
        elif kind in ("body", "tall", "body kept", "tall kept"):
            for cell, value in zip(row.cells, cells, strict=True):
                _cell_text(cell, value, "Table Text")
        if kind == "total":
            for cell, value in zip(row.cells, total or (), strict=True):
                _cell_text(cell, value, "Table Label")
            _row_flags(row, header=False)
        else:
            # In a table of many rows (split_rows, long), rows do not keep with the next but at
            # its ends (KEEP_ENDS): the table runs over pages; a short table keeps every row
            # with the next, so it stays whole.
            _row_flags(
                row,
                header=False,
                split=kind.startswith("tall"),
                keep=kind.endswith("kept") or not ends,
            )
    return table


def key_value_table(document, rows: list[tuple[str, str]], caption: str, description: str):
    """Label | value rows (the paper's front-sheet tables): labels in the Table Label style."""
    table = _table(document, len(rows), [70, 100], caption, description, style="Key Value Table")
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    look.set(qn("w:firstRow"), "0")
    look.set(qn("w:firstColumn"), "1")
    for row, (label, value) in zip(table.rows, rows, strict=True):
        _cell_text(row.cells[0], label, "Table Label")
        _cell_text(row.cells[1], value, "Table Text")
        _row_flags(row, header=False, keep=row is not table.rows[-1])
    return table


def _field(paragraph, instruction: str, shown: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in."""

    def run_with(child) -> None:
        run = paragraph.add_run()
        run._r.append(child)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    paragraph.add_run(shown)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def header_and_footer(section) -> None:
    para_h = section.header.paragraphs[0]
    para_h.style = "header"
    para_h.add_run("{{ council }}: {{ title }}")
    para_f = section.footer.paragraphs[0]
    para_f.style = "footer"
    para_f.add_run("Page ")
    _field(para_f, "PAGE", "1")
    para_f.add_run(" of ")
    _field(para_f, "NUMPAGES", "1")
