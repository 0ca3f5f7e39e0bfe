"""The report as one self-contained HTML file: verdicts, scores, plots, settings.

Plots are drawn with plotly, whose script is embedded once in the file: the report opens
offline in any browser and fetches nothing. Replaced and dropped columns never show
their real values: they appear only in the treatment table. Learned columns show no
real value that fewer than k people hold (see ``synthdesk.evaluation.distributions``).
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import pandas as pd

from synthdesk.evaluation.distributions import column_distribution, correlation_matrices
from synthdesk.evaluation.summary import (
    rare_group_sentence,
    sampling_note,
    score_lines,
    utility_sentence,
)
from synthdesk.schema.columns import Action, ColumnSpec

__all__ = ["render_html"]

_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1100px;
color:#1d232a;background:#fff;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid
#ddd;padding-bottom:.3rem}.muted{color:#5b6570}.verdicts{display:flex;gap:1rem;flex-wrap:wrap}
.card{flex:1 1 320px;border-radius:8px;padding:1rem;border:1px solid #ccd}.card b{font-size:1.3rem}
.good{background:#e8f5ec;border-color:#8bc49b}.mid{background:#fff7e0;border-color:#e5c46b}
.bad{background:#fdeaea;border-color:#e39a9a}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
td,th{border-bottom:1px solid #e3e6ea;padding:.35rem .5rem;text-align:left;vertical-align:top}
td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
.plots{display:grid;grid-template-columns:repeat(auto-fill,minmax(340px,1fr));gap:.5rem}
"""
_REAL, _SYNTH = "#4c72b0", "#dd8452"


def render_html(report: dict, real: pd.DataFrame, synthetic: pd.DataFrame,
                specs: Sequence[ColumnSpec]) -> str:
    """Return the whole report as one HTML document.

    Args:
        report: The JSON report of the run (see ``synthdesk.evaluation.report``).
        real: The user's table.
        synthetic: The synthetic table as written.
        specs: Every column's kind and treatment.

    """
    figures = _FigureWriter()
    parts = [
        f"<h1>SynthDesk report: {_e(report['input']['file'])}</h1>",
        f"<p class=muted>{report['input']['rows']:,} real rows in, "
        f"{report['output']['rows']:,} synthetic rows out ({_e(report['output']['file'])}), "
        f"generator {_e(report.get('generator_label') or report['generator'])} "
        f"({_e(report['generator'])}), seed {report['seed']}, "
        f"SynthDesk {_e(report['synthdesk_version'])}.</p>",
        _verdicts(report.get("verdict")),
        "<h2>Scores</h2>",
        _scores(report),
        _protection(report.get("privacy") or {}),
        _utility(report.get("utility")),
        _rare_group(report.get("rare_group")),
        "<h2>Columns: worst and best match</h2>",
        _distributions(report, real, synthetic, specs, figures),
        "<h2>Relations between columns</h2>",
        _heatmaps(real, synthetic, specs, figures),
        _pair_losses(report.get("largest_pair_losses") or []),
        _kept_relations(report.get("kept_relations") or []),
        "<h2>Columns and their treatment</h2>",
        _treatments(report),
        "<h2>Settings</h2>",
        _settings(report),
        "<h2>How the verdict is reached</h2>",
        _thresholds(report),
    ]
    body = "\n".join(parts)
    return (f"<!doctype html><html lang=en><head><meta charset=utf-8>"
            f"<meta name=viewport content='width=device-width,initial-scale=1'>"
            f"<title>SynthDesk report: {_e(report['input']['file'])}</title>"
            f"<style>{_STYLE}</style></head><body>{body}</body></html>\n")


def _e(value) -> str:
    return html.escape(str(value))


def _verdicts(verdict: dict | None) -> str:
    if not verdict:
        return ""
    faithful_class = {"high": "good", "medium": "mid"}.get(verdict["faithful"], "bad")
    safe_class = "good" if verdict["safe"] == "yes" else "bad"
    return (
        "<div class=verdicts>"
        f"<div class='card {faithful_class}'>Faithful: <b>{_e(verdict['faithful'])}</b>"
        f"<p>{_e(verdict['faithful_why'])}</p></div>"
        f"<div class='card {safe_class}'>Safe to share: <b>{_e(verdict['safe'])}</b>"
        f"<p>{_e(verdict['safe_why'])}</p></div></div>"
    )


