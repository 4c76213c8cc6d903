"""The paper's Word template: where the default lives, exporting a copy, checking a custom one."""

from __future__ import annotations

import io
import os
import re
import shutil
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from perfreport.paper.model import Paper, context_schema
from perfreport.paper.shipped import shipped_template

TEMPLATE_NAME = "committee-paper.docx"

# The context a template can use, derived from the paper's model (docs/template.md lists it).
# ``str`` is display-ready text, ``[str]`` a list of paragraphs or items, a dict a group of fields,
# ``[{...}]`` a table.
CONTEXT_SCHEMA: dict[str, Any] = context_schema(Paper)


TEMPLATE_CHECK_SCHEMA = "perfreport.template-check/1"


class TemplateError(ValueError):
    """A template cannot be found, exported or read; the CLI exits 2."""


# The suffixes of the shipped templates: a destination ending in one of them names a file.
TEMPLATE_SUFFIXES = {".docx": "the Word template", ".html": "the web-page template"}


def export_target(name: str, destination: Path | str, error: type[Exception]) -> Path:
    """Where to write a copy of the shipped template ``name``: into ``destination`` when it is a
    folder (or names none of the templates' kinds of file), else as that file itself: "perfreport
    template export brand.docx" writes brand.docx, not a folder of that name."""
    path = Path(destination)
    suffix = path.suffix.lower()
    if path.is_dir() or suffix not in TEMPLATE_SUFFIXES:
        return path / name
    wanted = Path(name).suffix.lower()
    if suffix != wanted:
        hint = " (add --html for the web page's)" if suffix == ".html" else " (without --html)"
        raise error(
            f"{path} is a name for {TEMPLATE_SUFFIXES[suffix]}, and this copies "
            f"{TEMPLATE_SUFFIXES[wanted]}. Give a name ending {wanted}, or a folder{hint}."
        )
    return path


