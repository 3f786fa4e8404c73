"""Figures and tables as the command line prints them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def text_table(rows: Sequence[tuple[str, ...]]) -> str:
    """Rows of text as left-aligned columns, the first row a header."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  " + "  ".join(f"{cell:<{w}}" for cell, w in zip(row, widths, strict=True)) for row in rows)


def format_value(value: Any) -> str:
    """A figure as printed in tables: thousands separated, two decimals (three below 1), ``n/a`` for None."""
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) >= 1 or value == 0 else f"{value:.3f}"
    if isinstance(value, int):
        return f"{value:,}"
    return "n/a" if value is None else str(value)
