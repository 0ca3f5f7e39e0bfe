"""The user's corrections to what SynthDesk detected: sensitive or not, and treatments."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from synthdesk.errors import InvalidChoice
from synthdesk.schema.columns import Action, ColumnSpec, with_kind

__all__ = ["ColumnOverrides", "apply_overrides", "parse_kind", "parse_treatment"]


@dataclass(frozen=True)
class ColumnOverrides:
    """Corrections by column name, applied after detection.

    Attributes:
        sensitive: Columns to treat as sensitive (replaced with fakes unless treated otherwise).
        not_sensitive: Columns to learn like any other, whatever detection said.
        treatments: Column name -> treatment, which wins over both lists.
        kinds: Column name -> the kind the user chose (checked against the values).

    """

    sensitive: tuple[str, ...] = ()
    not_sensitive: tuple[str, ...] = ()
    treatments: tuple[tuple[str, Action], ...] = field(default=())
    kinds: tuple[tuple[str, str], ...] = field(default=())

    def __bool__(self) -> bool:
        return bool(self.sensitive or self.not_sensitive or self.treatments or self.kinds)


def parse_kind(text: str) -> tuple[str, str]:
    """Parse ``"COLUMN=date"`` into ``("COLUMN", "date")``.

    Raises:
        InvalidChoice: The text is not ``COLUMN=KIND`` with a known kind.

    """
    from synthdesk.schema.columns import Kind

    name, sep, kind = text.rpartition("=")
    choices = ", ".join(k.value for k in Kind)
    if not sep or not name or kind.strip().lower() not in {k.value for k in Kind}:
        raise InvalidChoice(f"{text!r}: write COLUMN=KIND, with KIND one of {choices}.")
    return name, kind.strip().lower()


def parse_treatment(text: str) -> tuple[str, Action]:
    """Parse ``"COLUMN=fake"`` into ``("COLUMN", Action.FAKE)``.

    Raises:
        InvalidChoice: The text is not ``COLUMN=TREATMENT`` with a known treatment.

    """
    name, sep, action = text.rpartition("=")
    choices = ", ".join(a.value for a in Action)
    if not sep or not name:
        raise InvalidChoice(f"{text!r}: write COLUMN=TREATMENT, with TREATMENT one of {choices}.")
    try:
        return name, Action(action.strip().lower())
    except ValueError:
        raise InvalidChoice(f"{action!r} is not a treatment. Choose one of: {choices}.") from None


def apply_overrides(specs: Sequence[ColumnSpec], overrides: ColumnOverrides,
                    data: pd.DataFrame | None = None) -> list[ColumnSpec]:
    """Return ``specs`` with the user's corrections applied (``data`` checks chosen kinds).

    Raises:
        InvalidChoice: An override names a column the table does not have, or names a
            column both sensitive and not sensitive.

    """
    by_name = {spec.name: spec for spec in specs}
    named = [*overrides.sensitive, *overrides.not_sensitive,
             *(n for n, _ in overrides.treatments), *(n for n, _ in overrides.kinds)]
    for name in named:
        if name not in by_name:
            raise InvalidChoice(f"The table has no column named {name!r}.")
    both = set(overrides.sensitive) & set(overrides.not_sensitive)
    if both:
        raise InvalidChoice(f"{sorted(both)[0]!r} cannot be both sensitive and not sensitive.")
    for name in overrides.sensitive:
        spec = by_name[name]
        action = spec.action if spec.sensitive else Action.FAKE
        by_name[name] = spec.with_changes(sensitive=True, action=action,
                                          reason=spec.reason if spec.sensitive else
                                          "you marked it sensitive")
    for name in overrides.not_sensitive:
        by_name[name] = by_name[name].with_changes(
            sensitive=False, reason="", pii_type=None, action=Action.SYNTHESIZE
        )
    for name, kind in overrides.kinds:
        if data is None:
            raise InvalidChoice("Choosing a column's kind needs the table's values.")
        by_name[name] = with_kind(by_name[name], kind, data[name])
    for name, action in overrides.treatments:
        by_name[name] = by_name[name].with_changes(action=action)
    return [by_name[spec.name] for spec in specs]
