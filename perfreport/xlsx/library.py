"""openpyxl, imported for reading without numpy: a fifth of a second off every command that reads."""

from __future__ import annotations

import sys
from types import ModuleType

# Why: openpyxl imports numpy whenever it is installed (openpyxl.compat.numbers), only so that it
# can write numpy numbers. perfreport never hands it one, and importing numpy costs 0.1-0.2 s on
# every start that reads a workbook (in the command and in the worker server). Analysts often
# have numpy installed (pandas brings it), so it is kept out while openpyxl is first imported.
# A process that has imported numpy already keeps it: openpyxl then sees it, as before.


def openpyxl() -> ModuleType:
    """The openpyxl package, imported (the first time) without numpy."""
    if "openpyxl" in sys.modules:
        return sys.modules["openpyxl"]
    blocked = "numpy" not in sys.modules
    if blocked:
        sys.modules["numpy"] = None  # type: ignore[assignment]  # `import numpy` raises ImportError
    try:
        import openpyxl as module
    finally:
        if blocked and sys.modules.get("numpy", 0) is None:
            del sys.modules["numpy"]
    return module


openpyxl()  # importing this module imports openpyxl: the worker server preloads it so
