"""``python -m sim compare`` (to be written)."""

from __future__ import annotations

import argparse


def register(commands: argparse._SubParsersAction) -> None:
    """Add the ``compare`` subcommand."""
