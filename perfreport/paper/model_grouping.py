"""The paper's grouping as its headings and captions name it ([paper] group_by)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any


def _doc(text: str) -> Any:
    # The same metadata as paper.model.doc (which cannot be imported here: model imports this).
    return dataclasses.field(metadata={"doc": text, "section": None, "inline": False})


@dataclass(frozen=True)
class GroupingText:
    """What Appendix A, the RAG table and the key issues are grouped by, in words."""

    label: str = _doc("Priority (or Directorate, or Service: a column heading or a label)")
    noun: str = _doc('priority (the same mid-sentence: "RAG ratings by priority")')
    plural: str = _doc("priorities (or directorates, or services)")
