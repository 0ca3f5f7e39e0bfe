"""``synthdesk inspect|run PARENT --child CHILD[:KEY]``: related tables on the command line."""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path

__all__ = ["inspect_related", "run_related"]


def _parent(args) -> tuple[Path, str | None]:
    from synthdesk.core.related import parse_table_ref

    path, sheet = parse_table_ref(str(args.file))
    return path, args.sheet or sheet


def _children(args, order: str | None = None) -> tuple:
    from synthdesk.core.related import parse_child

    children = []
    for text in args.child:
        child = parse_child(text)
        if order is not None:
            child = dataclasses.replace(child, order="" if order.lower() == "none" else order)
        children.append(child)
    return tuple(children)


def inspect_related(args, read_options) -> None:
    """Print, as JSON, how each table reads and the relation found between them."""
    from synthdesk.core.job import Job
    from synthdesk.core.related import RelatedJob, read_related, understand_related
    from synthdesk.evaluation.related_report import orphan_notice
    from synthdesk.evaluation.report import describe_columns

    path, sheet = _parent(args)
    job = RelatedJob(Job(path, Path("."), sheet=sheet, read=read_options),
                     _children(args))
    reads = read_related(job)
    understood = understand_related(reads, job)
    tables = []
    for loaded, table in zip(reads, understood.tables, strict=True):
        tables.append({"table": table.name, "rows": int(len(table.data)),
                       "columns": describe_columns(list(loaded.detected)),
                       "source": loaded.table.source.to_dict()})
    relations = [{"parent": r.parent, "parent_key": r.parent_key, "child": r.child,
                  "child_key": r.child_key, "orphans": m.orphans,
                  "valid_share": round(m.valid_share, 4),
                  "parents_with_children": m.parents_with_children,
                  "most_children": m.most_children, "order_column": order,
                  "notice": orphan_notice(r.child, m.orphans, False)}
                 for r, m, order in zip(understood.relations, understood.matches,
                                        understood.orders, strict=True)]
    from synthdesk.core.related import related_estimate

    payload = {"tables": tables, "relations": relations,
               "estimate": related_estimate(understood, job.parent.plan).to_dict()}
    sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")


def run_related(args, plan, overrides, read_options, progress, say) -> None:
    """Run a related job: one CSV per table in a folder, or a sheet per table."""
    from synthdesk.core.job import Job
    from synthdesk.core.related import RelatedJob, run_related_job

    # --condition, --rebalance and --target apply to the parent table (its children
    # follow their parents); --augment is refused: the core says why.
    path, sheet = _parent(args)
    job = RelatedJob(Job(path, args.output, sheet=sheet, plan=plan, report=args.report,
                         overrides=overrides, read=read_options),
                     _children(args, args.order), keep_orphans=args.keep_orphans)
    result, report = run_related_job(job, progress=progress,
                                     estimated=getattr(progress, "expect", None))
    sizes = ", ".join(f"{len(t.data):,} {t.name}" for t in result.tables)
    valid = min((r["valid_parent_share"] for r in result.relations), default=1.0)
    say(f"Wrote {sizes} to {args.output} ({valid:.0%} of children with a valid parent, "
         f"{report['timing'].get('train_s', 0):.1f} s training).")
    for relation in report["relations"]:
        if relation["notice"]:
            say(relation["notice"])
    usefulness = report.get("usefulness")
    if usefulness and usefulness.get("ratio") is not None:
        say(f"Usefulness ({usefulness['target']}, {usefulness['metric']}): a model trained "
            f"on synthetic parents scores {usefulness['ratio']:.0%} of one trained on real "
            "parents.")
