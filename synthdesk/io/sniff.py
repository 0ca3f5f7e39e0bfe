"""Guess how a text table is encoded and delimited, from its first bytes."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from charset_normalizer import from_bytes

__all__ = [
    "SAMPLE_BYTES", "check_text", "detect_encoding", "detect_delimiter", "detect_quotechar",
    "read_sample", "CONTROLS", "has_controls",
]

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
    head = sample[:4096]
    if len(head) >= 4 and head.count(b"\x00") * 3 > len(head):
        # UTF-16 without a byte-order mark: ASCII text has a zero in every other byte.
        odd_zeros = head[1::2].count(b"\x00")
        return "utf-16-le" if odd_zeros > head[0::2].count(b"\x00") else "utf-16-be"
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


# What a file that is not text starts with, and what to tell the user.
_SIGNATURES = {
    b"PK\x03\x04": "is a ZIP archive or an Excel workbook, not a text table. If it is a "
                     "workbook, give it its .xlsx name",
    b"\xd0\xcf\x11\xe0": "is an Office document (perhaps an old .xls workbook), not a text "
                          "table. If it is a workbook, give it its .xls name",
    b"\x89PNG": "is a PNG image, not a table",
    b"\xff\xd8\xff": "is a JPEG image, not a table",
    b"GIF8": "is a GIF image, not a table",
    b"%PDF": "is a PDF document, not a table. Export the table from it as CSV first",
    b"\x1f\x8b": "is compressed (gzip). Decompress it first",
}


def check_text(sample: bytes, encoding: str, name: str) -> None:
    """Refuse a file that is not text, with a message saying what it seems to be.

    Raises:
        ImportFailed: ``sample`` is an image, archive, document or other binary data.

    """
    from synthdesk.errors import ImportFailed

    for signature, what in _SIGNATURES.items():
        if sample.startswith(signature):
            raise ImportFailed(f"{name} {what}.")
    if encoding.startswith("utf-16") or encoding.startswith("utf_16"):
        return
    head = sample[:65536]
    nuls = head.count(b"\x00")
    controls = sum(head.count(bytes([b])) for b in (*range(1, 9), 11, 12, *range(14, 32)))
    # Database and web exports carry stray control characters (0x1A, a legacy end-of-file
    # mark, for one) in text: the file is binary only when NUL-heavy, or when it is no
    # text in any encoding SynthDesk tries and holds NULs or many control characters.
    text_somehow = _decodes_text(head, encoding) or _decodes_text(head, "utf-8") or \
        _decodes_text(head, "cp1252")
    if nuls > max(2, len(head) // 100) or not text_somehow and (
            nuls or controls > max(8, len(head) // 100)):
        raise ImportFailed(f"{name} does not look like a text table: it holds binary data. "
                           "Choose a CSV or Excel file.")


def _decodes_text(sample: bytes, encoding: str) -> bool:
    """Whether ``sample`` is valid in ``encoding`` (a character cut at the end allowed)."""
    try:
        sample.decode(encoding)
    except UnicodeDecodeError as exc:
        return exc.start >= len(sample) - 3 and "8" in encoding
    except LookupError:
        return False
    return True


# Control characters other than tab, line feed and carriage return.
CONTROLS = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"


def has_controls(text: str) -> bool:
    """Whether ``text`` holds control characters other than tab and line ends."""
    return re.search(CONTROLS, text) is not None


def detect_quotechar(text: str, delimiter: str) -> str:
    """Return the quote character: ``"`` unless fields are quoted with ``'`` instead."""
    lines = text.splitlines()[:200]
    double, single = _quoted(delimiter, '"'), _quoted(delimiter, "'")
    double = sum(len(double.findall(line)) for line in lines if '"' in line)
    single = sum(len(single.findall(line)) for line in lines if "'" in line)
    return "'" if single > 2 * max(double, 1) else '"'


def _quoted(delimiter: str, quote: str) -> re.Pattern:
    """A whole field in quotes: opened after a delimiter and closed before one.

    A ``'`` that only opens a field (``'=SUM(A1)``, as spreadsheet-safe exports write
    formulas) is not a quote character.
    """
    d, q = re.escape(delimiter), re.escape(quote)
    return re.compile(f"(?:^|{d}){q}(?:[^{q}]|{q}{q})*{q}(?={d}|$)")


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


def read_sample(path: Path, size: int = SAMPLE_BYTES) -> bytes:
    """Read the first ``size`` bytes of ``path`` (:data:`SAMPLE_BYTES` by default)."""
    with path.open("rb") as handle:
        return handle.read(size)
