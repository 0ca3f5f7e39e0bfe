#!/usr/bin/env bash
# Remove symbol tables from the bundle's shared libraries (torch alone sheds ~100 MB).
#   bash installer/strip-linux.sh dist/synthdesk/_internal
# Libraries that auditwheel grafted or re-linked (in a *.libs folder, or with a run path
# into one) were rewritten by patchelf, and strip breaks those: they are left as they are.
set -euo pipefail
folder=${1:?usage: strip-linux.sh FOLDER}
before=$(du -sm "$folder" | cut -f1)
find "$folder" -type f \( -name '*.so' -o -name '*.so.*' \) -not -path '*.libs/*' -print0 |
while IFS= read -r -d '' lib; do
    readelf -S "$lib" 2>/dev/null | grep -q '\.symtab' || continue
    readelf -d "$lib" 2>/dev/null | grep -E '(RPATH|RUNPATH)' | grep -q '\.libs' && continue
    strip --strip-unneeded "$lib"
done
echo "stripped: $before MB -> $(du -sm "$folder" | cut -f1) MB"
