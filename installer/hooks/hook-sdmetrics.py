"""PyInstaller hook: SDMetrics and its siblings read their versions at run time."""

from PyInstaller.utils.hooks import collect_data_files, copy_metadata

datas = []
for name in ("sdmetrics", "rdt", "copulas", "ctgan", "deepecho", "faker"):
    datas += copy_metadata(name)
datas += collect_data_files("sdmetrics") + collect_data_files("rdt")
