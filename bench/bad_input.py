"""Bad input and bad surroundings: does SynthDesk refuse them cleanly, in time, in bounds?

Run: ``.venv/bin/python bench/bad_input.py`` (``--jobs N`` cases at once, default 2;
``--only WORD`` runs the cases whose name holds WORD; ``--timeout S`` a case's limit,
default 60, except the 10,000,000-row job, a long one that is allowed 30 minutes;
``--keep`` keeps the corpus folder).

It builds a corpus of bad inputs and options at run time, in a temporary folder, from
real files (``tests/data`` and ``/work/shared/datasets`` when present): truncations at
several offsets and bit flips of CSV and Excel files, images and PDFs renamed as tables,
zip bombs (declared and lying sizes), huge fields, 2,000 and 20,000 columns, wrong
encodings, unreadable inputs, missing, read-only and full output folders, and bad
options. Each case runs ``python -m synthdesk run ...`` in a subprocess of its own
process group, and the script prints, per case: the exit code, whether stderr holds a
traceback, whether it hung (past the limit), the peak memory of the whole process tree
(``wait4``'s ``ru_maxrss``, sampled from ``/proc`` too, killed at 3 GB), whether a
partial output was left (a failed job leaving any file, a job that succeeded missing a
file, or a hidden temporary file left in the output folder), whether the input changed,
and the last line of stderr. Then the totals, against the targets: 0 tracebacks, 0 hangs,
peak <= 2 GB on every case, 0 partial outputs, 0 inputs changed.

Permission cases need a user the permissions apply to: when run as root, those cases
run as ``nobody`` (``setpriv``); elsewhere, as the current user.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
SHARED = Path("/work/shared/datasets")
KILL_BYTES = 3 << 30
TARGET_BYTES = 2 << 30
NOBODY = 65534


@dataclass
class Case:
    name: str
    input: Path | None
    args: list[str] = field(default_factory=list)
    output: str | None = "synthetic.csv"  # in the case's output folder; None: given in args
    report: str | None = "report.json"
    as_nobody: bool = False
    fsize: int | None = None  # file size limit (bytes): a disk that fills up
    out_dir: Path | None = None
    limit: float | None = None  # a time limit of its own (a job that is long, not bad)


@dataclass
class Outcome:
    case: Case
    code: int | None
    traceback: bool
    hung: bool
    peak: int
    partial: bool
    changed: bool
    lines: int
    last: str
    seconds: float


# --- The corpus ---------------------------------------------------------------------


def _sources() -> dict[str, Path]:
    found = {
        "csv": DATA / "penguins_80.csv",
        "latin1": DATA / "latin1_semicolon.csv",
        "xlsx": DATA / "two_sheets.xlsx",
        "xls": DATA / "legacy.xls",
        "ods": DATA / "fruit.ods",
        "riots": DATA / "la_riots.csv",
    }
    if (SHARED / "csvkit_ne_1033_data.xlsx").exists():
        found["xlsx2"] = SHARED / "csvkit_ne_1033_data.xlsx"
    if (SHARED / "palmerpenguins_penguins-raw.csv").exists():
        found["csv2"] = SHARED / "palmerpenguins_penguins-raw.csv"
    return {k: v for k, v in found.items() if v.exists()}


def _foreign_files() -> list[Path]:
    candidates = [Path("/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf"),
                  Path("/usr/share/doc/libtasn1-doc/libtasn1.pdf"), DATA / "image_renamed.csv"]
    for folder in (Path("/usr/share/icons"), Path("/usr/share/pixmaps"), Path("/usr/share")):
        if folder.exists():
            for suffix in ("*.png", "*.jpg"):
                hit = next((p for p in folder.rglob(suffix) if p.stat().st_size > 2000), None)
                if hit:
                    candidates.append(hit)
            if len(candidates) > 4:
                break
    return [p for p in candidates if p.exists()][:5]


def _write_bomb(path: Path, unzipped: int) -> None:
    """An .xlsx whose one sheet unpacks to ``unzipped`` bytes of real cells."""
    head = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
            'openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
    row = "".join(f'<c t="n"><v>{i}</v></c>' for i in range(20))
    body = f"<row>{row}</row>".encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        book.writestr("[Content_Types].xml", (
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
            'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
            '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application'
            '/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
            'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/></Types>'))
        book.writestr("_rels/.rels", (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target='
            '"xl/workbook.xml"/></Relationships>'))
        book.writestr("xl/workbook.xml", (
            '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" '
            'r:id="rId1"/></sheets></workbook>'))
        book.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target='
            '"worksheets/sheet1.xml"/></Relationships>'))
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(head.encode())
            chunk = body * max(1, (8 << 20) // len(body))
            written = 0
            while written < unzipped:
                sheet.write(chunk)
                written += len(chunk)
            sheet.write(b"</sheetData></worksheet>")


def _lie_about_size(path: Path, member: str) -> None:
    """Rewrite the declared (central directory) size of ``member`` to a small number."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    at = data.rfind(b"PK\x01\x02")
    while at >= 0:
        length = int.from_bytes(data[at + 28:at + 30], "little")
        if data[at + 46:at + 46 + length] == name:
            if data[at + 24:at + 28] != b"\xff\xff\xff\xff":
                data[at + 24:at + 28] = (4096).to_bytes(4, "little")
            else:  # zip64: the real size sits in the extra field
                extra = at + 46 + length
                data[extra + 4:extra + 12] = (4096).to_bytes(8, "little")
            break
        at = data.rfind(b"PK\x01\x02", 0, at)
    path.write_bytes(bytes(data))


