"""Draw a :class:`~synthdesk.evaluation.distributions.Distribution` and correlation matrices."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from synthdesk.evaluation.overview import compact_number, ranked_pairs

__all__ = ["DistributionPlot", "CorrelationView", "REAL_COLOR", "SYNTH_COLOR", "style_plot",
           "CompactAxis", "PALETTE_EVENTS"]

PALETTE_EVENTS = (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange,
                  QEvent.Type.StyleChange)
# Heat maps name their columns on the axes up to this many; wider tables list pairs instead.
_NAMED_AXES = 20
_PAIRS_LISTED = 15


class CompactAxis(pg.AxisItem):
    """Tick labels as 1.2k, 3.4M; on a log axis (``log10``) the values behind the logs."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.log10 = False

    def tickStrings(self, values, scale, spacing):  # noqa: N802, D102
        if self.log10:
            return [compact_number(10 ** v) for v in values]
        return [compact_number(v * scale) for v in values]

REAL_COLOR = (30, 136, 229)
SYNTH_COLOR = (251, 140, 0)


def style_plot(plot: pg.PlotWidget, widget: QWidget) -> None:
    """Draw ``plot`` in ``widget``'s palette, so it follows light and dark themes."""
    palette = widget.palette()
    plot.setBackground(palette.color(QPalette.ColorRole.Base))
    text = palette.color(QPalette.ColorRole.Text)
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setPen(text)
        axis.setTextPen(text)
    plot.setMenuEnabled(False)
    plot.getAxis("left").enableAutoSIPrefix(False)
    plot.getAxis("bottom").enableAutoSIPrefix(False)


class DistributionPlot(pg.PlotWidget):
    """Real and synthetic shares over the same bins: histograms or category bars."""

    def __init__(self, parent=None):
        self._date_axis = pg.DateAxisItem(orientation="bottom")
        self._plain_axis = CompactAxis(orientation="bottom")
        super().__init__(parent, axisItems={"bottom": self._plain_axis})
        self.setAccessibleName("Real and synthetic distribution of the chosen column")
        style_plot(self, self)
        self.setMouseEnabled(x=False, y=False)
        self.showGrid(y=True, alpha=0.2)
        self.legend = self.addLegend(offset=(-10, 10))
        self.legend.setLabelTextColor(self.palette().color(QPalette.ColorRole.Text))
        self.distribution = None
        self.view = None
        self.log_scale = False
        self.repaints = 0  # how often the plot was drawn again for a new palette

    def show_view(self, view) -> None:
        """Draw a :class:`~synthdesk.evaluation.overview.ColumnView` (log scale, ``(other)``)."""
        self.view = view
        self.show_distribution(view.distribution, log_scale=view.log_scale,
                               note=_other_note(view))

    def show_distribution(self, dist, *, log_scale: bool = False, note: str = "") -> None:
        """Draw ``dist``; ``dist.real`` None draws the synthetic side alone."""
        self.distribution = dist
        self.log_scale = bool(log_scale and dist.numeric and not dist.dates)
        self._note = note
        self.clear()
        self.legend.clear()
        bottom = self._date_axis if dist.numeric and dist.dates else self._plain_axis
        if self.getAxis("bottom") is not bottom:
            self.setAxisItems({"bottom": bottom})
            style_plot(self, self)
        self._plain_axis.log10 = self.log_scale
        if dist.numeric:
            self._histograms(dist)
        else:
            self._bars(dist)
        title = (dist.name if dist.real is not None
                 else f"{dist.name} (replaced: only the synthetic side is shown)")
        if self.log_scale:
            title += " · log scale: each step is ten times the last"
        if note:
            title += f" · {note}"
        self.setTitle(title, color=self.palette().color(QPalette.ColorRole.Text), size="11pt")
        self.enableAutoRange()

    def changeEvent(self, event) -> None:  # noqa: N802, D102
        super().changeEvent(event)
        if event.type() in PALETTE_EVENTS and hasattr(self, "repaints"):
            style_plot(self, self)
            self.legend.setLabelTextColor(self.palette().color(QPalette.ColorRole.Text))
            if self.distribution is not None:
                self.show_distribution(self.distribution, log_scale=self.log_scale,
                                       note=self._note)
            self.repaints += 1

    def _histograms(self, dist) -> None:
        self.setLabel("left", "% of rows")
        self.setLabel("bottom", "")
        self.getAxis("left").setTicks(None)
        self.getAxis("bottom").setTicks(None)
        self.getViewBox().invertY(False)
        sides = [("real", dist.real, REAL_COLOR), ("synthetic", dist.synthetic, SYNTH_COLOR)]
        edges = np.log10(dist.edges) if self.log_scale else dist.edges
        for name, shares, color in sides:
            if shares is None:
                continue
            self.plot(edges, 100 * shares, stepMode="center", fillLevel=0, name=name,
                      pen=pg.mkPen(color, width=2), brush=pg.mkBrush(*color, 70))

    def _bars(self, dist) -> None:
        # Horizontal bars: category names read on the left, however many and however long.
        self.setLabel("left", "")
        self.setLabel("bottom", "% of rows")
        self.getViewBox().invertY(True)
        y = np.arange(len(dist.labels), dtype=float)
        both = dist.real is not None
        height = 0.4 if both else 0.7
        if both:
            self.addItem(pg.BarGraphItem(x0=0, y=y - 0.2, width=100 * dist.real, height=height,
                                         brush=pg.mkBrush(*REAL_COLOR, 200), name="real"))
        self.addItem(pg.BarGraphItem(x0=0, y=y + (0.2 if both else 0),
                                     width=100 * dist.synthetic, height=height,
                                     brush=pg.mkBrush(*SYNTH_COLOR, 200), name="synthetic"))
        self.getAxis("left").setTicks([[(float(i), _short(label, 24))
                                        for i, label in enumerate(dist.labels)]])
        self.getAxis("bottom").setTicks(None)


