#!/usr/bin/env bash
# Per-query pipeline timings against the encoder floor. Usage:
#   benchmarks/run-pipeline-bench.sh --task ../shared/data/brain-tumour-t1ce --sizes 1,16 --queries 5 [--provider cpu|cuda]
#     [--variant calibrated] [--preset fast|accurate]
# Builds benchmarks/target/benchmarks.jar when missing; prints one JSON line per support size.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$here/target/benchmarks.jar"
if [ ! -f "$jar" ]; then
  (cd "$here/.." && mvn -B -q -Dstyle.color=never -DskipTests -pl benchmarks -am package >&2)
fi
# ICL_SAM_GPU_CLASSPATH (set by scripts/gpu-check.sh) puts the GPU build of ONNX Runtime and the CUDA libraries
# ahead of the CPU runtime shaded into benchmarks.jar.
cp="$jar"
[ -n "${ICL_SAM_GPU_CLASSPATH:-}" ] && cp="$ICL_SAM_GPU_CLASSPATH:$jar"
exec java ${ICL_SAM_JAVA_OPTS:--Xmx8g} -cp "$cp" org.iclsam.benchmarks.pipeline.PipelineBench "$@"
