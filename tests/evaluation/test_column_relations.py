"""The relations kept and the pairs that lost most, in the scores and in both reports."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from synthdesk.core.job import Job, TrainingPlan
from synthdesk.core.pipeline import run_job
from synthdesk.evaluation.column_relations import LARGEST_PAIRS, largest_pair_losses

ROOT = Path(__file__).resolve().parents[2]
PENGUINS = ROOT.parent / "shared" / "datasets" / "palmerpenguins_penguins-raw.csv"


def test_the_pair_whose_relation_broke_comes_first():
    rng = np.random.default_rng(0)
    a = rng.normal(size=800)
    real = pd.DataFrame({"a": a, "b": 2 * a + rng.normal(0, 0.1, 800),
                         "c": rng.normal(size=800),
                         "kind": np.where(a > 0, "high", "low")})
    synthetic = real.copy()
    synthetic["b"] = rng.permutation(synthetic["b"].to_numpy())  # b no longer follows a
    sdtypes = {"a": "numerical", "b": "numerical", "c": "numerical", "kind": "categorical"}
    losses = largest_pair_losses(real, synthetic, sdtypes)
    assert losses[0].columns == ("a", "b")
    assert losses[0].real > 0.9 and abs(losses[0].synthetic) < 0.2
    assert "correlation +1.00 in the real rows" in losses[0].change
    assert [p.similarity for p in losses] == sorted(p.similarity for p in losses)
    # Pairs with no relation in the real rows (c with anything) are not scored.
    assert not [p for p in losses if "c" in p.columns]
    assert ("b", "kind") in {p.columns for p in losses}
    assert largest_pair_losses(real, real, sdtypes)[0].similarity == pytest.approx(1.0)
    assert largest_pair_losses(real[["a"]], synthetic[["a"]], {"a": "numerical"}) == ()


@pytest.mark.slow
def test_reports_list_the_relations_kept_and_the_pairs_lost_without_a_value(tmp_path):
    for suffix in ("json", "html"):
        run_job(Job(input=PENGUINS, output=tmp_path / f"out_{suffix}.csv",
                    report=tmp_path / f"report.{suffix}",
                    plan=TrainingPlan(generator="cart", holdout=0.2)), isolated=False)
    report = json.loads((tmp_path / "report.json").read_text())
    kept = report["kept_relations"]
    clutch = next(k for k in kept if k["target"] == "Clutch Completion")
    assert clutch["sources"] == ["Comments"] and clutch["real"] >= 0.99
    # Rare comments are learned as one value, so a few real rows break the rule: the
    # synthetic rows break it about as often, no more.
    assert clutch["synthetic"] >= clutch["real"] - 0.01
    assert "Clutch Completion follows from Comments" in clutch["relation"]
    losses = report["largest_pair_losses"]
    assert 0 < len(losses) <= LARGEST_PAIRS
    assert all(0 <= p["similarity"] <= 1 and p["change"] for p in losses)
    real = pd.read_csv(PENGUINS)
    words = json.dumps([kept, losses])
    values = {str(v) for c in real.select_dtypes("object") for v in real[c].dropna().unique()
              if len(str(v)) > 3 and str(v) not in real.columns}
    assert not [v for v in values if v in words]
    page = (tmp_path / "report.html").read_text()
    assert "Pairs whose relation changed most" in page and "Relations kept" in page
    assert "Clutch Completion follows from Comments" in page
