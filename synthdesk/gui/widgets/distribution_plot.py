"""Draw a :class:`~synthdesk.evaluation.distributions.Distribution` and correlation matrices."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

__all__ = ["DistributionPlot", "CorrelationView", "REAL_COLOR", "SYNTH_COLOR", "style_plot"]

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
        self._plain_axis = pg.AxisItem(orientation="bottom")
        super().__init__(parent, axisItems={"bottom": self._plain_axis})
        self.setAccessibleName("Real and synthetic distribution of the chosen column")
        style_plot(self, self)
        self.setMouseEnabled(x=False, y=False)
        self.showGrid(y=True, alpha=0.2)
        self.legend = self.addLegend(offset=(-10, 10))
        self.legend.setLabelTextColor(self.palette().color(QPalette.ColorRole.Text))
        self.distribution = None

    def show_distribution(self, dist) -> None:
        """Draw ``dist``; ``dist.real`` None draws the synthetic side alone."""
        self.distribution = dist
        self.clear()
        self.legend.clear()
        bottom = self._date_axis if dist.numeric and dist.dates else self._plain_axis
        if self.getAxis("bottom") is not bottom:
            self.setAxisItems({"bottom": bottom})
            style_plot(self, self)
        if dist.numeric:
            self._histograms(dist)
        else:
            self._bars(dist)
        title = (dist.name if dist.real is not None
                 else f"{dist.name} (replaced: only the synthetic side is shown)")
        self.setTitle(title, color=self.palette().color(QPalette.ColorRole.Text), size="11pt")
        self.enableAutoRange()

    def _histograms(self, dist) -> None:
        self.setLabel("left", "% of rows")
        self.setLabel("bottom", "")
        self.getAxis("left").setTicks(None)
        self.getAxis("bottom").setTicks(None)
        self.getViewBox().invertY(False)
        sides = [("real", dist.real, REAL_COLOR), ("synthetic", dist.synthetic, SYNTH_COLOR)]
        for name, shares, color in sides:
            if shares is None:
                continue
            self.plot(dist.edges, 100 * shares, stepMode="center", fillLevel=0, name=name,
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
        """Draw the three ``len(names)`` square matrices on a -1..1 scale."""
        self.names = list(names)
        numbers = [[(i + 0.5, str(i + 1)) for i in range(len(names))]]
        for plot, image, matrix in zip(self.plots, self.images, (real, synth, diff), strict=True):
            if len(names):
                # ImageItem takes [x, y]; transpose so rows run down the left axis.
                image.setImage(np.asarray(matrix).T, levels=(-1, 1))
            else:
                image.clear()
            plot.getAxis("left").setTicks(numbers)
            plot.getAxis("bottom").setTicks(numbers)
            plot.autoRange(padding=0.02)
        key = " · ".join(f"{i + 1} {name}" for i, name in enumerate(names))
        self.caption.setText(
            (f"<b>Columns:</b> {key}<br>" if names else "No number or date columns to compare. ")
            + "Red: two columns rise together; blue: one rises as the other falls. "
            "The difference map should be pale: strong colours there are relations the "
            "synthetic table did not keep.")

