"""Guess how a text table is encoded and delimited, from its first bytes."""

from __future__ import annotations

import csv
from pathlib import Path

from charset_normalizer import from_bytes

__all__ = ["SAMPLE_BYTES", "detect_encoding", "detect_delimiter"]

SAMPLE_BYTES = 256 * 1024
_DELIMITERS = ",;\t|"
_LATIN_CODE_PAGES = {
    "cp1250", "cp1252", "cp1254", "cp1257", "cp775", "cp850", "cp852", "cp858", "hp_roman8",
    "latin_1", "iso8859_1", "iso8859_2", "iso8859_3", "iso8859_4", "iso8859_9", "iso8859_10",
    "iso8859_13", "iso8859_14", "iso8859_15", "iso8859_16", "mac_latin2", "mac_roman",
}
_BOMS = {
    b"\xef\xbb\xbf": "utf-8-sig",
    b"\xff\xfe": "utf-16",
    b"\xfe\xff": "utf-16",
}


def detect_encoding(sample: bytes) -> str:
    """Return the most likely text encoding of ``sample``.

    A byte-order mark wins; then plain UTF-8; then charset-normalizer's best guess,
    with Windows-1252 preferred among the Latin code pages it cannot tell apart.
    """
    for bom, name in _BOMS.items():
        if sample.startswith(bom):
            return name
    try:
        sample.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # A sample cut in the middle of a multi-byte character is still UTF-8.
        if exc.start >= len(sample) - 3:
            return "utf-8"
    best = from_bytes(sample).best()
    if best is None:
        return "cp1252"
    if best.encoding in _LATIN_CODE_PAGES and _decodes(sample, "cp1252"):
        # Short samples cannot tell Latin code pages apart (French text scores as
        # Hungarian); Windows-1252 is what Excel writes in Western locales.
        return "cp1252"
    return best.encoding


def _decodes(sample: bytes, encoding: str) -> bool:
    try:
        sample.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def detect_delimiter(text: str) -> str:
    """Return the delimiter that splits the first lines of ``text`` most consistently."""
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    if not lines:
        return ","
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=_DELIMITERS).delimiter
    except csv.Error:
        pass
    # The sniffer gives up on quoted fields with embedded delimiters; count instead.
    counts = {d: [line.count(d) for line in lines] for d in _DELIMITERS}
    best = max(counts, key=lambda d: (min(counts[d]) > 0, sum(counts[d])))
    return best if sum(counts[best]) else ","


def read_sample(path: Path) -> bytes:
    """Read the first :data:`SAMPLE_BYTES` of ``path``."""
    with path.open("rb") as handle:
        return handle.read(SAMPLE_BYTES)