def export_shipped(
    name: str, what: str, error: type[Exception], destination: Path | str, *, overwrite: bool
) -> Path:
    """Copy a shipped template to ``destination`` (a folder, or the file to write), for a team to
    restyle. The copy is written beside its name and moved into place: never half a file."""
    target = export_target(name, destination, error)
    if target.exists() and not overwrite:
        raise error(f"{target} already exists. Choose another name, or overwrite it (--force).")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".~{target.name}.partial")
    try:
        shutil.copyfile(shipped_template(name, what, error), partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def default_template() -> Path:
    """The shipped Word template."""
    return shipped_template(TEMPLATE_NAME, "template", TemplateError)


def export_template(directory: Path | str, *, overwrite: bool = False) -> Path:
    """Copy the default template into ``directory`` (or to that .docx file) for a comms team to
    restyle in Word."""
    return export_shipped(TEMPLATE_NAME, "template", TemplateError, directory, overwrite=overwrite)


def _shape(value: Any) -> str:
    if isinstance(value, Mapping):
        return "a group of fields"
    if isinstance(value, list | tuple):
        return "a list"
    return "nothing" if value is None else type(value).__name__


def context_problems(
    context: Mapping[str, Any], schema: Mapping[str, Any] = CONTEXT_SCHEMA, path: str = ""
) -> list[str]:
    """Differences between a context and the documented schema: missing, unknown, wrong shape."""
    problems = []
    for key, expected in schema.items():
        where = f"{path}.{key}" if path else key
        if key not in context:
            problems.append(f"{where} is missing")
            continue
        value = context[key]
        if isinstance(expected, dict):
            if not isinstance(value, Mapping):
                problems.append(f"{where} should be a group of fields")
            else:
                problems += context_problems(value, expected, where)
        elif isinstance(expected, list):
            if not isinstance(value, list | tuple):
                problems.append(f"{where} should be a list")
                continue
            for index, item in enumerate(value):
                item_where = f"{where}[{index}]"
                if isinstance(expected[0], dict):
                    if not isinstance(item, Mapping):
                        problems.append(f"{item_where} should be a group of fields")
                    else:
                        problems += context_problems(item, expected[0], item_where)
                elif not isinstance(item, str):
                    problems.append(f"{item_where} should be text, not {_shape(item)}")
        elif not isinstance(value, str):
            problems.append(f"{where} should be text, not {_shape(value)}")
    problems += [f"{path}.{k}" if path else k for k in context if k not in schema]
    return [p if " " in p else f"{p} is not a documented field" for p in problems]


@dataclass(frozen=True)
class TemplateCheck:
    """What ``perfreport template check`` reports about a template."""

    path: Path
    fields: tuple[str, ...]  # every field the template uses, e.g. appendix.groups[].name
    unknown: tuple[str, ...]  # fields the context does not have: rendering would fail
    problems: tuple[str, ...]  # syntax errors, images without alt text, the wrong language

    @property
    def ok(self) -> bool:
        return not self.unknown and not self.problems

    def to_dict(self) -> dict:
        """``template check --format json``: schema perfreport.template-check/1 (docs/json.md)."""
        return {
            "schema": TEMPLATE_CHECK_SCHEMA,
            "template": str(self.path),
            "ok": self.ok,
            "fields": list(self.fields),
            "unknown": list(self.unknown),
            "problems": list(self.problems),
        }


def _sources(template) -> str:
    """The template's Jinja source as docxtpl sees it: body, headers and footers."""
    from docx.oxml import parse_xml

    document = template.get_docx()
    source = template.patch_xml(template.xml_to_string(document.element.body))
    for uri in (template.HEADER_URI, template.FOOTER_URI):
        for _, part in template.get_headers_footers(uri):
            source += template.patch_xml(template.xml_to_string(parse_xml(part.blob)))
    return source


def _package_problems(path: Path) -> list[str]:
    from lxml import etree

    problems = []
    with zipfile.ZipFile(path) as package:
        names = set(package.namelist())
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
        if "word/styles.xml" in names:
            styles = etree.fromstring(package.read("word/styles.xml"), parser)
            lang = styles.find(f"{w}docDefaults/{w}rPrDefault/{w}rPr/{w}lang")
            value = lang.get(f"{w}val") if lang is not None else None
            if value != "en-GB":
                problems.append(
                    f"the default language is {value or 'not set'}, not en-GB: the "
                    "PDF takes its language from here. In Word: Review > Language > "
                    "Set Proofing Language > English (United Kingdom) > Set As "
                    "Default"
                )
        for name in sorted(n for n in names if n.startswith("word/") and n.endswith(".xml")):
            root = etree.fromstring(package.read(name), parser)
            for pr in root.iter(
                "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
            ):
                if not (pr.get("descr") or "").strip():
                    problems.append(
                        f"the image '{pr.get('name', '?')}' has no alt text. In Word: "
                        "right-click it > View Alt Text, and describe it"
                    )
    return problems


def check_template(path: Path | str) -> TemplateCheck:
    """List the fields a template uses and flag those the context does not provide."""
    from docxtpl import DocxTemplate
    from jinja2 import TemplateSyntaxError

    from perfreport.paper.document import make_environment
    from perfreport.paper.fields import walk_fields

    path = Path(path)
    if not path.is_file():
        raise TemplateError(f"{path} does not exist.")
    try:
        data = path.read_bytes()
        template = DocxTemplate(io.BytesIO(data))
        source = _sources(template)
        problems = _package_problems(path)
    except Exception as exc:  # not a .docx: zipfile, python-docx, lxml errors
        raise TemplateError(
            f"{path} is not a Word document (.docx) that can be read: {exc}"
        ) from None
    environment = make_environment()
    try:
        top_level = template.get_undeclared_template_variables(environment)
        used, unknown = walk_fields(environment.parse(source), CONTEXT_SCHEMA)
    except TemplateSyntaxError as exc:
        lines = source.splitlines()
        near = lines[exc.lineno - 1] if exc.lineno and exc.lineno <= len(lines) else ""
        near = " ".join(_strip_tags(near).split())[:160]
        problems.append(
            f"a tag cannot be read: {exc.message}" + (f" (near: {near})" if near else "")
        )
        top_level, used, unknown = set(), set(), set()
    unknown |= {name for name in top_level if name not in CONTEXT_SCHEMA}
    return TemplateCheck(
        path, tuple(sorted(used | unknown)), tuple(sorted(unknown)), tuple(problems)
    )


def _strip_tags(xml: str) -> str:
    return re.sub(r"<[^>]+>", " ", xml)
