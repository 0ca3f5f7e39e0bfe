"""The ``synthdesk`` command line: the same pipeline as the wizard, with no window.

``synthdesk`` with no arguments opens the window instead (see ``synthdesk.__main__``).

Exit codes: 0 success; 1 unexpected error; 2 a problem the user can fix (missing or
unreadable file, unknown column, bad option); 130 cancelled with Ctrl-C.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from synthdesk import __version__
from synthdesk.errors import Cancelled, SynthDeskError

__all__ = ["main", "build_parser"]

EXIT_OK, EXIT_CRASH, EXIT_USER, EXIT_CANCELLED = 0, 1, 2, 130
MAX_SEED = 2**32 - 1  # what numpy's and torch's generators accept
_QUOTES = ('"',)


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad option in one plain line, with exit code 2."""

    def error(self, message: str):  # noqa: D102
        self.exit(EXIT_USER, f"synthdesk: {message}. Try 'synthdesk --help'.\n")


def build_parser() -> argparse.ArgumentParser:
    """The command line's options."""
    from synthdesk.generators.registry import (
        AUTO_GENERATOR,
        DEFAULT_GENERATOR,
        GENERATORS,
        label_of,
    )

    parser = _Parser(prog="synthdesk", description="Make a synthetic copy of a table that is "
                     "safe to share. Run with no arguments to open the SynthDesk window.")
    parser.add_argument("--version", action="version", version=f"SynthDesk {__version__}")
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)

    inspect = commands.add_parser("inspect", help="Show how SynthDesk reads a file, and how "
                                  "long making its synthetic copy should take, as JSON.")
    inspect.add_argument("file", type=Path)
    _add_reader_options(inspect)
    _add_child_options(inspect)

    run = commands.add_parser("run", help="Make a synthetic copy of a table.")
    run.add_argument("file", type=Path, help="CSV or Excel file to learn from (never modified).")
    run.add_argument("-o", "--output", type=Path, required=True,
                     help="Where to write the synthetic table (.csv or .xlsx).")
    _add_reader_options(run)
    _add_child_options(run, running=True)
    run.add_argument("--generator", default=DEFAULT_GENERATOR,
                     choices=[AUTO_GENERATOR, *sorted(GENERATORS), "hma"],
                     help=f"How to learn the table (default: {DEFAULT_GENERATOR}: SynthDesk "
                     "chooses from the table's size and says why in the report). "
                     + "; ".join(f"{name}: {label_of(name)}" for name in
                                 (AUTO_GENERATOR, *GENERATORS)) + "; with --child: "
                     "auto or cart (decision trees, each child given its parent and the child "
                     "before it) or hma (SDV's HMA).")
    run.add_argument("--rows", type=_positive, help="Rows to generate (default: as many as input).")
    run.add_argument("--seed", type=_seed, default=0,
                     help=f"Same seed, same output: a whole number from 0 to {MAX_SEED:,} "
                     "(default: 0).")
    run.add_argument("--epochs", type=_positive, help="Training epochs for ctgan, tvae, copulagan.")
    run.add_argument("--report", type=Path,
                     help="Write a report of the run here: .json (numbers) or .html (a page "
                     "with plots that opens offline in any browser).")
    run.add_argument("--target", metavar="COLUMN",
                     help="Check usefulness: train a model to predict COLUMN on synthetic rows "
                     "and on real rows, and test both on real rows set aside. With --child: "
                     "a column of FILE (the parents), predicted from each parent with its "
                     "children's figures.")
    run.add_argument("--rebalance", action="append", default=[], metavar="COL[=VALUE:SHARE]",
                     help="Give each value of COL an equal share of the rows, or VALUE the "
                     "SHARE asked (0.5 or 50%%; repeatable for several values of one "
                     "column). The other columns follow the real rows of each value. With "
                     "--child: a column of FILE; each parent's children follow it (decision "
                     "trees only).")
    run.add_argument("--augment", action="store_true",
                     help="With --rebalance: write your real rows plus synthetic rows of the "
                     "rare group, marked in a synthdesk_row column (a training set for a "
                     "model; it holds real rows, so it is not for sharing). Not with --child: "
                     "real parents would be written with their real keys and children.")
    run.add_argument("--condition", action="append", default=[],
                     metavar="COL=VALUE|COL=LOW..HIGH",
                     help="Generate only rows with COL=VALUE, or COL between LOW and HIGH "
                     "(numbers or dates; repeatable: every condition holds). With --child: "
                     "columns of FILE; each parent's children follow it (decision trees "
                     "only).")
    run.add_argument("--holdout", type=_share, metavar="SHARE",
                     help="Share of real rows set aside, never learned, to test privacy and "
                     "usefulness (default: 0.2 for tables of 1,000 rows or more, else 0; "
                     "with --child, a share of the parents, each with all its children: 0.2 "
                     "from 250 parents up, else 0).")
    run.add_argument("--subject", metavar="COLUMN",
                     help="The column naming the person each row belongs to (customer_id): "
                     "privacy then counts people, not rows. Default: detected ('synthdesk "
                     "inspect' shows it); 'none' for one row per person.")
    run.add_argument("--sensitive", action="append", default=[], metavar="COLUMN",
                     help="Treat COLUMN as sensitive: replace it with fakes (repeatable).")
    run.add_argument("--not-sensitive", action="append", default=[], metavar="COLUMN",
                     help="Learn COLUMN like any other, whatever was detected (repeatable).")
    run.add_argument("--kind", action="append", default=[], metavar="COLUMN=KIND",
                     help="Correct a column's kind: integer, decimal, category, boolean, date, "
                     "datetime, identifier, text (repeatable).")
    run.add_argument("--treat", action="append", default=[], metavar="COLUMN=TREATMENT",
                     help="Treatment for COLUMN: fake, consistent, synthesize or drop "
                     "(repeatable).")
    shown = run.add_mutually_exclusive_group()
    shown.add_argument("--progress", action="store_true",
                       help="Print progress even when stderr is not a terminal.")
    shown.add_argument("--quiet", action="store_true", help="Do not print progress.")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    if args.command is None:
        build_parser().print_help()
        return EXIT_USER
    from synthdesk.core.offline import go_offline

    go_offline()
    try:
        if args.command == "inspect":
            return _inspect(args)
        return _run(args)
    except Cancelled:
        _say("Cancelled.")
        return EXIT_CANCELLED
    except KeyboardInterrupt:
        _say("Cancelled.")
        return EXIT_CANCELLED
    except SynthDeskError as exc:
        _say(f"synthdesk: {exc}")
        return EXIT_USER


