"""The report of a related-tables job: JSON figures, and the same as a self-contained page.

No real value reaches it: table and column names, counts, scores, and group labels that
at least k real parents hold.
"""

from __future__ import annotations

import html

from synthdesk import __version__
from synthdesk.evaluation.report import report_columns

__all__ = ["build_related_report", "render_related_html"]


def build_related_report(job, understood, result, timing: dict) -> dict:
    """The JSON report of a related job (a job, its tables understood, its result)."""
    plan = job.parent.plan
    tables = {}
    for table, synthetic in zip(understood.tables, result.tables, strict=True):
        quality = result.quality.get(table.name)
        protection = result.protection.get(table.name)
        tables[table.name] = {
            "file": table.name,
            "rows": int(len(table.data)),
            "synthetic_rows": int(len(synthetic.data)),
            "columns": report_columns(synthetic.columns),
            "quality": None if quality is None else quality.to_dict(),
            "rare_categories_protected": protection.rare_categories_protected
            if protection else 0,
            "leak_guard_replaced": protection.leak_guard_replaced if protection else 0,
            "columns_replaced_unlearnable": protection.replaced_columns if protection else {},
        }
    relations = []
    for relation, match, order, evidence in zip(understood.relations, understood.matches,
                                                understood.orders, result.relations,
                                                strict=True):
        orphans = result.orphans.get(relation.child, 0)
        relations.append({
            "parent": relation.parent, "parent_key": relation.parent_key,
            "child": relation.child, "child_key": relation.child_key,
            "found": match.to_dict(), "order_column": order,
            "orphans": orphans,
            "orphans_kept": bool(result.keep_orphans and orphans),
            "notice": orphan_notice(relation.child, orphans, result.keep_orphans),
            "linked_fakes": result.linked_fakes.get(relation.child, {}),
            **{k: v for k, v in evidence.items() if k != "child"},
        })
    return {
        "synthdesk_version": __version__,
        "kind": "related tables",
        "generator": result.generator,
        "seed": plan.seed,
        "generated_to": _generated_to(plan),
        "usefulness": result.utility,
        "tables": tables,
        "relations": relations,
        "privacy": {
            "parent_level_dcr_share": result.parent_dcr_share,
            "holdout_parents": result.holdout_parents,
            "sensitive_values_leaked": 0,
            "counted_by": "parents (each parent with all its children is one person)",
        },
        "timing": timing,
    }


def _generated_to(plan) -> dict | None:
    """The conditions, rebalancing and target asked of the parent table (None: none)."""
    if not (plan.conditions or plan.rebalance is not None or plan.target):
        return None
    rebalance = plan.rebalance
    return {"conditions": [c.describe() for c in plan.conditions],
            "rebalance": None if rebalance is None else {
                "column": rebalance.column,
                "shares": {value: share for value, share in rebalance.shares} or "equal"},
            "target": plan.target,
            "applies_to": "the parent table; each parent's children are drawn given it"}


def orphan_notice(child: str, orphans: int, kept: bool) -> str:
    """What happened to the child rows that point at no parent, in one sentence."""
    if not orphans:
        return ""
    if kept:
        return (f"{orphans:,} rows of {child} point at no parent: they were kept, and the "
                "synthetic table has rows like them that point at no parent either.")
    return (f"{orphans:,} rows of {child} point at no parent: they were left out (keep them "
            "with --keep-orphans, or Keep on the Open page).")


def _e(value) -> str:
    return html.escape("" if value is None else str(value))


def _number(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.3f}"
    return f"{value:,}" if isinstance(value, int) else _e(value)


def _rows(pairs) -> str:
    return "".join(f"<tr><th>{_e(k)}</th><td>{_number(v)}</td></tr>" for k, v in pairs)


