"""Where the window's files (icon, sample table) live, frozen or not."""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["resource_path", "ICON", "SAMPLE_TABLE"]


def resource_path(*parts: str) -> Path:
    """A path under ``resources/``: beside the frozen app, or at the repository root."""
    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parents[2]))
    return base.joinpath("resources", *parts)


ICON = resource_path("icons", "synthdesk.svg")
SAMPLE_TABLE = resource_path("sample", "penguins.csv")