def _inspect(args) -> int:
    if args.child:
        from synthdesk.cli.related import inspect_related

        inspect_related(args, _read_options(args))
        return EXIT_OK
    from synthdesk.core.estimate import estimate_for
    from synthdesk.core.job import TrainingPlan
    from synthdesk.core.pipeline import read
    from synthdesk.evaluation.report import describe_columns

    loaded = read(args.file, args.sheet, _read_options(args))
    table, columns = loaded.table, list(loaded.detected)
    described = describe_columns(columns)
    for entry, spec in zip(described, columns, strict=True):
        entry["evidence"] = spec.evidence
    from synthdesk.privacy.subjects import detect_subject

    payload = {"rows": int(len(table.data)), "columns": described,
               "subject": detect_subject(table.data, columns),
               "source": table.source.to_dict(),
               "estimate": estimate_for(table.data, columns,
                                        TrainingPlan(rows=table.source.rows_in_file),
                                        table.source.rows_in_file).to_dict()}
    sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
    return EXIT_OK


def _run(args) -> int:
    if args.child:
        from synthdesk.cli.related import run_related

        run_related(args, _plan(args), _overrides(args), _read_options(args),
                    _ProgressLine() if _shows_progress(args) else _no_output, _say)
        return EXIT_OK
    from synthdesk.core.job import Job, TrainingPlan
    from synthdesk.core.pipeline import run_job
    from synthdesk.generators.conditions import parse_condition, parse_rebalance
    from synthdesk.schema.overrides import ColumnOverrides, parse_kind, parse_treatment

    plan = TrainingPlan(generator=args.generator, rows=args.rows, seed=args.seed,
                        epochs=args.epochs, holdout=args.holdout, target=args.target,
                        conditions=tuple(parse_condition(t) for t in args.condition),
                        rebalance=parse_rebalance(args.rebalance), augment=args.augment,
                        subject=_subject(args.subject))
    overrides = ColumnOverrides(
        sensitive=tuple(args.sensitive), not_sensitive=tuple(args.not_sensitive),
        treatments=tuple(parse_treatment(text) for text in args.treat),
        kinds=tuple(parse_kind(text) for text in args.kind),
    )
    job = Job(input=args.file, output=args.output, sheet=args.sheet, plan=plan,
              read=_read_options(args),
              overrides=overrides,
              report=args.report)
    show = args.progress or (sys.stderr.isatty() and not args.quiet)
    progress = _ProgressLine() if show else _no_output
    result = run_job(job, progress=progress,
                     estimated=progress.expect if show else None)
    quality = result.training.quality.overall
    _say(f"Wrote {result.training.rows:,} synthetic rows to {args.output} "
         f"(quality {quality:.0%}, {result.timing['total_s']:.1f} s).")
    rare = result.training.rare_group
    if rare is not None and rare.warning:
        _say(f"Warning: {rare.warning}")
    return EXIT_OK


