"""The web page's Jinja sandbox, reading a plain dict's keys without first trying an attribute."""

from __future__ import annotations

from perfreport.paper.sandbox import KeysFirst


class PageEnvironment(KeysFirst):
    """Jinja's sandbox, the same results; ``row.ref`` on a plain dict read as ``row["ref"]``
    (sandbox.KeysFirst, which the Word template's sandbox is too)."""
