"""The typer app: every command, in the order --help lists them, and the console script."""

from __future__ import annotations

from typing import Annotated

import typer

from perfreport import __version__
from perfreport.cli.history import history_import
from perfreport.cli.results import build, export, summary
from perfreport.cli.round import init, returns, status
from perfreport.cli.template import template_check, template_export
from perfreport.cli.validate import validate

app = typer.Typer(
    name="perfreport",
    help="Quarterly council performance reports: validate service returns, rate indicators, "
    "build the committee paper.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"perfreport {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Show the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    """Quarterly council performance reports from service returns."""


app.command()(validate)
app.command()(init)
app.command()(returns)
app.command()(status)
app.command()(summary)
app.command()(export)
app.command()(build)

template_app = typer.Typer(
    help="Copy and check the Word template of the committee paper.", no_args_is_help=True
)
template_app.command("export")(template_export)
template_app.command("check")(template_check)
app.add_typer(template_app, name="template")

history_app = typer.Typer(
    help="Past figures: the published history of quarters perfreport did not build.",
    no_args_is_help=True,
)
history_app.command("import")(history_import)
app.add_typer(history_app, name="history")


def main() -> None:
    """The console script's entry point."""
    app()