def _plan(args):
    from synthdesk.core.job import TrainingPlan
    from synthdesk.generators.conditions import parse_condition, parse_rebalance

    return TrainingPlan(generator=args.generator, rows=args.rows, seed=args.seed,
                        epochs=args.epochs, holdout=args.holdout, target=args.target,
                        conditions=tuple(parse_condition(t) for t in args.condition),
                        rebalance=parse_rebalance(args.rebalance), augment=args.augment,
                        subject=_subject(args.subject))


def _overrides(args):
    from synthdesk.schema.overrides import ColumnOverrides, parse_kind, parse_treatment

    return ColumnOverrides(
        sensitive=tuple(args.sensitive), not_sensitive=tuple(args.not_sensitive),
        treatments=tuple(parse_treatment(text) for text in args.treat),
        kinds=tuple(parse_kind(text) for text in args.kind),
    )


def _shows_progress(args) -> bool:
    return args.progress or (sys.stderr.isatty() and not args.quiet)


def _add_child_options(parser: argparse.ArgumentParser, running: bool = False) -> None:
    """Related tables: children of the file, and (to run) what to do with orphans."""
    parser.add_argument("--child", action="append", default=[], metavar="CHILD[#SHEET][:KEY]",
                        help="A table whose rows point at rows of FILE (invoices of "
                        "customers), linked by its column KEY (default: found from the "
                        "values). CHILD#SHEET reads another sheet of a workbook (FILE itself "
                        "for two sheets of one workbook: 'book.xlsx#Sheet1 --child "
                        "book.xlsx#Sheet2'). Repeatable.")
    if running:
        parser.add_argument("--keep-orphans", action="store_true",
                            help="With --child: keep child rows that point at no parent "
                            "(default: leave them out and say how many).")
        parser.add_argument("--order", metavar="COLUMN",
                            help="With --child: the child column that orders a parent's "
                            "children (default: a date, or a column named like an order; "
                            "'none' for no order).")


def _subject(text: str | None) -> str | None:
    """``--subject``: a column, ``none`` (one row per person, as ``""``) or detect (None)."""
    if text is None:
        return None
    return "" if text.strip().lower() == "none" else text


