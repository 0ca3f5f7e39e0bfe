"""Evidence for related tables: the parent-level DCR share with few parents set aside."""

import numpy as np
import pandas as pd

from synthdesk.evaluation.distance import privacy_distances
from synthdesk.evaluation.relations import parent_level_dcr, parent_records
from synthdesk.generators.related import RelatedTables


def _tables(parents: int, seed: int) -> RelatedTables:
    rng = np.random.default_rng(seed)
    size = rng.lognormal(5, 1, parents)  # cities: a few large, most small
    counts = rng.integers(5, 12, parents)
    links = np.repeat(np.arange(parents), counts)
    sales = size[links] * rng.lognormal(0, 0.2, len(links))
    return RelatedTables("cities", {"cities": pd.DataFrame(index=range(parents)),
                                    "months": pd.DataFrame({"sales": sales})},
                         {"months": links}, {"months": None})


def test_with_few_parents_set_aside_the_share_does_not_hang_on_one_cut():
    train, holdout, synthetic = _tables(37, 0), _tables(9, 1), _tables(46, 2)
    records = [parent_records(t) for t in (train, holdout, synthetic)]
    one_cut = [privacy_distances(*records, seed=s).dcr_share for s in range(10)]
    averaged = [parent_level_dcr(train, holdout, synthetic, seed=s) for s in range(10)]
    assert np.ptp(one_cut) > 0.15  # 9 of 37 training cities: the cut decides much
    assert np.ptp(averaged) < np.ptp(one_cut) / 2
    assert min(one_cut) <= np.mean(averaged) <= max(one_cut)


def test_with_many_parents_set_aside_one_cut_is_enough():
    train, holdout, synthetic = _tables(3_000, 0), _tables(1_000, 1), _tables(500, 2)
    records = [parent_records(t) for t in (train, holdout, synthetic)]
    assert parent_level_dcr(train, holdout, synthetic, seed=3) == \
        privacy_distances(*records, seed=3).dcr_share
    assert parent_level_dcr(train, None, synthetic) is None
