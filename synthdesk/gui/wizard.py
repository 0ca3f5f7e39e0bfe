"""The stepper: a list of steps, the current page, and Back / Next."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QListWidget,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from synthdesk.gui.pages import (
    ColumnsPage,
    ComparePage,
    ExportPage,
    GeneratorPage,
    ImportPage,
    TrainPage,
    WizardState,
)

__all__ = ["Wizard", "STEPS"]

STEPS = ("Open", "Columns", "Method", "Train", "Compare", "Save")


class Wizard(QWidget):
    """Six pages in order. Back always works and keeps every choice.

    Signals:
        sig_page_changed(int): The page shown changed.

    """

    sig_page_changed = Signal(int)

    def __init__(self, settings: QSettings, parent: QWidget | None = None):
        super().__init__(parent)
        self.state = WizardState()
        self.import_page = ImportPage(self.state, settings)
        self.columns_page = ColumnsPage(self.state)
        self.generator_page = GeneratorPage(self.state)
        self.train_page = TrainPage(self.state)
        self.compare_page = ComparePage(self.state)
        self.export_page = ExportPage(self.state, settings)
        self.pages = [self.import_page, self.columns_page, self.generator_page,
                      self.train_page, self.compare_page, self.export_page]

        self.steps = QListWidget()
        self.steps.setAccessibleName("Steps")
        self.steps.addItems([f"{i + 1}.  {name}" for i, name in enumerate(STEPS)])
        self.steps.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.steps.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.steps.setFixedWidth(150)
        self.steps.setFrameShape(QFrame.Shape.NoFrame)
        self.steps.itemClicked.connect(self._on_step_clicked)
        self.stack = QStackedWidget()
        for page in self.pages:
            self.stack.addWidget(page)
            page.sig_complete_changed.connect(self._update_buttons)

        self.back_button = QPushButton("&Back")
        self.back_button.setAccessibleName("Back to the previous step")
        self.next_button = QPushButton("&Next")
        self.next_button.setAccessibleName("Next step")
        self.next_button.setDefault(True)
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)

        nav = QHBoxLayout()
        nav.addStretch(1)
        nav.addWidget(self.back_button)
        nav.addWidget(self.next_button)
        right = QVBoxLayout()
        right.addWidget(self.stack, 1)
        right.addLayout(nav)
        layout = QHBoxLayout(self)
        layout.addWidget(self.steps)
        layout.addLayout(right, 1)

        self.import_page.sig_loaded.connect(self._on_loaded)
        self.train_page.sig_show_columns.connect(self._on_show_columns)
        self.export_page.sig_start_over.connect(self._on_start_over)
        self._go(0)

    @property
    def index(self) -> int:
        """The page shown."""
        return self.stack.currentIndex()

    @property
    def current_page(self):
        """The page widget shown."""
        return self.pages[self.index]

    def next(self) -> None:
        """Go on, if the page allows it."""
        if self.index < len(self.pages) - 1 and self.current_page.is_complete():
            self._go(self.index + 1)

    def back(self) -> None:
        """Go back one page; nothing chosen is lost (a running training asks first)."""
        if self.index > 0 and self.current_page.can_leave():
            self._go(self.index - 1)

    def go_to(self, index: int) -> None:
        """Show an earlier page, or walk forward to a later one while each page allows it."""
        if index != self.index and not self.current_page.can_leave():
            return
        if index <= self.index:
            self._go(index)
            return
        while self.index < index and self.current_page.is_complete():
            self._go(self.index + 1)

    def _go(self, index: int) -> None:
        current = self.stack.currentWidget()
        if current is not None and self.stack.indexOf(current) != index:
            current.on_leave()
        self.stack.setCurrentIndex(index)
        self.steps.setCurrentRow(index)
        self.pages[index].on_enter()
        self._update_buttons()
        self.sig_page_changed.emit(index)

    def _on_step_clicked(self, item) -> None:
        self.go_to(self.steps.row(item))
        self.steps.setCurrentRow(self.index)

    def _on_show_columns(self, table: int) -> None:
        """Back to the Columns step, showing table ``table`` (0: the main one)."""
        self.go_to(1)
        if self.index == 1:
            self.columns_page.show_table(table)

    def _on_start_over(self) -> None:
        self.go_to(0)
        self.import_page.show_start()

    def _on_loaded(self) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        page = self.current_page
        last = self.index == len(self.pages) - 1
        self.back_button.setEnabled(self.index > 0)
        self.next_button.setVisible(not last)
        self.next_button.setText(page.next_text)
        self.next_button.setEnabled(page.is_complete())
        for i in range(self.steps.count()):
            reachable = i <= self.index or all(p.is_complete() for p in self.pages[:i])
            item = self.steps.item(i)
            flags = item.flags()
            if reachable:
                item.setFlags(flags | Qt.ItemFlag.ItemIsEnabled)
            else:
                item.setFlags(flags & ~Qt.ItemFlag.ItemIsEnabled)