class _ProgressLine:
    """Print progress to stderr when the message changes, at most every whole percent.

    Once the job's estimate is known, each line names its stage (preparing, learning,
    generating, scoring) and the time left (:class:`synthdesk.progress.TimeLeft`).
    """

    def __init__(self) -> None:
        self._last = (-1, "")
        self._started = time.monotonic()
        self._left = None

    def expect(self, estimate) -> None:
        """Take the job's estimate: say it, and count the time left from it."""
        from synthdesk.progress import TimeLeft, describe_duration

        bar = estimate.bar(reading=True, writing=True)
        self._left = TimeLeft(bar, self._started)
        stages = ", ".join(f"{stage} {bar.stage_seconds(stage):.0f} s" for stage in bar.stages)
        _say(f"Expected {describe_duration(estimate.total_s)} with {estimate.generator} "
             f"({stages}).")

    def __call__(self, fraction: float, message: str) -> None:
        key = (int(fraction * 100), message.split(" (")[0])
        if key == self._last:
            return
        self._last = key
        if self._left is None or fraction >= 1:
            _say(f"[{key[0]:3d}%] {message}")
            return
        from synthdesk.progress import STAGE_LABELS, describe_duration

        now = time.monotonic()
        self._left.update(fraction, now)
        left = describe_duration(self._left.remaining(now))
        _say(f"[{key[0]:3d}%] {STAGE_LABELS[self._left.stage]}: {message} ({left} left)")


def _no_output(fraction: float, message: str) -> None:
    """Print nothing."""


def _add_reader_options(parser: argparse.ArgumentParser) -> None:
    """Overrides for what the reader detects."""
    parser.add_argument("--sheet", help="Excel sheet to read (default: the first with data).")
    parser.add_argument("--header-row", type=_row_number, metavar="N",
                        help="Row holding the column names, counting from 1; 0 if there is "
                        "none (default: detected).")
    parser.add_argument("--last-row", type=_last_row, metavar="N",
                        help="Row holding the table's last record, counting from 1; notes "
                        "and totals below it are left out (default: detected).")
    parser.add_argument("--sentinels-missing", action="store_true",
                        help="Read codes for 'unknown' (a repeated 9, 99, 999 or -1 far "
                        "outside a column's other values) as missing (default: keep them "
                        "and say so).")
    parser.add_argument("--delimiter", type=_delimiter,
                        help="Field delimiter of a text file: , ; tab | or any one character "
                        "(default: detected).")
    parser.add_argument("--encoding", help="Text encoding: utf-8, utf-16, cp1252, latin-1... "
                        "(default: detected).")
    parser.add_argument("--decimal", choices=[".", ","],
                        help="Decimal mark of numbers written as text (default: detected).")
    parser.add_argument("--no-date-serials", dest="date_serials", action="store_false",
                        help="Keep whole numbers in a column headed as a date as numbers "
                        "(default: read them as Excel date serials).")


def _read_options(args):
    from synthdesk.io.options import ReadOptions

    return ReadOptions(header_row=args.header_row, delimiter=args.delimiter,
                       encoding=args.encoding, decimal=args.decimal,
                       date_serials=args.date_serials, last_row=args.last_row,
                       sentinels_missing=args.sentinels_missing)


def _row_number(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a row number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be 0 (no header) or more")
    return value


def _last_row(text: str) -> int:
    value = _row_number(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be a row number, 1 or more")
    return value


def _delimiter(text: str) -> str:
    named = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|",
             "space": " "}
    value = named.get(text.lower(), text)
    if len(value) != 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not one character (or tab)")
    if value in _QUOTES or value in "\r\n":
        raise argparse.ArgumentTypeError(
            f"{text!r} cannot be the delimiter: it is the quote character or a line break; "
            "choose , ; tab or |")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(f"{text!r} must be between 0 and {MAX_SEED:,}")
    return value


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be 1 or more")
    return value


def _share(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0 <= value <= 0.5:
        raise argparse.ArgumentTypeError(f"{text!r} must be between 0 and 0.5")
    return value


def _say(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


if __name__ == "__main__":
    sys.exit(main())
