"""Generate the example projects examples/somerset and examples/broken-returns (deterministic).

Run: python examples/generate.py [--out DIR]. The figures are synthetic. The script re-rates the
Somerset figures with the issue-3 rules and stops if Q2-2024 against Q1-2024 no longer shows the
reference paper's shape (fewer Amber, more Green, more Red).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import broken_returns  # noqa: E402
from somerset_benchmarks import write_benchmarks  # noqa: E402
from somerset_checks import check_commentary, check_shape  # noqa: E402
from somerset_figures import Figure, invent_figures  # noqa: E402
from somerset_history import import_past_figures, write_past_figures  # noqa: E402
from somerset_project import write_catalogue, write_config, write_returns  # noqa: E402


def generate_somerset(folder: Path) -> None:
    """Invent the figures, check them against the plan, and write the project into ``folder``."""
    figures: dict[tuple[str, str], Figure] = invent_figures()
    check_shape(figures)
    check_commentary(figures)
    folder.mkdir(parents=True, exist_ok=True)
    write_config(folder)
    write_catalogue(folder / "catalogue.xlsx")
    write_benchmarks(folder / "benchmarks.csv")
    shutil.rmtree(folder / "returns", ignore_errors=True)
    write_returns(folder / "returns", figures)
    shutil.rmtree(folder / "history", ignore_errors=True)
    write_past_figures(folder / "history" / "past-figures.xlsx", figures)
    import_past_figures(folder)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parent,
        help="folder to write somerset/ and broken-returns/ into (default: examples/)",
    )
    args = parser.parse_args(argv)
    generate_somerset(args.out / "somerset")
    broken_returns.generate(args.out / "broken-returns")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
