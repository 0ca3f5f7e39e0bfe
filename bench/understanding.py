"""How well does SynthDesk understand files it has never seen? Header, footer, rows, kinds.

Every table of the labelled reading corpus (``tests/corpus/reading``: real public tables
from installed packages, some laid out at run time the way statistics offices, databases
and web portals export them) is read with ``synthdesk.io.read_table`` and profiled with
``synthdesk.schema.columns.profile_columns``, then compared with its labels:

- ``header``: the header row found is the labelled one (``None`` for no header);
- ``footer``: the last data row found is the labelled one (notes and summary rows below
  the table left out);
- ``rows``: the number of data rows read is the labelled one;
- ``kinds``: columns whose kind is the labelled one, out of the labelled columns (a
  column missing from the read counts as wrong).

Printed per table, then the totals and every mistake. Run from the repository root::

    .venv/bin/python bench/understanding.py
    .venv/bin/python bench/understanding.py --only covid --json /tmp/understanding.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "corpus" / "reading"))

from corpus import materialise  # noqa: E402

from synthdesk.errors import SynthDeskError  # noqa: E402
from synthdesk.io import read_table  # noqa: E402
from synthdesk.schema.profile import profile_columns  # noqa: E402


def score(case) -> dict:
    """Read one table and compare what was understood with its labels."""
    labels = case.labels
    result = {"name": case.name, "mistakes": []}
    try:
        table = read_table(case.path, sheet=case.sheet)
        specs = profile_columns(table.data)
    except SynthDeskError as exc:
        result.update(header=False, footer=False, rows=False, kinds_right=0,
                      kinds_total=len(labels["kinds"]), mistakes=[f"refused: {exc}"])
        return result
    source = table.source
    found_last = getattr(source, "last_row", None)
    if found_last is None:  # a reader that does not say: the rows after the header
        found_last = (source.header_row or 0) + len(table.data)
    result["header"] = source.header_row == labels["header_row"]
    result["footer"] = found_last == labels["last_row"]
    result["rows"] = len(table.data) == labels["rows"]
    if not result["header"]:
        result["mistakes"].append(f"header row {source.header_row}, not {labels['header_row']}")
    if not result["footer"]:
        result["mistakes"].append(f"last data row {found_last}, not {labels['last_row']}")
    if not result["rows"]:
        result["mistakes"].append(f"{len(table.data)} rows, not {labels['rows']}")
    kinds = {spec.name: spec.kind.value for spec in specs}
    right = 0
    for column, expected in labels["kinds"].items():
        found = kinds.get(column, "absent")
        if found == expected:
            right += 1
        else:
            result["mistakes"].append(f"{column}: {found}, not {expected}")
    result["kinds_right"], result["kinds_total"] = right, len(labels["kinds"])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="only tables whose name holds this text")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        cases = [c for c in materialise(Path(folder))
                 if not args.only or args.only in c.name]
        started = time.perf_counter()
        results = [score(case) for case in cases]
        wall = time.perf_counter() - started
    print(f"{'table':32} header footer rows  kinds")
    for r in results:
        print(f"{r['name']:32} {'ok' if r['header'] else 'WRONG':6} "
              f"{'ok' if r['footer'] else 'WRONG':6} {'ok' if r['rows'] else 'WRONG':5} "
              f"{r['kinds_right']}/{r['kinds_total']}")
    n = len(results)
    kinds_right = sum(r["kinds_right"] for r in results)
    kinds_total = sum(r["kinds_total"] for r in results)
    both = sum(r["header"] and r["footer"] for r in results)
    print()
    print(f"tables: {n}; read and profiled in {wall:.1f} s; load average "
          f"{os.getloadavg()[0]:.2f}")
    print(f"header right: {sum(r['header'] for r in results)}/{n} "
          f"({sum(r['header'] for r in results) / n:.1%})")
    print(f"footer right: {sum(r['footer'] for r in results)}/{n} "
          f"({sum(r['footer'] for r in results) / n:.1%})")
    print(f"header and footer right: {both}/{n} ({both / n:.1%})")
    print(f"rows right: {sum(r['rows'] for r in results)}/{n} "
          f"({sum(r['rows'] for r in results) / n:.1%})")
    print(f"kind accuracy: {kinds_right}/{kinds_total} ({kinds_right / kinds_total:.1%})")
    print("\nmistakes:")
    for r in results:
        for mistake in r["mistakes"]:
            print(f"  {r['name']}: {mistake}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
