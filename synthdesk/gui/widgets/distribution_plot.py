"""Draw a :class:`~synthdesk.evaluation.distributions.Distribution` and correlation matrices."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QHBoxLayout, QWidget

__all__ = ["DistributionPlot", "CorrelationView", "REAL_COLOR", "SYNTH_COLOR"]

REAL_COLOR = (30, 136, 229)
SYNTH_COLOR = (251, 140, 0)


def _style(plot: pg.PlotWidget, widget: QWidget) -> None:
    palette = widget.palette()
    plot.setBackground(palette.color(QPalette.ColorRole.Base))
    text = palette.color(QPalette.ColorRole.Text)
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setPen(text)
        axis.setTextPen(text)
    plot.setMenuEnabled(False)


class DistributionPlot(pg.PlotWidget):
    """Real and synthetic shares over the same bins: histograms or category bars."""

    def __init__(self, parent=None):
        self._date_axis = pg.DateAxisItem(orientation="bottom")
        self._plain_axis = pg.AxisItem(orientation="bottom")
        super().__init__(parent, axisItems={"bottom": self._plain_axis})
        self.setAccessibleName("Real and synthetic distribution of the chosen column")
        _style(self, self)
        self.setMouseEnabled(x=False, y=False)
        self.showGrid(y=True, alpha=0.2)
        self.setLabel("left", "share of rows")
        self.legend = self.addLegend(offset=(-10, 10))
        self.distribution = None

    def show_distribution(self, dist) -> None:
        """Draw ``dist``; ``dist.real`` None draws the synthetic side alone."""
        self.distribution = dist
        self.clear()
        self.legend.clear()
        bottom = self._date_axis if dist.numeric and dist.dates else self._plain_axis
        if self.getAxis("bottom") is not bottom:
            self.setAxisItems({"bottom": bottom})
            _style(self, self)
        if dist.numeric:
            self._histograms(dist)
        else:
            self._bars(dist)
        self.setTitle(dist.name if dist.real is not None
                      else f"{dist.name} (replaced: only the synthetic side is shown)")
        self.enableAutoRange()

    def _histograms(self, dist) -> None:
        bottom = self.getAxis("bottom")
        bottom.setTicks(None)
        sides = [("real", dist.real, REAL_COLOR), ("synthetic", dist.synthetic, SYNTH_COLOR)]
        for name, shares, color in sides:
            if shares is None:
                continue
            self.plot(dist.edges, shares, stepMode="center", fillLevel=0, name=name,
                      pen=pg.mkPen(color, width=2), brush=pg.mkBrush(*color, 70))

    def _bars(self, dist) -> None:
        count = len(dist.labels)
        x = np.arange(count, dtype=float)
        both = dist.real is not None
        width = 0.4 if both else 0.7
        if both:
            self.addItem(pg.BarGraphItem(x=x - 0.2, height=dist.real, width=width,
                                         brush=pg.mkBrush(*REAL_COLOR, 200), name="real"))
            self.legend.addItem(pg.BarGraphItem(x=[0], height=[0], width=0,
                                                brush=pg.mkBrush(*REAL_COLOR)), "real")
        self.addItem(pg.BarGraphItem(x=x + (0.2 if both else 0), height=dist.synthetic,
                                     width=width, brush=pg.mkBrush(*SYNTH_COLOR, 200)))
        self.legend.addItem(pg.BarGraphItem(x=[0], height=[0], width=0,
                                            brush=pg.mkBrush(*SYNTH_COLOR)), "synthetic")
        labels = [(float(i), _short(label)) for i, label in enumerate(dist.labels)]
        self.getAxis("bottom").setTicks([labels])


def _short(text: str, limit: int = 16) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class CorrelationView(QWidget):
    """Three heat maps side by side: real, synthetic, and their difference."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAccessibleName("Correlations between number columns: real, synthetic, difference")
        layout = QHBoxLayout(self)
        self.plots = []
        self.images = []
        colormap = pg.colormap.get("CET-D1")
        for title in ("Real", "Synthetic", "Synthetic − real"):
            plot = pg.PlotWidget(title=title)
            _style(plot, self)
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
        ticks = [[(i + 0.5, _short(n, 10)) for i, n in enumerate(names)]]
        for plot, image, matrix in zip(self.plots, self.images, (real, synth, diff), strict=True):
            if len(names):
                # ImageItem takes [x, y]; transpose so rows run down the left axis.
                image.setImage(np.asarray(matrix).T, levels=(-1, 1))
            else:
                image.clear()
            plot.getAxis("left").setTicks(ticks)
            plot.getAxis("bottom").setTicks([[(i + 0.5, str(i + 1)) for i in range(len(names))]])
            plot.getAxis("left").setStyle(tickLength=0)

