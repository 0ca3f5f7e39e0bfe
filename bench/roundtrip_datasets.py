"""Round-trip every shared dataset through ``synthdesk run`` with every generator.

What it checks (acceptance criterion): ``synthdesk run`` finishes with each of the four
generators (gaussian_copula, ctgan, tvae, copulagan; the neural ones with few epochs) on
every CSV and XLSX in the datasets folder that pandas can read plainly, and the output has
the input's columns, in order, with the same kinds.

For each file (``*.csv``, ``*.xlsx``; every sheet of a workbook with several sheets, via
``--sheet``) and each generator, it runs the real command line in a subprocess::

    synthdesk run FILE -o OUT.csv --generator G --epochs E --rows R --seed 0 \\
        --report REPORT.json --quiet [--sheet S]

and then checks:

* the exit code is 0;
* the output's header equals the input's columns, in order (as ``synthdesk inspect FILE``
  reports them);
* each column's kind, as ``synthdesk inspect OUT.csv`` reports it, equals the input's.
  Kind differences are listed per column (``input kind -> output kind``) but do not fail
  the run: some are legitimate (a rare category may be absent from 500 synthetic rows and
  leave a 'constant' column). The reader judges.

It records the wall time of each run and the report's ``quality.overall``, prints one line
per run and a summary, and exits 1 if any run failed (non-zero exit code, no output, or a
header that differs from the input's).

Files that pandas cannot read with its defaults (``pd.read_csv(path)`` /
``pd.read_excel(path, sheet_name=S)``) are listed as skipped, not run.

Run from the repository root (one synthdesk process at a time; neural runs on large inputs
take minutes because their preprocessing sees every input row)::

    .venv/bin/python bench/roundtrip_datasets.py
    .venv/bin/python bench/roundtrip_datasets.py --generators gaussian_copula
    .venv/bin/python bench/roundtrip_datasets.py --generators ctgan tvae \\
        --files vega_la-riots.csv readxl_datasets.xlsx --skip-neural-over 15000

Outputs, reports and each run's stderr go to ``--work-dir`` (a fresh temporary folder by
default); ``--json`` writes every result as JSON too.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

GENERATORS = ("gaussian_copula", "ctgan", "tvae", "copulagan")
NEURAL = {"ctgan", "tvae", "copulagan"}
DEFAULT_DATASETS = Path("/work/shared/datasets")


@dataclass
class Target:
    """One table to learn from: a file and, for workbooks, a sheet."""

    path: Path
    sheet: str | None = None
    rows: int | None = None
    columns: list[dict] = field(default_factory=list)
    inspect_error: str = ""

    @property
    def label(self) -> str:
        """``file`` or ``file[sheet]``."""
        return self.path.name + (f"[{self.sheet}]" if self.sheet else "")

    @property
    def slug(self) -> str:
        """A file-name-safe name for outputs."""
        text = self.path.stem + (f"__{self.sheet}" if self.sheet else "")
        return "".join(c if c.isalnum() or c in "-_" else "_" for c in text)


@dataclass
class RunResult:
    """What one ``synthdesk run`` did and what the checks found."""

    file: str
    sheet: str | None
    generator: str
    input_rows: int | None
    exit_code: int | None = None
    seconds: float = 0.0
    quality: float | None = None
    header_ok: bool | None = None
    header_problem: str = ""
    kind_mismatches: list[str] = field(default_factory=list)
    skipped: str = ""
    error: str = ""
    stderr_log: str = ""

    @property
    def failed(self) -> bool:
        """Whether the run broke the criterion's hard part (finish, same header)."""
        return not self.skipped and (self.exit_code != 0 or self.header_ok is not True)


