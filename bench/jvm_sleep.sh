#!/usr/bin/env bash
# bench/jvm_sleep.sh: measures the JVM timing the harness's model of Maelstrom takes its defaults
# from (issue 10; bench/jvm_sleep/JvmSleep.java says what each figure is): Thread.sleep's
# overshoot, the wake-up of an idle delivery thread, where a 100 ms message really lands, and the
# spread of 25 node starts + init writes by one thread each in a fresh JVM (ROUNDS fresh JVMs,
# each starting the real broadcast-node). Prints every figure and the load average before and
# after: the machine's other work moves them.
#   bench/jvm_sleep.sh [ROUNDS [SAMPLES]]     default 8 setup rounds, 300 samples
# Needs a JDK (javac and java; the project measured OpenJDK 17).
set -eu -o pipefail
cd "$(dirname "$0")/.."
# shellcheck source=bench/lib.sh
. bench/lib.sh
rounds="${1:-8}"
samples="${2:-300}"
command -v javac >/dev/null || {
    echo "jvm_sleep.sh: javac not found (install a JDK, e.g. openjdk-17-jdk-headless)" >&2
    exit 2
}
bench_build broadcast-node
node="$PWD/build/release/bin/broadcast-node"
classes="$(mktemp -d)"
trap 'rm -rf "$classes"' EXIT
javac -d "$classes" bench/jvm_sleep/JvmSleep.java

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -cp "$classes" JvmSleep all "$samples" 25 "$node"
echo "setup in a fresh JVM, $rounds times (25 nodes, $node):"
for ((i = 1; i <= rounds; i++)); do
    java -cp "$classes" JvmSleep setup 25 "$node" | sed -n '1p'
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
