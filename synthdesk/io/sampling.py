"""A text table larger than reading may take in memory, read as a random sample of its rows.

Reading a CSV takes about :data:`~synthdesk.io.budget.READ_BYTES_FACTOR` times its size at
the peak (Arrow's buffers, then pandas' columns). A file whose read would pass
:func:`~synthdesk.io.budget.read_memory_budget` is read in two streaming passes instead,
neither holding more than a block of the file:

1. count the rows, and with a column to keep in proportion (the job's target), the rows of
   each of its values;
2. keep a random choice of rows, the same share of each value (every value keeps at least
   one row), and write them, as text, to an anonymous temporary file (it has no name on
   disk and goes when closed, or when the process ends however it ends).

The reader then reads that file as it reads any other, so the sample's columns are typed,
cleaned and understood exactly as the whole file's would be. The user's file is only read.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from synthdesk.io.budget import READ_BYTES_FACTOR, read_memory_budget

__all__ = ["RowSample", "needs_sample", "sample_rows", "MAX_STRATA"]

MAX_STRATA = 1_000
"""A column with more distinct values than this is not a set of groups: the sample is
drawn from all rows alike."""
# Of the file parsed at once in each pass: Arrow reads a few blocks ahead on its threads,
# so a pass over the 1,000,000-row table peaked at 170 MB with 16 MB blocks, 70 with 1 MB.
_BLOCK_BYTES = (1 << 20, 16 << 20)
_SHARE_MARGIN = 0.9  # of the budget a sample may fill: the share is an estimate


@dataclass
class RowSample:
    """The rows kept from a file too large to read whole.

    Attributes:
        file: The kept rows as UTF-8 CSV, comma-delimited, every value quoted, no header,
            in the file's columns; an anonymous temporary file, open for reading.
        kept: Rows kept.
        total: Data rows of the file (rows of another width not counted).
        stratified_by: The column whose values kept their shares (None: all rows alike).
        skipped: Rows of another width, left out.

    """

    file: object
    kept: int
    total: int
    stratified_by: str | None
    skipped: int = 0

    def close(self) -> None:
        """Close (and so remove) the temporary file."""
        self.file.close()


def needs_sample(path: Path) -> bool:
    """Whether reading ``path`` whole would pass the reading memory budget."""
    return path.stat().st_size * READ_BYTES_FACTOR > read_memory_budget()


def sample_rows(path: Path, read: pacsv.ReadOptions, parse: dict, names: list[str], *,
                sample_by: str | None = None, seed: int = 0,
                memory_pool: pa.MemoryPool | None = None) -> RowSample:
    """Keep a random share of ``path``'s rows that fits the budget, in a temporary file.

    Args:
        path: The text table (only read).
        read: Arrow's read options for it (rows to skip, every column's name, encoding).
        parse: Arrow's parse options (delimiter, quote character, line breaks in values).
        names: Every physical column, as ``read`` names them.
        sample_by: A column whose values keep their shares (the job's target); ignored
            when it is not a column or has more than :data:`MAX_STRATA` values.
        seed: Seed of the random choice of rows.
        memory_pool: Arrow's pool for the passes (its default when None).

    """
    budget = read_memory_budget()
    block = max(_BLOCK_BYTES[0], min(_BLOCK_BYTES[1], budget // 64))
    read = pacsv.ReadOptions(skip_rows=read.skip_rows, column_names=read.column_names,
                             encoding=read.encoding, block_size=block)
    pool = memory_pool or pa.default_memory_pool()
    share = min(1.0, _SHARE_MARGIN * budget / (path.stat().st_size * READ_BYTES_FACTOR))
    by = sample_by if sample_by in names else None
    skipped = [0]

    def _skip(row) -> str:
        skipped[0] += 1
        return "skip"

    options = pacsv.ParseOptions(invalid_row_handler=_skip, **parse)
    total, codes = _count(path, read, options, names[0] if by is None else by, by, pool)
    skipped_rows = skipped[0]
    if codes is None:
        by = None
    keep = _choose(total, codes, share, np.random.default_rng([seed, 0x5A3B1E]))
    out = tempfile.TemporaryFile(prefix="synthdesk-sample-")
    try:
        kept = _write_kept(path, read, options, names, keep, out, pool)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return RowSample(out, kept, total, by, skipped_rows)


def _reader(path: Path, read: pacsv.ReadOptions, parse: pacsv.ParseOptions, names: list[str],
            include: list[str], pool: pa.MemoryPool):
    convert = pacsv.ConvertOptions(column_types={name: pa.string() for name in names},
                                   include_columns=include, strings_can_be_null=False)
    return pacsv.open_csv(path, read_options=read, parse_options=parse,
                          convert_options=convert, memory_pool=pool)


def _count(path, read, parse, column: str, by: str | None,
           pool: pa.MemoryPool) -> tuple[int, np.ndarray | None]:
    """Data rows, and with ``by`` each row's code of its value (None: too many values)."""
    total, parts, values = 0, [], {}
    for batch in _reader(path, read, parse, read.column_names, [column], pool):
        total += batch.num_rows
        if by is None or values is None:
            continue
        encoded = batch.column(0).dictionary_encode()
        local = encoded.dictionary.to_pylist()
        for value in local:
            values.setdefault(value, len(values))
        if len(values) > MAX_STRATA:
            values, parts = None, []
            continue
        mapping = np.array([values[v] for v in local], dtype=np.int32)
        parts.append(mapping[encoded.indices.to_numpy(zero_copy_only=False)])
    if by is None or values is None:
        return total, None
    return total, (np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32))


def _choose(total: int, codes: np.ndarray | None, share: float,
            rng: np.random.Generator) -> np.ndarray:
    """Which rows to keep: ``share`` of all, or of each value's rows (at least one each)."""
    keep = np.zeros(total, dtype=bool)
    if codes is None:
        keep[rng.choice(total, size=max(1, round(total * share)), replace=False)] = True
        return keep
    for code in range(int(codes.max()) + 1 if len(codes) else 0):
        rows = np.flatnonzero(codes == code)
        if len(rows):
            keep[rng.choice(rows, size=max(1, round(len(rows) * share)), replace=False)] = True
    return keep


def _write_kept(path, read, parse, names: list[str], keep: np.ndarray, out,
                pool: pa.MemoryPool) -> int:
    """Write the kept rows, block by block, as quoted UTF-8 CSV; return how many."""
    writer, start, kept = None, 0, 0
    options = pacsv.WriteOptions(include_header=False, quoting_style="all_valid")
    for batch in _reader(path, read, parse, names, names, pool):
        mask = keep[start:start + batch.num_rows]
        start += batch.num_rows
        if not mask.any():
            continue
        rows = batch.filter(pa.array(mask))
        if writer is None:
            writer = pacsv.CSVWriter(out, rows.schema, write_options=options)
        writer.write(rows)
        kept += rows.num_rows
    if writer is not None:
        writer.close()
    return kept
