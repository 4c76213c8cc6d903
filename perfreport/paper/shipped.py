"""Where a template shipped with perfreport is: in the installed package, else the checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

# Why a module of its own: the web page, made in the charts' process, finds its template here
# without importing paper.template and the paper's model (~0.02 s of that process's CPU).


def shipped_template(name: str, what: str, error: type[Exception]) -> Path:
    """A template shipped with perfreport (``what``: "template", "web-page template"): inside
    the installed package, else the checkout's templates/ folder; ``error`` if it is missing."""
    try:
        candidate = resources.files("perfreport.templates") / name
        if candidate.is_file():
            return Path(str(candidate))
    except (ModuleNotFoundError, TypeError):
        pass  # not installed as a package: look in the checkout
    # perfreport/paper/shipped.py -> the checkout, beside the perfreport package
    fallback = Path(__file__).resolve().parents[2] / "templates" / name
    if fallback.is_file():
        return fallback
    raise error(
        f"the default {what} {name} is missing from this installation. Reinstall perfreport."
    )
