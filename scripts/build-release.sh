#!/usr/bin/env bash
# build-release.sh: the release build, profile-guided. Builds `harness` instrumented (preset
# release-train, build/release-train), trains it on a fixed set of virtual runs — the shapes the
# benchmarks and sweeps run: a 3e run with its files, trees, a star, a batched grid under
# partitions with random latency, the checker on a history — then builds TARGET... (default:
# every target) with the release preset, which optimises with that profile. The training runs
# again only when the instrumented harness changed (its profile would not match), and then every
# release object is rebuilt (each depends on the profile's stamp: CMakeLists.txt).
#   scripts/build-release.sh [TARGET...]
# Progress goes to stderr; the builds' own output to stdout. The profile changes how fast the
# release binaries run, never what they compute (scripts/compare-matrix.sh proves it for a build).
# Without this script (`cmake --preset release`), the release build has no profile: link-time
# optimisation only.
set -eu -o pipefail
cd "$(dirname "$0")/.."

jobs="$(nproc)"
train=build/release-train
profile="$train/profile"
stamp="$profile/stamp"

echo "build-release.sh: building the instrumented harness ($train)" >&2
cmake --preset release-train
cmake --build --preset release-train -j "$jobs" --target harness

if [[ ! -f "$stamp" || "$train/bin/harness" -nt "$stamp" ]]; then
    echo "build-release.sh: training the profile" >&2
    rm -rf "$profile"
    mkdir -p "$profile"
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    h=("$train/bin/harness" test -w broadcast --virtual --latency 100 --seed 1 --store "$work")
    "${h[@]}" --node-config configs/centred-tree-batched.ini --node-count 25 --rate 100 \
        --time-limit 20 >/dev/null
    "${h[@]}" --node-config configs/centred-tree.ini --node-count 200 --rate 1000 \
        --time-limit 5 --no-history >/dev/null
    "${h[@]}" --node-config configs/star.ini --node-count 100 --rate 1000 --time-limit 5 \
        --no-history >/dev/null
    "${h[@]}" --node-config configs/grid.ini --node-count 25 --rate 100 --time-limit 10 \
        --latency-dist exponential --nemesis partition --nemesis-interval 3 >/dev/null
    "$train/bin/harness" check "$work/latest/history.jsonl" >/dev/null
    touch "$stamp"
    rm -rf "$work"
    trap - EXIT
fi

echo "build-release.sh: building the release preset with the profile (build/release)" >&2
cmake --preset release
if (($# > 0)); then
    cmake --build --preset release -j "$jobs" --target "$@"
else
    cmake --build --preset release -j "$jobs"
fi
