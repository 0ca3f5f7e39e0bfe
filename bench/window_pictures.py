"""Pictures of every page on the wide table, at 1280x720 and 1600x1000, light and dark.

One walk through the wizard on resources/sample/loanapp.csv (59 columns); at each page the
window is resized and its palette switched at run time (which also shows the plots follow
the palette), and a PNG is saved per size and palette. Run it in a real window:

    xvfb-run -s "-screen 0 1600x1000x24" .venv/bin/python bench/window_pictures.py OUT_DIR
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

SIZES = ((1280, 720), (1600, 1000))


def main() -> int:
    from PySide6.QtCore import QSettings, Qt

    from synthdesk.gui.app import MainWindow, create_application
    from synthdesk.gui.models.column_spec_model import SENSITIVE
    from synthdesk.gui.resources import resource_path
    from synthdesk.gui.tour import _wait, dark_palette

    out = Path(sys.argv[1] if len(sys.argv) > 1 else "window-pictures")
    out.mkdir(parents=True, exist_ok=True)
    app = create_application([])
    app.setStyle("Fusion")
    light = app.palette()
    work = Path(tempfile.mkdtemp(prefix="synthdesk-pictures-"))
    try:
        table = Path(shutil.copy(resource_path("sample", "loanapp.csv"), work / "loanapp.csv"))
        window = MainWindow(QSettings(str(work / "s.ini"), QSettings.Format.IniFormat))
        window.show()
        wizard = window.wizard

        def shoot(name: str) -> None:
            for palette_name, palette in (("light", light), ("dark", dark_palette())):
                app.setPalette(palette)
                for width, height in SIZES:
                    window.resize(width, height)
                    for _ in range(5):
                        app.processEvents()
                    window.grab().save(str(out / f"{name}-{width}x{height}-{palette_name}.png"))
            app.setPalette(light)

        wizard.import_page.open_path(table)
        _wait(app, wizard.import_page.is_complete, 120)
        shoot("1-open")
        wizard.next()
        columns = wizard.columns_page
        for name in ("black", "hispan", "male"):
            row = next(i for i, s in enumerate(columns.model.specs) if s.name == name)
            columns.model.setData(columns.model.index(row, SENSITIVE),
                                  Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
        columns.view.sortByColumn(SENSITIVE, Qt.SortOrder.AscendingOrder)
        shoot("2-columns")
        wizard.next()
        gen = wizard.generator_page
        gen.generator.setCurrentIndex(gen.generator.findData("gaussian_copula"))
        shoot("3-method")
        wizard.next()
        _wait(app, wizard.train_page.is_complete, 1200)
        shoot("4-train")
        wizard.next()
        compare = wizard.compare_page
        _wait(app, lambda: compare.columns.rowCount() > 0, 300)
        shoot("5-compare-overview")
        skewed = next((v.name for v in compare.views.values() if v.log_scale), None)
        if skewed:
            compare.show_column(skewed)
            compare.tabs.setCurrentWidget(compare.plot)
            shoot("5-compare-log")
        categorical = next((v.name for v in compare.views.values()
                            if not v.distribution.numeric and not v.replaced), None)
        if categorical:
            compare.show_column(categorical)
            shoot("5-compare-bars")
        compare.tabs.setCurrentWidget(compare.pairs)
        shoot("5-compare-pairs")
        compare.tabs.setCurrentWidget(compare.overview)
        wizard.export_page.open_folder.setChecked(False)
        wizard.next()
        _wait(app, lambda: not wizard.export_page.marks_runner.running, 120)
        wizard.export_page.path.setText(str(work / "loanapp_synthetic.csv"))
        shoot("6-save")
        window.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