def render_related_html(report: dict) -> str:
    """The report as one HTML page that opens offline."""
    parts = [f"<h1>SynthDesk report: related tables</h1><p>Generator: {_e(report['generator'])}"
             f" · seed {_e(report['seed'])} · SynthDesk {_e(report['synthdesk_version'])}</p>"]
    parts.append("<h2>Tables</h2><table><tr><th>Table</th><th>Real rows</th>"
                 "<th>Synthetic rows</th><th>Quality</th><th>Column shapes</th>"
                 "<th>Pair trends</th></tr>")
    for name, table in report["tables"].items():
        quality = table["quality"] or {}
        parts.append(f"<tr><td>{_e(name)}</td><td>{_number(table['rows'])}</td>"
                     f"<td>{_number(table['synthetic_rows'])}</td>"
                     f"<td>{_number(quality.get('overall'))}</td>"
                     f"<td>{_number(quality.get('column_shapes'))}</td>"
                     f"<td>{_number(quality.get('column_pair_trends'))}</td></tr>")
    parts.append("</table>")
    asked = report.get("generated_to")
    if asked:
        rebalance = asked["rebalance"]
        parts.append("<h2>Generated to</h2><table>" + _rows([
            ("Conditions on the parent table", ", ".join(asked["conditions"]) or None),
            ("Rebalanced parent column", rebalance and rebalance["column"]),
            ("Target", asked["target"]),
        ]) + "</table><p>Each parent's children are drawn given it.</p>")
    usefulness = report.get("usefulness")
    if usefulness:
        parts.append(f"<h2>Usefulness: predicting {_e(usefulness['target'])} of a parent"
                     "</h2><table>" + _rows([
                         (f"Trained on real parents ({usefulness['metric']})",
                          usefulness["real"]),
                         (f"Trained on synthetic parents ({usefulness['metric']})",
                          usefulness["synthetic"]),
                         ("Synthetic / real", usefulness["ratio"]),
                     ]) + "</table><p>Each parent with its children's figures; both models "
                     "tested on the parents set aside.</p>")
    for relation in report["relations"]:
        counts = relation["children_per_parent"]
        parts.append(f"<h2>{_e(relation['parent'])}.{_e(relation['parent_key'])} → "
                     f"{_e(relation['child'])}.{_e(relation['child_key'])}</h2>")
        if relation["notice"]:
            parts.append(f"<p>{_e(relation['notice'])}</p>")
        parts.append("<table>" + _rows([
            ("Children with a valid parent", relation["valid_parent_share"]),
            ("Children per parent: distance real vs synthetic (KS)", counts["ks_synthetic"]),
            ("Children per parent: distance real vs real holdout (KS)", counts["ks_holdout"]),
            ("Mean children per parent, real", counts["real"]["mean"]),
            ("Mean children per parent, synthetic", counts["synthetic"]["mean"]),
            ("Parent × child relations kept (1 = the same)",
             relation["parent_child"]["similarity"]),
        ]) + "</table>")
        pairs = relation["parent_child"]["pairs"]
        if pairs:
            parts.append("<h3>Strongest parent × child relations</h3><table><tr>"
                         "<th>Parent column</th><th>Child aggregate</th><th>Measure</th>"
                         "<th>Real</th><th>Synthetic</th></tr>")
            parts.extend(f"<tr><td>{_e(p['parent_column'])}</td><td>{_e(p['child_aggregate'])}"
                         f"</td><td>{_e(p['measure'])}</td><td>{_number(p['real'])}</td>"
                         f"<td>{_number(p['synthetic'])}</td></tr>" for p in pairs)
            parts.append("</table>")
        groups = relation["parent_child"]["by_group"]
        if groups:
            parts.append(f"<h3>{_e(groups['child_aggregate'])} per parent by "
                         f"{_e(groups['parent_column'])}</h3><table><tr><th>Group</th>"
                         "<th>Real parents</th><th>Real mean</th><th>Synthetic parents</th>"
                         "<th>Synthetic mean</th></tr>")
            parts.extend(f"<tr><td>{_e(g['group'])}</td><td>{_number(g['real_parents'])}</td>"
                         f"<td>{_number(g['real_mean'])}</td>"
                         f"<td>{_number(g['synthetic_parents'])}</td>"
                         f"<td>{_number(g['synthetic_mean'])}</td></tr>"
                         for g in groups["groups"])
            parts.append("</table>")
        sequence = relation.get("sequence")
        if sequence:
            parts.append(f"<h3>Sequences (ordered by {_e(sequence['order_column'])})</h3>"
                         "<table>" + _rows([
                             ("Gaps: distance real vs synthetic (KS)",
                              sequence["gap_ks_synthetic"]),
                             ("Gaps: distance real vs real holdout (KS)",
                              sequence["gap_ks_holdout"]),
                             ("Sequence lengths: distance real vs synthetic (KS)",
                              sequence["length_ks_synthetic"]),
                             ("Sequence lengths: distance real vs real holdout (KS)",
                              sequence["length_ks_holdout"]),
                             ("Synthetic parents whose children are in order",
                              sequence["in_order_share"]),
                         ]) + "</table>")
    privacy = report["privacy"]
    parts.append("<h2>Privacy, counted by parent</h2><table>" + _rows([
        ("DCR share, each parent with its children as one record (0.5 ideal)",
         privacy["parent_level_dcr_share"]),
        ("Parents set aside (holdout)", privacy["holdout_parents"]),
        ("Real values of sensitive columns in the output", privacy["sensitive_values_leaked"]),
    ]) + "</table>")
    parts.append("<h2>Time</h2><table>" + _rows(sorted(report["timing"].items())) + "</table>")
    style = ("body{font-family:sans-serif;max-width:60em;margin:2em auto;color:#222}"
             "table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;"
             "padding:.2em .6em;text-align:left}")
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>SynthDesk report"
            f"</title><style>{style}</style></head><body>{''.join(parts)}</body></html>")


