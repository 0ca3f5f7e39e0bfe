"""Copy the licence texts of every bundled Python distribution into the build.

Writes ``licenses/`` (one folder per distribution) and ``THIRD_PARTY_LICENSES.txt``
(name, version, licence) into the given folder. SDV and its siblings are under the
Business Source License 1.1, which must be shown with every copy: they are listed first.
"""

import sys
from importlib.metadata import distributions
from pathlib import Path

BSL = ("sdv", "rdt", "sdmetrics", "copulas", "ctgan", "deepecho")


def main(target: str) -> int:
    """Collect the licences into ``target``."""
    out = Path(target)
    (out / "licenses").mkdir(parents=True, exist_ok=True)
    rows = []
    for dist in distributions():
        name = dist.metadata["Name"]
        if not name:
            continue
        licence = dist.metadata.get("License-Expression") or dist.metadata.get("License") or ""
        licence = licence.splitlines()[0][:80] if licence else "see files"
        folder = out / "licenses" / f"{name}-{dist.version}"
        for file in dist.files or []:
            lower = file.name.lower()
            if lower.startswith(("license", "licence", "copying", "notice")):
                folder.mkdir(exist_ok=True)
                (folder / file.name).write_bytes(Path(dist.locate_file(file)).read_bytes())
        rows.append((name.lower() not in BSL, name, dist.version, licence))
    lines = ["SynthDesk bundles these third-party packages. Their licence texts are in licenses/.",
             "SDV, RDT, SDMetrics, Copulas, CTGAN and DeepEcho are provided by DataCebo, Inc.",
             "under the Business Source License 1.1 (see their folders in licenses/).", ""]
    lines += [f"{name} {version}: {licence}" for _, name, version, licence in sorted(rows)]
    (out / "THIRD_PARTY_LICENSES.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