def main(argv: list[str] | None = None) -> int:
    """Run the round trips; returns 0 when every run passed, else 1."""
    args = _parse(argv)
    synthdesk = _find_synthdesk(args.synthdesk)
    work = Path(args.work_dir) if args.work_dir else Path(tempfile.mkdtemp(prefix="roundtrip-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"synthdesk: {synthdesk}")
    print(f"work dir:  {work}")
    limit = "never" if args.skip_neural_over is None else args.skip_neural_over
    print(f"generators: {', '.join(args.generators)}; epochs {args.epochs}; rows {args.rows}; "
          f"skip neural over: {limit}")

    started = time.perf_counter()
    targets, unreadable = _targets(Path(args.datasets), args.files)
    for name, reason in unreadable:
        print(f"SKIP {name}: pandas cannot read it plainly ({reason})")
    for target in targets:
        _inspect_input(synthdesk, target, args.timeout)
        if target.inspect_error:
            print(f"INSPECT FAILED {target.label}: {target.inspect_error}")

    results: list[RunResult] = []
    for target in targets:
        for generator in args.generators:
            result = _run_one(synthdesk, target, generator, args, work)
            results.append(result)
            print(_line(result), flush=True)
            if result.failed and result.error:
                print(_indent(result.error), flush=True)
    total = time.perf_counter() - started

    _summary(results, unreadable, total)
    if args.json:
        payload = {"total_s": round(total, 1), "unreadable": unreadable,
                   "results": [asdict(r) for r in results]}
        Path(args.json).write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 1 if any(r.failed for r in results) else 0


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", default=str(DEFAULT_DATASETS),
                        help=f"Folder of CSV/XLSX files (default: {DEFAULT_DATASETS}).")
    parser.add_argument("--files", nargs="+", metavar="NAME",
                        help="Only these file names (default: every *.csv and *.xlsx).")
    parser.add_argument("--generators", nargs="+", default=list(GENERATORS), choices=GENERATORS,
                        metavar="G", help=f"Generators to run (default: all of {GENERATORS}).")
    parser.add_argument("--epochs", type=int, default=2, help="--epochs passed (default: 2).")
    parser.add_argument("--rows", type=int, default=500, help="--rows passed (default: 500).")
    parser.add_argument("--skip-neural-over", type=int, metavar="N",
                        help="Skip neural generators on inputs of more than N rows "
                             "(default: never skip).")
    parser.add_argument("--timeout", type=float, default=3600,
                        help="Seconds before one synthdesk process is killed (default: 3600).")
    parser.add_argument("--work-dir", help="Where outputs, reports and logs go "
                        "(default: a new temporary folder).")
    parser.add_argument("--json", help="Also write every result to this JSON file.")
    parser.add_argument("--synthdesk", help="The synthdesk executable (default: the one beside "
                        "this Python, else on PATH).")
    args = parser.parse_args(argv)
    for name in ("files", "generators"):  # accept "a,b" as well as "a b"
        values = getattr(args, name)
        if values:
            setattr(args, name, [v for value in values for v in value.split(",") if v])
    return args


def _find_synthdesk(explicit: str | None) -> str:
    if explicit:
        return explicit
    beside = Path(sys.executable).with_name("synthdesk")
    if beside.exists():
        return str(beside)
    found = shutil.which("synthdesk")
    if found is None:
        sys.exit("synthdesk executable not found: pass --synthdesk.")
    return found


def _targets(folder: Path, only: list[str] | None) -> tuple[list[Target], list[tuple[str, str]]]:
    """Every table pandas reads plainly, and the files it cannot read."""
    paths = sorted(p for p in folder.iterdir()
                   if p.is_file() and p.suffix.lower() in (".csv", ".xlsx"))
    if only:
        missing = set(only) - {p.name for p in paths}
        if missing:
            sys.exit(f"not in {folder}: {', '.join(sorted(missing))}")
        paths = [p for p in paths if p.name in only]
    targets, unreadable = [], []
    for path in paths:
        try:
            if path.suffix.lower() == ".csv":
                pd.read_csv(path)
                targets.append(Target(path))
                continue
            from synthdesk.io import list_sheets

            sheets = list_sheets(path)
            for sheet in sheets:
                pd.read_excel(path, sheet_name=sheet)
            if len(sheets) == 1:
                targets.append(Target(path))  # the default-sheet path, as a user would run it
            else:
                targets.extend(Target(path, sheet) for sheet in sheets)
        except Exception as exc:  # noqa: BLE001 - any reader error means "not plainly readable"
            unreadable.append((path.name, f"{type(exc).__name__}: {exc}"))
    return targets, unreadable


def _inspect(synthdesk: str, path: Path, sheet: str | None, timeout: float) -> dict:
    command = [synthdesk, "inspect", str(path)] + (["--sheet", sheet] if sheet else [])
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"inspect exit {done.returncode}: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout)


def _inspect_input(synthdesk: str, target: Target, timeout: float) -> None:
    try:
        payload = _inspect(synthdesk, target.path, target.sheet, timeout)
    except (RuntimeError, subprocess.TimeoutExpired, json.JSONDecodeError) as exc:
        target.inspect_error = str(exc)
        return
    target.rows = payload["rows"]
    target.columns = payload["columns"]


def _run_one(synthdesk: str, target: Target, generator: str, args, work: Path) -> RunResult:
    result = RunResult(target.path.name, target.sheet, generator, target.rows)
    if target.inspect_error:
        result.skipped = "input could not be inspected"
        return result
    if (generator in NEURAL and args.skip_neural_over is not None
            and (target.rows or 0) > args.skip_neural_over):
        result.skipped = f"{target.rows} rows > --skip-neural-over {args.skip_neural_over}"
        return result

    stem = f"{target.slug}__{generator}"
    output, report, log = (work / f"{stem}.csv", work / f"{stem}.json", work / f"{stem}.stderr")
    for stale in (output, report):
        stale.unlink(missing_ok=True)
    command = [synthdesk, "run", str(target.path), "-o", str(output), "--generator", generator,
               "--epochs", str(args.epochs), "--rows", str(args.rows), "--seed", "0",
               "--report", str(report), "--quiet"]
    if target.sheet:
        command += ["--sheet", target.sheet]

    started = time.perf_counter()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=args.timeout)
        result.exit_code, stderr = done.returncode, done.stderr
    except subprocess.TimeoutExpired as exc:
        result.exit_code = -1
        stderr = (exc.stderr or b"").decode(errors="replace") if isinstance(
            exc.stderr, bytes) else (exc.stderr or "")
        stderr += f"\n[timed out after {args.timeout:.0f} s]"
    result.seconds = round(time.perf_counter() - started, 1)
    log.write_text(stderr, encoding="utf-8")
    result.stderr_log = str(log)

    if result.exit_code != 0:
        result.error = stderr.strip()[-3000:]
        return result
    if report.exists():
        quality = json.loads(report.read_text(encoding="utf-8")).get("quality", {})
        result.quality = quality.get("overall")
    _check_output(synthdesk, target, output, result, args.timeout)
    return result


