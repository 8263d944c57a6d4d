#!/usr/bin/env bash
# The default encoder in float32 and int8, interleaved in one run. Usage:
#   benchmarks/run-encoder-bench.sh --task ../shared/data/brain-tumour-t1ce --images 5 [--rounds 1]
#     [--batches 1,2,4] [--options] [--precision fp32|int8]
# Prints {"precision":"fp32","encoder_ms":..} and {"precision":"int8","encoder_ms":..,"speedup":..}, then one line
# per batch size (--batches) and per ONNX Runtime session setting (--options). The int8 graph is derived on first
# use and cached next to the model ($ICL_SAM_MODEL_DIR or ~/.cache/icl-sam/models).
# Builds benchmarks/target/benchmarks.jar when missing.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$here/target/benchmarks.jar"
if [ ! -f "$jar" ]; then
  (cd "$here/.." && mvn -B -q -Dstyle.color=never -DskipTests -pl benchmarks -am package >&2)
fi
exec java ${ICL_SAM_JAVA_OPTS:--Xmx4g} -cp "$jar" org.iclsam.benchmarks.sam.EncoderBench "$@"
