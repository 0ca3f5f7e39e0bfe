"""The ``.synthdesk`` project file: a job's choices, never its data.

It holds the input file's path, the sheet, every column's kind and treatment, the
generator settings and the seed, and for related tables each child table with its key
(the relation), its order column and its columns' choices, and whether orphans are kept,
as JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from synthdesk.core.job import TrainingPlan
from synthdesk.core.related import ChildSource
from synthdesk.errors import ExportFailed, ImportFailed
from synthdesk.generators.registry import AUTO_GENERATOR
from synthdesk.schema.columns import Action, ColumnSpec, Kind

__all__ = ["Project", "save_project", "load_project", "PROJECT_SUFFIX"]

PROJECT_SUFFIX = ".synthdesk"
_FORMAT = "synthdesk-project"
_VERSION = 1


@dataclass(frozen=True)
class Project:
    """What the user chose in the window.

    Attributes:
        input: The table file.
        sheet: Excel sheet, or None.
        columns: Every column's kind and treatment.
        plan: Generator, rows, seed, epochs, holdout and the column to predict.
        output_format: ``"csv"`` or ``"xlsx"``.
        header_row: The reader's header row chosen by hand (None: detected; 0: none).
        delimiter: The delimiter chosen by hand, or None.
        encoding: The encoding chosen by hand, or None.
        date_serials: Whether day numbers in date-headed columns are read as dates.
        children: Related tables whose rows point at the input's rows, with their keys.
        child_columns: Each related table's column choices, in the order of
            ``children`` (empty: as detected).
        keep_orphans: Keep child rows that point at no parent.

    """

    input: Path
    sheet: str | None = None
    columns: tuple[ColumnSpec, ...] = ()
    plan: TrainingPlan = field(default_factory=TrainingPlan)
    output_format: str = "csv"
    header_row: int | None = None
    delimiter: str | None = None
    encoding: str | None = None
    date_serials: bool = True
    children: tuple[ChildSource, ...] = ()
    child_columns: tuple[tuple[ColumnSpec, ...], ...] = ()
    keep_orphans: bool = False

    def columns_of(self, index: int) -> tuple[ColumnSpec, ...]:
        """The column choices of related table ``index`` (empty: as detected)."""
        return self.child_columns[index] if index < len(self.child_columns) else ()


def _child_to_dict(child: ChildSource, columns: tuple[ColumnSpec, ...]) -> dict:
    return {"input": str(child.input), "sheet": child.sheet, "key": child.key,
            "parent_key": child.parent_key, "order": child.order,
            "columns": [_column_to_dict(s) for s in columns]}


def _child_from_dict(raw: dict) -> ChildSource:
    return ChildSource(Path(raw["input"]), raw.get("sheet"), raw.get("key"),
                       raw.get("parent_key"), raw.get("order"))


def _column_to_dict(spec: ColumnSpec) -> dict:
    return {
        "name": spec.name,
        "kind": str(spec.kind),
        "missing": spec.missing,
        "sensitive": spec.sensitive,
        "reason": spec.reason,
        "pii_type": spec.pii_type,
        "date_format": spec.date_format,
        "action": str(spec.action),
        "quasi_identifier": spec.quasi_identifier,
        "evidence": spec.evidence,
        "decimals": spec.decimals,
        "unit": spec.unit,
        "written_as": spec.written_as,
    }


def _column_from_dict(raw: dict) -> ColumnSpec:
    return ColumnSpec(
        name=str(raw["name"]),
        kind=Kind(raw["kind"]),
        missing=float(raw.get("missing", 0.0)),
        sensitive=bool(raw.get("sensitive", False)),
        reason=str(raw.get("reason", "")),
        pii_type=raw.get("pii_type"),
        date_format=raw.get("date_format"),
        action=Action(raw.get("action", "synthesize")),
        quasi_identifier=bool(raw.get("quasi_identifier", False)),
        evidence=str(raw.get("evidence", "")),
        decimals=None if raw.get("decimals") is None else int(raw["decimals"]),
        written_as=raw.get("written_as"),
        unit=raw.get("unit"),
    )


def save_project(project: Project, path: Path) -> None:
    """Write ``project`` to ``path`` as JSON.

    Raises:
        ExportFailed: The file could not be written.

    """
    payload = {
        "format": _FORMAT,
        "version": _VERSION,
        "input": str(project.input),
        "sheet": project.sheet,
        "columns": [_column_to_dict(s) for s in project.columns],
        "plan": {
            "generator": project.plan.generator,
            "rows": project.plan.rows,
            "seed": project.plan.seed,
            "epochs": project.plan.epochs,
            "target": project.plan.target,
            "holdout": project.plan.holdout,
            "subject": project.plan.subject,
        },
        "output_format": project.output_format,
        "reader": {"header_row": project.header_row, "delimiter": project.delimiter,
                   "encoding": project.encoding, "date_serials": project.date_serials},
    }
    if project.children:
        payload["children"] = [_child_to_dict(c, project.columns_of(i))
                               for i, c in enumerate(project.children)]
        payload["keep_orphans"] = project.keep_orphans
    path = Path(path)
    try:
        path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as exc:
        raise ExportFailed(f"{path.name} could not be written: {exc.strerror or exc}.") from exc


def load_project(path: Path) -> Project:
    """Read a project written by :func:`save_project`.

    Raises:
        ImportFailed: The file is missing or is not a SynthDesk project.

    """
    path = Path(path)
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ImportFailed(f"{path.name} could not be opened: {exc.strerror or exc}.") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ImportFailed(f"{path.name} is not a SynthDesk project file.") from exc
    if not isinstance(payload, dict) or payload.get("format") != _FORMAT:
        raise ImportFailed(f"{path.name} is not a SynthDesk project file.")
    try:
        plan = payload.get("plan") or {}
        children = payload.get("children", [])
        return Project(
            input=Path(payload["input"]),
            sheet=payload.get("sheet"),
            columns=tuple(_column_from_dict(c) for c in payload.get("columns", [])),
            plan=TrainingPlan(
                generator=str(plan.get("generator", AUTO_GENERATOR)),
                rows=plan.get("rows"),
                seed=int(plan.get("seed", 0)),
                epochs=plan.get("epochs"),
                target=plan.get("target"),
                holdout=plan.get("holdout"),
                subject=plan.get("subject"),
            ),
            output_format=str(payload.get("output_format", "csv")),
            header_row=(payload.get("reader") or {}).get("header_row"),
            delimiter=(payload.get("reader") or {}).get("delimiter"),
            encoding=(payload.get("reader") or {}).get("encoding"),
            date_serials=bool((payload.get("reader") or {}).get("date_serials", True)),
            children=tuple(_child_from_dict(c) for c in children),
            child_columns=tuple(tuple(_column_from_dict(s) for s in c.get("columns", []))
                                for c in children) if any(c.get("columns") for c in children)
            else (),
            keep_orphans=bool(payload.get("keep_orphans", False)),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ImportFailed(f"{path.name} is a damaged SynthDesk project file.") from exc
