"""Step 3: how to learn the table, in plain words, with an Advanced section."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QRadioButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
)

from synthdesk.core.estimate import JobEstimate, estimate_for
from synthdesk.core.job import DEFAULT_HOLDOUT, HOLDOUT_MIN_PARENTS, HOLDOUT_MIN_ROWS, TrainingPlan
from synthdesk.core.related import RELATED_LABELS
from synthdesk.errors import InvalidChoice
from synthdesk.generators.choice import choose_generator
from synthdesk.generators.registry import (
    AUTO_GENERATOR,
    AUTO_LABEL,
    GENERATORS,
    is_neural,
    label_of,
)
from synthdesk.gui.pages.base import WizardPage
from synthdesk.gui.widgets.rare_group import RareGroupBox
from synthdesk.progress import STAGE_LABELS
from synthdesk.schema.columns import Action, Kind

__all__ = ["GeneratorPage", "CHOICES", "RELATED_CHOICES"]

# The plain choices on the main path. Each generator's name and sentence come from the
# registry, so every page, the CLI and the report call it the same. Decision trees were
# both quicker and more faithful than the neural networks in SynthDesk's benchmark
# (bench/cart.py), so "Best quality" is not the slowest choice.
CHOICES = (
    (AUTO_GENERATOR, "Choose for me (recommended)",
     "Picks the method from your table's size and says why."),
    *((name, GENERATORS[name].label, GENERATORS[name].summary)
      for name in ("gaussian_copula", "cart", "tvae")),
)
# With related tables: only the generators that learn them (core.related's own list).
RELATED_CHOICES = (
    (AUTO_GENERATOR, "Choose for me (recommended)",
     "Picks the decision trees for related tables."),
    ("cart", RELATED_LABELS["cart"],
     "Each related row is drawn given its row of the main table and the related row "
     "before it, so the order, the gaps and each row's trend survive."),
    ("hma", RELATED_LABELS["hma"],
     "SDV's hierarchical Gaussian copulas. They do not keep the order of related rows, "
     "and take longer than the decision trees."),
)
_NO_TARGET = "(no check)"


_DETECTED_SUBJECT = "Found by SynthDesk"
_UNSET = object()
_MAX_SEED = 2**31 - 1


def _neural(name: str) -> bool:
    """Whether ``name`` trains epoch by epoch (the related tables' generators never do)."""
    return name in GENERATORS and is_neural(name)



class GeneratorPage(WizardPage):
    """Choose for me or a named method, and the generator, epochs, seed and rows."""

    title = "Choose how to learn your table"
    subtitle = "Times are estimates for this table, measured on a typical 2-core computer."
    next_text = "&Train"

    def __init__(self, state, parent=None):
        super().__init__(state, parent)
        self._version = -1
        self._related: bool | None = None  # related tables open: their generators only
        self.group = QButtonGroup(self)
        self.radios: dict[str, QRadioButton] = {}
        self.estimates: dict[str, QLabel] = {}
        # One radio per generator, each with its words for one table and for related tables.
        self._words: dict[tuple[bool, str], tuple[str, str]] = {}
        self.details: dict[str, QLabel] = {}
        box = QVBoxLayout()
        for related, choices in ((False, CHOICES), (True, RELATED_CHOICES)):
            for name, label, text in choices:
                self._words[(related, name)] = (label, text)
                if name in self.radios:
                    continue
                radio = QRadioButton(label)
                font = radio.font()
                font.setBold(True)
                radio.setFont(font)
                self.group.addButton(radio)
                self.radios[name] = radio
                detail = QLabel(text)
                detail.setIndent(24)
                detail.setWordWrap(True)
                self.details[name] = detail
                estimate = QLabel()
                estimate.setIndent(24)
                estimate.setWordWrap(True)
                estimate.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                self.estimates[name] = estimate
                box.addWidget(radio)
                box.addWidget(detail)
                box.addWidget(estimate)
                box.addSpacing(8)
                radio.toggled.connect(lambda on, n=name: on and self._on_choice(n))
        self.body.addLayout(box)

        usefulness = QFormLayout()
        self.target = QComboBox()
        self.target.setAccessibleName("Column a model should predict, to check usefulness")
        self.target.setToolTip(
            "SynthDesk trains a model on synthetic rows and one on real rows, tests both on "
            "real rows it set aside, and compares their scores.")
        self.target.addItem(_NO_TARGET, None)
        usefulness.addRow("Check usefulness by &predicting:", self.target)
        self.subject = QComboBox()
        self.subject.setAccessibleName("The column that says which person each row is about")
        self.subject.setToolTip(
            "When a person has several rows (a customer's invoices, a patient's visits), "
            "privacy counts people, not rows: a value one customer holds on seven invoices "
            "is still rare. SynthDesk finds such a column; choose another here.")
        self.subject.addItem(_DETECTED_SUBJECT, None)
        usefulness.addRow("Rows belong to:", self.subject)
        self.usefulness = usefulness
        self.body.addLayout(usefulness)
        self.rare = RareGroupBox()
        self.rare.sig_changed.connect(self.sig_complete_changed)
        self.body.addWidget(self.rare)

        self.advanced_toggle = QToolButton()
        self.advanced_toggle.setText("Advanced settings")
        self.advanced_toggle.setCheckable(True)
        self.advanced_toggle.setAccessibleName("Show advanced settings")
        self.body.addWidget(self.advanced_toggle)
        self.advanced = QGroupBox()
        form = QFormLayout(self.advanced)
        self.generator = QComboBox()
        self.generator.setAccessibleName("Generator")
        self.epochs = QSpinBox()
        self.epochs.setRange(1, 100_000)
        self.epochs.setValue(GENERATORS["ctgan"].default_epochs or 300)
        self.epochs.setAccessibleName("Training epochs")
        self.epochs.setToolTip("How many passes the neural network makes over the table.")
        self.seed = QSpinBox()
        self.seed.setRange(0, _MAX_SEED)
        self.seed.setAccessibleName("Seed")
        self.seed.setToolTip("The same table, settings and seed give the same synthetic table.")
        self.rows = QSpinBox()
        self.rows.setRange(1, 100_000_000)
        self.rows.setGroupSeparatorShown(True)
        self.rows.setAccessibleName("Rows to generate")
        self.rows.setToolTip("As many as the input by default; more is allowed.")
        self.holdout = QSpinBox()
        self.holdout.setRange(-1, 50)
        self.holdout.setSuffix(" %")

        self.holdout.setAccessibleName("Share of real rows set aside to check privacy and "
                                       "usefulness")
        self.holdout.setToolTip("Real rows never learned: synthetic rows are compared with "
                                "them to show that no one was memorised.")
        form.addRow("&Generator:", self.generator)
        form.addRow("&Epochs (neural only):", self.epochs)
        form.addRow("&Seed:", self.seed)
        form.addRow("&Rows to generate:", self.rows)
        form.addRow("Real rows set &aside for checks:", self.holdout)
        self.advanced.setVisible(False)
        self.advanced_toggle.toggled.connect(self.advanced.setVisible)
        self.body.addWidget(self.advanced)
        self.body.addStretch(1)

        self.generator.currentIndexChanged.connect(self._on_generator_changed)
        self.epochs.valueChanged.connect(self._refresh_estimates)
        self.rows.valueChanged.connect(self._refresh_estimates)
        self.holdout.valueChanged.connect(self._refresh_estimates)
        self._wanted_rows: int | None = None
        self._wanted_target: str | None = None
        self._wanted_subject = _UNSET
        self._set_related(False)
        self.set_plan(TrainingPlan(AUTO_GENERATOR))

    # -- public -------------------------------------------------------------------------
    def plan(self) -> TrainingPlan:
        """The settings chosen on this page."""
        name = self.generator.currentData()
        holdout = None if self.holdout.value() < 0 else self.holdout.value() / 100
        try:
            conditions = self.rare.conditions()
        except InvalidChoice:
            conditions = ()  # the page says why and Next waits
        rebalance = self.rare.rebalance()
        related = bool(self._related)
        return TrainingPlan(name, rows=self.rows.value(), seed=self.seed.value(),
                            epochs=self.epochs.value() if _neural(name) else None,
                            holdout=holdout, target=self.target.currentData(),
                            conditions=conditions, rebalance=rebalance,
                            augment=rebalance is not None and self.rare.augment.isChecked()
                            and not related,
                            subject=None if related else self.subject.currentData())

    def is_complete(self) -> bool:  # noqa: D102
        return not self.rare.problem_text()

    def estimate_of(self, name: str) -> JobEstimate | None:
        """The job's estimate with generator ``name`` and this page's other settings.

        It is the pipeline's own estimate (:func:`synthdesk.core.estimate.estimate_for`),
        so ``auto`` gives the same figure as the generator it picks, and the Train page
        the same as this page. None before a table is open.
        """
        table = self.state.table
        if table is None:
            return None
        plan = self.plan()
        epochs = None
        if _neural(name):
            epochs = self.epochs.value() if name == self.generator.currentData() \
                else GENERATORS[name].default_epochs
        plan = dataclasses.replace(plan, generator=name, epochs=epochs)
        return estimate_for(table.data, self.state.specs, plan)

    def set_plan(self, plan: TrainingPlan) -> None:
        """Show ``plan``'s settings (rows only if given)."""
        self.generator.setCurrentIndex(max(self.generator.findData(plan.generator), 0))
        self._on_generator_changed()
        if plan.epochs:
            self.epochs.setValue(plan.epochs)
        self.seed.setValue(plan.seed)
        self.holdout.setValue(-1 if plan.holdout is None else round(plan.holdout * 100))
        self._wanted_rows = plan.rows
        self._wanted_target = plan.target
        self._wanted_subject = plan.subject
        self._select_target(plan.target)
        self._version = -1  # rows and targets are set again when the page is next shown

    def on_enter(self) -> None:  # noqa: D102
        if bool(self.state.related) != self._related:
            self._set_related(bool(self.state.related))
        if self._version != self.state.version and self.state.table is not None:
            self._version = self.state.version
            self.rows.setValue(self._wanted_rows or len(self.state.table.data))
            self._wanted_rows = None
        if self.state.table is not None:
            self._fill_targets()
            self._fill_subjects()
            self.rare.set_table(self.state.table.data, self.state.specs)
        self._refresh_estimates()

    def on_leave(self) -> None:  # noqa: D102
        self.state.plan = self.plan()

    def _fill_targets(self) -> None:
        """Offer the columns that are learned (not replaced or dropped), keeping the choice."""
        wanted = self._wanted_target if self._wanted_target is not None \
            else self.target.currentData()
        self.target.blockSignals(True)
        self.target.clear()
        self.target.addItem(_NO_TARGET, None)
        for spec in self.state.specs:
            if spec.action is Action.SYNTHESIZE:
                self.target.addItem(spec.name, spec.name)
        self.target.blockSignals(False)
        self._select_target(wanted)
        self._wanted_target = None

    def _fill_subjects(self) -> None:
        """Offer the columns that can name a person (keys and categories), keeping the choice."""
        wanted = self.subject.currentData() if self._wanted_subject is _UNSET \
            else self._wanted_subject
        self.subject.blockSignals(True)
        self.subject.clear()
        self.subject.addItem(_DETECTED_SUBJECT, None)
        self.subject.addItem("Each row is a different person", "")
        for spec in self.state.specs:
            if spec.kind in (Kind.IDENTIFIER, Kind.CATEGORY, Kind.INTEGER) and \
                    spec.action is not Action.DROP:
                self.subject.addItem(spec.name, spec.name)
        self.subject.blockSignals(False)
        index = self.subject.findData(wanted)
        self.subject.setCurrentIndex(index if index >= 0 else 0)
        self._wanted_subject = _UNSET

    def _select_target(self, name: str | None) -> None:
        self.target.setCurrentIndex(max(self.target.findData(name), 0) if name else 0)

    def _set_related(self, related: bool) -> None:
        """Offer the generators for one table, or those that learn related tables."""
        self._related = related
        names = [c[0] for c in (RELATED_CHOICES if related else CHOICES)]
        for name, radio in self.radios.items():
            shown = name in names
            label, text = self._words.get((related, name)) or self._words[(not related, name)]
            radio.setText(label)
            radio.setAccessibleName(f"{label}: {text}")
            self.details[name].setText(text)
            for widget in (radio, self.details[name], self.estimates[name]):
                widget.setVisible(shown)
        current = self.generator.currentData()
        self.generator.blockSignals(True)
        self.generator.clear()
        self.generator.addItem(f"{AUTO_LABEL} — {AUTO_GENERATOR}", AUTO_GENERATOR)
        if related:
            for name in names[1:]:
                self.generator.addItem(f"{RELATED_LABELS[name]} — {name}", name)
        else:
            for info in GENERATORS.values():
                self.generator.addItem(f"{info.label} — {info.name}", info.name)
        self.generator.setCurrentIndex(max(self.generator.findData(current), 0))
        self.generator.blockSignals(False)
        self.usefulness.setRowVisible(self.subject, not related)
        self.usefulness.labelForField(self.target).setText(
            "Check usefulness by &predicting (a column of the main table):" if related
            else "Check usefulness by &predicting:")
        self.rare.set_related(related)
        self.advanced.layout().labelForField(self.rows).setText(
            "&Rows of the main table to generate:" if related else "&Rows to generate:")
        self.subtitle_label.setText(
            "Related tables are learned together: the main table's rows, then each one's "
            "related rows. Their times are not estimated yet." if related else self.subtitle)
        self.holdout.setSpecialValueText(
            f"Automatic ({DEFAULT_HOLDOUT:.0%} of the main table's rows from "
            f"{HOLDOUT_MIN_PARENTS:,}, each with its related rows)" if related else
            f"Automatic ({DEFAULT_HOLDOUT:.0%} of tables from {HOLDOUT_MIN_ROWS:,} rows)")
        self._on_generator_changed()

    # -- slots ---------------------------------------------------------------------------
    def _on_choice(self, name: str) -> None:
        if self.generator.currentData() != name:
            self.generator.setCurrentIndex(self.generator.findData(name))

    def _on_generator_changed(self, *_args) -> None:
        name = self.generator.currentData()
        self.epochs.setEnabled(_neural(name))
        radio = self.radios.get(name)
        self.group.setExclusive(radio is not None)
        if radio is not None:
            radio.setChecked(True)
        else:
            for other in self.radios.values():
                other.setChecked(False)
        self._refresh_estimates()

    def _refresh_estimates(self, *_args) -> None:
        table = self.state.table
        if table is None or self._related:  # related tables: no estimate of their time yet
            for label in self.estimates.values():
                label.setText("")
            return
        rows = len(table.data)
        for name, label in self.estimates.items():
            if name not in GENERATORS and name != AUTO_GENERATOR:
                continue  # a generator for related tables only
            estimate = self.estimate_of(name)
            text = f"For your {rows:,} rows: {estimate.in_words()}"
            if name == AUTO_GENERATOR:
                learned = rows - int(rows * self.plan().holdout_share(rows))
                reason = choose_generator(learned, estimate.learned_columns).reason
                text = f"{reason} {text}, as for {label_of(estimate.generator)}."
            label.setText(text)
            label.setToolTip("Expected: " + ", ".join(
                f"{STAGE_LABELS[stage].lower()} {bar.stage_seconds(stage):.0f} s"
                for bar in [estimate.bar()] for stage in bar.stages))
