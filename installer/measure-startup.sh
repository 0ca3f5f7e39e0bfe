#!/usr/bin/env bash
# Time a start of the built app to its window: when the window is first on screen
# ("shown") and when the wizard's pages are built ("ready"), median of RUNS starts.
#   bash installer/measure-startup.sh [APP] [RUNS]     (APP: dist/synthdesk/synthdesk)
# Warm starts reuse the page cache. Cold starts empty it first, which needs root; without
# it only warm starts are measured. QT_QPA_PLATFORM=offscreen unless a display is set
# (run it under xvfb-run for a real X server).
set -euo pipefail
app=${1:-dist/synthdesk/synthdesk}
runs=${2:-5}
[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] || export QT_QPA_PLATFORM=offscreen
settings=$(mktemp -d)  # a fresh settings and log folder, the user's left alone
trap 'rm -rf "$settings"' EXIT
export XDG_CONFIG_HOME=$settings XDG_DATA_HOME=$settings SYNTHDESK_STARTUP_PROBE=1
modes=(warm)
if [ -w /proc/sys/vm/drop_caches ]; then modes=(cold warm); fi
"$app" --version > /dev/null  # one start first, so "warm" means warm
for mode in "${modes[@]}"; do
    shown=() ready=()
    for _ in $(seq "$runs"); do
        if [ "$mode" = cold ]; then sync; echo 3 > /proc/sys/vm/drop_caches; fi
        start=$(date +%s.%N)
        out=$("$app" 2>/dev/null)
        shown+=("$(echo "$out" | awk -v s="$start" '$1=="shown"{printf "%.2f", $2-s}')")
        ready+=("$(echo "$out" | awk -v s="$start" '$1=="ready"{printf "%.2f", $2-s}')")
    done
    median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
    echo "$mode start (${QT_QPA_PLATFORM:-X11}, $runs runs, load $(cut -d' ' -f1 /proc/loadavg)):" \
         "window shown $(median "${shown[@]}") s [${shown[*]}]," \
         "wizard ready $(median "${ready[@]}") s [${ready[*]}]"
done
