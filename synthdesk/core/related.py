"""Related tables: a parent table (customers) and its children (invoices), one job.

The phases are those of :mod:`synthdesk.core.pipeline`, for several tables:

``read`` each table -> ``understand``: find each child's key (:mod:`synthdesk.schema.keys`),
the order of a parent's children, and make the dataset -> ``protect``: orphans kept or
dropped, parents set aside with all their children, rare values hidden counting parents
(a parent with 7 children is one person) -> ``fit`` and ``sample`` (decision trees, or
SDV's HMA) -> ``check``: fresh keys, fakes (consistent across a parent's children) and
the leak check on every table -> ``score`` -> ``write`` one CSV per table in a folder, or
one workbook with a sheet per table, all or nothing.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from synthdesk.core.dataset import Dataset, DataTable, Relation
from synthdesk.core.estimate import JobEstimate, estimate_related
from synthdesk.core.frames import output_frame, training_frame
from synthdesk.core.job import HOLDOUT_MIN_PARENTS, Job, TrainingPlan
from synthdesk.core.progress import NEVER, CancelToken, ProgressFn, no_progress, scaled
from synthdesk.errors import InvalidChoice, PrivacyCheckFailed
from synthdesk.evaluation.quality import QualityScores, evaluate_quality
from synthdesk.evaluation.relations import parent_level_dcr, parent_utility, relation_evidence
from synthdesk.generators.conditions import row_conditions
from synthdesk.generators.related import RelatedGenerator, RelatedTables
from synthdesk.privacy.fakes import fresh_identifiers, normalise
from synthdesk.privacy.leaks import find_leaks, guard_rare_values, leak_message, rare_text_values
from synthdesk.privacy.linked import link_fakes
from synthdesk.privacy.protection import Protection, protect_training_rows, replace_unlearnable
from synthdesk.privacy.subjects import split_by_subject
from synthdesk.privacy.treatments import apply_treatments
from synthdesk.schema.columns import Action, ColumnSpec, Kind
from synthdesk.schema.keys import KeyMatch, find_relation, key_text, order_column

__all__ = [
    "ChildSource", "RelatedJob", "RelatedUnderstood", "RelatedProtected", "RelatedResult",
    "SyntheticTable", "RELATED_GENERATORS", "RELATED_LABELS", "KEY_REASON",
    "parse_table_ref", "parse_child", "read_related", "understand_related", "relate", "as_key",
    "relate_tables", "table_leak_message", "leak_table",
    "protect_related", "make_related_generator", "run_related_training",
    "train_related", "related_estimate", "write_related", "run_related_job", "output_paths",
]

# The generators offered for related tables; "auto" is the first.
RELATED_GENERATORS = {"cart": "decision trees, each child drawn given its parent and the "
                              "child before it",
                      "hma": "SDV's HMA, hierarchical Gaussian copulas"}
KEY_REASON = "the key linking the tables: new keys, each child pointing at its new parent"
# Their plain names, as the window's Method page shows them ("auto": Choose for me).
RELATED_LABELS = {"cart": "Decision trees (recommended for related tables)",
                  "hma": "Hierarchical copulas (SDV's HMA)"}


# --- the user's choices -------------------------------------------------------------------


@dataclass(frozen=True)
class ChildSource:
    """A child table of a job: where it is and how it points at the parent.

    Attributes:
        input: Its file (the parent's own workbook for another sheet of it).
        sheet: Its sheet, for workbooks.
        key: Its column naming the parent; detected when None.
        parent_key: The parent's column it names; the same name, or detected, when None.
        order: The column that orders a parent's children (a date); detected when None,
            ``""`` for none.

    """

    input: Path
    sheet: str | None = None
    key: str | None = None
    parent_key: str | None = None
    order: str | None = None


@dataclass(frozen=True)
class RelatedJob:
    """A job on a parent table and its children.

    Attributes:
        parent: The parent's file, sheet, reader options, column overrides, training
            plan (``plan.rows`` is the number of parents), report, and the output: a
            folder (one CSV per table) or an ``.xlsx`` file (a sheet per table).
        children: The child tables.
        keep_orphans: Keep child rows that point at no parent (as children of no
            synthetic parent); they are left out by default, and the report says so.

    """

    parent: Job
    children: tuple[ChildSource, ...]
    keep_orphans: bool = False


def parse_table_ref(text: str) -> tuple[Path, str | None]:
    """``FILE`` or ``FILE#SHEET`` (another sheet of a workbook) -> path and sheet."""
    if "#" in text and not Path(text).exists():
        path, sheet = text.rsplit("#", 1)
        if path and sheet:
            return Path(path), sheet
    return Path(text), None


def parse_child(text: str) -> ChildSource:
    r"""``FILE[#SHEET][:KEY]`` -> a :class:`ChildSource` (``KEY``: the child's key column).

    A colon in a path (a Windows drive, ``C:\\data``) is not taken for a key.
    """
    key = None
    if ":" in text and not Path(text).exists():
        head, tail = text.rsplit(":", 1)
        if tail and not any(c in tail for c in "/\\") and len(head) > 1:
            text, key = head, tail.strip()
    path, sheet = parse_table_ref(text)
    return ChildSource(path, sheet, key or None)


# --- results -----------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class RelatedUnderstood:
    """The dataset of a related job: its tables, relations, keys found and orders."""

    tables: tuple[DataTable, ...]
    relations: tuple[Relation, ...]
    matches: tuple[KeyMatch, ...]
    orders: tuple[str | None, ...]
    seconds: float = 0.0

    @property
    def dataset(self) -> Dataset:
        """The tables and relations as one :class:`Dataset`."""
        return Dataset({t.name: t for t in self.tables}, self.relations)

    @property
    def parent(self) -> DataTable:
        """The parent table."""
        return self.tables[0]

    @property
    def children(self) -> tuple[DataTable, ...]:
        """The child tables, in the job's order."""
        return self.tables[1:]


@dataclass(frozen=True, eq=False)
class RelatedProtected:
    """Real rows set aside and learned, per table, linked by row positions.

    Attributes:
        train: The training parents and children, rare values hidden (what is learned).
        real: The same rows before hiding (what scores compare with).
        holdout: The parents set aside, with their children; never learned.
        specs: Table -> its columns as learned (keys replaced, unlearnable columns faked).
        protection: Table -> what was hidden (counts only).
        orphans: Child -> its rows that point at no parent (dropped or kept).
        orphan_rows: Child -> those rows' learned columns (kept orphans only).

    """

    train: RelatedTables
    real: RelatedTables
    holdout: RelatedTables | None
    specs: dict[str, tuple[ColumnSpec, ...]]
    protection: dict[str, Protection]
    orphans: dict[str, int]
    orphan_rows: dict[str, pd.DataFrame] = field(default_factory=dict)
    seconds: float = 0.0


@dataclass(frozen=True, eq=False)
class SyntheticTable:
    """One synthetic table as written: its name, rows and columns."""

    name: str
    data: pd.DataFrame
    columns: tuple[ColumnSpec, ...]


@dataclass(frozen=True, eq=False)
class RelatedResult:
    """What a related job's training produced, and every score of it (no real value).

    Attributes:
        tables: The synthetic tables, the parent's first.
        quality: Table -> its quality scores (None for a table with nothing learned).
        relations: Per child, the relation's evidence (see ``evaluation.relations``).
        parent_dcr_share: DCR share with each parent and its children as one record.
        protection: Table -> what was hidden or replaced (counts only).
        linked_fakes: Child -> column -> how its fakes follow the parent.
        orphans: Child -> real rows pointing at no parent; ``keep_orphans`` says whether
            they were kept.
        generator: The generator used.
        timing: Seconds per phase.
        holdout_parents: Real parents set aside (with their children).
        utility: With a target: a model trained on synthetic parents (with their
            children's figures) beside one trained on real ones, both tested on the
            holdout parents (``UtilityScores.to_dict()``).

    """

    tables: tuple[SyntheticTable, ...]
    quality: dict
    relations: list
    parent_dcr_share: float | None
    protection: dict
    linked_fakes: dict
    orphans: dict
    keep_orphans: bool
    generator: str
    timing: dict
    holdout_parents: int = 0
    utility: dict | None = None

    def table(self, name: str) -> SyntheticTable:
        """The synthetic table called ``name``."""
        return next(t for t in self.tables if t.name == name)


# --- reading and understanding --------------------------------------------------------


def read_related(job: RelatedJob, progress: ProgressFn = no_progress,
                 cancel: CancelToken = NEVER) -> list:
    """Read the parent and each child table (``synthdesk.core.pipeline.read`` on each)."""
    from synthdesk.core.pipeline import read

    sources = [(job.parent.input, job.parent.sheet),
               *((c.input, c.sheet) for c in job.children)]
    out = []
    for i, (path, sheet) in enumerate(sources):
        out.append(read(path, sheet, job.parent.read,
                        scaled(progress, i / len(sources), (i + 1) / len(sources)), cancel))
    return out


def relate(parent: pd.DataFrame, parent_specs: Sequence[ColumnSpec], child: pd.DataFrame,
           child_specs: Sequence[ColumnSpec], source: ChildSource, *, parent_name: str,
           child_name: str) -> tuple[KeyMatch, str | None]:
    """Find (or check) the child's key, and the column that orders a parent's children."""
    match = find_relation(parent, child, source.key, source.parent_key,
                          parent_name=parent_name, child_name=child_name)
    if source.order == "":
        return match, None
    if source.order is not None:
        if source.order not in child.columns:
            raise InvalidChoice(f"{child_name} has no column named {source.order!r} to put "
                                "a parent's children in order.")
        return match, source.order
    return match, order_column(child, child_specs, match.child_key)


def understand_related(reads: Sequence, job: RelatedJob, progress: ProgressFn = no_progress,
                       cancel: CancelToken = NEVER) -> RelatedUnderstood:
    """Apply the user's column choices to each table, find the keys, make the dataset.

    Overrides apply to every table holding the column they name (one at least).

    Raises:
        InvalidChoice: An override names a column no table has; a key is missing, repeats
            in the parent or matches nothing.

    """
    from synthdesk.core.pipeline import table_name

    started = time.perf_counter()
    cancel.raise_if_set()
    overrides = job.parent.overrides
    tables = []
    for loaded in reads:
        specs = _overridden(list(loaded.detected), overrides, loaded.table.data)
        tables.append((table_name(loaded.table), loaded.table.data, specs))
    _check_overrides(overrides, [t[1] for t in tables])
    understood = relate_tables(tables, job.children)
    progress(1.0, "Tables related")
    return dataclasses.replace(understood, seconds=time.perf_counter() - started)


def relate_tables(tables: Sequence[tuple[str, pd.DataFrame, Sequence[ColumnSpec]]],
                  children: Sequence[ChildSource]) -> RelatedUnderstood:
    """Relate tables already read: ``(name, data, columns)``, the parent's first.

    Raises:
        InvalidChoice: A key is missing, repeats in the parent or matches nothing.

    """
    names: list[str] = []
    unique = []
    for name, data, specs in tables:
        while name in names:
            name += "_2"
        names.append(name)
        unique.append((name, data, list(specs)))
    parent_name, parent_data, parent_specs = unique[0]
    matches, orders, relations = [], [], []
    keys = set()
    out_tables = []
    for (name, data, specs), source in zip(unique[1:], children, strict=True):
        match, order = relate(parent_data, parent_specs, data, specs, source,
                              parent_name=parent_name, child_name=name)
        matches.append(match)
        orders.append(order)
        keys.add(match.parent_key)
        relations.append(Relation(parent_name, match.parent_key, name, match.child_key))
        out_tables.append(DataTable(name, data, tuple(as_key(specs, match.child_key)),
                                    match.child_key))
    for key in keys:
        parent_specs = as_key(parent_specs, key)
    out_tables.insert(0, DataTable(parent_name, parent_data, tuple(parent_specs)))
    return RelatedUnderstood(tuple(out_tables), tuple(relations), tuple(matches),
                             tuple(orders))


def _overridden(specs, overrides, data):
    from synthdesk.schema.overrides import ColumnOverrides, apply_overrides

    here = set(data.columns)
    mine = ColumnOverrides(
        sensitive=tuple(n for n in overrides.sensitive if n in here),
        not_sensitive=tuple(n for n in overrides.not_sensitive if n in here),
        treatments=tuple(t for t in overrides.treatments if t[0] in here),
        kinds=tuple(k for k in overrides.kinds if k[0] in here),
    )
    return apply_overrides(specs, mine, data)


def _check_overrides(overrides, frames) -> None:
    named = [*overrides.sensitive, *overrides.not_sensitive,
             *(n for n, _ in overrides.treatments), *(n for n, _ in overrides.kinds)]
    for name in named:
        if not any(name in frame.columns for frame in frames):
            raise InvalidChoice(f"No table has a column named {name!r}.")


def as_key(specs: Sequence[ColumnSpec], key: str) -> list[ColumnSpec]:
    """The key column is never learned: it gets new keys (and the child its parent's)."""
    return [s.with_changes(kind=Kind.IDENTIFIER, action=Action.FAKE, pii_type=None,
                           reason=KEY_REASON) if s.name == key else s for s in specs]


# --- protect, fit, sample, check, score -----------------------------------------------


def protect_related(understood: RelatedUnderstood, plan: TrainingPlan,
                    keep_orphans: bool = False, progress: ProgressFn = no_progress,
                    cancel: CancelToken = NEVER) -> RelatedProtected:
    """Set parents aside with their children; hide what fewer than k parents hold.

    Raises:
        InvalidChoice: Nothing to learn, or the plan cannot be used.

    """
    started = time.perf_counter()
    parent = understood.parent
    progress(0.0, "Checking the tables")
    if len(parent.data) < 2:
        raise InvalidChoice("The parent table needs at least two rows to learn from.")
    if plan.rows is not None and plan.rows < 1:
        raise InvalidChoice("The number of parents to generate must be at least 1.")
    pkeys = {r.child: r.parent_key for r in understood.relations}
    share = plan.holdout_share(len(parent.data), HOLDOUT_MIN_PARENTS)
    _check_plan(plan, parent, share)
    train_p, hold_p = split_by_subject(parent.data, share, plan.seed, None)
    specs: dict[str, tuple[ColumnSpec, ...]] = {}
    protection: dict[str, Protection] = {}
    frames_train, frames_real, frames_hold = {}, {}, {}
    links_train, links_hold, orders = {}, {}, {}
    orphans, orphan_rows = {}, {}
    learn_p, real_p, hold_pf, specs_p, prot_p = _protect_one(train_p, hold_p, parent.columns,
                                                             None)
    specs[parent.name], protection[parent.name] = specs_p, prot_p
    frames_train[parent.name], frames_real[parent.name] = learn_p, real_p
    frames_hold[parent.name] = hold_pf
    for child, order in zip(understood.children, understood.orders, strict=True):
        cancel.raise_if_set()
        ckey, pkey = child.subject, pkeys[child.name]
        child_keys = key_text(child.data[ckey])
        in_train = _positions(train_p[pkey], child_keys)
        in_hold = _positions(hold_p[pkey], child_keys)
        orphan = (in_train < 0) & (in_hold < 0)
        orphans[child.name] = int(orphan.sum())
        train_rows = child.data[in_train >= 0]
        hold_rows = child.data[in_hold >= 0]
        learn_c, real_c, hold_c, specs_c, prot_c = _protect_one(
            train_rows, hold_rows, child.columns, train_rows[ckey])
        if keep_orphans and orphan.any():
            orphan_rows[child.name] = training_frame(child.data[orphan], specs_c)
        specs[child.name], protection[child.name] = specs_c, prot_c
        frames_train[child.name], frames_real[child.name] = learn_c, real_c
        frames_hold[child.name] = hold_c
        links_train[child.name] = in_train[in_train >= 0]
        links_hold[child.name] = in_hold[in_hold >= 0]
        orders[child.name] = order if order in learn_c.columns else None
    if not any(len(f.columns) for f in frames_train.values()):
        raise InvalidChoice("Every column is a key, dropped or empty: there is nothing to "
                            "learn.")
    dataset = Dataset({t.name: DataTable(t.name, t.data, specs[t.name], t.subject)
                       for t in understood.tables}, understood.relations)
    metadata = dataset.to_sdv_metadata()
    train = RelatedTables(parent.name, frames_train, links_train, orders, metadata)
    real = RelatedTables(parent.name, frames_real, links_train, orders, metadata)
    holdout = RelatedTables(parent.name, frames_hold, links_hold, orders, metadata) \
        if len(hold_p) else None
    if plan.conditions or plan.rebalance is not None:  # before fitting, as for one table
        row_conditions(plan.conditions, plan.rebalance, learn_p, 1, plan.seed)
    if plan.target is not None and plan.target not in learn_p.columns:
        raise InvalidChoice(f"{plan.target!r} cannot be the target: choose a learned column "
                            f"of {parent.name} (not a key, replaced, dropped or empty).")
    progress(1.0, "Protected the rare values")
    return RelatedProtected(train, real, holdout, specs, protection, orphans, orphan_rows,
                            time.perf_counter() - started)


def _check_plan(plan: TrainingPlan, parent: DataTable, share: float) -> None:
    """What works on the parent table of related tables, and what is refused and why.

    ``--condition``, ``--rebalance`` and ``--target`` work on the parent's columns (its
    children are drawn given each parent, so they follow it); ``--augment`` is refused: it
    writes real rows, and real parents would come out with their real keys and children.
    """
    if plan.augment:
        raise InvalidChoice("Adding synthetic rows to the real rows (--augment) is not "
                            "offered for related tables: the real parents would be written "
                            "with their real keys and children. Rebalance the parent table "
                            "instead (its children follow their parents).")
    if plan.holdout is not None and not 0 <= plan.holdout <= 0.5:
        raise InvalidChoice("The share of parents set aside must be between 0 and 0.5.")
    if plan.target is not None and share <= 0:
        raise InvalidChoice(f"A target needs parents set aside to test on: {parent.name} has "
                            f"fewer than {HOLDOUT_MIN_PARENTS:,} rows, so set a share of "
                            "parents to set aside.")
    names = set(parent.data.columns)
    for column in (*plan.conditioned_columns(), *([plan.target] if plan.target else [])):
        if column not in names:
            raise InvalidChoice(f"{parent.name} has no column named {column!r}: conditions, "
                                "rebalancing and the target apply to the parent table, and "
                                "its children follow their parents.")


def _positions(parent_keys: pd.Series, child_keys: pd.Series) -> np.ndarray:
    """For each child key, the row position of its parent among ``parent_keys`` (-1: none)."""
    index = pd.Index(key_text(parent_keys).reset_index(drop=True))
    return index.get_indexer(child_keys.fillna("\x00<none>"))


def _protect_one(train_rows: pd.DataFrame, hold_rows: pd.DataFrame,
                 columns: Sequence[ColumnSpec], subjects: pd.Series | None):
    specs = list(columns)
    learn, protection = protect_training_rows(training_frame(train_rows, specs), specs,
                                              subjects=subjects)
    specs = replace_unlearnable(specs, protection)
    real = training_frame(train_rows, specs)
    hold = training_frame(hold_rows, specs)
    learn = learn[real.columns]
    return (learn.reset_index(drop=True), real.reset_index(drop=True),
            hold.reset_index(drop=True), tuple(specs), protection)


def make_related_generator(name: str, seed: int, plan: TrainingPlan | None = None
                           ) -> tuple[str, RelatedGenerator]:
    """The related-tables generator called ``name`` (``auto``: decision trees).

    With a ``plan`` that fixes or rebalances parent columns, the decision trees learn
    those columns first; HMA is refused, as it cannot generate to conditions.

    Raises:
        InvalidChoice: ``name`` is not one of :data:`RELATED_GENERATORS`, or cannot honour
            the plan's conditions.

    """
    conditioned = plan is not None and (plan.conditions or plan.rebalance is not None)
    if name in ("auto", "cart"):
        from synthdesk.generators.related import RelatedCartGenerator

        if not conditioned:
            return "cart", RelatedCartGenerator(seed=seed)
        return "cart", RelatedCartGenerator(
            seed=seed, first_columns=plan.conditioned_columns(),
            strata_column=plan.rebalance.column if plan.rebalance else None)
    if name == "hma":
        if conditioned:
            raise InvalidChoice("SDV's HMA cannot generate parents to conditions or "
                                "rebalance them: choose the decision trees (cart), whose "
                                "children follow their parents.")
        from synthdesk.generators.hma import HmaGenerator

        return "hma", HmaGenerator(seed=seed)
    from synthdesk.generators.registry import label_of

    raise InvalidChoice(f"{label_of(name)} cannot learn related tables: choose Choose for me "
                        f"or {label_of('cart')} (cart: {RELATED_GENERATORS['cart']}), or "
                        f"hma ({RELATED_GENERATORS['hma']}) on the command line.")


def run_related_training(understood: RelatedUnderstood, plan: TrainingPlan,
                         keep_orphans: bool = False, progress: ProgressFn = no_progress,
                         cancel: CancelToken = NEVER) -> RelatedResult:
    """Protect, fit, sample, check and score the related tables (in this process).

    Progress: each phase has the share of the bar the job's estimate gives it
    (:func:`related_estimate`), as in :func:`synthdesk.core.pipeline.run_training`.

    Raises:
        InvalidChoice: The plan or the tables cannot be used.
        TrainingFailed: A generator could not learn or generate.
        PrivacyCheckFailed: A real value of a protected column came through.
        Cancelled: ``cancel`` was set.

    """
    timing = {}
    bar = related_estimate(understood, plan).bar()
    progress(0.0, "Starting")
    protected = protect_related(understood, plan, keep_orphans,
                                bar.scaled(progress, "protect"), cancel)
    timing["protect_s"] = protected.seconds
    started = time.perf_counter()
    generator_name, generator = make_related_generator(plan.generator, plan.seed, plan)
    generator.fit(protected.train, bar.scaled(progress, "fit"), cancel)
    orphan_models = _fit_orphans(protected, plan, cancel)
    timing["fit_s"] = time.perf_counter() - started
    started = time.perf_counter()
    parents = plan.rows or len(understood.parent.data)
    conditions = row_conditions(plan.conditions, plan.rebalance,
                                protected.train.frames[understood.parent.name], parents,
                                plan.seed)
    synthetic = generator.sample(parents, plan.seed, bar.scaled(progress, "sample"), cancel,
                                 conditions=conditions)
    timing["sample_s"] = time.perf_counter() - started
    started = time.perf_counter()
    checking, scoring = bar.scaled(progress, "check"), bar.scaled(progress, "score")
    checking(0.0, "Replacing keys and sensitive columns")
    tables, linked, valid = _check(understood, protected, synthetic, orphan_models, plan,
                                   cancel)
    timing["check_s"] = time.perf_counter() - started
    started = time.perf_counter()
    quality, relations = {}, []
    names = [t.name for t in understood.tables]
    for i, name in enumerate(names):
        cancel.raise_if_set()
        real, synth = protected.real.frames[name], synthetic.frames[name]
        quality[name] = _quality(real, synth, protected.train.metadata, name, plan.seed,
                                 scaled(scoring, 0.5 * i / len(names),
                                        0.5 * (i + 1) / len(names)), cancel)
    for child in understood.children:
        relations.append(relation_evidence(protected.real, protected.holdout, synthetic,
                                           child.name, valid[child.name]))
    scoring(0.7, "Measuring distances between parents")
    dcr = parent_level_dcr(protected.real, protected.holdout, synthetic, seed=plan.seed)
    utility = None
    if plan.target is not None and protected.holdout is not None:
        cancel.raise_if_set()
        scoring(0.9, f"Checking whether synthetic parents teach a model {plan.target}")
        spec = next(s for s in protected.specs[understood.parent.name]
                    if s.name == plan.target)
        utility = parent_utility(protected.real, protected.holdout, synthetic, plan.target,
                                 numeric=spec.kind in (Kind.INTEGER, Kind.DECIMAL),
                                 seed=plan.seed)
    timing["evaluate_s"] = time.perf_counter() - started
    progress(1.0, "Training finished")
    holdout_parents = 0 if protected.holdout is None else \
        len(protected.holdout.frames[understood.parent.name])
    return RelatedResult(tables, quality, relations, dcr, protected.protection, linked,
                         protected.orphans, keep_orphans, generator_name,
                         {k: round(v, 3) for k, v in timing.items()}, holdout_parents,
                         utility)


def _quality(real, synth, metadata, name, seed, progress, cancel) -> QualityScores | None:
    if not len(real.columns) or not len(real) or not len(synth):
        return None
    columns = {c: m for c, m in metadata["tables"][name]["columns"].items()
               if c in real.columns}
    return evaluate_quality(real, synth[list(real.columns)],
                            {"tables": {name: {"columns": columns}}}, seed=seed,
                            progress=progress, cancel=cancel)


def _fit_orphans(protected: RelatedProtected, plan: TrainingPlan, cancel: CancelToken) -> dict:
    """A table model of each child's kept orphans (they have no parent to be drawn given)."""
    from synthdesk.generators.cart import CartGenerator

    models = {}
    for name, rows in protected.orphan_rows.items():
        cancel.raise_if_set()
        if len(rows) < 2 or not len(rows.columns):
            continue
        columns = {c: m for c, m in protected.train.metadata["tables"][name]["columns"].items()
                   if c in rows.columns}
        models[name] = (CartGenerator(seed=plan.seed).fit(
            rows.reset_index(drop=True), {"tables": {name: {"columns": columns}}},
            cancel=cancel), len(rows))
    return models


def _check(understood: RelatedUnderstood, protected: RelatedProtected,
           synthetic: RelatedTables, orphan_models: dict, plan: TrainingPlan,
           cancel: CancelToken):
    """Fill keys and fakes, link children's fakes to their parents, check every table."""
    parent = understood.parent
    pkeys = {r.child: r.parent_key for r in understood.relations}
    specs_p = list(protected.specs[parent.name])
    out_p, _ = _treated(synthetic.frames[parent.name], parent, specs_p, None, plan,
                        protected.protection[parent.name])
    tables = [SyntheticTable(parent.name, out_p, tuple(specs_p))]
    linked, valid = {}, {}
    for child in understood.children:
        cancel.raise_if_set()
        specs_c = list(protected.specs[child.name])
        ckey, pkey = child.subject, pkeys[child.name]
        rows, links = synthetic.frames[child.name], np.asarray(synthetic.links[child.name])
        # Each synthetic parent is one person: a replaced column that is the same on all of
        # a real parent's children gets one fake per synthetic parent (apply_treatments).
        rows = rows.assign(**{ckey: links})
        out_c, _ = _treated(rows, child, specs_c, child.data[ckey], plan,
                            protected.protection[child.name], subject=ckey)
        out_c[ckey] = out_p[pkey].iloc[links].to_numpy()
        owners = _positions(parent.data[pkey], key_text(child.data[ckey]))
        out_c, linked[child.name] = link_fakes(out_c, child.data, specs_c, owners,
                                               out_p, parent.data, links, skip=(ckey,))
        if child.name in orphan_models:
            out_c = pd.concat([out_c, _orphans(child, specs_c, orphan_models[child.name],
                                               len(out_c), out_p[pkey], plan)],
                              ignore_index=True)
        leaks = find_leaks(child.data, out_c, specs_c, child.data[ckey])
        if leaks:
            raise PrivacyCheckFailed(table_leak_message(child.name, leaks, specs_c))
        known = set(key_text(out_p[pkey]).dropna())
        valid[child.name] = float(key_text(out_c[ckey]).isin(known).mean()) \
            if len(out_c) else 1.0
        tables.append(SyntheticTable(child.name, out_c, tuple(specs_c)))
    return tuple(tables), linked, valid


def table_leak_message(name: str, leaks, specs: Sequence[ColumnSpec]) -> str:
    """The leak check's message for table ``name``: the table first, then what leaked."""
    return f"{name}: " + leak_message(leaks, specs)


def leak_table(message: str, names: Sequence[str]) -> int | None:
    """Which of the tables ``names`` a :func:`table_leak_message` is about, or None."""
    found = [i for i, name in enumerate(names) if message.startswith(f"{name}: ")]
    return max(found, key=lambda i: len(names[i])) if found else None


def _treated(rows: pd.DataFrame, table: DataTable, specs: list[ColumnSpec],
             subjects: pd.Series | None, plan: TrainingPlan, protection: Protection,
             subject: str | None = None):
    """One table's fakes, fresh keys, formats and leak guard; its leak check."""
    rare = rare_text_values(table.data, specs, subjects)
    output = output_frame(apply_treatments(rows, table.data, specs, plan.seed, avoid=rare,
                                           subject=subject), specs)
    output, protection.leak_guard = guard_rare_values(output, table.data, specs, subjects,
                                                      seed=plan.seed, rare=rare)
    leaks = find_leaks(table.data, output, specs, subjects)
    if leaks:
        raise PrivacyCheckFailed(table_leak_message(table.name, leaks, specs))
    return output, rare


def _orphans(child: DataTable, specs: list[ColumnSpec], model, children: int,
             parent_keys: pd.Series, plan: TrainingPlan) -> pd.DataFrame:
    """Kept orphans: rows in the real share, with keys that name no parent, real or new."""
    generator, real_orphans = model
    linked = len(child.data) - real_orphans
    count = max(1, round(children * real_orphans / max(linked, 1)))
    rows = generator.sample(count, seed=plan.seed + 1)
    out = output_frame(apply_treatments(rows, child.data, specs, plan.seed + 1), specs)
    taken = normalise(parent_keys.dropna().unique())
    rng = np.random.default_rng([plan.seed, 404])
    out[child.subject] = fresh_identifiers(child.data[child.subject], count, rng,
                                           taken).to_numpy()
    return out


def related_estimate(understood: RelatedUnderstood, plan: TrainingPlan) -> JobEstimate:
    """How long the related job should take: the one estimator's figure for its tables."""
    return estimate_related([(t.data, t.columns) for t in understood.tables], plan)


def train_related(understood: RelatedUnderstood, plan: TrainingPlan, keep_orphans: bool = False,
                  progress: ProgressFn = no_progress, cancel: CancelToken = NEVER, *,
                  isolated: bool = True, leave_a_core: bool = False) -> RelatedResult:
    """:func:`run_related_training`, in a child process when ``isolated`` (Cancel at once).

    Its wall time is kept as ``train_s``.
    """
    from synthdesk.core.runner import check_training_size, run_in_child

    started = time.perf_counter()
    for table in understood.tables:
        check_training_size(table.data, table.columns, dataclasses.replace(plan, rows=None))
    if isolated:
        result = run_in_child(run_related_training, understood, plan, keep_orphans,
                              progress=progress, cancel=cancel, scrub=_scrub,
                              leave_a_core=leave_a_core, name="synthdesk-training")
    else:
        result = run_related_training(understood, plan, keep_orphans, progress, cancel)
    timing = {**result.timing, "train_s": round(time.perf_counter() - started, 3)}
    return dataclasses.replace(result, timing=timing)


def _scrub(text: str, understood: RelatedUnderstood, *_args) -> str:
    from synthdesk.privacy.leaks import scrub

    for table in understood.tables:
        text = scrub(text, table.data, table.columns)
    return text


# --- writing -------------------------------------------------------------------------------


def output_paths(output: Path, names: Sequence[str]) -> list[Path]:
    """Where each table goes: ``output`` itself (an ``.xlsx``), or ``output/NAME.csv``."""
    if Path(output).suffix.lower() == ".xlsx":
        return [Path(output)]
    return [Path(output) / f"{_file_name(name)}.csv" for name in names]


def _file_name(name: str) -> str:
    return "".join(c if c.isalnum() or c in "._- " else "_" for c in name).strip() or "table"


def write_related(job: RelatedJob, understood: RelatedUnderstood, result: RelatedResult,
                  read_s: float = 0.0, progress: ProgressFn = no_progress,
                  cancel: CancelToken = NEVER, reports: Sequence[Path] | None = None,
                  estimate: JobEstimate | None = None) -> dict:
    """Write every synthetic table and the reports, all or nothing; return the report.

    The reports go to ``reports`` (``job.parent.report`` when None): ``.html`` pages or
    JSON; ``estimate``, what the job was expected to take, beside its timing.

    Raises:
        InvalidChoice: The output is neither a folder nor an ``.xlsx`` file.
        ExportFailed: A file cannot be written, or would overwrite an input.

    """
    from synthdesk.evaluation.related_report import build_related_report, render_related_html
    from synthdesk.export.writers import (
        StagedOutputs,
        write_json,
        write_table,
        write_text,
        write_workbook,
    )

    started = time.perf_counter()
    output = Path(job.parent.output)
    names = [t.name for t in result.tables]
    paths = output_paths(output, names)
    wanted = list(reports) if reports is not None else \
        ([job.parent.report] if job.parent.report is not None else [])
    _check_related_outputs(job, paths, wanted)
    made = False
    if output.suffix.lower() != ".xlsx" and not output.exists():
        output.mkdir()
        made = True
    cancel.raise_if_set()
    progress(0.0, f"Writing {output.name}")
    try:
        with StagedOutputs():
            if output.suffix.lower() == ".xlsx":
                write_workbook([(t.name, t.data, t.columns) for t in result.tables], output)
            else:
                for table, path in zip(result.tables, paths, strict=True):
                    cancel.raise_if_set()
                    write_table(table.data, path, specs=table.columns)
            timing = {**result.timing, "read_s": round(read_s, 3),
                      "write_s": round(time.perf_counter() - started, 3)}
            report = build_related_report(job, understood, result, timing)
            if estimate is not None:
                report["estimate"] = estimate.to_dict()
            for report_path in map(Path, wanted):
                cancel.raise_if_set()
                if report_path.suffix.lower() in (".html", ".htm"):
                    write_text(render_related_html(report), report_path)
                else:
                    write_json(report, report_path)
    except BaseException:
        if made:
            import shutil

            shutil.rmtree(output, ignore_errors=True)
        raise
    progress(1.0, "Saved")
    return report


def _check_related_outputs(job: RelatedJob, paths: Sequence[Path],
                           reports: Sequence[Path] | None = None) -> None:
    from synthdesk.export.writers import check_outputs

    output = Path(job.parent.output)
    if output.suffix and output.suffix.lower() != ".xlsx" and not output.is_dir():
        raise InvalidChoice(f"{output.name}: write related tables to a folder (one CSV per "
                            "table) or to one .xlsx file (a sheet per table).")
    if output.suffix.lower() != ".xlsx" and output.exists() and not output.is_dir():
        raise InvalidChoice(f"{output.name} is a file: give a folder for the CSV files.")
    inputs = [Path(job.parent.input), *(Path(c.input) for c in job.children)]
    if reports is None:
        reports = [job.parent.report] if job.parent.report is not None else []
    folder_missing = output.suffix.lower() != ".xlsx" and not output.exists()
    if folder_missing and not output.parent.exists():
        raise InvalidChoice(f"The folder {output.parent} does not exist.")
    for source in dict.fromkeys(inputs):
        check_outputs(source, *([] if folder_missing else paths), *reports)


def run_related_job(job: RelatedJob, progress: ProgressFn = no_progress,
                    cancel: CancelToken = NEVER, *, isolated: bool = True,
                    estimated: Callable[[JobEstimate], None] | None = None,
                    ) -> tuple[RelatedResult, dict]:
    """Read, relate, train and write a related job; return the result and its report.

    ``estimated`` receives the job's estimate (:func:`related_estimate`) once the tables
    are read, before training; the report states it beside the timing.
    """
    names_guess = [Path(job.parent.input).stem, *(Path(c.input).stem for c in job.children)]
    _check_related_outputs(job, output_paths(job.parent.output, names_guess))
    reads = read_related(job, scaled(progress, 0.0, 0.0), cancel)
    understood = understand_related(reads, job, cancel=cancel)
    estimate = related_estimate(understood, job.parent.plan)
    if estimated is not None:
        estimated(estimate)
    bar = estimate.bar(reading=True, writing=True)
    result = train_related(understood, job.parent.plan, job.keep_orphans,
                           bar.scaled(progress, "start", "score"), cancel, isolated=isolated)
    read_s = sum(r.seconds for r in reads) + understood.seconds
    report = write_related(job, understood, result, read_s, bar.scaled(progress, "write"),
                           cancel, estimate=estimate)
    progress(1.0, "Done")
    return result, report
