"""The command line: thin commands over the library, and their rich renderers."""

from perfreport.cli.app import app, main

__all__ = ["app", "main"]
