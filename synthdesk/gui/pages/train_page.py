"""Step 4: train in a separate process, with real progress, a loss curve and Cancel."""

from __future__ import annotations

import time

import pyqtgraph as pg
from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QProgressBar, QPushButton

from synthdesk.core.epochs import loss_by_epoch, parse_epoch
from synthdesk.core.estimate import JobEstimate, estimate_for
from synthdesk.core.pipeline import table_name, train
from synthdesk.core.related import leak_table
from synthdesk.evaluation.distributions import quality_in_words
from synthdesk.generators.registry import is_neural
from synthdesk.gui.pages.base import InlineError, WizardPage
from synthdesk.gui.tasks import TaskRunner
from synthdesk.gui.widgets.distribution_plot import PALETTE_EVENTS, style_plot
from synthdesk.progress import STAGE_LABELS, TimeLeft, describe_duration

__all__ = ["TrainPage"]

_LOSS_PENS = ("#1e88e5", "#fb8c00", "#43a047")


def _train(data, specs, plan):
    """The training task: waits on the training process, so this thread stays idle."""

    def task(progress, cancel):
        return train(data, specs, plan, progress, cancel, leave_a_core=True)

    return task


def _train_related(understood, plan, keep_orphans: bool):
    """Related tables: the same, through the core's pipeline for related tables."""

    def task(progress, cancel):
        from synthdesk.core.related import train_related

        return train_related(understood, plan, keep_orphans, progress, cancel,
                             leave_a_core=True)

    return task


