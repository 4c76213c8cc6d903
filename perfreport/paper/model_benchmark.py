"""The paper's benchmark fields: an indicator's figure against a comparator, as display-ready text."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any


def _doc(text: str) -> Any:
    # The same metadata as model.doc (model.py imports this module, so it cannot import model).
    return dataclasses.field(metadata={"doc": text, "section": None, "inline": False})


@dataclass(frozen=True)
class BenchmarkLine:
    """One comparator's benchmark for an indicator (Appendix A and B; docs/benchmarks.md)."""

    text: str = _doc(
        "Better than the England median 2022/23 (78.2%): the verdict first, as a word (Better, "
        "Similar or Worse); a context measure's: England median 2022/23: 1,695"
    )
    comparator: str = _doc("England median")
    period: str = _doc("2022/23 (the comparator's year, or a quarter: Q1 2024/25)")
    value: str = _doc("78.2% (as the paper shows the measure's figures)")
    quartiles: str = _doc("quartiles 68.0% to 86.0% (empty when the file gives none)")
    verdict: str = _doc("Better, Similar or Worse; empty for a context measure")
