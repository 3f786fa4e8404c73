"""``python -m sim sweep`` and ``python -m sim analyze`` (to be written)."""

from __future__ import annotations

import argparse


def register(commands: argparse._SubParsersAction) -> None:
    """Add the ``sweep`` and ``analyze`` subcommands."""
