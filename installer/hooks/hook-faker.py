"""PyInstaller hook: Faker lists its locales by scanning its provider folders on disk.

So its modules are collected as files as well as into the archive.
"""

from PyInstaller.utils.hooks import collect_submodules, copy_metadata

hiddenimports = collect_submodules("faker.providers")
datas = copy_metadata("faker")
module_collection_mode = "pyz+py"
