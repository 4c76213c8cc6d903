"""File names that Windows, macOS and Linux all accept, made from titles and service names."""

from __future__ import annotations

import re

# Characters Windows refuses in a file name (/ is refused everywhere), and control characters.
_UNSAFE = re.compile(r'[/\\:*?"<>|\x00-\x1f]+')


def safe_file_name(text: str, fallback: str) -> str:
    """``text`` with each run of unsafe characters as "-", spaces collapsed, and no leading or
    trailing space or dot (Windows drops them): "Legal/Democratic." gives "Legal-Democratic".
    ``fallback`` when nothing is left."""
    cleaned = " ".join(_UNSAFE.sub("-", text).split()).strip(" .")
    return cleaned or fallback
