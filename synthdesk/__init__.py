"""SynthDesk: turn a private table into a synthetic one that is safe to share."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("synthdesk")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0.0.0"

__all__ = ["__version__"]