def _other_note(view) -> str:
    if not (view.other_synthetic or view.other_real):
        return ""
    return (f"“(other)”, rare values hidden: real {view.other_real or 0:.0%}, "
            f"synthetic {view.other_synthetic:.0%}")


def _short(text: str, limit: int = 16) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class CorrelationView(QWidget):
    """Three heat maps side by side: real, synthetic, and their difference."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAccessibleName("Correlations between number columns: real, synthetic, difference")
        outer = QVBoxLayout(self)
        layout = QHBoxLayout()
        outer.addLayout(layout, 1)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        outer.addWidget(self.caption)
        tables = QHBoxLayout()
        self.least = _pair_table("Pairs kept least alike (largest difference first)")
        self.most = _pair_table("Related pairs kept most alike")
        tables.addWidget(self.least)
        tables.addWidget(self.most)
        outer.addLayout(tables, 1)
        self.pairs: list = []
        self.repaints = 0
        self.plots = []
        self.images = []
        colormap = pg.colormap.get("CET-D1")
        text = self.palette().color(QPalette.ColorRole.Text)
        for title in ("Real", "Synthetic", "Synthetic − real"):
            plot = pg.PlotWidget()
            plot.setTitle(title, color=text, size="11pt")
            style_plot(plot, self)
            plot.setAspectLocked(True)
            plot.setMouseEnabled(x=False, y=False)
            plot.invertY(True)
            image = pg.ImageItem()
            image.setColorMap(colormap)
            plot.addItem(image)
            layout.addWidget(plot)
            self.plots.append(plot)
            self.images.append(image)
        self.names: list[str] = []

    def show_matrices(self, names: list[str], real, synth, diff) -> None:
        """Draw the three square matrices on a -1..1 scale; list pairs least and most alike."""
        self.names = list(names)
        self._matrices = (real, synth, diff)
        if len(names) <= _NAMED_AXES:
            numbers = [[(i + 0.5, _short(str(n), 12)) for i, n in enumerate(names)]]
        else:  # too many to label: every tenth, by number; the tables name the pairs
            numbers = [[(i + 0.5, str(i + 1)) for i in range(0, len(names), 10)]]
        for plot, image, matrix in zip(self.plots, self.images, (real, synth, diff), strict=True):
            if len(names):
                # ImageItem takes [x, y]; transpose so rows run down the left axis.
                image.setImage(np.asarray(matrix).T, levels=(-1, 1))
            else:
                image.clear()
            plot.getAxis("left").setTicks(numbers)
            plot.getAxis("bottom").setTicks(numbers)
            plot.autoRange(padding=0.02)
        self.pairs = ranked_pairs(names, np.asarray(real), np.asarray(synth)) if names else []
        related = [p for p in reversed(self.pairs) if abs(p.real) >= 0.3]
        _fill_pairs(self.least, self.pairs[:_PAIRS_LISTED])
        _fill_pairs(self.most, related[:_PAIRS_LISTED])
        self.caption.setText(
            (f"{len(names)} number and date columns, {len(self.pairs):,} pairs. " if names
             else "No number or date columns to compare. ")
            + "Red: two columns rise together; blue: one rises as the other falls. "
            "The difference map should be pale: strong colours there are relations the "
            "synthetic table did not keep. The tables name the pairs.")

    def changeEvent(self, event) -> None:  # noqa: N802, D102
        super().changeEvent(event)
        if event.type() in PALETTE_EVENTS and hasattr(self, "plots"):
            text = self.palette().color(QPalette.ColorRole.Text)
            for plot, title in zip(self.plots, ("Real", "Synthetic", "Synthetic − real"),
                                   strict=True):
                style_plot(plot, self)
                plot.setTitle(title, color=text, size="11pt")
            self.repaints += 1


def _pair_table(title: str) -> QTableWidget:
    table = QTableWidget(0, 4)
    table.setHorizontalHeaderLabels(["Pair", "Real", "Synthetic", "Difference"])
    table.setAccessibleName(title)
    table.setToolTip(title)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.verticalHeader().setVisible(False)
    table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column in (1, 2, 3):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    return table


def _fill_pairs(table: QTableWidget, pairs) -> None:
    table.setRowCount(len(pairs))
    for row, pair in enumerate(pairs):
        name = QTableWidgetItem(f"{pair.first} × {pair.second}")
        name.setToolTip(f"{pair.first} and {pair.second}")
        table.setItem(row, 0, name)
        for column, value in ((1, pair.real), (2, pair.synthetic), (3, pair.difference)):
            item = QTableWidgetItem(f"{value:+.2f}")
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(row, column, item)

