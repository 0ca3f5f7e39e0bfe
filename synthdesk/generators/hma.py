"""SDV's HMA (hierarchical modelling) behind SynthDesk's related-tables interface.

HMA learns each table with a Gaussian copula and each parent's children through
per-parent statistics it adds to the parent's columns. It needs key columns: they are
given row positions here (never real keys), and its keys are turned back into positions.
It does not model the order of children; they come back sorted by their order column.
Public SDV API only.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from synthdesk.errors import InvalidChoice, TrainingFailed
from synthdesk.generators.related import RelatedGenerator, RelatedTables, order_within_parents
from synthdesk.generators.sdv_adapter import seed_everything
from synthdesk.progress import NEVER, CancelToken, ProgressFn, no_progress

__all__ = ["HmaGenerator"]


class HmaGenerator(RelatedGenerator):
    """``sdv.multi_table.HMASynthesizer``.

    Args:
        seed: Seed of the fit and the default of sampling.

    Attributes:
        synthesizer_: The fitted HMA synthesizer.
        keys_: Table -> its key column in the metadata (parent: primary key; child: the
            foreign key).

    """

    def __init__(self, seed: int = 0):
        self.seed = seed

    def fit(self, tables: RelatedTables, progress: ProgressFn = no_progress,
            cancel: CancelToken = NEVER) -> HmaGenerator:
        """Fit HMA on the tables, with row positions as keys; returns self."""
        from sdv.metadata import Metadata
        from sdv.multi_table import HMASynthesizer

        cancel.raise_if_set()
        progress(0.0, "Preparing the tables for HMA")
        self.parent_ = tables.parent
        self.sequences_ = dict(tables.sequences)
        self.keys_ = _key_names(tables)
        frames, metadata = {}, {"METADATA_SPEC_VERSION": "V1", "tables": {},
                                "relationships": []}
        parent = tables.frames[tables.parent].reset_index(drop=True)
        key = self.keys_[tables.parent]
        frames[tables.parent] = parent.assign(**{key: np.arange(len(parent))})
        metadata["tables"][tables.parent] = {
            "columns": {**tables.columns_of(tables.parent), key: {"sdtype": "id"}},
            "primary_key": key}
        for name in tables.children:
            fk = self.keys_[name]
            frames[name] = tables.frames[name].reset_index(drop=True).assign(
                **{fk: np.asarray(tables.links[name])})
            metadata["tables"][name] = {"columns": {**tables.columns_of(name),
                                                    fk: {"sdtype": "id"}}}
            metadata["relationships"].append({
                "parent_table_name": tables.parent, "parent_primary_key": key,
                "child_table_name": name, "child_foreign_key": fk})
        self.columns_ = {name: list(tables.frames[name].columns) for name in tables.frames}
        seed_everything(self.seed, False)
        model = HMASynthesizer(Metadata.load_from_dict(metadata), verbose=False)
        progress(0.1, "HMA is learning every table (no progress until it ends)")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                model.fit(frames)
            except (ValueError, KeyError, TypeError, np.linalg.LinAlgError) as exc:
                raise TrainingFailed(f"HMA could not learn these tables: {exc}") from exc
        self.synthesizer_ = model
        progress(1.0, "Learned every table")
        return self

    def sample(self, parents: int, seed: int = 0, progress: ProgressFn = no_progress,
               cancel: CancelToken = NEVER, conditions=None) -> RelatedTables:
        """``parents`` parents and their children from HMA (which takes no conditions)."""
        if parents < 1:
            raise TrainingFailed("The number of parents to generate must be at least 1.")
        if conditions is not None:
            raise InvalidChoice("SDV's HMA cannot generate parents to conditions: choose the "
                                "decision trees (cart) to fix or rebalance a parent column.")
        cancel.raise_if_set()
        progress(0.0, "HMA is generating every table")
        model = self.synthesizer_
        model.reset_sampling()
        seed_everything(seed, False)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            drawn = model.sample(parents, main_table_name=self.parent_)
        parent = drawn[self.parent_].reset_index(drop=True)
        positions = pd.Index(parent[self.keys_[self.parent_]])
        frames = {self.parent_: parent[self.columns_[self.parent_]]}
        links, sequences = {}, {}
        for name, frame in drawn.items():
            if name == self.parent_:
                continue
            link = positions.get_indexer(frame[self.keys_[name]])
            frame = frame[link >= 0].reset_index(drop=True)
            link = link[link >= 0]
            sequence = self.sequences_.get(name)
            sort = order_within_parents(link, frame[sequence] if sequence else None)
            frames[name] = frame[self.columns_[name]].iloc[sort].reset_index(drop=True)
            links[name], sequences[name] = link[sort], sequence
        progress(1.0, "Generated every table")
        return RelatedTables(self.parent_, frames, links, sequences)


def _key_names(tables: RelatedTables) -> dict[str, str]:
    """Key column names from the metadata's relationships (a fresh name where none)."""
    keys = {tables.parent: "__key"}
    for relation in tables.metadata.get("relationships", []):
        if relation.get("parent_table_name") == tables.parent:
            keys[tables.parent] = relation["parent_primary_key"]
            keys[relation["child_table_name"]] = relation["child_foreign_key"]
    for name in tables.children:
        keys.setdefault(name, "__parent_key")
        if keys[name] in tables.frames[name].columns:
            keys[name] = f"__parent_key:{name}"
    if keys[tables.parent] in tables.frames[tables.parent].columns:
        keys[tables.parent] = "__key"
    return keys
