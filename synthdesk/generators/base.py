"""SynthDesk's own generator interface, which every generator implements.

The shape is scikit-learn's: the constructor only stores its parameters; :meth:`fit`
learns and keeps what it learned in attributes ending in ``_``; :meth:`sample` draws rows,
and the same seed gives the same rows however often it is called. Both take ``progress``
(the fraction done and a message) and ``cancel`` (checked between steps).

SDV's synthesizers sit behind :class:`synthdesk.generators.sdv_adapter.SdvGenerator`;
the decision trees are :class:`synthdesk.generators.cart.CartGenerator`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping

import pandas as pd

from synthdesk.progress import NEVER, CancelToken, ProgressFn, no_progress

__all__ = ["Generator", "table_columns", "CHUNK_ROWS"]

# Rows drawn between two progress reports and cancel checks.
CHUNK_ROWS = 10_000


class Generator(ABC):
    """Learns a table and draws new rows like it.

    Attributes:
        loss_: Per-epoch losses after :meth:`fit` (neural generators; empty otherwise).

    """

    loss_: list[dict]

    def get_params(self) -> dict:
        """The constructor's parameters, as stored."""
        import inspect

        names = [n for n in inspect.signature(type(self).__init__).parameters if n != "self"]
        return {name: getattr(self, name) for name in names if hasattr(self, name)}

    @property
    def is_fitted(self) -> bool:
        """Whether :meth:`fit` has run."""
        return hasattr(self, "loss_")

    @abstractmethod
    def fit(self, data: pd.DataFrame, metadata: Mapping, progress: ProgressFn = no_progress,
            cancel: CancelToken = NEVER) -> Generator:
        """Learn ``data`` (the modelled columns), described by ``metadata``; returns self.

        ``metadata`` is SDV's metadata dict (see
        :func:`synthdesk.schema.metadata.to_sdv_metadata`) for this one table.

        Raises:
            TrainingFailed: The table cannot be learned.
            Cancelled: ``cancel`` was set.

        """

    @abstractmethod
    def sample(self, rows: int, seed: int = 0, progress: ProgressFn = no_progress,
               cancel: CancelToken = NEVER, conditions: pd.DataFrame | None = None,
               ) -> pd.DataFrame:
        """Return ``rows`` new rows in the fitted columns' order and types.

        ``conditions`` (one row per wanted row, some columns fixed) is accepted by the
        generators that can honour it; the others raise ``InvalidChoice``.

        Raises:
            TrainingFailed: No rows could be generated.
            Cancelled: ``cancel`` was set.

        """


def table_columns(metadata: Mapping) -> dict[str, dict]:
    """The one table's column metadata from SDV's metadata dict."""
    tables = metadata.get("tables", {})
    if len(tables) != 1:
        raise ValueError("A single-table generator needs metadata of exactly one table.")
    return dict(next(iter(tables.values()))["columns"])
