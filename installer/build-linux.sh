#!/usr/bin/env bash
# Build SynthDesk's Linux one-folder app and tarball, then run its self-test offline.
#   bash installer/build-linux.sh            (from the repository root; about 10 minutes)
# Output: dist/synthdesk/ (the app), dist/synthdesk-VERSION-linux-ARCH.tar.xz
# torch must be the CPU build: where the package index offers the CUDA one first, point
# pip at the CPU wheels (PIP_EXTRA_INDEX_URL, as the CI workflow does).
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(python3 -c 'import tomllib;print(tomllib.load(open("pyproject.toml","rb"))["project"]["version"])')
venv=build/venv
started=$(date +%s)
python3 -m venv "$venv"
"$venv/bin/pip" install -q torch==2.13.0 . pyinstaller
if ! "$venv/bin/python" -c 'import sys, torch; sys.exit(torch.version.cuda is not None)'; then
    echo "torch in $venv is a CUDA build; install the CPU build (see the top of this file)" >&2
    exit 1
fi
rm -rf build/pyinstaller dist/synthdesk
"$venv/bin/pyinstaller" --noconfirm --clean --distpath dist --workpath build/pyinstaller \
    installer/synthdesk.spec
bash installer/strip-linux.sh dist/synthdesk/_internal
"$venv/bin/python" installer/collect_licenses.py dist/synthdesk
cp installer/linux/synthdesk.desktop resources/icons/synthdesk.svg dist/synthdesk/
cp installer/linux/install.sh dist/synthdesk/
# xz -9 on every core: about a third smaller than gzip for this mix of libraries.
tarball="dist/synthdesk-$version-linux-$(uname -m).tar.xz"
rm -f dist/synthdesk-*-linux-*.tar.*
tar -C dist -cf - synthdesk | xz -9 -T0 > "$tarball"
echo "built in $(( $(date +%s) - started )) s (load: $(cut -d' ' -f1-3 /proc/loadavg))"
echo "unpacked: $(du -sm dist/synthdesk | cut -f1) MB   download: $(du -sm "$tarball" | cut -f1) MB"
bash installer/test-offline.sh dist/synthdesk/synthdesk