class TrainPage(WizardPage):
    """Runs the job; Cancel stops it within two seconds and keeps every choice.

    Signals:
        sig_show_columns(int): The user asked to go back to the Columns step, to the
            table given (0: the main one; i: the i-th related), after marking the columns
            a privacy check named there as not sensitive.

    """

    sig_show_columns = Signal(int)

    title = "Learn and generate"
    subtitle = (
        "SynthDesk learns the patterns of your table, then writes new rows that follow them. "
        "You can keep working elsewhere; Cancel stops at once."
    )
    next_text = "Co&mpare"

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        self.runner = TaskRunner(self)
        self._started = 0.0
        self._fraction = 0.0
        self._losses: list[list[float]] = []
        self.estimate: JobEstimate | None = None
        self._time_left: TimeLeft | None = None

        self.status = QLabel("Ready.")
        self.status.setAccessibleName("Training status")
        self.status.setWordWrap(True)  # a long step name must not widen the window
        self.body.addWidget(self.status)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setAccessibleName("Training progress")
        self.body.addWidget(self.progress)
        self.stages = QLabel()
        self.stages.setAccessibleName("Training stages")
        self.stages.setWordWrap(True)
        self.body.addWidget(self.stages)
        self.timing = QLabel()
        self.timing.setWordWrap(True)
        self.body.addWidget(self.timing)

        buttons = QHBoxLayout()
        self.cancel_button = QPushButton("&Cancel")
        self.cancel_button.setAccessibleName("Cancel training")
        self.cancel_button.clicked.connect(self.cancel)
        self.again_button = QPushButton("T&rain again")
        self.again_button.setAccessibleName("Train again with the current settings")
        self.again_button.clicked.connect(self.start)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.again_button)
        buttons.addStretch(1)
        self.body.addLayout(buttons)
        self.error = InlineError()
        self.body.addWidget(self.error)
        self.fix_button = QPushButton()
        self.fix_button.setAccessibleName("Mark the columns named above not sensitive")
        self.fix_button.clicked.connect(self._on_fix_clicked)
        self.fix_button.setVisible(False)
        self._unmark: tuple[int, list[str]] = (0, [])  # table, columns
        self.body.addWidget(self.fix_button)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.body.addWidget(self.summary)
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.reason.setAccessibleName("Why this method")
        self.body.addWidget(self.reason)

        self.loss_title = QLabel("Training loss per epoch (lower and steady is better)")
        self.body.addWidget(self.loss_title)
        self.plot = pg.PlotWidget()
        self.plot.setAccessibleName("Training loss curve")
        style_plot(self.plot, self)
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.plot.setLabel("bottom", "epoch")
        self.plot.setLabel("left", "loss")
        self.plot.setMouseEnabled(x=False, y=False)
        self.curves: list[pg.PlotDataItem] = []
        self.body.addWidget(self.plot, 1)
        self.body.addStretch(0)

        self.clock = QTimer(self)
        self.clock.setInterval(500)
        self.clock.timeout.connect(self._update_timing)
        self.runner.sig_progress.connect(self._on_progress)
        self.runner.sig_done.connect(self._on_done)
        self.runner.sig_failed.connect(self._on_failed)
        self.runner.sig_cancelled.connect(self._on_cancelled)
        self._set_running(False)
        self._show_plot(False)

    # -- public -------------------------------------------------------------------------
    def on_enter(self) -> None:  # noqa: D102
        key = self.state.training_key()
        if self.state.result is None or self.state.result_key != key:
            if not self.runner.running:
                self.start()

    def on_leave(self) -> None:  # noqa: D102
        if self.runner.running:
            self.cancel()

    def can_leave(self) -> bool:
        """While training runs, ask before stopping it; a finished training is kept."""
        if not self.runner.running:
            return True
        box = QMessageBox(QMessageBox.Icon.Question, "Stop training?",
                          "Training is still running. Going to another step stops it, and "
                          "it starts again from the beginning when you come back.",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.button(QMessageBox.StandardButton.Yes).setText("&Stop training")
        box.button(QMessageBox.StandardButton.No).setText("&Keep training")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        self.question = box
        return box.exec() == QMessageBox.StandardButton.Yes

    def changeEvent(self, event) -> None:  # noqa: N802, D102
        super().changeEvent(event)
        if event.type() in PALETTE_EVENTS and hasattr(self, "plot"):
            style_plot(self.plot, self)

    def is_complete(self) -> bool:  # noqa: D102
        return (self.state.result is not None and not self.runner.running
                and self.state.result_key == self.state.training_key())

    def start(self) -> None:
        """Train with the state's table, columns and plan."""
        table = self.state.table
        if table is None:
            return
        self.state.result = None
        self.error.clear()
        self.fix_button.setVisible(False)
        self.summary.clear()
        self.reason.clear()
        self._losses = []
        for curve in self.curves:
            self.plot.removeItem(curve)
        self.curves = []
        self._show_plot(not self.state.related and is_neural(self.state.plan.generator))
        self._key = self.state.training_key()
        self._started = time.monotonic()
        self._fraction = 0.0
        related = self.state.related
        # The pipeline's own estimate of this training: the bar's shares follow it (related
        # tables run a pipeline of their own, with no estimate yet).
        self.estimate = None if related else \
            estimate_for(table.data, self.state.specs, self.state.plan)
        self._time_left = TimeLeft(self.estimate.bar(), self._started) \
            if self.estimate is not None else None
        self._show_stages()
        self.progress.setValue(0)
        self.status.setText("Starting…")
        self._set_running(True)
        if related:
            self.runner.start(_train_related(self.state.understood(), self.state.plan,
                                             self.state.keep_orphans))
        else:
            self.runner.start(_train(table.data, list(self.state.specs), self.state.plan))
        self.sig_complete_changed.emit()

    def cancel(self) -> None:
        """Stop training now."""
        self.runner.cancel()

    # -- slots ---------------------------------------------------------------------------
    def _on_progress(self, fraction: float, message: str) -> None:
        self._fraction = fraction
        self.progress.setValue(int(fraction * 1000))
        if self._time_left is not None:
            stage = self._time_left.stage
            self._time_left.update(fraction, time.monotonic())
            if self._time_left.stage != stage:
                self._show_stages()
        self.status.setText(message.split(" (loss")[0])
        parsed = parse_epoch(message)
        if parsed and parsed[2]:
            epoch, _total, losses = parsed
            self._losses.append(losses)
            self._draw_losses()

    def _on_done(self, result) -> None:
        self._set_running(False)
        self.state.result = result
        self.state.result_key = self._key
        self.progress.setValue(1000)
        total = time.monotonic() - self._started
        self.status.setText("Done.")
        self._show_stages(done=True)
        if hasattr(result, "relations"):  # related tables
            self._show_related(result, total)
            self.sig_complete_changed.emit()
            return
        expected = f" (expected {self.estimate.in_words()})" if self.estimate else ""
        self.timing.setText(f"Took {total:.0f} s{expected}: learning {result.fit_s:.1f} s, "
                            f"generating {result.sample_s:.1f} s, scoring "
                            f"{result.evaluate_s:.1f} s.")
        score = result.quality.overall
        self.summary.setText(
            f"<b>{result.rows:,} synthetic rows are ready.</b> Quality "
            f"{score:.0%}: {quality_in_words(score)}. Press Compare to see column by column.")
        self.reason.setText(result.generator_reason)
        if result.loss:  # the complete record, in case a progress message was skipped
            self._losses = loss_by_epoch(result.loss)
            self._draw_losses()
        self.sig_complete_changed.emit()

    def _on_failed(self, error) -> None:
        self._set_running(False)
        message = getattr(error, "message", None) or (
            "Training stopped because of an unexpected problem.")
        self.status.setText("Training did not finish.")
        self.error.show_error(
            f"{message} Your choices are kept: go Back to change them, or train again.",
            getattr(error, "details", "") or getattr(error, "__synthdesk_traceback__", ""))
        self._offer_fix(error, message)
        self.sig_complete_changed.emit()

    def _offer_fix(self, error, message: str) -> None:
        """After a leak check, one button marks the columns it named not sensitive.

        With related tables the check names its table: the columns are that table's.
        """
        from synthdesk.errors import PrivacyCheckFailed
        from synthdesk.privacy.leaks import columns_to_unmark

        index, names = 0, []
        if isinstance(error, PrivacyCheckFailed):
            if self.state.related:
                index = leak_table(message, self._table_names())
            if index is not None:
                names = columns_to_unmark(message, self._specs_of(index))
        self._unmark = (index or 0, names)
        if names:
            where = f" of {self._table_names()[index]}" if self.state.related else ""
            self.fix_button.setText(f"Mark {', '.join(names)}{where} not sensitive and go "
                                    "back to Columns")
        self.fix_button.setVisible(bool(names))

    def _table_names(self) -> list[str]:
        """The main table's name, then each related table's (as the leak check names them)."""
        return [table_name(self.state.table), *(r.name for r in self.state.related)]

    def _specs_of(self, index: int) -> list:
        return list(self.state.specs if index == 0 else self.state.related[index - 1].specs)

    def _on_fix_clicked(self) -> None:
        from synthdesk.schema.overrides import ColumnOverrides, apply_overrides

        index, names = self._unmark
        if index > len(self.state.related):  # the table was removed meanwhile
            return
        specs = self._specs_of(index)
        names = [n for n in names if any(s.name == n for s in specs)]
        specs = apply_overrides(specs, ColumnOverrides(not_sensitive=tuple(names)))
        if index == 0:
            self.state.specs = specs
        else:
            related = list(self.state.related)
            related[index - 1] = related[index - 1].with_specs(specs)
            self.state.related = tuple(related)
        self.fix_button.setVisible(False)
        self.error.clear()
        self.sig_show_columns.emit(index)

    def _on_cancelled(self) -> None:
        self._set_running(False)
        self.status.setText("Cancelled. Your choices are kept: go Back to change them, "
                            "or train again.")
        self.sig_complete_changed.emit()

    def _show_related(self, result, total: float) -> None:
        timing = result.timing
        self.timing.setText(f"Took {total:.0f} s: learning {timing.get('fit_s', 0):.1f} s, "
                            f"generating {timing.get('sample_s', 0):.1f} s, scoring "
                            f"{timing.get('evaluate_s', 0):.1f} s.")
        sizes = " and ".join(f"{len(t.data):,} rows of {t.name}" for t in result.tables)
        valid = min((r["valid_parent_share"] for r in result.relations), default=1.0)
        self.summary.setText(f"<b>{sizes} are ready.</b> {valid:.0%} of the related rows "
                             "point at a synthetic row of the main table. Press Compare to "
                             "see each table and the link between them.")
        self.reason.setText("Method: decision trees, each related row drawn given its row of "
                            "the main table and the related row before it."
                            if result.generator == "cart" else "Method: SDV's HMA.")

    # -- helpers -------------------------------------------------------------------------
    def _set_running(self, running: bool) -> None:
        self.cancel_button.setEnabled(running)
        self.again_button.setEnabled(not running)
        if running:
            self.clock.start()
            self.timing.setText("Elapsed 0 s")
        else:
            self.clock.stop()

    def _show_plot(self, visible: bool) -> None:
        self.plot.setVisible(visible)
        self.loss_title.setVisible(visible)

    def _update_timing(self) -> None:
        now = time.monotonic()
        text = f"Elapsed {now - self._started:.0f} s"
        if self._time_left is not None:
            text += f" · remaining {describe_duration(self._time_left.remaining(now))}"
        elif self._fraction > 0.08:  # related tables: the bar's pace so far
            elapsed = now - self._started
            remaining = elapsed * (1 - self._fraction) / self._fraction
            text += f" · remaining {describe_duration(remaining)}"
        self.timing.setText(text)

    def _show_stages(self, done: bool = False) -> None:
        """The four stages, each with its expected seconds; the current one in bold."""
        if self._time_left is None:
            self.stages.clear()
            return
        bar = self._time_left.bar
        current = bar.stages.index(self._time_left.stage)
        parts = []
        for number, stage in enumerate(bar.stages):
            seconds = bar.stage_seconds(stage)
            expected = f"~{seconds:.0f} s" if seconds >= 0.5 else "<1 s"
            text = f"{number + 1}. {STAGE_LABELS[stage]} ({expected})"
            if done or number < current:
                text += " ✓"
            elif number == current:
                text = f"<b>{text}</b>"
            parts.append(text)
        self.stages.setText(" · ".join(parts))

    def _draw_losses(self) -> None:
        width = max(len(r) for r in self._losses) if self._losses else 0
        names = ["generator", "discriminator", "loss 3"] if width > 1 else ["loss"]
        if len(self.curves) < width:
            legend = self.plot.addLegend(offset=(-10, 10))
            legend.setLabelTextColor(self.palette().color(QPalette.ColorRole.Text))
            for i in range(len(self.curves), width):
                pen = pg.mkPen(_LOSS_PENS[i % len(_LOSS_PENS)], width=2)
                self.curves.append(self.plot.plot(pen=pen, name=names[i]))
        for i, curve in enumerate(self.curves):
            values = [r[i] for r in self._losses if len(r) > i]
            curve.setData(range(1, len(values) + 1), values)
