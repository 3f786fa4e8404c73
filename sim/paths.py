"""Where the project's own files are: in a checkout, or inside an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def project_path(*parts: str) -> Path:
    """``<checkout>/<parts>`` if it exists, else the copy packaged at ``sim/_library/<parts>``."""
    in_checkout = _PACKAGE.parent.joinpath(*parts)
    return in_checkout if in_checkout.exists() else _PACKAGE.joinpath("_library", *parts)