def _scores(report: dict) -> str:
    flat = {f"{section}.{name}": value for section in ("quality", "privacy")
            for name, value in (report.get(section) or {}).items()}
    rows = [f"<tr><td>{_e(line.label)}</td><td class=num>{_e(line.value)}</td>"
            f"<td>{_e(line.meaning)}</td></tr>" for line in score_lines(flat)]
    privacy = report.get("privacy") or {}
    learned = (report.get("input") or {}).get("rows", 0) - (privacy.get("holdout_rows") or 0)
    output = report.get("output") or {}
    given = report.get("input") or {}
    note = sampling_note(learned, output.get("rows", 0), output.get("scored_rows"),
                         given.get("rows"), given.get("rows_in_file"))
    return ("<table><tr><th>Score</th><th>Value</th><th>What it means</th></tr>" +
            "".join(rows) + "</table>" + (f"<p class=muted>{_e(note)}</p>" if note else ""))


def _protection(privacy: dict) -> str:
    """Columns replaced because they could not be learned, and those left mostly '(other)'."""
    parts = []
    replaced = privacy.get("columns_replaced_unlearnable") or {}
    if replaced:
        items = "".join(f"<li>{_e(name)}: {_e(why)}</li>" for name, why in replaced.items())
        parts.append(f"<p>Columns replaced because they could not be learned:</p><ul>{items}</ul>")
    mostly = privacy.get("mostly_other") or {}
    if mostly:
        listed = ", ".join(f"{_e(name)} ({share:.0%} of rows)" for name, share in mostly.items())
        parts.append(f"<p>Learned with many values shown as '(other)' (each held by too few "
                     f"people to learn): {listed}.</p>")
    if privacy.get("subject"):
        parts.append(f"<p class=muted>Privacy counts people by {_e(privacy['subject'])} "
                     f"({privacy.get('subjects', 0):,} in the rows learned from), not rows.</p>")
    return "".join(parts)


def _rare_group(rare: dict | None) -> str:
    if not rare:
        return ""
    return f"<h2>The rare group</h2><p>{_e(rare_group_sentence(rare))}</p>"


def _utility(utility: dict | None) -> str:
    css = "" if utility else " class=muted"
    return f"<p{css}>{_e(utility_sentence(utility))}</p>"


def _distributions(report, real, synthetic, specs, figures) -> str:
    scores = report["quality"].get("per_column") or {}
    # As training treated them: the person key and columns it could not learn were replaced.
    treated = (report.get("privacy") or {}).get("treatments") or {}
    learned = {s.name: s for s in specs if s.action is Action.SYNTHESIZE and s.name in scores
               and treated.get(s.name, str(Action.SYNTHESIZE)) == str(Action.SYNTHESIZE)}
    ranked = sorted(learned, key=lambda name: scores[name])
    chosen = ranked[:3] + [n for n in ranked[-3:] if n not in ranked[:3]]
    if not chosen:
        return "<p class=muted>No learned column to compare.</p>"
    plots = []
    for name in chosen:
        spec = learned[name]
        subject = (report.get("privacy") or {}).get("subject")
        subjects = real[subject] if subject in real.columns else None
        dist = column_distribution(real[name], synthetic[name], spec, subjects=subjects)
        if dist.numeric:
            labels = [f"{dist.edges[i]:.4g}" for i in range(len(dist.edges) - 1)]
            if dist.dates:
                labels = [str(pd.Timestamp(int(v)).date()) for v in dist.edges[:-1]]
        else:
            labels = list(dist.labels)
        title = f"{name} (match {scores[name]:.0%})"
        plots.append(figures.bars(title, labels, dist.real, dist.synthetic))
    return "<div class=plots>" + "".join(plots) + "</div>"


def _heatmaps(real, synthetic, specs, figures) -> str:
    names, real_m, synth_m, diff = correlation_matrices(real, synthetic, list(specs))
    if len(names) < 2:
        return "<p class=muted>Fewer than two learned number or date columns: nothing to show.</p>"
    return "<div class=plots>" + "".join(
        figures.heatmap(title, names, matrix, scale)
        for title, matrix, scale in (("Real correlations", real_m, "RdBu"),
                                     ("Synthetic correlations", synth_m, "RdBu"),
                                     ("Synthetic minus real", diff, "PuOr"))
    ) + "</div>"


