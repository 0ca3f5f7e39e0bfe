"""Help: a short user guide, a glossary of the scores, and a "?" button that opens it."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from synthdesk.evaluation.summary import SCORE_EXPLANATIONS
from synthdesk.generators.registry import GENERATORS

__all__ = ["HelpDialog", "HelpButton", "GLOSSARY", "show_help", "guide_html"]

# Term -> (anchor, explanation). One-line meanings of the scores come from the summary
# module the report uses too, so the window and the report say the same thing.
GLOSSARY: dict[str, tuple[str, str]] = {
    "Quality": ("quality", "How faithful the synthetic table is, 0-100%. "
                + SCORE_EXPLANATIONS["quality.overall"] + " Column shapes: "
                + SCORE_EXPLANATIONS["quality.column_shapes"] + " Above 80% the main "
                "patterns are kept; under 65% check the worst columns first."),
    "Pair trends": ("pairs", SCORE_EXPLANATIONS["quality.column_pair_trends"] + " SynthDesk "
                    "compares the correlation of every two number or date columns in the real "
                    "and the synthetic table, and lists the pairs kept least and most alike."),
    "Safe to share": ("safe", "Whether the synthetic table gives away real people: no "
                      "sensitive value leaked, no more copies of real rows than chance makes, "
                      "and synthetic rows no closer to the learned rows than to unseen ones."),
    "DCR share": ("dcr", SCORE_EXPLANATIONS["privacy.dcr_share"] + " DCR is the distance to "
                  "the closest record."),
    "NNDR": ("nndr", SCORE_EXPLANATIONS["privacy.nndr"] + " NNDR is the nearest-neighbour "
             "distance ratio; compare it with the NNDR of unseen rows."),
    "Discriminator": ("discriminator", SCORE_EXPLANATIONS["quality.discriminator_auc"]
                      + " It is a model trained to tell the two tables apart; the harder its "
                      "job, the more faithful the synthetic rows."),
    "Holdout": ("holdout", SCORE_EXPLANATIONS["privacy.holdout_rows"] + " They show what is "
                "normal for this table, so a privacy score can be read against chance; they "
                "also test whether a model trained on synthetic rows predicts real ones."),
    "Epochs": ("epochs", "How many passes a neural network makes over the table while it "
               "learns. More epochs learn more detail and take longer; the loss curve on the "
               "Train page should flatten before training ends."),
    "(other)": ("other", SCORE_EXPLANATIONS["privacy.rare_categories_protected"] + " The "
                "Compare page shows the share of “(other)” in the real and the synthetic "
                "column."),
}


def guide_html() -> str:
    """The user guide and the glossary as one HTML page with an anchor per term."""
    methods = "".join(f"<li><b>{escape(info.label)}</b>: {escape(info.summary)}</li>"
                      for info in GENERATORS.values())
    terms = "".join(f"<h3><a name='{anchor}'></a>{escape(term)}</h3><p>{escape(text)}</p>"
                    for term, (anchor, text) in GLOSSARY.items())
    return (
        "<h2><a name='guide'></a>Using SynthDesk</h2>"
        "<ol>"
        "<li><b>Open</b> a CSV or Excel table. It is only read, never changed, and nothing "
        "leaves this computer. The preview shows each column's detected kind.</li>"
        "<li><b>Columns</b>: sensitive columns (names, e-mails, IDs…) are listed first, in "
        "red. They are replaced with realistic fakes. Mark any other column that could point "
        "to a person; <i>Reset to detected</i> undoes every change.</li>"
        "<li><b>Method</b>: let SynthDesk choose, or pick one:"
        f"<ul>{methods}</ul></li>"
        "<li><b>Train</b>: learning runs in the background; Cancel stops it at once. Going "
        "Back to look at the columns keeps a finished training.</li>"
        "<li><b>Compare</b>: every column at once, worst first; click one to see it in full. "
        "The next step names what to change.</li>"
        "<li><b>Save</b>: look through the synthetic rows, then write them with a report.</li>"
        "</ol>"
        f"<h2><a name='glossary'></a>Glossary</h2>{terms}"
    )


class HelpDialog(QDialog):
    """The guide and glossary, scrolled to ``topic`` (an anchor such as ``"nndr"``)."""

    def __init__(self, topic: str = "guide", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("SynthDesk help")
        self.resize(640, 560)
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("Help")
        self.browser.setOpenExternalLinks(False)
        self.browser.setHtml(guide_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.show_topic(topic)

    def show_topic(self, topic: str) -> None:
        """Scroll to the glossary entry or section called ``topic``."""
        self.topic = topic
        self.browser.scrollToAnchor(topic)


_OPEN: list[HelpDialog] = []


def show_help(topic: str = "guide", parent: QWidget | None = None) -> HelpDialog:
    """Show the help window (one, reused) at ``topic``, without blocking the window."""
    if not _OPEN:
        _OPEN.append(HelpDialog(topic, parent or QApplication.activeWindow()))
    dialog = _OPEN[0]
    dialog.show()
    dialog.raise_()
    dialog.show_topic(topic)
    return dialog


class HelpButton(QToolButton):
    """A small "?" beside a score: opens the glossary at its term."""

    def __init__(self, topic: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.topic = topic
        term = next((t for t, (a, _text) in GLOSSARY.items() if a == topic), topic)
        self.setText("?")
        self.setAccessibleName(f"What does {term} mean?")
        self.setToolTip(GLOSSARY.get(term, ("", ""))[1] or f"What {term} means")
        self.clicked.connect(lambda: show_help(self.topic, self.window()))