def related_overview(result) -> tuple[str, list[tuple[str, str, str]]]:
    """A related result in words: one sentence, and (label, value, meaning) lines.

    ``result`` is a ``synthdesk.core.related.RelatedResult``; the window's Compare page
    shows these as they are.
    """
    def share(value) -> str:
        return "—" if value is None else f"{value:.0%}"

    def number(value) -> str:
        return "—" if value is None else f"{value:.3f}"

    lines = []
    qualities = []
    for table in result.tables:
        quality = result.quality.get(table.name)
        if quality is not None:
            qualities.append(quality.overall)
        lines.append((f"Quality of {table.name}", share(quality and quality.overall),
                      "How alike the synthetic and real rows of this table are, column by "
                      "column and pair by pair (100% = indistinguishable)."))
    for relation in result.relations:
        child = relation["child"]
        counts = relation["children_per_parent"]
        lines += [
            (f"{child}: rows with a valid parent", share(relation["valid_parent_share"]),
             "Share of synthetic related rows that point at a synthetic row of the main "
             "table (100% expected)."),
            (f"{child}: rows per parent, distance", number(counts["ks_synthetic"]),
             "How differently the number of related rows per main row is spread, real vs "
             f"synthetic (0 = the same; real holdout: {number(counts['ks_holdout'])})."),
            (f"{child}: parent × child relations kept",
             share(relation["parent_child"]["similarity"]),
             "How well each column of the main table still goes with the totals of its "
             "related rows (100% = as strongly as in the real tables)."),
        ]
        sequence = relation.get("sequence")
        if sequence:
            lines += [
                (f"{child}: gaps between rows, distance", number(sequence["gap_ks_synthetic"]),
                 f"The gaps between consecutive related rows of one main row (by "
                 f"{sequence['order_column']}), real vs synthetic (real holdout: "
                 f"{number(sequence['gap_ks_holdout'])})."),
                (f"{child}: rows in order", share(sequence["in_order_share"]),
                 "Share of synthetic main rows whose related rows come in order."),
            ]
    lines.append(("DCR share per parent", number(result.parent_dcr_share),
                  "Each main row with its related rows counted as one person: the share of "
                  "synthetic ones closer to a real one learned from than to one set aside "
                  "(0.5 ideal; above 0.55 they resemble particular people)."))
    utility = getattr(result, "utility", None)
    if utility:
        lines.append((f"Usefulness: predicting {utility['target']}",
                      number(utility["ratio"]),
                      f"A model trained on synthetic parents (with their related rows' "
                      f"figures) scores this share of one trained on real parents, both "
                      f"tested on parents set aside ({utility['metric']} "
                      f"{number(utility['synthetic'])} vs {number(utility['real'])}; 1 = as "
                      "useful)."))
    overall = min(qualities) if qualities else None
    valid = min((r["valid_parent_share"] for r in result.relations), default=1.0)
    sentence = (f"<b>Lowest table quality {share(overall)}.</b> {valid:.0%} of related rows "
                "point at a synthetic main row; each main row and its related rows were "
                "counted as one person for privacy.")
    return sentence, lines
