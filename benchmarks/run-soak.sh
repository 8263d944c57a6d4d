#!/usr/bin/env bash
# Soak: N queries (default 10,000) through one default pipeline from 4 threads on small (128 x 128) real images,
# one JSON line every 1,000 queries (heap after GC, RSS, open sessions) and a summary with the RSS slope after
# the first 1,000. Usage:
#   benchmarks/run-soak.sh [--queries 10000] [--threads 4] [--every 1000] [--slope-from 1000] [--side 128]
# Builds benchmarks/target/benchmarks.jar when missing. A long run: 10,000 queries take hours on two CPU cores.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$here/target/benchmarks.jar"
if [ ! -f "$jar" ]; then
  (cd "$here/.." && mvn -B -q -Dstyle.color=never -DskipTests -pl benchmarks -am package >&2)
fi
exec java ${ICL_SAM_JAVA_OPTS:--Xmx2g} -cp "$jar" org.iclsam.benchmarks.soak.Soak "$@"
