"""What every wizard page shares: the job's state, a title, and whether Next may be pressed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from synthdesk.core.job import TrainingPlan
from synthdesk.schema.columns import ColumnSpec

__all__ = ["WizardState", "WizardPage", "InlineError", "RelatedChoice", "relate_choices"]


@dataclass(frozen=True, eq=False)
class RelatedChoice:
    """A related table added on the Open page: its rows point at rows of the main table.

    Attributes:
        table: The child table as read (``synthdesk.io.Table``).
        specs: Its columns with the user's choices (the Columns page edits them).
        source: Where it is, and its key, the parent's key and its order column.
        match: The relation found (keys, orphans).
        order: The column that orders each parent's children, or None.
        sparks: Each column's sparkline, as the Columns page draws it.
        detected: Its columns as detected (what Reset to detected goes back to).

    """

    table: object
    specs: tuple[ColumnSpec, ...]
    source: object  # synthdesk.core.related.ChildSource
    match: object  # synthdesk.schema.keys.KeyMatch
    order: str | None
    sparks: tuple = ()
    detected: tuple[ColumnSpec, ...] = ()

    @property
    def name(self) -> str:
        """The table's name, as the core's pipeline calls it."""
        from synthdesk.core.pipeline import table_name

        return table_name(self.table)

    def with_specs(self, specs, sparks=None) -> RelatedChoice:
        """The same table with the user's column choices ``specs`` (and their sparklines)."""
        from dataclasses import replace

        return replace(self, specs=tuple(specs),
                       sparks=self.sparks if sparks is None else tuple(sparks))

    def related_source(self):
        """Its source with the key and order found, as the core's jobs take it."""
        from dataclasses import replace

        return replace(self.source, key=self.match.child_key,
                       parent_key=self.match.parent_key, order=self.order or "")


def relate_choices(parent_table, parent_specs, related):
    """The main table and its related tables, related as the core's pipeline takes them.

    Returns a ``synthdesk.core.related.RelatedUnderstood``.
    """
    from synthdesk.core.pipeline import table_name
    from synthdesk.core.related import relate_tables

    tables = [(table_name(parent_table), parent_table.data, list(parent_specs))]
    tables += [(table_name(r.table), r.table.data, list(r.specs)) for r in related]
    return relate_tables(tables, [r.related_source() for r in related])


@dataclass
class WizardState:
    """The user's job as it is built page by page (plain data, no widgets).

    ``version`` goes up each time a new table is loaded, so later pages know to start over.
    """

    path: Path | None = None
    sheet: str | None = None
    table: object | None = None  # synthdesk.io.Table
    specs: list[ColumnSpec] = field(default_factory=list)
    sparks: list[np.ndarray] = field(default_factory=list)
    plan: TrainingPlan = field(default_factory=TrainingPlan)
    result: object | None = None  # synthdesk.core.pipeline.TrainingResult
    result_key: tuple | None = None
    output_format: str = "csv"
    version: int = 0
    read_s: float = 0.0  # seconds the Open page took to read and understand the table
    pending_specs: tuple[ColumnSpec, ...] | None = None  # from a project, applied on load
    # The Compare page's column views (name -> ColumnView) and the result they describe.
    column_views: dict = field(default_factory=dict)
    column_views_of: object | None = None
    related: tuple[RelatedChoice, ...] = ()  # child tables added on the Open page
    keep_orphans: bool = False  # keep their rows that point at no row of the main table
    # From a project: related tables (source, column choices) to read after the main one.
    pending_related: tuple = ()
    pending_keep_orphans: bool = False

    def training_key(self) -> tuple:
        """What the result depends on: the table(s), the column choices and the plan."""
        return (self.version, tuple(self.specs), self.plan, self.related, self.keep_orphans)

    def understood(self):
        """The main and related tables related (see :func:`relate_choices`)."""
        return relate_choices(self.table, self.specs, self.related)


class InlineError(QWidget):
    """A plain-language problem shown on the page, with Copy details when there are any."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setStyleSheet("color: #d32f2f; font-weight: 600;")
        self.label.setAccessibleName("Problem")
        self.copy = QPushButton("Copy details")
        self.copy.setAccessibleName("Copy the technical details of this problem")
        self.copy.clicked.connect(self._on_copy)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.copy, 0, Qt.AlignmentFlag.AlignTop)
        self._details = ""
        self.clear()

    def show_error(self, message: str, details: str = "") -> None:
        """Show ``message``; Copy details appears only if there are details."""
        self.label.setText(message)
        self._details = details
        self.copy.setVisible(bool(details))
        self.setVisible(True)

    def clear(self) -> None:
        """Hide the message."""
        self.label.clear()
        self._details = ""
        self.setVisible(False)

    @property
    def text(self) -> str:
        """The message shown, or ""."""
        return self.label.text() if self.isVisibleTo(self.parentWidget()) else ""

    def _on_copy(self) -> None:
        from synthdesk.gui.error_dialog import copy_to_clipboard

        copy_to_clipboard(self._details or self.label.text())


class WizardPage(QWidget):
    """A step of the wizard.

    Signals:
        sig_complete_changed: :meth:`is_complete` may have changed.

    """

    sig_complete_changed = Signal()
    title = ""
    subtitle = ""
    next_text = "&Next"

    def __init__(self, state: WizardState, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = state
        self.setAccessibleName(self.title)
        outer = QVBoxLayout(self)
        heading = QLabel(f"<h2>{self.title}</h2>")
        heading.setAccessibleName(self.title)
        outer.addWidget(heading)
        self.subtitle_label = QLabel(self.subtitle)
        self.subtitle_label.setWordWrap(True)
        self.subtitle_label.setVisible(bool(self.subtitle))
        outer.addWidget(self.subtitle_label)
        self.body = QVBoxLayout()
        outer.addLayout(self.body, 1)

    def is_complete(self) -> bool:
        """Whether Next may be pressed."""
        return True

    def can_leave(self) -> bool:
        """Whether the user may move to another page now (a page may ask first)."""
        return True

    def on_enter(self) -> None:
        """Called each time the page is shown."""

    def on_leave(self) -> None:
        """Called when the user moves to another page; save choices into the state here."""
