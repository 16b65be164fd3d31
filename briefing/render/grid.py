"""How a section's figure table fills its cells, the same in the HTML/PDF and in the DOCX.

A table never shows an empty cell: one or two figures make a two-column table (指标 数据), more
make a grid of two figures a row whose odd last figure's label spans the free columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

GRID_FROM = 3
"""From this many figures a section's table puts two figures on a row."""


@dataclass(frozen=True, slots=True)
class Cell(Generic[T]):
    item: T
    span: int = 1
    """Columns the figure's label covers."""


def figures_per_row(count: int) -> int:
    """1 for one or two figures (a short list reads best), 2 from three on (the table stays short)."""
    return 2 if count >= GRID_FROM else 1


def figure_rows(figures: Sequence[T]) -> list[list[Cell[T]]]:
    """Rows of figures; an odd last figure in a two-a-row grid spans the other pair's columns."""
    per_row = figures_per_row(len(figures))
    rows = [[Cell(f) for f in figures[i : i + per_row]] for i in range(0, len(figures), per_row)]
    if rows and len(rows[-1]) < per_row:
        rows[-1] = [Cell(rows[-1][0].item, span=2 * (per_row - 1) + 1)]
    return rows
