"""``synthdesk --tour DIR`` saves a picture of every step of a real run."""

import os
import subprocess
import sys

import pytest
from PySide6.QtGui import QImage

pytestmark = [pytest.mark.gui, pytest.mark.slow, pytest.mark.long]


def test_the_tour_saves_every_page_of_a_real_run(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "synthdesk", "--tour", str(tmp_path / "tour")],
                          env=env, capture_output=True, text=True, timeout=1500)
    assert done.returncode == 0, done.stderr
    names = sorted(p.name for p in (tmp_path / "tour").iterdir())
    sample = ["01-open.png", "02-columns.png", "03-method.png", "04-train.png",
              "05-compare-overview.png", "05-compare-pairs.png", "05-compare-scores.png",
              "05-compare-worst.png", "05-compare.png", "06-save.png"]
    wide = ["wide-01-open.png", "wide-02-columns.png", "wide-03-method.png",
            "wide-04-train.png", "wide-05-compare-log-scale.png", "wide-05-compare-pairs.png",
            "wide-05-compare-search.png", "wide-05-compare.png", "wide-06-save.png",
            "wide-help.png"]
    assert names == sorted(sample + wide)
    for name in sample + wide[:-1]:
        image = QImage(str(tmp_path / "tour" / name))
        assert (image.width(), image.height()) == (1280, 720), name
        # A drawn page, not a blank one: text and widgets give many distinct colours.
        colours = {image.pixel(x, y) for x in range(0, image.width(), 4)
                   for y in range(0, image.height(), 4)}
        assert len(colours) > 10, name
