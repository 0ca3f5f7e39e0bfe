#!/usr/bin/env bash
# Build SynthDesk.app and a .dmg on macOS:  bash installer/macos/build-macos.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
version=$(python3 -c 'import tomllib;print(tomllib.load(open("pyproject.toml","rb"))["project"]["version"])')
python3 -m venv build/venv
build/venv/bin/pip install -q torch==2.13.0 . pyinstaller
build/venv/bin/pyinstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller \
    installer/synthdesk.spec
build/venv/bin/python installer/collect_licenses.py dist/SynthDesk.app/Contents/Resources
codesign --force --deep --sign - --entitlements installer/macos/entitlements.plist dist/SynthDesk.app
hdiutil create -volname SynthDesk -srcfolder dist/SynthDesk.app -ov -format UDZO \
    "dist/SynthDesk-$version.dmg"
dist/SynthDesk.app/Contents/MacOS/synthdesk --self-test
