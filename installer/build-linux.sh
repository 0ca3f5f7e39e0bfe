#!/usr/bin/env bash
# Build SynthDesk's Linux one-folder app and tarball, then run its self-test offline.
#   bash installer/build-linux.sh            (from the repository root; about 10 minutes)
# Output: dist/synthdesk/ (the app), dist/synthdesk-VERSION-linux-x86_64.tar.gz
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
version=$(python3 -c 'import tomllib;print(tomllib.load(open("pyproject.toml","rb"))["project"]["version"])')
venv=build/venv
python3 -m venv "$venv"
"$venv/bin/pip" install -q torch==2.13.0 . pyinstaller
rm -rf build/pyinstaller dist/synthdesk
"$venv/bin/pyinstaller" --noconfirm --clean --distpath dist --workpath build/pyinstaller \
    installer/synthdesk.spec
"$venv/bin/python" installer/collect_licenses.py dist/synthdesk
cp installer/linux/synthdesk.desktop resources/icons/synthdesk.svg dist/synthdesk/
cp installer/linux/install.sh dist/synthdesk/
tarball="dist/synthdesk-$version-linux-$(uname -m).tar.gz"
tar -C dist -czf "$tarball" synthdesk
echo "unpacked: $(du -sh dist/synthdesk | cut -f1)   download: $(du -sh "$tarball" | cut -f1)"
bash installer/test-offline.sh dist/synthdesk/synthdesk
