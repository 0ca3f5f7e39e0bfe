#!/usr/bin/env bash
# Install SynthDesk for the current user: ~/.local/opt/synthdesk, a menu entry and a command.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dest="$HOME/.local/opt/synthdesk"
mkdir -p "$HOME/.local/opt" "$HOME/.local/bin" "$HOME/.local/share/applications" \
    "$HOME/.local/share/icons/hicolor/scalable/apps"
rm -rf "$dest" && cp -r "$here" "$dest"
ln -sf "$dest/synthdesk" "$HOME/.local/bin/synthdesk"
sed "s|^Exec=.*|Exec=$dest/synthdesk|" "$here/synthdesk.desktop" \
    > "$HOME/.local/share/applications/synthdesk.desktop"
cp "$here/synthdesk.svg" "$HOME/.local/share/icons/hicolor/scalable/apps/synthdesk.svg"
echo "SynthDesk is installed: open it from the menu, or run 'synthdesk'."
