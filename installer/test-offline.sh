#!/usr/bin/env bash
# Run the built app's self-test with no network at all (a network namespace with no
# interfaces), and time it.   bash installer/test-offline.sh dist/synthdesk/synthdesk
set -euo pipefail
app=${1:-dist/synthdesk/synthdesk}
start=$(date +%s.%N)
if unshare -n true 2>/dev/null; then
    QT_QPA_PLATFORM=offscreen unshare -n "$app" --self-test
else
    echo "unshare -n is not allowed here: running the self-test with the network present" >&2
    QT_QPA_PLATFORM=offscreen "$app" --self-test
fi
echo "self-test took $(echo "$(date +%s.%N) - $start" | bc) s"
