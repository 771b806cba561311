"""Progress as pure functions of a course's leaf blocks and a learner's completions."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Fraction:
    done: int
    total: int

    @property
    def percent(self) -> int:
        """Whole percent, rounded down so that 100 % means every block is complete."""
        return 100 * self.done // self.total if self.total else 0

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done == self.total


def completed_fraction(leaves: Iterable[str], completions: Mapping[str, float]) -> Fraction:
    """Completed leaf blocks over all leaf blocks; a block counts once its completion reaches 1."""
    leaves = list(leaves)
    return Fraction(sum(1 for leaf in leaves if completions.get(leaf, 0.0) >= 1.0), len(leaves))