def _check_output(synthdesk: str, target: Target, output: Path, result: RunResult,
                  timeout: float) -> None:
    if not output.exists():
        result.header_ok = False
        result.header_problem = "no output file"
        return
    with output.open(newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle), [])
    expected = [c["name"] for c in target.columns]
    result.header_ok = header == expected
    if not result.header_ok:
        result.header_problem = _header_diff(expected, header)
    try:
        produced = _inspect(synthdesk, output, None, timeout)
    except (RuntimeError, subprocess.TimeoutExpired, json.JSONDecodeError) as exc:
        result.kind_mismatches.append(f"<inspect of output failed: {exc}>")
        return
    kinds = {c["name"]: c["kind"] for c in produced["columns"]}
    for column in target.columns:
        got = kinds.get(column["name"], "<absent>")
        if got != column["kind"]:
            result.kind_mismatches.append(f"{column['name']}: {column['kind']} -> {got}")


def _header_diff(expected: list[str], got: list[str]) -> str:
    missing = [c for c in expected if c not in got]
    extra = [c for c in got if c not in expected]
    parts = []
    if missing:
        parts.append(f"missing {missing}")
    if extra:
        parts.append(f"extra {extra}")
    if not parts:
        parts.append(f"order differs: {got}")
    return "; ".join(parts)


def _line(result: RunResult) -> str:
    where = result.file + (f"[{result.sheet}]" if result.sheet else "")
    head = f"{where:<42} {result.generator:<15}"
    if result.skipped:
        return f"{head} SKIPPED ({result.skipped})"
    quality = "-" if result.quality is None else f"{result.quality:.3f}"
    status = "FAIL" if result.failed else "ok"
    text = (f"{head} {status:<4} exit={result.exit_code} {result.seconds:7.1f}s "
            f"rows_in={result.input_rows} quality={quality}")
    if result.header_problem:
        text += f" HEADER: {result.header_problem}"
    if result.kind_mismatches:
        text += f" kinds: {len(result.kind_mismatches)} differ [" + "; ".join(
            result.kind_mismatches) + "]"
    else:
        text += " kinds: same" if result.exit_code == 0 else ""
    return text


def _summary(results: list[RunResult], unreadable: list[tuple[str, str]], total: float) -> None:
    ran = [r for r in results if not r.skipped]
    failed = [r for r in ran if r.failed]
    with_kinds = [r for r in ran if r.kind_mismatches]
    print()
    print(f"SUMMARY: {len(ran)} runs, {len(ran) - len(failed)} passed, {len(failed)} failed, "
          f"{len(results) - len(ran)} skipped, {len(unreadable)} unreadable files; "
          f"{len(with_kinds)} runs with kind differences; total {total / 60:.1f} min")
    by_generator: dict[str, list[RunResult]] = {}
    for result in ran:
        by_generator.setdefault(result.generator, []).append(result)
    for generator, runs in by_generator.items():
        bad = sum(r.failed for r in runs)
        seconds = sum(r.seconds for r in runs)
        print(f"  {generator:<15} {len(runs) - bad}/{len(runs)} passed, {seconds:.0f} s")
    for result in failed:
        where = result.file + (f"[{result.sheet}]" if result.sheet else "")
        reason = (result.header_problem if result.exit_code == 0
                  else _last_line(result.error))
        print(f"  FAILED {where} {result.generator}: exit {result.exit_code}: {reason}")


def _last_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def _indent(text: str) -> str:
    return "\n".join("    | " + line for line in text.splitlines())


if __name__ == "__main__":
    sys.exit(main())
