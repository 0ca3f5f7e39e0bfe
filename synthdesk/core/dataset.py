"""A job's data as a dataset: tables by name, the relations between them, their subjects.

A single CSV is a dataset of one table. Each table says which column names the *subject*
its rows describe (a repeating key such as ``customer_id`` or ``patient_id``: one person,
many rows), or None when each row is its own subject. Holdout splits and protection count
subjects, not rows, so that no person is on both sides of a split.

SDV's metadata speaks the same language (tables and relationships):
:meth:`Dataset.to_sdv_metadata` builds it from the dataset, with each table's own name.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import pandas as pd

from synthdesk.errors import InvalidChoice
from synthdesk.schema.columns import ColumnSpec
from synthdesk.schema.metadata import METADATA_VERSION, table_metadata

__all__ = ["Relation", "DataTable", "Dataset"]


@dataclass(frozen=True)
class Relation:
    """Rows of ``child`` point at a row of ``parent``: ``child.child_key -> parent.parent_key``."""

    parent: str
    parent_key: str
    child: str
    child_key: str

    def __str__(self) -> str:
        return f"{self.parent}.{self.parent_key} -> {self.child}.{self.child_key}"


@dataclass(frozen=True, eq=False)
class DataTable:
    """One table of a dataset.

    Attributes:
        name: The table's name (a file's stem, a sheet's name).
        data: Its rows, as read (never modified).
        columns: How each column is understood and treated, in the table's order.
        subject: The column naming the person each row belongs to, or None when every
            row is a person of its own.

    """

    name: str
    data: pd.DataFrame
    columns: tuple[ColumnSpec, ...]
    subject: str | None = None

    def __post_init__(self) -> None:
        if self.subject is not None and self.subject not in self.data.columns:
            raise InvalidChoice(f"The table {self.name!r} has no column named "
                                f"{self.subject!r} to say whose rows they are.")

    def subjects(self) -> pd.Series | None:
        """One label per row naming its subject; None when each row is its own."""
        return None if self.subject is None else self.data[self.subject]

    def subject_count(self) -> int:
        """How many subjects the table describes."""
        labels = self.subjects()
        return len(self.data) if labels is None else int(labels.nunique(dropna=False))


@dataclass(frozen=True, eq=False)
class Dataset:
    """Tables by name and the relations between them; one table is the case of one."""

    tables: Mapping[str, DataTable]
    relations: tuple[Relation, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tables", MappingProxyType(dict(self.tables)))
        if not self.tables:
            raise InvalidChoice("A dataset needs at least one table.")
        for relation in self.relations:
            for table, key in ((relation.parent, relation.parent_key),
                               (relation.child, relation.child_key)):
                if table not in self.tables:
                    raise InvalidChoice(f"The relation {relation} names no table {table!r}.")
                if key not in self.tables[table].data.columns:
                    raise InvalidChoice(f"The relation {relation} names no column {key!r} "
                                        f"in {table!r}.")

    @classmethod
    def one(cls, name: str, data: pd.DataFrame, columns: Sequence[ColumnSpec],
            subject: str | None = None) -> Dataset:
        """A dataset of one table."""
        return cls({name: DataTable(name, data, tuple(columns), subject)})

    @property
    def main(self) -> DataTable:
        """The only table (for the steps that handle one table so far).

        Raises:
            InvalidChoice: The dataset has several tables.

        """
        if len(self.tables) != 1:
            raise InvalidChoice("This step handles one table at a time; the dataset has "
                                f"{len(self.tables)}.")
        return next(iter(self.tables.values()))

    def with_columns(self, name: str, columns: Sequence[ColumnSpec]) -> Dataset:
        """The same dataset with table ``name``'s column choices replaced."""
        table = self.table(name)
        tables = dict(self.tables)
        tables[name] = DataTable(name, table.data, tuple(columns), table.subject)
        return Dataset(tables, self.relations)

    def table(self, name: str) -> DataTable:
        """The table called ``name``."""
        try:
            return self.tables[name]
        except KeyError:
            raise InvalidChoice(f"The dataset has no table named {name!r}.") from None

    def to_sdv_metadata(self, names: Sequence[str] | None = None) -> dict:
        """SDV's metadata dict (``MULTI_TABLE_V1`` shape) for the tables ``names`` (all).

        Each table is described by its modelled columns; a relation marks the parent's
        key as its primary key and both keys as identifiers.
        """
        chosen = list(self.tables) if names is None else list(names)
        tables = {name: table_metadata(self.table(name).columns) for name in chosen}
        relationships = []
        for relation in self.relations:
            if relation.parent not in tables or relation.child not in tables:
                continue
            parent, child = tables[relation.parent], tables[relation.child]
            parent["columns"][relation.parent_key] = {"sdtype": "id"}
            parent["primary_key"] = relation.parent_key
            child["columns"][relation.child_key] = {"sdtype": "id"}
            relationships.append({
                "parent_table_name": relation.parent,
                "parent_primary_key": relation.parent_key,
                "child_table_name": relation.child,
                "child_foreign_key": relation.child_key,
            })
        return {"METADATA_SPEC_VERSION": METADATA_VERSION, "tables": tables,
                "relationships": relationships}
