"""Risk scores for the Financial and Risk Implications tables: Likelihood × Impact on a 5×5 matrix."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class RiskBand(enum.StrEnum):
    """The bands of the usual 5×5 matrix, by score: 1-4 Low, 5-10 Medium, 12-16 High, 20-25 Very High.

    A 5×5 matrix can only produce 1-6, 8-10, 12, 15, 16, 20 and 25, so the bands leave no gaps.
    """

    LOW = "Low"
    MEDIUM = "Medium"
    HIGH = "High"
    VERY_HIGH = "Very High"

    @classmethod
    def for_score(cls, score: int) -> RiskBand:
        if not 1 <= score <= 25:
            raise ValueError(f"risk score must be in range 1-25, got {score}")
        if score <= 4:
            return cls.LOW
        if score <= 10:
            return cls.MEDIUM
        if score <= 16:
            return cls.HIGH
        return cls.VERY_HIGH

    @property
    def fill(self) -> str:
        """A pale fill behind the band's word (black text well above 4.5:1 contrast)."""
        return _BAND_FILLS[self]


_BAND_FILLS = {
    RiskBand.LOW: "C9E7CB",
    RiskBand.MEDIUM: "FFF2B3",
    RiskBand.HIGH: "FCE4B6",
    RiskBand.VERY_HIGH: "F4C7C3",
}

SCALE = range(1, 6)  # likelihood and impact are each scored 1 (lowest) to 5 (highest)


@dataclass(frozen=True)
class RiskScore:
    likelihood: int
    impact: int

    def __post_init__(self) -> None:
        for name in ("likelihood", "impact"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value not in SCALE:
                raise ValueError(f"{name} must be a whole number in range 1-5, got {value!r}")

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def band(self) -> RiskBand:
        return RiskBand.for_score(self.score)

    @property
    def label(self) -> str:
        """``12 (High)`` – the score with its band in words."""
        return f"{self.score} ({self.band})"
