"""A verdict card: one answer in large type and the sentence that explains it."""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

__all__ = ["VerdictCard"]

# Border and tint per tone; the tint is translucent so it reads on light and dark palettes.
_TONES = {
    "good": ("#43a047", "rgba(67, 160, 71, 40)"),
    "mid": ("#f9a825", "rgba(249, 168, 37, 40)"),
    "bad": ("#e53935", "rgba(229, 57, 53, 40)"),
    "none": ("#9e9e9e", "rgba(158, 158, 158, 30)"),
}


class VerdictCard(QFrame):
    """``question: answer`` over one explaining sentence, tinted by how good the answer is."""

    def __init__(self, question: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("verdictCard")
        self.question = question
        self.headline = QLabel()
        self.headline.setAccessibleName(question)
        self.why = QLabel()
        self.why.setWordWrap(True)
        self.why.setAccessibleName(f"{question}: why")
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.why, 1)
        self.show_answer("", "", "none")
        self._styled_for = self.palette().color(QPalette.ColorRole.WindowText).name()

    @property
    def answer(self) -> str:
        """The answer shown ("" when there is none)."""
        return self._answer

    def show_answer(self, answer: str, why: str, tone: str) -> None:
        """Show ``answer`` with its reason; ``tone`` is ``good``, ``mid``, ``bad`` or ``none``."""
        self._answer = answer
        self._shown = (answer, why, tone)
        border, tint = _TONES.get(tone, _TONES["none"])
        self.setStyleSheet(f"#verdictCard {{ border: 1px solid {border}; border-radius: 6px; "
                           f"background: {tint}; }} "
                           "#verdictCard QLabel { color: palette(window-text); }")
        self.headline.setText(f"<span style='font-size:14pt'>{self.question}: "
                              f"<b>{answer or '—'}</b></span>")
        self.why.setText(why)

    def changeEvent(self, event) -> None:  # noqa: N802, D102
        super().changeEvent(event)
        from PySide6.QtCore import QEvent, QTimer

        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange) \
                and hasattr(self, "_shown") and not getattr(self, "_restyle_due", False):
            # Style sheets keep the palette they were applied with: apply this one again,
            # once the change is over (not from inside it).
            self._restyle_due = True
            QTimer.singleShot(0, self._restyle)

    def _restyle(self) -> None:
        self._restyle_due = False
        from PySide6.QtWidgets import QApplication

        text = QApplication.palette().color(QPalette.ColorRole.WindowText).name()
        if text == getattr(self, "_styled_for", None):
            return  # this palette is applied already (the style sheet's own echo)
        self._styled_for = text
        self.setStyleSheet("")
        self.show_answer(*self._shown)
