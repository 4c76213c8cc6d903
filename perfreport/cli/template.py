"""perfreport template export and check: the Word template of the committee paper."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from perfreport.cli.shared import (
    EXIT_FINDINGS,
    EXIT_OK,
    FormatOption,
    OutputFormat,
    fail,
    print_json,
)
from perfreport.cli.show import make_console, print_template_check, print_template_exported


def template_export(
    destination: Annotated[
        Path,
        typer.Argument(
            help="The folder to write committee-paper.docx (or .html) to, or the file to "
            "write: a name ending .docx (.html with --html).",
            show_default=False,
        ),
    ],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing copy.")] = False,
    html: Annotated[
        bool,
        typer.Option(
            "--html",
            help="Copy the web page's template (committee-paper.html) instead of the Word one.",
        ),
    ] = False,
) -> None:
    """Write a copy of the default template, to restyle in Word (see docs/template.md)."""
    from perfreport.paper.html import HtmlError, export_html_template
    from perfreport.paper.template import TemplateError, export_template

    try:
        if html:
            path = export_html_template(destination, overwrite=force)
        else:
            path = export_template(destination, overwrite=force)
    except (TemplateError, HtmlError, OSError) as exc:
        fail(str(exc))
    print_template_exported(make_console(), path)


def template_check(
    file: Annotated[
        Path,
        typer.Argument(help="The .docx template to check.", dir_okay=False, show_default=False),
    ],
    output_format: FormatOption = OutputFormat.TEXT,
) -> None:
    """List the fields a template uses and flag those the paper does not provide."""
    from perfreport.paper.template import TemplateError, check_template

    try:
        check = check_template(file)
    except TemplateError as exc:
        fail(str(exc))
    if output_format is OutputFormat.JSON:
        print_json(check.to_dict())
    else:
        print_template_check(make_console(), check)
    raise typer.Exit(EXIT_OK if check.ok else EXIT_FINDINGS)
