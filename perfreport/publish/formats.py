"""The export's formats, a closed set: its own module so that `perfreport --help` loads nothing else."""

from __future__ import annotations

import enum


class ExportFormat(enum.StrEnum):
    """The open-data formats of the rated dataset (perfreport export -f)."""

    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"
