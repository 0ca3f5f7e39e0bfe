"""Step 5: how faithful is the synthetic table, column by column and pair by pair."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from synthdesk.evaluation.distributions import quality_in_words
from synthdesk.evaluation.summary import (
    rare_group_sentence,
    sampling_note,
    score_lines,
    scores_of,
    utility_sentence,
)
from synthdesk.gui.models.column_spec_model import REPLACED
from synthdesk.gui.pages.base import InlineError, WizardPage
from synthdesk.gui.tasks import TaskRunner
from synthdesk.gui.widgets.distribution_plot import CorrelationView, DistributionPlot
from synthdesk.gui.widgets.help import HelpButton
from synthdesk.gui.widgets.overview_grid import OverviewGrid
from synthdesk.gui.widgets.verdict import VerdictCard
from synthdesk.schema.columns import Action

__all__ = ["ComparePage"]


def _compare(real, synthetic, specs, scores, subject=None):
    """The comparison task: every column binned for the overview, and the pair trends.

    ``subject`` (the column naming each row's person) makes rare values be counted in
    people, so no plot shows a value fewer than k people hold.
    """

    def task(progress, cancel):
        from synthdesk.evaluation.overview import column_view, pair_trends, worst_first

        shown = [s for s in specs if s.action is not Action.DROP and s.name in synthetic.columns]
        subjects = real[subject] if subject in real.columns else None
        views = []
        for i, spec in enumerate(shown):
            cancel.raise_if_set()
            progress(i / max(len(shown), 1), f"Comparing {spec.name}")
            real_side = None if spec.action in REPLACED else real[spec.name]
            views.append(column_view(real_side, synthetic[spec.name], spec,
                                     scores.get(spec.name), subjects=subjects))
        names, real_m, synth_m = pair_trends(real, synthetic, specs)
        return worst_first(views), (names, real_m, synth_m, synth_m - real_m)

    return task


def _rare(result) -> dict | None:
    rare = getattr(result, "rare_group", None)
    return rare.to_dict() if rare is not None else None


class _ScoreItem(QTableWidgetItem):
    """Sorts by the number behind the text; replaced columns sort last."""

    def __init__(self, score: float | None, replaced: bool = False):
        text = "replaced" if replaced else ("not scored" if score is None else f"{score:.0%}")
        super().__init__(text)
        self.score = 2.0 if score is None or replaced else score
        self.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def __lt__(self, other) -> bool:
        return self.score < getattr(other, "score", 0)


class _LossesView(QWidget):
    """The pairs whose relation changed most, and the relations kept, as two tables."""

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.pairs_note = QLabel()
        self.pairs_note.setWordWrap(True)
        layout.addWidget(self.pairs_note)
        self.pairs = _table(["Columns", "Alike", "What changed"],
                            "Pairs of columns whose relation changed most, worst first", 2)
        layout.addWidget(self.pairs, 2)
        self.kept_note = QLabel()
        self.kept_note.setWordWrap(True)
        layout.addWidget(self.kept_note)
        self.kept = _table(["Relation kept", "Real rows", "Synthetic rows"],
                           "Columns that follow from others, and how often each rule holds", 0)
        layout.addWidget(self.kept, 1)

    def show_result(self, losses, kept) -> None:
        """Fill both tables from the result's pair losses and kept relations."""
        self.pairs_note.setText(
            "The pairs of columns whose relation in the synthetic rows differs most from the "
            "real one (only pairs related in the real rows are scored)." if losses else
            "No pair of related columns was scored.")
        _fill(self.pairs, [(" & ".join(p.columns), f"{p.similarity:.0%}", p.change)
                           for p in losses])
        self.kept_note.setText(
            f"{len(kept)} relation{'s' if len(kept) != 1 else ''} of the real table kept: each "
            "column below follows from others, in the synthetic rows as in the real ones."
            if kept else "No column follows from others in the real table.")
        _fill(self.kept, [(k.relation, f"{k.real:.1%}",
                           "—" if k.synthetic is None else f"{k.synthetic:.1%}") for k in kept])
        self.kept.setVisible(bool(kept))


def _table(headers: list[str], name: str, stretch: int) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setAccessibleName(name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(True)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    for column in range(len(headers)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch if column == stretch
                                    else QHeaderView.ResizeMode.ResizeToContents)
    return table


def _fill(table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
    table.setRowCount(len(rows))
    for row, cells in enumerate(rows):
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            if column == 1:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(row, column, item)
    table.resizeRowsToContents()


class ComparePage(WizardPage):
    """Overall score in words, a sortable column list, distributions and pair trends."""

    title = "Compare real and synthetic"
    next_text = "&Export"

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        self.runner = TaskRunner(self)
        self._shown_result = None
        self.dists: dict = {}
        self.views: dict = {}
        cards = QHBoxLayout()
        self.faithful = VerdictCard("Faithful")
        self.safe = VerdictCard("Safe to share")
        cards.addWidget(self.faithful, 1)
        cards.addWidget(HelpButton("quality"), 0, Qt.AlignmentFlag.AlignTop)
        cards.addWidget(self.safe, 1)
        cards.addWidget(HelpButton("safe"), 0, Qt.AlignmentFlag.AlignTop)
        self.body.addLayout(cards)
        self.next_step = QLabel()
        self.next_step.setWordWrap(True)
        self.next_step.setAccessibleName("What to do next")
        self.body.addWidget(self.next_step)
        overall = QHBoxLayout()
        self.overall = QLabel()
        self.overall.setWordWrap(True)
        self.overall.setAccessibleName("Overall quality")
        overall.addWidget(self.overall, 1)
        overall.addWidget(HelpButton("quality"), 0, Qt.AlignmentFlag.AlignTop)
        self.body.addLayout(overall)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.body.addWidget(self.details)
        self.table_row = QWidget()
        table_row = QHBoxLayout(self.table_row)
        table_row.setContentsMargins(0, 0, 0, 0)
        table_label = QLabel("&Table:")
        self.table_choice = QComboBox()
        self.table_choice.setAccessibleName("Which synthetic table to compare column by column")
        table_label.setBuddy(self.table_choice)
        self.table_choice.activated.connect(self._on_table_chosen)
        table_row.addWidget(table_label)
        table_row.addWidget(self.table_choice)
        table_row.addStretch(1)
        self.table_row.setVisible(False)
        self.body.addWidget(self.table_row)
        self.error = InlineError()
        self.body.addWidget(self.error)

        split = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Find a column")
        self.search.setAccessibleName("Find a column by name")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_search)
        left_layout.addWidget(self.search)
        self.columns = QTableWidget(0, 2)
        self.columns.setHorizontalHeaderLabels(["Column", "Similarity"])
        self.columns.setAccessibleName("Columns by similarity; click a column to see it")
        self.columns.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.columns.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.columns.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.columns.verticalHeader().setVisible(False)
        self.columns.setTabKeyNavigation(False)
        self.columns.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.columns.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.columns.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents)
        self.columns.setSortingEnabled(True)
        self.columns.itemSelectionChanged.connect(self._on_column_selected)
        left_layout.addWidget(self.columns, 1)
        split.addWidget(left)

        self.tabs = QTabWidget()
        self.overview = OverviewGrid()
        self.overview.sig_column_clicked.connect(self._on_tile_clicked)
        self.tabs.addTab(self.overview, "Every column")
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
        self.losses = _LossesView()
        self.tabs.addTab(self.losses, "Pairs that changed most")
        split.addWidget(self.tabs)
        split.setSizes([300, 900])
        split.setStretchFactor(1, 1)
        self.body.addWidget(split, 1)

        self.runner.sig_done.connect(self._on_compared)
        self.runner.sig_failed.connect(self._on_failed)

    def on_enter(self) -> None:  # noqa: D102
        result = self.state.result
        if result is None or result is self._shown_result:
            return
        self._shown_result = result
        self.table_row.setVisible(hasattr(result, "relations"))
        if hasattr(result, "relations"):  # related tables
            self._show_related(result)
            return
        quality = result.quality
        self._show_verdict(result)
        self.overall.setText(f"<b>Overall quality {quality.overall:.0%} — "
                             f"{quality_in_words(quality.overall)}.</b> {self._method(result)}")
        pairs = ("not scored" if quality.column_pair_trends is None
                 else f"{quality.column_pair_trends:.0%}")
        evidence = result.evidence
        utility = evidence.utility.to_dict() if evidence and evidence.utility else None
        learned = len(self.state.table.data) - (evidence.holdout_rows if evidence else 0)
        note = sampling_note(learned, result.rows, len(result.synthetic))
        self.details.setText(
            f"Column shapes {quality.column_shapes:.0%} · relations between columns {pairs} · "
            f"synthetic rows identical to a real row: {result.exact_copies:.1%}. "
            f"{utility_sentence(utility)} {note} "
            f"{rare_group_sentence(_rare(result))} "
            "Click a column to see both sides on the same scale; the worst are at the top; "
            "All scores explains each measure.")
        self._fill_scores(result)
        self.losses.show_result(getattr(result, "pair_losses", ()),
                                getattr(result, "kept_relations", ()))
        self.columns.setSortingEnabled(False)
        self.columns.setRowCount(0)
        self.overview.set_views([])
        self.dists = {}
        self.views = {}
        self.next_step.clear()
        self.tabs.setCurrentWidget(self.overview)
        protection = getattr(result, "protection", None)
        self.runner.start(_compare(self.state.table.data, result.synthetic,
                                   list(self.state.specs), dict(quality.per_column),
                                   getattr(protection, "subject", None)))

    def _show_related(self, result) -> None:
        """Each table's quality and the link between them; columns of the chosen table."""
        from synthdesk.evaluation.related_report import related_overview

        sentence, lines = related_overview(result)
        for card in (self.faithful, self.safe):
            card.show_answer("see below", "Related tables are judged table by table and "
                             "by the link between them.", "none")
        self.overall.setText(sentence)
        self.losses.show_result((), ())
        self.details.setText("Choose a table to see its columns, real beside synthetic; "
                             "All scores has the link between the tables.")
        self.scores.setRowCount(len(lines))
        for row, (label, value, meaning) in enumerate(lines):
            self.scores.setItem(row, 0, QTableWidgetItem(label))
            item = QTableWidgetItem(value)
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.scores.setItem(row, 1, item)
            self.scores.setItem(row, 2, QTableWidgetItem(meaning))
        self.scores.resizeRowsToContents()
        self.next_step.clear()
        self.table_choice.clear()
        self.table_choice.addItems([t.name for t in result.tables])
        self.table_choice.setCurrentIndex(len(result.tables) - 1)  # the related rows first
        self._on_table_chosen(self.table_choice.currentIndex())

    def _on_table_chosen(self, index: int) -> None:
        result = self.state.result
        if not hasattr(result, "relations") or index < 0:
            return
        chosen = result.tables[index]
        related = self.state.related[index - 1] if index else None
        real = self.state.table.data if related is None else related.table.data
        quality = result.quality.get(chosen.name)
        self.columns.setSortingEnabled(False)
        self.columns.setRowCount(0)
        self.overview.set_views([])
        self.views, self.dists = {}, {}
        self.tabs.setCurrentWidget(self.overview)
        key = None if related is None else related.match.child_key
        self.runner.start(_compare(real, chosen.data, list(chosen.columns),
                                   dict(quality.per_column) if quality else {}, key))

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
        views, matrices = payload
        self.views = {v.name: v for v in views}
        if not hasattr(self.state.result, "relations"):
            self.state.column_views = self.views
            self.state.column_views_of = self.state.result
        self.dists = {v.name: v.distribution for v in views}
        self.columns.setRowCount(len(views))
        for row, view in enumerate(views):
            name = QTableWidgetItem(view.name)
            name.setToolTip(view.name)
            self.columns.setItem(row, 0, name)
            self.columns.setItem(row, 1, _ScoreItem(view.score, view.replaced))
        self.columns.setSortingEnabled(True)
        self.columns.sortItems(1, Qt.SortOrder.AscendingOrder)
        self.overview.set_views(views)
        self._on_search(self.search.text())
        if self.columns.rowCount():
            self.columns.blockSignals(True)  # the overview stays in front
            self.columns.selectRow(0)
            self.columns.blockSignals(False)
            self.show_column(self.columns.item(0, 0).text())
        self.pairs.show_matrices(*matrices)
        if not hasattr(self.state.result, "relations"):
            self.next_step.setText(f"<b>Next step:</b> {self._next_step(views)}")

    def _next_step(self, views) -> str:
        from synthdesk.evaluation.overview import next_step
        from synthdesk.generators.registry import GENERATORS

        result = self.state.result
        labels = {name: info.label for name, info in GENERATORS.items()}
        return next_step(views, self.state.specs, result.generator, labels,
                         result.exact_copies)

    def _on_search(self, text: str) -> None:
        self.overview.set_filter(text)
        needle = text.casefold()
        for row in range(self.columns.rowCount()):
            item = self.columns.item(row, 0)
            self.columns.setRowHidden(row, bool(needle) and needle not in item.text().casefold())

    def _on_tile_clicked(self, name: str) -> None:
        for row in range(self.columns.rowCount()):
            if self.columns.item(row, 0).text() == name:
                self.columns.selectRow(row)
                break
        self.show_column(name)
        self.tabs.setCurrentWidget(self.plot)

    def show_column(self, name: str) -> None:
        """Draw one column's full plot."""
        if name in self.views:
            self.plot.show_view(self.views[name])

    def _on_failed(self, error) -> None:
        self.error.show_error(getattr(error, "message", None) or "The comparison failed.",
                              getattr(error, "details", ""))

    def _on_column_selected(self) -> None:
        rows = self.columns.selectionModel().selectedRows()
        if not rows:
            return
        self.show_column(self.columns.item(rows[0].row(), 0).text())
        self.tabs.setCurrentWidget(self.plot)
