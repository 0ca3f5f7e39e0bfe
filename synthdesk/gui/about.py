"""The About dialog: SynthDesk's version and the third-party software it is built on.

In the installed app the licences come from ``licenses/index.json``, which the build
writes beside the program (``installer/collect_licenses.py``); run from source, they come
from the installed packages' metadata. SDV and its siblings are under the Business Source
License 1.1, whose text must be shown with every copy: they are listed first, and the
dialog opens on SDV's licence.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from synthdesk import __version__

__all__ = ["AboutDialog", "ThirdPartyPackage", "third_party_packages", "installed_packages",
           "BSL_NAME"]

BSL_NAME = "Business Source License 1.1"
_BSL_EXPRESSIONS = ("BUSL-1.1", "BSL-1.1")
_LICENCE_PREFIXES = ("license", "licence", "copying", "notice")
_NOT_TEXT = {".py", ".pyc", ".pyi", ".so", ".pyd", ".dll", ".dylib", ".h", ".c", ".cpp"}
_REQUIREMENT_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


@dataclass(frozen=True)
class ThirdPartyPackage:
    """One bundled package: what the dialog lists, and where its licence texts are."""

    name: str
    version: str
    licence: str
    files: tuple[Path, ...]

    @property
    def source_available(self) -> bool:
        """True for the packages under the Business Source License (SDV and siblings)."""
        return self.licence == BSL_NAME

    def text(self) -> str:
        """The licence texts, one after another, each under its file name."""
        parts = []
        for path in self.files:
            try:
                body = path.read_text(encoding="utf-8", errors="replace").strip()
            except OSError:
                continue
            if len(self.files) > 1:
                parts.append(f"==== {path.name} ====")
            parts.append(body)
        return "\n\n".join(parts) or f"{self.name} ships no licence text; its licence: " \
            f"{self.licence}."


def bundled_licence_index() -> Path | None:
    """``licenses/index.json`` of the installed app, or None when running from source."""
    if not getattr(sys, "frozen", False):
        return None
    program = Path(sys.executable).resolve().parent
    for folder in (program, program.parent / "Resources"):  # macOS: Contents/Resources
        if (folder / "licenses" / "index.json").is_file():
            return folder / "licenses" / "index.json"
    return None


def third_party_packages(index: Path | None = None) -> list[ThirdPartyPackage]:
    """The packages SynthDesk is built on, those under the BSL first, then by name.

    Args:
        index: A ``licenses/index.json`` written by the build; the installed app's own
            when None, or, running from source, the installed packages' metadata.

    """
    index = index or bundled_licence_index()
    packages = _from_index(index) if index is not None else installed_packages()
    return sorted(packages, key=lambda p: (not p.source_available, p.name.lower()))


def _from_index(index: Path) -> list[ThirdPartyPackage]:
    root = index.parent
    entries = json.loads(index.read_text(encoding="utf-8"))
    return [ThirdPartyPackage(e["name"], e["version"], e["licence"],
                              tuple(root / f for f in e["files"])) for e in entries]


def installed_packages(also: tuple[str, ...] = ()) -> list[ThirdPartyPackage]:
    """Every installed package SynthDesk requires, directly or not, and those in ``also``.

    The build calls this too (``also=("pyinstaller",)``: its bootloader starts the app),
    to copy the same licence files into the app.
    """
    seen: dict[str, ThirdPartyPackage] = {}
    todo = [*_requirements("synthdesk"), *also]
    while todo:
        name = todo.pop()
        key = name.lower().replace("_", "-")
        if key in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # a requirement for another platform
        seen[key] = ThirdPartyPackage(dist.metadata["Name"], dist.version,
                                      _licence_name(dist), _licence_files(dist))
        if name not in also:
            todo += _requirements(name)
    return list(seen.values())


def _requirements(name: str) -> list[str]:
    """Names of what ``name`` requires on this platform (extras left out)."""
    try:
        requires = metadata.requires(name) or []
    except metadata.PackageNotFoundError:
        return []
    names = []
    for requirement in requires:
        match = _REQUIREMENT_NAME.match(requirement)
        if match and _applies(requirement.partition(";")[2]):
            names.append(match.group(1))
    return names


def _applies(marker: str) -> bool:
    if "extra" in marker:
        return False
    if not marker.strip():
        return True
    try:
        from packaging.markers import Marker
    except ImportError:
        return True  # an installed package it names is listed; a missing one is skipped
    return Marker(marker).evaluate()


def _licence_name(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    expression = (meta.get("License-Expression") or "").strip()
    if expression in _BSL_EXPRESSIONS:
        return BSL_NAME
    if expression:
        return expression
    classifiers = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or []
                   if c.startswith("License ::") and c.count("::") >= 2]
    if classifiers:
        return " / ".join(classifiers)
    text = (meta.get("License") or "").strip()
    return text.splitlines()[0][:80] if text else "see its files"


def _licence_files(dist: metadata.Distribution) -> tuple[Path, ...]:
    return tuple(Path(dist.locate_file(f)) for f in dist.files or []
                 if f.name.lower().startswith(_LICENCE_PREFIXES)
                 and PurePosixPath(str(f)).suffix not in _NOT_TEXT)


# The packages found, by licence index (None: from source); reading them takes seconds.
_FOUND: dict[Path | None, list[ThirdPartyPackage]] = {}


def _find_packages(index: Path | None):
    def task(progress, cancel):
        if index not in _FOUND:
            _FOUND[index] = _packages_in_a_child(index)
        return _FOUND[index]

    return task


def _packages_in_a_child(index: Path | None) -> list[ThirdPartyPackage]:
    """:func:`third_party_packages` in a spawned process.

    Walking every package's metadata is seconds of pure Python: in a thread of the window's
    process it holds the interpreter lock long enough to stall the window; a child does not.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    try:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            return pool.submit(third_party_packages, index).result()
    except (BrokenProcessPool, OSError, RuntimeError):
        return third_party_packages(index)  # no child possible here: read them in this one


