"""The window's files (icon, sample table): the same lookup as the core's."""

from __future__ import annotations

from synthdesk.core.resources import ICON, SAMPLE_TABLE, resource_path

__all__ = ["resource_path", "ICON", "SAMPLE_TABLE"]
