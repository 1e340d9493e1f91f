# shellcheck shell=bash
# bench/lib.sh: sourced by the bench scripts, from the repository's root; not a benchmark itself.

# bench_build TARGET...: the profile-guided release build of TARGET... (scripts/build-release.sh:
# configures the presets again each time, trains the profile when the code changed), quietly:
# only its three progress lines and the build's errors reach stderr, and a failed build stops the
# script (set -e). The build is never part of what a benchmark times.
bench_build() {
    scripts/build-release.sh "$@" >/dev/null
}
