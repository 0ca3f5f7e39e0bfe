"""Step 5: how faithful is the synthetic table, column by column and pair by pair."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
)

from synthdesk.evaluation.distributions import quality_in_words
from synthdesk.evaluation.summary import sampling_note, score_lines, scores_of, utility_sentence
from synthdesk.gui.models.column_spec_model import REPLACED
from synthdesk.gui.pages.base import InlineError, WizardPage
from synthdesk.gui.tasks import TaskRunner
from synthdesk.gui.widgets.distribution_plot import CorrelationView, DistributionPlot
from synthdesk.gui.widgets.verdict import VerdictCard
from synthdesk.schema.columns import Action

__all__ = ["ComparePage"]


def _compare(real, synthetic, specs, subject=None):
    """The comparison task: bins for every column and the correlation matrices.

    ``subject`` (the column naming each row's person) makes rare values be counted in
    people, so no plot shows a value fewer than k people hold.
    """

    def task(progress, cancel):
        from synthdesk.evaluation.distributions import column_distribution, correlation_matrices

        shown = [s for s in specs if s.action is not Action.DROP and s.name in synthetic.columns]
        dists = {}
        for i, spec in enumerate(shown):
            cancel.raise_if_set()
            progress(i / max(len(shown), 1), f"Comparing {spec.name}")
            real_side = None if spec.action in REPLACED else real[spec.name]
            dists[spec.name] = column_distribution(
                real_side, synthetic[spec.name], spec,
                subjects=real[subject] if subject in real.columns else None)
        matrices = correlation_matrices(real, synthetic, specs)
        return dists, matrices

    return task


class _ScoreItem(QTableWidgetItem):
    """Sorts by the number behind the text; replaced columns sort last."""

    def __init__(self, score: float | None, replaced: bool = False):
        text = "replaced" if replaced else ("not scored" if score is None else f"{score:.0%}")
        super().__init__(text)
        self.score = 2.0 if score is None or replaced else score
        self.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def __lt__(self, other) -> bool:
        return self.score < getattr(other, "score", 0)


class ComparePage(WizardPage):
    """Overall score in words, a sortable column list, distributions and pair trends."""

    title = "Compare real and synthetic"
    next_text = "&Export"

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        self.runner = TaskRunner(self)
        self._shown_result = None
        self.dists: dict = {}
        cards = QHBoxLayout()
        self.faithful = VerdictCard("Faithful")
        self.safe = VerdictCard("Safe to share")
        cards.addWidget(self.faithful, 1)
        cards.addWidget(self.safe, 1)
        self.body.addLayout(cards)
        self.overall = QLabel()
        self.overall.setWordWrap(True)
        self.overall.setAccessibleName("Overall quality")
        self.body.addWidget(self.overall)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.body.addWidget(self.details)
        self.error = InlineError()
        self.body.addWidget(self.error)

        split = QSplitter(Qt.Orientation.Horizontal)
        self.columns = QTableWidget(0, 2)
        self.columns.setHorizontalHeaderLabels(["Column", "Similarity"])
        self.columns.setAccessibleName("Columns by similarity; click a column to see it")
        self.columns.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.columns.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.columns.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.columns.verticalHeader().setVisible(False)
        self.columns.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.columns.setSortingEnabled(True)
        self.columns.itemSelectionChanged.connect(self._on_column_selected)
        split.addWidget(self.columns)

        self.tabs = QTabWidget()
        self.plot = DistributionPlot()
        self.tabs.addTab(self.plot, "Column")
        self.pairs = CorrelationView()
        self.tabs.addTab(self.pairs, "Pair trends")
        self.scores = QTableWidget(0, 3)
        self.scores.setHorizontalHeaderLabels(["Score", "Value", "What it means"])
        self.scores.setAccessibleName("Every score and what it means")
        self.scores.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.scores.setWordWrap(True)
        self.scores.verticalHeader().setVisible(False)
        header = self.scores.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.tabs.addTab(self.scores, "All scores")
        split.addWidget(self.tabs)
        split.setSizes([260, 700])
        split.setStretchFactor(1, 1)
        self.body.addWidget(split, 1)

        self.runner.sig_done.connect(self._on_compared)
        self.runner.sig_failed.connect(self._on_failed)

    def on_enter(self) -> None:  # noqa: D102
        result = self.state.result
        if result is None or result is self._shown_result:
            return
        self._shown_result = result
        quality = result.quality
        self._show_verdict(result)
        self.overall.setText(f"<b>Overall quality {quality.overall:.0%} — "
                             f"{quality_in_words(quality.overall)}.</b> {self._method(result)}")
        pairs = ("not scored" if quality.column_pair_trends is None
                 else f"{quality.column_pair_trends:.0%}")
        evidence = result.evidence
        utility = evidence.utility.to_dict() if evidence and evidence.utility else None
        learned = len(self.state.table.data) - (evidence.holdout_rows if evidence else 0)
        note = sampling_note(learned, len(result.synthetic))
        self.details.setText(
            f"Column shapes {quality.column_shapes:.0%} · relations between columns {pairs} · "
            f"synthetic rows identical to a real row: {result.exact_copies:.1%}. "
            f"{utility_sentence(utility)} {note} "
            "Click a column to see both sides on the same scale; the worst are at the top; "
            "All scores explains each measure.")
        self._fill_scores(result)
        self.columns.setSortingEnabled(False)
        self.columns.setRowCount(0)
        self.dists = {}
        protection = getattr(result, "protection", None)
        self.runner.start(_compare(self.state.table.data, result.synthetic, list(self.state.specs),
                                   getattr(protection, "subject", None)))

    def _show_verdict(self, result) -> None:
        verdict = result.evidence.verdict if result.evidence else None
        if verdict is None:
            for card in (self.faithful, self.safe):
                card.show_answer("not judged", "No verdict was made for this run.", "none")
            return
        self.faithful.show_answer(verdict.faithful, verdict.faithful_why,
                                  {"high": "good", "medium": "mid"}.get(verdict.faithful, "bad"))
        self.safe.show_answer(verdict.safe, verdict.safe_why,
                              "good" if verdict.safe == "yes" else "bad")

    @staticmethod
    def _method(result) -> str:
        from synthdesk.errors import InvalidChoice
        from synthdesk.generators.registry import get_generator

        try:
            label = get_generator(result.generator).label
        except InvalidChoice:  # a custom generator that no longer imports: its name
            label = result.generator
        return f"Method: {label}. {result.generator_reason}".strip() if label else ""

    def _fill_scores(self, result) -> None:
        lines = score_lines(scores_of(result))
        self.scores.setRowCount(len(lines))
        for row, line in enumerate(lines):
            self.scores.setItem(row, 0, QTableWidgetItem(line.label))
            value = QTableWidgetItem(line.value)
            value.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.scores.setItem(row, 1, value)
            self.scores.setItem(row, 2, QTableWidgetItem(line.meaning))
        self.scores.resizeRowsToContents()

    def _on_compared(self, payload) -> None:
        self.dists, matrices = payload
        scores = self.state.result.quality.per_column
        specs = {s.name: s for s in self.state.specs}
        self.columns.setRowCount(len(self.dists))
        for row, name in enumerate(self.dists):
            replaced = specs[name].action in REPLACED
            self.columns.setItem(row, 0, QTableWidgetItem(name))
            self.columns.setItem(row, 1, _ScoreItem(scores.get(name), replaced))
        self.columns.setSortingEnabled(True)
        self.columns.sortItems(1, Qt.SortOrder.AscendingOrder)
        if self.columns.rowCount():
            self.columns.selectRow(0)
        self.pairs.show_matrices(*matrices)

    def _on_failed(self, error) -> None:
        self.error.show_error(getattr(error, "message", None) or "The comparison failed.",
                              getattr(error, "details", ""))

    def _on_column_selected(self) -> None:
        rows = self.columns.selectionModel().selectedRows()
        if not rows:
            return
        name = self.columns.item(rows[0].row(), 0).text()
        if name in self.dists:
            self.plot.show_distribution(self.dists[name])