def build_corpus(folder: Path, shared_pdf: bool = True) -> list[Case]:
    cases: list[Case] = []
    sources = _sources()
    rng = random.Random(19)

    def add(name, input_path, args=(), **kw):
        cases.append(Case(name, input_path, list(args), **kw))

    # Truncations at several offsets, and bit flips, of every kind of real file.
    for kind, source in sources.items():
        raw = source.read_bytes()
        for share in (0.03, 0.25, 0.5, 0.75, 0.97):
            cut = folder / f"cut{int(share * 100)}_{kind}{source.suffix}"
            cut.write_bytes(raw[:max(1, int(len(raw) * share))])
            add(f"truncated {int(share * 100)}% {kind}", cut)
        for seed in range(3):
            flipped = bytearray(raw)
            local = random.Random(seed * 31 + len(raw))
            for _ in range(12):
                at = local.randrange(len(flipped))
                flipped[at] ^= 1 << local.randrange(8)
            path = folder / f"flip{seed}_{kind}{source.suffix}"
            path.write_bytes(bytes(flipped))
            add(f"bit flips #{seed} {kind}", path)

    # Images and PDFs renamed as tables.
    for number, foreign in enumerate(_foreign_files()):
        for suffix in (".csv", ".xlsx", ".xls"):
            path = folder / f"foreign{number}{suffix}"
            shutil.copyfile(foreign, path)
            add(f"renamed {foreign.suffix or 'file'} as {suffix}", path)

    # Zip bombs, built here.
    bomb = folder / "bomb_honest.xlsx"
    _write_bomb(bomb, 9 << 28)
    add("zip bomb 2.25 GB declared", bomb)
    liar = folder / "bomb_lying.xlsx"
    shutil.copyfile(bomb, liar)
    _lie_about_size(liar, "xl/worksheets/sheet1.xml")
    add("zip bomb 2.25 GB declared 4 KB", liar)
    dense = folder / "bomb_dense.xlsx"
    _write_bomb(dense, 1 << 30)
    add("zip 1 GB of cells", dense)

    # Huge fields and rows.
    field_csv = folder / "huge_field.csv"
    with field_csv.open("w") as handle:
        handle.write('id,note\n1,"' + "x" * (50 << 20) + '"\n2,short\n')
    add("one 50 MB quoted field", field_csv)
    line_csv = folder / "huge_line.csv"
    with line_csv.open("w") as handle:
        handle.write("a,b\n" + "1," + "y" * (50 << 20) + "\n2,3\n")
    add("one 50 MB unquoted line", line_csv)
    open_quote = folder / "open_quote.csv"
    open_quote.write_text('a,b\n1,"never closed\n' + "2,3\n" * 200_000)
    add("a quote never closed", open_quote)

    # Wide tables.
    for width, rows in ((2_000, 120), (20_000, 30), (20_001, 5)):
        path = folder / f"wide{width}.csv"
        with path.open("w") as handle:
            handle.write(",".join(f"c{j}" for j in range(width)) + "\n")
            for i in range(rows):
                handle.write(",".join(str((i * 7 + j) % 97) for j in range(width)) + "\n")
        add(f"{width:,} columns", path)

    # Wrong encodings.
    penguins = sources["csv"].read_text(encoding="utf-8")
    no_bom = folder / "utf16_no_bom.csv"
    no_bom.write_bytes(penguins.encode("utf-16-le"))
    add("utf-16 without BOM, --encoding utf-16", no_bom, ["--encoding", "utf-16"])
    add("utf-16 without BOM, detected", no_bom)
    add("utf-8 file, --encoding utf-16", sources["csv"], ["--encoding", "utf-16"])
    add("utf-8 file, --encoding utf-32", sources["csv"], ["--encoding", "utf-32"])
    add("unknown encoding", sources["csv"], ["--encoding", "klingon"])
    if "latin1" in sources:
        add("latin-1 file, --encoding utf-8", sources["latin1"], ["--encoding", "utf-8"])
    mixed = folder / "mixed_utf8.csv"
    lines = penguins.splitlines(keepends=True)
    blob = bytearray()
    for i, line in enumerate(lines):
        raw = line.encode()
        if i and i % 9 == 0:
            raw = raw.replace(b"a", b"\xe9\xff", 1)
        blob += raw
    mixed.write_bytes(bytes(blob))
    add("invalid UTF-8 mixed in", mixed)
    utf32 = folder / "utf32.csv"
    utf32.write_bytes(penguins.encode("utf-32"))
    add("utf-32 with BOM", utf32)
    nul = folder / "nul_bytes.csv"
    nul.write_bytes(penguins.encode().replace(b",", b",\x00", 40))
    add("NUL bytes in text", nul)

    # Column names.
    dup = folder / "duplicate_names.csv"
    dup.write_text(penguins.replace(penguins.split(",")[1], penguins.split(",")[0], 1))
    add("duplicate column names", dup)
    blank = folder / "blank_names.csv"
    header, rest = penguins.split("\n", 1)
    names = header.split(",")
    names[1] = names[2] = ""
    blank.write_text(",".join(names) + "\n" + rest)
    add("blank column names", blank)
    if (DATA / "duplicate_names.csv").exists():
        add("duplicate names fixture", DATA / "duplicate_names.csv")

    # Inputs that are not files the user may read.
    add("missing input", folder / "nope.csv")
    add("a folder as input", folder)
    empty = folder / "empty.csv"
    empty.write_bytes(b"")
    add("empty input", empty)
    locked = folder / "locked.csv"
    shutil.copyfile(sources["csv"], locked)
    locked.chmod(0)
    add("unreadable input", locked, as_nobody=True)
    for name in ("password.xlsx", "not_a_workbook.xlsx", "truncated.xlsx"):
        if (DATA / name).exists():
            add(f"fixture {name}", DATA / name)

    # Outputs that cannot be written.
    base = sources["csv"]
    add("output folder missing", base, output=None, report=None,
        args=["-o", str(folder / "no_such_folder" / "out.csv")])
    read_only = folder / "read_only"
    read_only.mkdir()
    read_only.chmod(0o555)
    add("read-only output folder", base, as_nobody=True, out_dir=read_only)
    add("disk fills during the table", base, fsize=2_000, report=None)
    add("disk fills during the report", base, fsize=60_000, report="report.html")
    add("disk fills during an xlsx", base, fsize=5_000, output="synthetic.xlsx", report=None)
    add("report path is the output", base, output=None, report=None,
        args=["-o", "{out}/same.csv", "--report", "{out}/same.csv"])
    add("output is the input", base, output=None, report=None, args=["-o", str(base)])
    add("report is the input", base, report=None, args=["--report", str(base)])
    add("output with an unknown suffix", base, output="synthetic.parquet")

    # Bad options.
    for args in (["--seed", "-1"], ["--seed", str(2 ** 32)], ["--seed", "abc"],
                 ["--delimiter", '"'], ["--delimiter", "ab"], ["--rows", "0"],
                 ["--holdout", "2"], ["--epochs", "0"], ["--sheet", "Nope"],
                 ["--header-row", "9999"], ["--kind", "island=planet"],
                 ["--target", "no_such_column"], ["--treat", "island=burn"],
                 ["--generator", "magic"], ["--decimal", ";"]):
        add("option " + " ".join(args), base, args)
    add("xlsx output over Excel's row limit", base, output="synthetic.xlsx",
        args=["--rows", "1100000"])
    # A legitimate long job, not a bad one: written in chunks, in bounded memory.
    add("10,000,000 rows", base, args=["--rows", "10000000"], limit=1800)
    rng.shuffle(cases)
    return cases


