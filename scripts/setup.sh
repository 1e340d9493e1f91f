#!/usr/bin/env bash
# Installs the Debian packages gossip-lab needs, only those that are missing. As root it runs
# apt-get itself, through sudo when that works without a password; otherwise it prints the
# exact command and stops with status 1.
set -eu -o pipefail

# clang and libclang-rt-dev (libFuzzer and the sanitizers' runtimes, only a recommendation of
# clang, which --no-install-recommends skips) build the fuzz preset (bench/fuzz.sh, .ci/run);
# parallel (GNU parallel) is sweep.sh's and best.sh's --executor parallel.
packages=(cmake pkg-config gcc libcjson-dev libinih-dev check gnuplot-nox python3 clang
    libclang-rt-dev parallel)
missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
        missing+=("$p")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

cmd=(apt-get install -y --no-install-recommends "${missing[@]}")
if [ "$(id -u)" -eq 0 ]; then
    echo "setup: installing ${missing[*]}" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${cmd[@]}"
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    echo "setup: installing ${missing[*]} through sudo" >&2
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive "${cmd[@]}"
else
    echo "setup: missing Debian packages: ${missing[*]}" >&2
    echo "setup: run as root:  apt-get update && ${cmd[*]}" >&2
    exit 1
fi
