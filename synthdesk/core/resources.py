"""Where SynthDesk's own files (the sample table, the icon) live: the one lookup for all of them.

The files sit in the repository's top-level ``resources/`` folder, which is installed as
the package ``synthdesk.resources`` (``package-dir`` in pyproject.toml) and bundled at
``synthdesk/resources`` by the installer (installer/synthdesk.spec). They are found with
:mod:`importlib.resources`; a source checkout run without installing (``PYTHONPATH``
pointing at it) reads them from the folder itself.
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

__all__ = ["resource_path", "SAMPLE_TABLE", "ICON"]

_PACKAGE = "synthdesk.resources"
_CHECKOUT = Path(__file__).resolve().parents[2] / "resources"


def _base() -> Path:
    try:
        return Path(str(resources.files(_PACKAGE)))
    except ModuleNotFoundError:
        frozen = getattr(sys, "_MEIPASS", None)
        if frozen is not None and (Path(frozen) / "synthdesk" / "resources").is_dir():
            return Path(frozen) / "synthdesk" / "resources"
        return _CHECKOUT


def resource_path(*parts: str) -> Path:
    """The path of one of SynthDesk's own files, e.g. ``resource_path("icons", "synthdesk.svg")``.

    Installed, frozen or in a source checkout, the files are plain files on disk, so the
    path can be handed to Qt or copied.
    """
    return _base().joinpath(*parts)


SAMPLE_TABLE = resource_path("sample", "penguins.csv")
ICON = resource_path("icons", "synthdesk.svg")
