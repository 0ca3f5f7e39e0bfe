"""The verdict in words: is the synthetic table faithful, and is it safe to share.

Every threshold lives here, with the reason for it; the report prints them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from synthdesk.schema.rarity import MIN_SUBJECTS

__all__ = ["THRESHOLDS", "Verdict", "judge", "WEAK_COLUMN"]

THRESHOLDS = {
    "faithful_high_quality": (0.85, "SDMetrics quality at or above this is high: columns and "
                              "their relations look like the real ones"),
    "faithful_medium_quality": (0.70, "at or above this, the broad picture is right but some "
                                "columns or relations are off"),
    "faithful_high_discriminator": (0.75, "a classifier telling real from synthetic rows with "
                                    "an AUC above this finds an obvious difference"),
    "safe_dcr_share": (0.60, "above this share of synthetic rows closer to training rows than "
                       "to unseen real rows, the generator may have memorised people"),
    "safe_extra_copies": (0.01, "synthetic rows may copy a real row at most this much more "
                          "often than unseen real rows do"),
    "useful_ratio": (0.90, "a model trained on synthetic rows should reach at least this share "
                     "of the real-trained model's score"),
}

# A column whose shape scores below this is named in the advice.
WEAK_COLUMN = 0.6


@dataclass(frozen=True)
class Verdict:
    """Two answers and one sentence each on why, with what to try when it is not good."""

    faithful: str
    faithful_why: str
    safe: str
    safe_why: str

    def to_dict(self) -> dict:
        """Plain JSON-ready values."""
        return asdict(self)


def judge(quality: float, discriminator: float | None, leaked: int,
          dcr_share: float | None, exact_copies: float, holdout_copies: float | None,
          utility_ratio: float | None = None, *,
          per_column: dict[str, float] | None = None, neural: bool = True,
          protection=None) -> Verdict:
    """Turn the scores into the verdict.

    ``per_column`` (column -> shape score) lets the advice name the weakest columns;
    ``neural`` says whether more epochs are worth suggesting; ``protection`` (what
    privacy protection changed, ``synthdesk.privacy.Protection``) lets the safe sentence
    say what was checked and the faithful one name columns learned mostly as ``(other)``.
    """
    advice = _advice(per_column, neural)
    hidden = _hidden_columns(protection)
    high, medium = THRESHOLDS["faithful_high_quality"][0], THRESHOLDS["faithful_medium_quality"][0]
    obvious = discriminator is not None and discriminator > THRESHOLDS[
        "faithful_high_discriminator"][0]
    weak_model = utility_ratio is not None and utility_ratio < THRESHOLDS["useful_ratio"][0]
    if quality >= high and not obvious and not weak_model:
        faithful = "high"
        why = (f"Quality is {quality:.0%}: columns and the relations between them match the "
               "real table." + hidden)
    elif quality >= medium:
        faithful = "medium"
        reasons = [f"quality is {quality:.0%}"]
        if obvious:
            reasons.append(f"a classifier tells synthetic rows apart (AUC {discriminator:.2f})")
        if weak_model:
            reasons.append(f"a model trained on it reaches {utility_ratio:.0%} of the real score")
        why = "The broad picture is right but " + "; ".join(reasons) + ". " + advice + hidden
    else:
        faithful = "low"
        why = (f"Quality is {quality:.0%}: the synthetic table differs clearly from the real one. "
               f"{advice} Check the column kinds too." + hidden)

    problems = []
    if leaked:
        problems.append(f"{leaked} real values of sensitive columns are in the output")
    if dcr_share is not None and dcr_share > THRESHOLDS["safe_dcr_share"][0]:
        problems.append(f"{dcr_share:.0%} of synthetic rows sit closer to real training rows "
                        "than to unseen ones, a sign of memorising")
    baseline = holdout_copies if holdout_copies is not None else 0.0
    if exact_copies > baseline + THRESHOLDS["safe_extra_copies"][0]:
        problems.append(f"{exact_copies:.1%} of synthetic rows copy a real row "
                        f"(unseen real rows: {baseline:.1%})")
    checked = _checked(protection)
    if problems:
        safe = "review"
        safe_why = ("Review before sharing: " + "; ".join(problems) + ". Try fewer epochs, "
                    "a simpler generator, or mark identifying columns sensitive." + checked)
    elif dcr_share is None:
        safe = "yes"
        safe_why = ("No real value of a sensitive column is in the output and no row copies a "
                    "real one; the table was too small to set rows aside for a distance check."
                    + checked)
    else:
        safe = "yes"
        safe_why = (f"No real value of a sensitive column is in the output, and synthetic rows "
                    f"are no closer to the real people than unseen real rows are "
                    f"(DCR share {dcr_share:.2f}; 0.5 is ideal)." + checked)
    return Verdict(faithful, why, safe, safe_why)


def _checked(protection) -> str:
    """What the privacy checks looked at, in one or two sentences ("" when unknown)."""
    if protection is None:
        return ""
    who = (f"people (counted by {protection.subject})" if protection.subject else "rows")
    parts = [
        f"every text cell of every column was compared with the real values held by fewer "
        f"than {MIN_SUBJECTS} {who} ({protection.leak_guard_replaced:,} replaced)",
        f"{protection.rare_categories_protected:,} rare categories were hidden before learning",
        f"{protection.copies_replaced:,} rows copying a rare real row were drawn again",
    ]
    if protection.replaced_columns:
        parts.append("columns that could not be learned were replaced with made-up values ("
                     + ", ".join(protection.replaced_columns) + ")")
    return " Checked: " + "; ".join(parts) + "."


def _hidden_columns(protection) -> str:
    """Name the learned columns shown mostly as '(other)' ("" when none)."""
    mostly = getattr(protection, "mostly_other", None) or {}
    if not mostly:
        return ""
    listed = ", ".join(f"{name} ({share:.0%} of rows)" for name, share in
                       sorted(mostly.items(), key=lambda item: -item[1]))
    return (f" Values held by fewer than {MIN_SUBJECTS} people come out as '(other)' in {listed}: "
            "mark such a column sensitive, or drop it, if it is not worth learning.")


def _advice(per_column: dict[str, float] | None, neural: bool) -> str:
    """What to try when the table is not faithful enough, naming the weakest columns."""
    weakest = sorted((score, name) for name, score in (per_column or {}).items()
                     if score is not None and score < WEAK_COLUMN)[:3]
    named = ""
    if weakest:
        listed = ", ".join(f"{name} ({score:.0%})" for score, name in weakest)
        named = f"The weakest columns are {listed}: leave them out, or replace them with fakes " \
                "if they are codes or identifiers. "
    tries = "Try more epochs or another generator." if neural else "Try another generator."
    return named + tries
