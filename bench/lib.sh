# shellcheck shell=bash
# bench/lib.sh: sourced by the bench scripts, from the repository's root; not a benchmark itself.

# bench_build TARGET...: configures the release preset (again each time, so that a change of the
# preset reaches an existing build directory) and builds TARGET..., quietly: only the build's
# errors reach stderr, and a failed build stops the script (set -e). The build is never part of
# what a benchmark times.
bench_build() {
    cmake --preset release >/dev/null
    cmake --build --preset release -j "$(nproc)" --target "$@" >/dev/null
}