def _pair_losses(pairs: list[dict]) -> str:
    if not pairs:
        return ""
    rows = "".join(
        f"<tr><td>{_e(' & '.join(p['columns']))}</td><td class=num>{p['similarity']:.0%}</td>"
        f"<td>{_e(p['change'])}</td></tr>" for p in pairs)
    return ("<h3>Pairs whose relation changed most</h3><table><tr><th>Columns</th>"
            f"<th>Alike</th><th>What changed</th></tr>{rows}</table>")


def _kept_relations(kept: list[dict]) -> str:
    if not kept:
        return ""
    rows = "".join(
        f"<tr><td>{_e(k['relation'])}</td><td class=num>{k['real']:.1%}</td>"
        f"<td class=num>{'—' if k['synthetic'] is None else format(k['synthetic'], '.1%')}"
        f"</td></tr>" for k in kept)
    return ("<h3>Relations kept</h3><p class=muted>Columns that follow from others in the "
            "real rows, and the share of the rows each rule speaks of where it holds.</p>"
            "<table><tr><th>Relation</th><th>Real rows</th><th>Synthetic rows</th></tr>"
            f"{rows}</table>")


def _treatments(report: dict) -> str:
    rows = "".join(
        f"<tr><td>{_e(c['name'])}</td><td>{_e(c['kind'])}</td><td>{_e(c['treatment'])}</td>"
        f"<td>{_e(c['reason'])}</td></tr>" for c in report["columns"]
    )
    return ("<table><tr><th>Column</th><th>Kind</th><th>Treatment</th><th>Why</th></tr>"
            f"{rows}</table>")


def _settings(report: dict) -> str:
    timing = report.get("timing", {})
    items = {
        "Generator": report["generator"], "Seed": report["seed"],
        "Epochs": report["epochs"] or "default",
        "Rows set aside": report["privacy"]["holdout_rows"],
        "Input": f"{report['input']['file']} ({report['input']['source'].get('format')})",
        "Time": f"{timing.get('total_s', 0):.1f} s in all, {timing.get('fit_s', 0):.1f} s training",
    }
    expected = (report.get("estimate") or {}).get("seconds", {})
    if "total" in expected:
        items["Time"] += (f" (expected {expected['total']:.0f} s in all, "
                          f"{expected['fit']:.0f} s training)")
    rows = "".join(f"<tr><td>{_e(k)}</td><td>{_e(v)}</td></tr>" for k, v in items.items())
    return f"<table>{rows}</table>"


def _thresholds(report: dict) -> str:
    rows = "".join(
        f"<tr><td>{_e(name.replace('_', ' '))}</td><td class=num>{_e(item['value'])}</td>"
        f"<td>{_e(item['meaning'])}</td></tr>" for name, item in report["thresholds"].items()
    )
    return f"<table>{rows}</table>"


class _FigureWriter:
    """Plotly figures as HTML fragments; the first one carries plotly's script inline."""

    def __init__(self) -> None:
        self._script_written = False

    def _html(self, figure) -> str:
        include = not self._script_written
        self._script_written = True
        return figure.to_html(full_html=False, include_plotlyjs=include,
                              config={"displayModeBar": False, "responsive": True})

    def bars(self, title, labels, real, synthetic) -> str:
        import plotly.graph_objects as go

        figure = go.Figure()
        if real is not None:
            figure.add_bar(name="Real", x=labels, y=list(real), marker_color=_REAL)
        figure.add_bar(name="Synthetic", x=labels, y=list(synthetic), marker_color=_SYNTH)
        figure.update_layout(title=title, barmode="group", height=340, margin=dict(l=40, r=10,
                             t=50, b=90), yaxis_tickformat=".0%", legend_orientation="h",
                             xaxis_nticks=8, xaxis_tickangle=-30)
        return self._html(figure)

    def heatmap(self, title, names, matrix, scale) -> str:
        import plotly.graph_objects as go

        figure = go.Figure(go.Heatmap(z=matrix, x=names, y=names, zmin=-1, zmax=1,
                                      colorscale=scale))
        figure.update_layout(title=title, height=360, margin=dict(l=80, r=10, t=50, b=80))
        return self._html(figure)
