"""PyInstaller hook: SDV reads its own version through importlib.metadata, and ships YAML."""

from PyInstaller.utils.hooks import collect_data_files, collect_submodules, copy_metadata

datas = copy_metadata("sdv") + collect_data_files("sdv")
hiddenimports = collect_submodules("sdv.single_table") + collect_submodules("sdv.metadata")