# --- Running a case -----------------------------------------------------------------


def _digest(path: Path | None) -> str | None:
    if path is None or not path.is_file():
        return None
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:  # unreadable to us too: compare size and time instead
        stat = path.stat()
        return f"{stat.st_size}:{stat.st_mtime_ns}"


def _group_rss(pgid: int) -> int:
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(stat[2]) == pgid:
                total += int(stat[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    return total


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except OSError:
        pass


def run_case(case: Case, folder: Path, timeout: float, python: str, pythonpath: str) -> Outcome:
    out = case.out_dir or Path(tempfile.mkdtemp(prefix="out-", dir=folder))
    if case.as_nobody and case.out_dir is None:
        out.chmod(0o777)
    argv = [python, "-m", "synthdesk", "run"]
    if case.input is not None:
        argv.append(str(case.input))
    if case.output is not None:
        argv += ["-o", str(out / case.output)]
    if case.report is not None:
        argv += ["--report", str(out / case.report)]
    argv += [a.replace("{out}", str(out)) for a in case.args]
    argv.append("--quiet")
    before = _digest(case.input)
    home = Path(tempfile.mkdtemp(prefix="home-", dir=folder))
    home.chmod(0o777)
    env = {**os.environ, "PYTHONPATH": pythonpath, "HOME": str(home), "PYTHONUNBUFFERED": "1"}
    preexec = None
    if case.as_nobody and os.geteuid() == 0:
        argv = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *argv]
    if case.fsize is not None:
        limit = case.fsize

        def preexec():
            import resource

            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    err = open(folder / f"stderr-{os.getpid()}-{id(case)}.txt", "w+b")  # noqa: SIM115
    started = time.monotonic()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err, env=env,
                             cwd=folder, start_new_session=True, preexec_fn=preexec)
    peak, hung, code, rusage = 0, False, None, None
    while True:
        pid, status, rusage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            code = os.waitstatus_to_exitcode(status)
            child.returncode = code
            break
        rss = _group_rss(child.pid)
        peak = max(peak, rss)
        if rss > KILL_BYTES:
            _kill_group(child.pid)
        if time.monotonic() - started > (case.limit or timeout):
            hung = True
            _kill_group(child.pid)
        time.sleep(0.1)
    _kill_group(child.pid)  # anything the job left running
    seconds = time.monotonic() - started
    peak = max(peak, rusage.ru_maxrss * 1024)
    err.seek(0)
    text = err.read().decode("utf-8", "replace")
    err.close()
    Path(err.name).unlink()
    lines = [line for line in text.splitlines() if line.strip()]
    written = sorted(p.name for p in out.iterdir()) if out.exists() else []
    asked = [n for n in (case.output, case.report) if n]
    if code == 0:
        partial = any(n not in written for n in asked) or any(n.startswith(".") for n in written)
    else:
        partial = bool(written)
    return Outcome(case, code, "Traceback (most recent call last)" in text, hung, peak, partial,
                   _digest(case.input) != before, len(lines), lines[-1] if lines else "",
                   seconds)


