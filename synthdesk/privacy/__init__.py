"""Keeping real people out of the output: fakes, protection of learned columns, leak checks."""

from synthdesk.privacy.fakes import consistent_column, fake_column, fresh_identifiers, guess_locale
from synthdesk.privacy.leaks import PROTECTED_ACTIONS, count_leaks
from synthdesk.privacy.protection import (
    MIN_ROWS,
    RARE_LABEL,
    Protection,
    protect_training_rows,
    replace_copies,
)

__all__ = [
    "MIN_ROWS",
    "PROTECTED_ACTIONS",
    "RARE_LABEL",
    "Protection",
    "consistent_column",
    "count_leaks",
    "fake_column",
    "fresh_identifiers",
    "guess_locale",
    "protect_training_rows",
    "replace_copies",
]
