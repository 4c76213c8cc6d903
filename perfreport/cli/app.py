"""The typer app: every command, in the order --help lists them, and the console script."""

from __future__ import annotations

import gc
import sys
from typing import Annotated

import typer

try:  # typer 0.22 and later carry their own copy of click
    from typer._click.exceptions import ClickException
except ImportError:  # pragma: no cover - older typer uses click itself
    from click.exceptions import ClickException  # type: ignore[no-redef]

from perfreport import __version__
from perfreport.cli.history import history_import
from perfreport.cli.results import build, export, summary
from perfreport.cli.round import init, returns, status
from perfreport.cli.shared import (
    EXIT_USAGE,
    Command,
    Group,
    asks_for_json,
    error_document,
    print_json,
)
from perfreport.cli.show import colour_allowed
from perfreport.cli.streams import protect_streams
from perfreport.cli.template import template_check, template_export
from perfreport.cli.validate import validate

app = typer.Typer(
    name="perfreport",
    help="Quarterly council performance reports: validate service returns, rate indicators, "
    "build the committee paper.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=Group,
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
    protect_streams()  # also when the app is run without main(), as in tests


app.command(cls=Command)(validate)
app.command(cls=Command)(init)
app.command(cls=Command)(returns)
app.command(cls=Command)(status)
app.command(cls=Command)(summary)
app.command(cls=Command)(export)
app.command(cls=Command)(build)

template_app = typer.Typer(
    help="Copy and check the Word template of the committee paper.",
    no_args_is_help=True,
    cls=Group,
)
template_app.command("export", cls=Command)(template_export)
template_app.command("check", cls=Command)(template_check)
app.add_typer(template_app, name="template")

history_app = typer.Typer(
    help="Past figures: the published history of quarters perfreport did not build.",
    no_args_is_help=True,
)
history_app.command("import")(history_import)
app.add_typer(history_app, name="history")


def main() -> None:
    """The console script's entry point."""
    protect_streams()
    try:
        code = app(standalone_mode=False)
    except ClickException as exc:
        # A usage error: rich's boxed panel on a terminal, plain lines for a log file or NO_COLOR.
        if sys.stderr.isatty() and colour_allowed():
            from typer import rich_utils

            rich_utils.rich_format_error(exc)
        else:
            exc.show()
        if exc.exit_code == EXIT_USAGE and asks_for_json(sys.argv[1:]):
            # Found before the options were read: --format json is looked for in the words.
            print_json(error_document(exc.format_message()))
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.echo("Aborted.", err=True)
        sys.exit(1)
    # The command is done. The interpreter's collections at exit would walk every object of
    # the modules imported (~0.07 s of a 1 s build): frozen, they are left to the exit.
    gc.freeze()
    sys.exit(code if isinstance(code, int) else 0)
