"""Every score of a run with a one-line meaning, for the window and the HTML report alike.

The report's JSON holds the numbers under ``section.name`` keys (``quality.overall``,
``privacy.dcr_share``); :func:`score_lines` turns them into rows an analyst can read, and
:func:`scores_of` gathers the same numbers straight from a finished training.
"""

from __future__ import annotations

from typing import NamedTuple

from synthdesk.schema.rarity import MIN_SUBJECTS

__all__ = [
    "SCORE_EXPLANATIONS",
    "ScoreLine",
    "format_score",
    "score_lines",
    "scores_of",
    "sampling_note",
    "utility_sentence",
    "rare_group_sentence",
]

SCORE_EXPLANATIONS = {
    "quality.overall": "SDMetrics quality, 0-100%: the mean of the two scores below.",
    "quality.column_shapes": "How alike each column's distribution is in both tables, averaged.",
    "quality.column_pair_trends": "How alike the relations between pairs of columns are.",
    "quality.discriminator_auc": "How well a classifier tells real rows from synthetic ones: "
    "0.5 means it cannot, 1.0 means it always can.",
    "privacy.dcr_share": "Share of synthetic rows closer to a training row than to a row the "
    "generator never saw: about 0.5 means nothing was memorised.",
    "privacy.nndr": "Distance to the nearest real row divided by the distance to the second "
    "nearest (median): near 0 means rows sit on top of one real person.",
    "privacy.nndr_holdout": "The same ratio for real rows the generator never saw: what is "
    "normal for this table.",
    "privacy.exact_copies": "Share of synthetic rows identical to a real training row.",
    "privacy.holdout_exact_copies": "Share of unseen real rows identical to a training row: "
    "the rate that happens by chance.",
    "privacy.sensitive_values_leaked": "Cells holding a real value of a replaced or dropped "
    "column: must be 0.",
    "privacy.rare_categories_protected": f"Categories held by fewer than {MIN_SUBJECTS} people "
    "(rows, when the table has one row per person), learned as '(other)' so they cannot point "
    "at someone.",
    "privacy.copied_rows_replaced": f"Synthetic rows equal to a real row that fewer than "
    f"{MIN_SUBJECTS} people share, drawn again before writing.",
    "privacy.leak_guard_replaced": "Synthetic cells, in any column, equal to a real value "
    f"fewer than {MIN_SUBJECTS} people hold, replaced before writing.",
    "privacy.holdout_rows": "Real rows set aside and never learned, to test against.",
}

_LABELS = {
    "quality.overall": "Overall quality",
    "quality.column_pair_trends": "Column pair trends",
    "quality.discriminator_auc": "Discriminator AUC",
    "privacy.dcr_share": "DCR share",
    "privacy.nndr": "NNDR",
    "privacy.nndr_holdout": "NNDR of unseen rows",
    "privacy.holdout_exact_copies": "Exact copies among unseen rows",
}


class ScoreLine(NamedTuple):
    """One score as shown: its name, its value in words and figures, what it means."""

    key: str
    label: str
    value: str
    meaning: str


def format_score(key: str, value) -> str:
    """Show a score the way its kind reads best: percentages, ratios or counts."""
    if value is None:
        return "n/a"
    if key.startswith("quality.") and key != "quality.discriminator_auc":
        return f"{value:.1%}"
    if key in ("privacy.exact_copies", "privacy.holdout_exact_copies"):
        return f"{value:.2%}"
    if isinstance(value, float):
        return f"{value:.3f}"
    return f"{value:,}"


def score_lines(scores: dict) -> list[ScoreLine]:
    """The scores of ``scores`` (``section.name`` -> number) in the order they are explained."""
    lines = []
    for key, meaning in SCORE_EXPLANATIONS.items():
        label = key.split(".", 1)[1].replace("_", " ")
        label = _LABELS.get(key, label[0].upper() + label[1:])
        lines.append(ScoreLine(key, label, format_score(key, scores.get(key)), meaning))
    return lines


