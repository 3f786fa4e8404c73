"""``python -m sim calibrate`` (to be written)."""

from __future__ import annotations

import argparse


def register(commands: argparse._SubParsersAction) -> None:
    """Add the ``calibrate`` subcommand."""
