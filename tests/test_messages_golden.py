"""Every finding's (code, severity, file, sheet, cell, ref, message) is exactly the golden one.

The golden files tests/golden/messages-*.json were written by perfreport 0.1.0 from the same
inputs (tests/goldenmessages.py --python), so they hold 0.1.0's wording; the only changes since
are deliberate: unreadable-file has one template, with the advice its cause needs, and
Excel's owner file, named as a loose file, is excel-owner-file, not not-a-workbook. The inputs:
every hostile file and every file of the wild corpus as a loose file, examples/broken-returns as
a period and as loose files, examples/somerset Q2-2024, and situations built in
tests/goldensituations.py (the return and workbook cases of test_returns and test_workbook among
them).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from goldenmessages import BUILDERS, GROUPS, golden_path, run_here
from messagecapture import capture
from test_corpus_wild import NO_CORPUS

from perfreport.core.project import LimitSettings
from perfreport.xlsx.isolation import map_isolated

REGENERATE = (
    "If the change of wording is deliberate, write the golden files again with "
    "`.venv/bin/python tests/goldenmessages.py` and review every changed line of "
    "tests/golden/messages-*.json before committing it."
)
ISOLATED = {"hostile", "wild"}  # files built to attack readers: read in worker processes


def found(group: str, root: Path) -> dict[str, list]:
    scenarios = BUILDERS[group](root)
    if group == "wild" and not scenarios:
        pytest.skip(NO_CORPUS)
    if group not in ISOLATED:
        return run_here(scenarios)
    outcomes = map_isolated(
        capture,
        list(scenarios.values()),
        timeout=30.0,
        memory_mb=LimitSettings().parse_memory_mb,
        workers=2,
    )
    failed = {n: o.detail for n, o in zip(scenarios, outcomes, strict=True) if not o.ok}
    assert failed == {}, "reading stopped"
    return {n: o.value for n, o in zip(scenarios, outcomes, strict=True)}


def differences(expected: dict[str, list], actual: dict[str, list]) -> list[str]:
    lines = []
    for name in sorted(set(expected) | set(actual)):
        before, after = expected.get(name), actual.get(name)
        if before == after:
            continue
        lines.append(f"{name}:")
        lines += [f"  - {row}" for row in before or [] if row not in (after or [])]
        lines += [f"  + {row}" for row in after or [] if row not in (before or [])]
        if before and after and sorted(map(str, before)) == sorted(map(str, after)):
            lines.append("  (the same findings in another order)")
    return lines


@pytest.mark.parametrize("group", GROUPS)
def test_gives_the_golden_messages(group, tmp_path):
    actual = found(group, tmp_path)
    expected = json.loads(golden_path(group).read_text(encoding="utf-8"))
    changed = differences(expected, actual)
    assert not changed, "\n".join([*changed[:40], REGENERATE])


def test_covers_the_situations_the_examples_lack():
    rows = [
        row
        for group in ("situations", "broken-returns")
        for found_rows in json.loads(golden_path(group).read_text(encoding="utf-8")).values()
        for row in found_rows
    ]
    messages = {row[6] for row in rows}
    wanted = (
        "the ref is blank but the row has a value in",
        "so the catalogue's target of 85 is used",
        "the catalogue has no target for",
        "differs from the catalogue's target of",
        "is also returned by",
        "There is no report file",
        "names 2 quarter(s)",
        "so it is due every quarter and due",
        "Enter a whole number from 0 to 6",
        "has no title. Fill in the title.",
        "This file is empty (0 bytes)",
        "This file cannot be opened",
    )
    assert [w for w in wanted if not any(w in m for m in messages)] == []