class AboutDialog(QDialog):
    """SynthDesk's version, and each third-party package with its licence and text.

    The packages are read in a worker (walking every installed package's metadata takes
    seconds), so the dialog opens at once and the list fills in when they are found.

    Signals:
        sig_loaded: The package list is filled.

    """

    sig_loaded = Signal()

    def __init__(self, parent: QWidget | None = None, index: Path | None = None) -> None:
        super().__init__(parent)
        from synthdesk.gui.tasks import TaskRunner

        self.setWindowTitle("About SynthDesk")
        self.resize(760, 560)
        self.packages: list[ThirdPartyPackage] = []
        self.loaded = False

        self.title = title = QLabel()
        self._set_title("SDV")
        title.setWordWrap(True)
        title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.table = QTreeWidget()
        self.table.setHeaderLabels(["Package", "Version", "Licence"])
        self.table.setRootIsDecorated(False)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.table.currentItemChanged.connect(self._on_package_changed)

        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setPlainText("Reading the licences of the packages SynthDesk is built on…")

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.text)
        splitter.setSizes([220, 300])

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)

        self.runner = TaskRunner(self)
        self.runner.sig_done.connect(self._on_found)
        self.runner.sig_failed.connect(self._on_not_found)
        self.runner.start(_find_packages(index))

    def _set_title(self, bsl: str) -> None:
        self.title.setText(f"<h2>SynthDesk {__version__}</h2>"
                           "<p>Turns a private table into a synthetic one you can share. "
                           "Everything runs on this computer: nothing is sent over the "
                           f"network.</p><p>SynthDesk is built on the packages below. {bsl} "
                           f"are provided by DataCebo, Inc. under the <b>{BSL_NAME}</b>, "
                           "shown first.</p>")

    def _on_found(self, packages) -> None:
        self.packages = list(packages)
        self._set_title(", ".join(p.name for p in self.packages if p.source_available)
                        or "SDV")
        for package in self.packages:
            item = QTreeWidgetItem([package.name, package.version, package.licence])
            item.setToolTip(2, package.licence)
            self.table.addTopLevelItem(item)
        names = [p.name.lower() for p in self.packages]
        first = names.index("sdv") if "sdv" in names else 0
        if self.packages:
            self.table.setCurrentItem(self.table.topLevelItem(first))
        self.loaded = True
        self.sig_loaded.emit()

    def _on_not_found(self, error) -> None:
        self.text.setPlainText("The list of packages could not be read: "
                               f"{getattr(error, 'message', None) or error}")
        self.loaded = True
        self.sig_loaded.emit()

    def select(self, name: str) -> None:
        """Show the licence of the package called ``name``."""
        for row, package in enumerate(self.packages):
            if package.name.lower() == name.lower():
                self.table.setCurrentItem(self.table.topLevelItem(row))
                return
        raise KeyError(name)

    def _on_package_changed(self, current: QTreeWidgetItem | None, _previous) -> None:
        if current is None:
            return
        package = self.packages[self.table.indexOfTopLevelItem(current)]
        self.text.setPlainText(package.text())