def _report(outcomes: list[Outcome]) -> None:
    print(f"{'case':44} {'exit':>4} {'tb':>2} {'hang':>4} {'peak MB':>8} {'part':>4} "
          f"{'chg':>3} {'lines':>5} {'s':>5}  last line")
    for o in sorted(outcomes, key=lambda o: o.case.name):
        print(f"{o.case.name[:44]:44} {o.code if o.code is not None else '-':>4} "
              f"{'T' if o.traceback else '':>2} {'H' if o.hung else '':>4} "
              f"{o.peak / 2**20:8.0f} {'P' if o.partial else '':>4} {'C' if o.changed else '':>3} "
              f"{o.lines:5d} {o.seconds:5.1f}  {o.last[:110]}")
    codes: dict[str, int] = {}
    for o in outcomes:
        codes[str(o.code)] = codes.get(str(o.code), 0) + 1
    over = [o for o in outcomes if o.peak > TARGET_BYTES]
    print()
    print(f"cases: {len(outcomes)}   exit codes: "
          + ", ".join(f"{k}: {v}" for k, v in sorted(codes.items())))
    print(f"tracebacks: {sum(o.traceback for o in outcomes)} (target 0)   "
          f"hangs: {sum(o.hung for o in outcomes)} (target 0)   "
          f"peak > 2 GB: {len(over)} (target 0; highest "
          f"{max(o.peak for o in outcomes) / 2**30:.2f} GB)   "
          f"partial outputs: {sum(o.partial for o in outcomes)} (target 0)   "
          f"inputs changed: {sum(o.changed for o in outcomes)} (target 0)")
    refused = [o for o in outcomes if o.code == 2]
    print(f"refused with exit 2: {len(refused)}, of which in more than one line: "
          f"{sum(o.lines > 1 for o in refused)}   "
          f"median seconds per case: {sorted(o.seconds for o in outcomes)[len(outcomes) // 2]:.1f}"
          f"   load average at the end: {os.getloadavg()[0]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--only", default="",
                        help="Comma-separated words: run the cases whose name holds one.")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--pythonpath", default=str(ROOT),
                        help="Where the synthdesk to test lives (default: this checkout).")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="synthdesk-bad-input-"))
    folder.chmod(0o755)
    print(f"load average at the start: {os.getloadavg()[0]:.1f}; corpus in {folder}", flush=True)
    try:
        words = args.only.split(",")
        cases = [c for c in build_corpus(folder) if any(w in c.name for w in words)]
        print(f"{len(cases)} cases, {args.jobs} at a time, {args.timeout:.0f} s each at most",
              flush=True)
        with ThreadPoolExecutor(args.jobs) as pool:
            outcomes = list(pool.map(
                lambda c: run_case(c, folder, args.timeout, sys.executable, args.pythonpath),
                cases))
        _report(outcomes)
    finally:
        if args.keep:
            print(f"kept {folder}")
        else:
            for path in folder.rglob("*"):
                if path.is_dir():
                    path.chmod(0o755)
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