def scores_of(training) -> dict:
    """The ``section.name`` scores of a finished training (``TrainingResult``)."""
    quality, evidence = training.quality, training.evidence
    distances = evidence.distances if evidence else None
    return {
        "quality.overall": quality.overall,
        "quality.column_shapes": quality.column_shapes,
        "quality.column_pair_trends": quality.column_pair_trends,
        "quality.discriminator_auc": evidence.discriminator_auc if evidence else None,
        "privacy.dcr_share": distances.dcr_share if distances else None,
        "privacy.nndr": distances.nndr_synthetic if distances else None,
        "privacy.nndr_holdout": distances.nndr_holdout if distances else None,
        "privacy.exact_copies": training.exact_copies,
        "privacy.holdout_exact_copies": distances.holdout_copies if distances else None,
        "privacy.sensitive_values_leaked": training.sensitive_values_leaked,
        "privacy.rare_categories_protected": training.protection.rare_categories_protected,
        "privacy.copied_rows_replaced": training.protection.copies_replaced,
        "privacy.leak_guard_replaced": training.protection.leak_guard_replaced,
        "privacy.holdout_rows": evidence.holdout_rows if evidence else 0,
    }


def sampling_note(real_rows: int, synthetic_rows: int, scored_rows: int | None = None,
                  read_rows: int | None = None, file_rows: int | None = None) -> str:
    """Say what was sampled: the file's rows, the scores' rows ("" when nothing was).

    ``scored_rows``: the synthetic rows held and scored, when the output had more (they
    were generated and written in chunks). ``read_rows`` of ``file_rows``: the rows read
    from a file too large to read whole, a random sample the generator trained on.
    """
    read = ""
    if file_rows is not None and read_rows is not None and file_rows > read_rows:
        read = (f"Trained on a sample of {read_rows:,} of {file_rows:,} rows: the file is too "
                "large to read whole in the memory reading may take. ")
    return (read + _scores_note(real_rows, synthetic_rows, scored_rows)).strip()


def _scores_note(real_rows: int, synthetic_rows: int, scored_rows: int | None) -> str:
    from synthdesk.evaluation.discriminator import MAX_ROWS as DISCRIMINATOR_ROWS
    from synthdesk.evaluation.evidence import DISTANCE_ROWS
    from synthdesk.evaluation.quality import MAX_ROWS_COMPARED

    chunked = ""
    if scored_rows is not None and synthetic_rows > scored_rows:
        chunked = (f" The {synthetic_rows:,} synthetic rows were generated and written in "
                   f"chunks of {scored_rows:,}, each checked for copies and real values; the "
                   f"scores are of the first chunk.")
        synthetic_rows = scored_rows
    largest = max(real_rows, synthetic_rows)
    parts = [f"{what} on {rows:,} random rows of each table"
             for what, rows in (("quality", MAX_ROWS_COMPARED), ("distances", DISTANCE_ROWS),
                                ("the discriminator", DISCRIMINATOR_ROWS)) if largest > rows]
    if not parts:
        return chunked.strip()
    return ("Scored on samples, so that scoring takes seconds: " + "; ".join(parts) + "."
            + chunked)


def utility_sentence(utility: dict | None) -> str:
    """The usefulness result in one sentence, or how to get one."""
    if not utility:
        return ("Usefulness was not measured: name a column to predict (and keep real rows "
                "aside) to compare a model trained on synthetic rows with one trained on "
                "real rows.")
    metric = "AUC" if utility["metric"] == "auc" else "R²"
    ratio = "n/a" if utility["ratio"] is None else f"{utility['ratio']:.0%}"
    return (f"Predicting {utility['target']} on real rows never learned: a model trained on "
            f"real rows scores {metric} {utility['real']:.3f}, one trained on synthetic rows "
            f"{utility['synthetic']:.3f}, that is {ratio} of it.")


def rare_group_sentence(rare: dict | None) -> str:
    """What rebalancing did for the rare group, in plain words ("" without a rebalance)."""
    if not rare:
        return ""
    ap = rare.get("average_precision") or {}

    def shown(value):
        return "n/a" if value is None else f"{value:.3f}"

    parts = [
        f"{rare['column']} = {rare['value']}: {rare['real_share']:.1%} of the real rows, "
        f"{rare['synthetic_share']:.1%} of the synthetic ones.",
        rare.get("sentence", ""),
    ]
    if any(value is not None for value in ap.values()):
        parts.append(f"Average precision on real rows set aside: real rows "
                     f"{shown(ap.get('real'))}, with the synthetic rows "
                     f"{shown(ap.get('augmented'))}, with SMOTE {shown(ap.get('smote'))}.")
    if rare.get("dcr_share") is not None:
        parts.append(f"The group's own DCR share: {rare['dcr_share']:.2f} (0.5 is ideal); "
                     f"copies of its real rows: {rare['exact_copies']:.1%}.")
    if rare.get("warning"):
        parts.append(rare["warning"])
    return " ".join(p for p in parts if p)
