#!/usr/bin/env bash
# Installs the two anchors bench/anchors.py compares SynthDesk with. Benchmark-only: none of
# this is part of SynthDesk, its dependencies or its installer.
#
#   R synthpop   R from Debian (r-base-core and the r-cran-* packages synthpop imports), then
#                synthpop itself built with `R CMD INSTALL` from its public source repository
#                (bnowok/synthpop; Debian has no r-cran-synthpop). Give the path of a checkout,
#                an unpacked copy or a bare clone as SYNTHPOP_SRC. Two of its imports, mipfp and broman, are not
#                in Debian and only serve non-default methods (ipf and a smoothing option): they
#                are removed from a temporary copy of DESCRIPTION and NAMESPACE, never from
#                SYNTHPOP_SRC.
#   MOSTLY AI    mostlyai-engine, mostlyai-qa and sdmetrics in their own venv (ANCHORS_VENV,
#                default bench/.venv-anchors, git-ignored), CPU torch 2.13.0 first (a local
#                wheel of torch==2.13.0+cpu when TORCH_WHEEL names one). mostlyai-engine pulls
#                CUDA builds of torchvision and torchaudio that break its import and that it does
#                not use: they are uninstalled.
#
# Run as root from the repository root; each step is skipped when already done:
#
#   SYNTHPOP_SRC=/path/to/synthpop bash bench/anchors_setup.sh
#
# Without SYNTHPOP_SRC (and synthpop not installed) the R part is skipped with a message and
# bench/anchors.py runs with --skip synthpop.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${ANCHORS_VENV:-$here/.venv-anchors}"
python="${PYTHON:-python3.11}"
r_packages=(r-base-core r-base-dev r-cran-lattice r-cran-mass r-cran-nnet r-cran-ggplot2
            r-cran-rpart r-cran-party r-cran-foreign r-cran-plyr r-cran-proto r-cran-polspline
            r-cran-randomforest r-cran-ranger r-cran-classint r-cran-survival r-cran-stringr
            r-cran-rmutil r-cran-forcats)

# --- R synthpop -------------------------------------------------------------------------
if Rscript -e 'suppressMessages(library(synthpop))' >/dev/null 2>&1; then
    echo "synthpop: already installed ($(Rscript -e 'cat(as.character(packageVersion("synthpop")))'))"
elif [ -z "${SYNTHPOP_SRC:-}" ]; then
    echo "synthpop: SKIPPED - set SYNTHPOP_SRC to a copy of synthpop's source repository"
else
    missing=()
    for p in "${r_packages[@]}"; do
        dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        apt-get update -q
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
    fi
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    if [ -f "$SYNTHPOP_SRC/DESCRIPTION" ]; then
        cp -r "$SYNTHPOP_SRC" "$work/synthpop"
        rm -rf "$work/synthpop/.git"
    else  # a bare clone of the repository: its newest commit
        mkdir "$work/synthpop"
        git -C "$SYNTHPOP_SRC" archive HEAD | tar -x -C "$work/synthpop"
    fi
    sed -i 's/, mipfp//; s/, broman//' "$work/synthpop/DESCRIPTION"
    sed -i '/^importFrom("broman"/d; /^importFrom("mipfp"/d' "$work/synthpop/NAMESPACE"
    R CMD INSTALL --no-docs --no-multiarch "$work/synthpop"
    Rscript -e 'suppressMessages(library(synthpop)); cat("synthpop", as.character(packageVersion("synthpop")), "installed\n")'
fi

# --- MOSTLY AI's engine and QA ----------------------------------------------------------
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c 'import mostlyai.engine, mostlyai.qa, sdmetrics' >/dev/null 2>&1; then
    echo "mostlyai: already installed in $venv"
else
    [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
    "$venv/bin/pip" install -q --upgrade pip
    if [ -n "${TORCH_WHEEL:-}" ]; then
        "$venv/bin/pip" install -q "$TORCH_WHEEL"
    else
        "$venv/bin/pip" install -q "torch==2.13.0"
    fi
    "$venv/bin/pip" install -q mostlyai-engine mostlyai-qa sdmetrics
fi
# Whatever installed them, the CUDA builds of torchvision and torchaudio break the engine's import.
"$venv/bin/pip" uninstall -y -q torchvision torchaudio 2>/dev/null || true
"$venv/bin/python" -c 'import torch, mostlyai.engine, mostlyai.qa; print("mostlyai-engine", mostlyai.engine.__version__, "with torch", torch.__version__)'
