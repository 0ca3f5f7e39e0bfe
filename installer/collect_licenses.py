"""Copy the licence texts of every bundled Python package into the build.

    python installer/collect_licenses.py dist/synthdesk

The packages are those SynthDesk requires, directly or not, and PyInstaller (its
bootloader starts the app); the About dialog lists the same ones when run from source.
Writes into the given folder:

- ``licenses/NAME-VERSION/...``: each package's licence and notice files, under the
  paths they have in its metadata (torch alone ships dozens named LICENSE);
- ``licenses/index.json``: name, version, licence and files of each, which the About
  dialog reads in the built app;
- ``THIRD_PARTY_LICENSES.txt``: the same list as text, which the Windows installer shows.

SDV, RDT, Copulas, CTGAN and DeepEcho are under the Business Source License 1.1, which
must be shown with every copy: they are listed first. A package whose wheel carries no
licence text (PySide6 and shiboken6, under the LGPL 3) gets the text of the licence its
metadata names, from ``installer/licenses/``.
"""

import json
import sys
from pathlib import Path

from synthdesk.gui.about import BSL_NAME, installed_packages

HERE = Path(__file__).parent
# Texts for licences that a wheel names but does not carry.
KNOWN_TEXTS = {"LGPL-3.0": ("LGPL-3.0.txt", "GPL-3.0.txt")}


def _relative(path: Path) -> str:
    """A licence file's path below its package's metadata folder (or its bare name)."""
    parts = path.parts
    for i, part in enumerate(parts):
        if part.endswith(".dist-info"):
            rest = parts[i + 1:]
            if len(rest) > 1 and rest[0] == "licenses":
                rest = rest[1:]
            return "/".join(rest)
    return path.name


def main(target: str) -> int:
    """Collect the licences into ``target``."""
    out = Path(target)
    root = out / "licenses"
    root.mkdir(parents=True, exist_ok=True)
    entries = []
    for package in installed_packages(also=("pyinstaller",)):
        folder = f"{package.name}-{package.version}"
        sources = [(_relative(f), f) for f in package.files if f.is_file()]
        if not sources:
            sources = [(name, HERE / "licenses" / name)
                       for spdx, names in KNOWN_TEXTS.items() if spdx in package.licence
                       for name in names]
        files = []
        for relative, source in sources:
            dest = root / folder / relative
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(source.read_bytes())
            files.append(f"{folder}/{relative}")
        entries.append({"name": package.name, "version": package.version,
                        "licence": package.licence, "files": files})
    entries.sort(key=lambda e: (e["licence"] != BSL_NAME, e["name"].lower()))
    (root / "index.json").write_text(json.dumps(entries, indent=1), encoding="utf-8")
    bsl = [e["name"] for e in entries if e["licence"] == BSL_NAME]
    lines = ["SynthDesk bundles these third-party packages. Their licence texts are in licenses/.",
             f"{', '.join(bsl)} are provided by DataCebo, Inc. under the {BSL_NAME}",
             "(its text is in each of their folders in licenses/).", ""]
    lines += [f"{e['name']} {e['version']}: {e['licence']}" for e in entries]
    (out / "THIRD_PARTY_LICENSES.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
