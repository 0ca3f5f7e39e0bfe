"""Each measure on constructed cases where the right answer is known."""

import numpy as np
import pandas as pd
import pytest

from synthdesk.evaluation.discriminator import discriminator_auc
from synthdesk.evaluation.evidence import gather_evidence
from synthdesk.evaluation.quality import evaluate_quality
from synthdesk.evaluation.utility import utility_scores
from synthdesk.evaluation.verdict import judge
from synthdesk.schema import profile_columns, to_sdv_metadata


def population(rows: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.normal(50, 10, rows)
    return pd.DataFrame({
        "x": x.round(3),
        "y": (2 * x + rng.normal(0, 3, rows)).round(3),
        "group": np.where(x + rng.normal(0, 4, rows) > 50, "high", "low"),
        "colour": rng.choice(["red", "green", "blue"], rows),
    })


@pytest.fixture(scope="module")
def tables():
    train, holdout, unseen = population(1500, 1), population(500, 2), population(1500, 3)
    return train, holdout, unseen


def test_a_copy_of_the_training_rows_is_caught(tables):
    # DCR compares equal numbers of training and holdout rows: with a training set the
    # holdout's size, every copied row meets its original.
    _, holdout, _ = tables
    train = population(500, 4)
    evidence = gather_evidence(train, holdout, train.copy(), quality=0.99, leaked=0,
                               exact_copies=1.0)
    assert evidence.distances.dcr_share > 0.9
    assert evidence.distances.exact_copies == 1.0
    assert evidence.verdict.safe == "review"
    assert "copy a real row" in evidence.verdict.safe_why


def test_unseen_rows_of_the_same_population_score_near_ideal(tables):
    train, holdout, unseen = tables
    evidence = gather_evidence(train, holdout, unseen, quality=0.95, leaked=0, exact_copies=0.0,
                               target="group")
    assert 0.4 <= evidence.distances.dcr_share <= 0.6
    assert 0.4 <= evidence.discriminator_auc <= 0.6
    assert evidence.utility.metric == "auc" and evidence.utility.positive_class is not None
    assert 0.9 <= evidence.utility.ratio <= 1.1
    assert evidence.verdict.safe == "yes" and evidence.verdict.faithful == "high"


def test_shuffled_columns_lose_their_relations(tables):
    train, _, unseen = tables
    rng = np.random.default_rng(0)
    shuffled = unseen.apply(lambda column: rng.permutation(column.to_numpy()))
    metadata = to_sdv_metadata(profile_columns(train))
    faithful = evaluate_quality(train, unseen, metadata)
    broken = evaluate_quality(train, shuffled, metadata)
    assert broken.column_shapes > 0.9  # each column alone still looks right
    assert broken.column_pair_trends < faithful.column_pair_trends - 0.1
    assert discriminator_auc(train, shuffled) > 0.75


def test_usefulness_of_a_number_is_r2(tables):
    train, holdout, unseen = tables
    scores = utility_scores(train, holdout, unseen, "y", numeric=True)
    assert scores.metric == "r2" and scores.real > 0.8
    assert scores.ratio == pytest.approx(1.0, abs=0.1)
    noise = unseen.assign(y=np.random.default_rng(1).permutation(unseen["y"].to_numpy()))
    assert utility_scores(train, holdout, noise, "y", numeric=True).synthetic < 0.2


def test_verdict_names_the_problems():
    verdict = judge(0.6, 0.95, leaked=3, dcr_share=0.8, exact_copies=0.2, holdout_copies=0.0)
    assert verdict.faithful == "low" and verdict.safe == "review"
    assert "3 real values" in verdict.safe_why and "memorising" in verdict.safe_why
    verdict = judge(0.8, 0.9, leaked=0, dcr_share=0.5, exact_copies=0.0, holdout_copies=0.0,
                    utility_ratio=0.5)
    assert verdict.faithful == "medium" and "AUC 0.90" in verdict.faithful_why
    assert "50% of the real score" in verdict.faithful_why


def test_verdict_advice_names_the_weakest_columns_and_fits_the_generator():
    scores = {"Individual ID": 0.0, "Comments": 0.23, "Species": 0.97}
    trees = judge(0.7, 1.0, leaked=0, dcr_share=0.5, exact_copies=0.0, holdout_copies=0.0,
                  per_column=scores, neural=False)
    assert "Individual ID (0%), Comments (23%)" in trees.faithful_why
    assert "Species" not in trees.faithful_why and "epochs" not in trees.faithful_why
    network = judge(0.5, 0.9, leaked=0, dcr_share=0.5, exact_copies=0.0, holdout_copies=0.0,
                    per_column=scores, neural=True)
    assert network.faithful == "low" and "more epochs" in network.faithful_why


def _lending_scores():
    """Every score of one fixed case on the shared Lending Club table (train, holdout and
    a stand-in for synthetic rows: other real rows with every third column shuffled)."""
    from pathlib import Path

    from synthdesk.core.frames import training_frame
    from synthdesk.core.pipeline import load_table
    from synthdesk.schema.metadata import to_sdv_metadata

    shared = Path(__file__).resolve().parents[3] / "shared" / "datasets"
    table, specs = load_table(shared / "modeldata_lending_club.csv")
    frame = training_frame(table.data, specs)
    train, holdout = frame.iloc[:2000], frame.iloc[2000:2600]
    synthetic = frame.iloc[3000:5000].sample(frac=1, random_state=1).reset_index(drop=True)
    for name in list(synthetic.columns)[::3]:
        synthetic[name] = synthetic[name].sample(frac=1, random_state=2).to_numpy()
    quality = evaluate_quality(train, synthetic, to_sdv_metadata(specs), seed=3)
    evidence = gather_evidence(train, holdout, synthetic, quality=quality.overall, leaked=0,
                               exact_copies=0.0, target="Class", seed=3)
    d = evidence.distances
    return {"overall": quality.overall, "shapes": quality.column_shapes,
            "pairs": quality.column_pair_trends, "auc": evidence.discriminator_auc,
            "dcr": d.dcr_share, "nndr": d.nndr_synthetic, "nndr_holdout": d.nndr_holdout,
            "exact": d.exact_copies, "holdout_exact": d.holdout_copies,
            "utility_real": evidence.utility.real, "utility_synthetic": evidence.utility.synthetic}


@pytest.mark.slow
def test_scores_on_a_shared_table_are_those_before_scoring_was_made_faster(monkeypatch):
    # Pinned to two decimals from SynthDesk 12c6fde, which scored with SDMetrics' own column
    # shapes, scipy's Cramer's V, four passes of distances and one metric at a time.
    pinned = {"overall": 0.9, "shapes": 0.98, "pairs": 0.83, "auc": 0.98, "dcr": 0.51,
              "nndr": 0.94, "nndr_holdout": 0.93, "exact": 0.0, "holdout_exact": 0.0,
              "utility_real": 0.66, "utility_synthetic": 0.66}
    monkeypatch.setenv("OMP_NUM_THREADS", "2")  # the models beside the distances
    side_by_side = _lending_scores()
    assert {k: round(v, 2) for k, v in side_by_side.items()} == pinned
    monkeypatch.setenv("OMP_NUM_THREADS", "1")  # one core: one metric after the other
    assert _lending_scores() == side_by_side
