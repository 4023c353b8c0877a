"""Percentiles and the median-and-spread summary every reported figure uses."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), linear between closest ranks; NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * q / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True, slots=True)
class Spread:
    """A figure over repeated runs: the median run, and the lowest and highest runs."""

    median: float
    low: float
    high: float
    runs: int

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        if not values:
            return cls(math.nan, math.nan, math.nan, 0)
        return cls(statistics.median(values), min(values), max(values), len(values))

    def text(self, fmt: str = "{:.2f}", unit: str = "") -> str:
        if self.runs == 0 or math.isnan(self.median):
            return "n/a"
        middle = fmt.format(self.median) + unit
        if self.runs == 1:
            return f"{middle} (1 run)"
        return f"{middle} ({fmt.format(self.low)}-{fmt.format(self.high)})"


@dataclass(frozen=True, slots=True)
class Latency:
    """p50/p95/p99 (milliseconds) of one run's calls."""

    p50: float
    p95: float
    p99: float
    calls: int

    @classmethod
    def of(cls, seconds: Sequence[float]) -> Latency:
        ms = [s * 1000 for s in seconds]
        return cls(percentile(ms, 50), percentile(ms, 95), percentile(ms, 99), len(ms))
