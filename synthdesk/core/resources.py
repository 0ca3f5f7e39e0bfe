"""Where SynthDesk's own files (sample table, icon) live: beside the frozen app, or in the repo."""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["resource_path", "SAMPLE_TABLE"]


def resource_path(*parts: str) -> Path:
    """A path under ``resources/``: in the one-folder bundle when frozen, else the repo root."""
    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parents[2]))
    return base.joinpath("resources", *parts)


SAMPLE_TABLE = resource_path("sample", "penguins.csv")
