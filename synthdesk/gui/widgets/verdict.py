"""A verdict card: one answer in large type and the sentence that explains it."""

from __future__ import annotations

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

    @property
    def answer(self) -> str:
        """The answer shown ("" when there is none)."""
        return self._answer

    def show_answer(self, answer: str, why: str, tone: str) -> None:
        """Show ``answer`` with its reason; ``tone`` is ``good``, ``mid``, ``bad`` or ``none``."""
        self._answer = answer
        border, tint = _TONES.get(tone, _TONES["none"])
        self.setStyleSheet(f"#verdictCard {{ border: 1px solid {border}; border-radius: 6px; "
                           f"background: {tint}; }}")
        self.headline.setText(f"<span style='font-size:14pt'>{self.question}: "
                              f"<b>{answer or '—'}</b></span>")
        self.why.setText(why)
