#!/usr/bin/env bash
# Side-by-side with scikit-learn's SAGA: run ../shared/bench/sklearn_saga.py DIR m... first (it writes
# DIR/X_m{m}.npy and DIR/y_m{m}.npy), then this script on the same DIR and m values.
# Prints one JSON line per m: {"m", "n", "seconds", "epochs", "objective", "converged", ...}.
# Leading -D options go to the JVM: -Dlr.solver=newton (default saga), -Dlr.classWeight=balanced (default none).
# Builds benchmarks/target/benchmarks.jar when it is missing (mvn -pl benchmarks -am package -DskipTests).
set -euo pipefail
jvm=()
while [ "$#" -gt 0 ] && [[ $1 == -D* ]]; do
  jvm+=("$1")
  shift
done
if [ "$#" -lt 2 ]; then
  echo "usage: $0 [-Dlr.solver=saga|newton] [-Dlr.classWeight=none|balanced] DIR m [m ...]" >&2
  exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"
jar="$here/target/benchmarks.jar"
if [ ! -f "$jar" ]; then
  (cd "$here/.." && mvn -B -q -Dstyle.color=never -pl benchmarks -am package -DskipTests) >&2
fi
exec java -Xms3g -Xmx3g -XX:+UseParallelGC "${jvm[@]}" -cp "$jar" org.iclsam.benchmarks.confidence.LrAnchor "$@"
