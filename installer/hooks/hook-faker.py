"""PyInstaller hook: Faker finds its locale providers by importing them by name."""

from PyInstaller.utils.hooks import collect_submodules, copy_metadata

hiddenimports = collect_submodules("faker.providers")
datas = copy_metadata("faker")
