#!/usr/bin/env bash
# UniverSeg on ONNX Runtime (the SDK's UniverSegModel) against the same network in PyTorch (universeg_torch.py), on
# random weights that PyTorch saves in the official checkpoint format (a state dict, as universeg_v1_nf64_ss64_STA.pt)
# and seeded inputs, interleaved in one run. Usage:
#   benchmarks/run-universeg-anchor.sh [--sizes 1,16,64] [--rounds 3] [--threads N]
# Prints one JSON line per S: {"m":..,"ort_s":..,"torch_s":..,"torch_over_ort":..,"max_abs_probability_diff":..}.
# Needs Debian's python3 with python3-torch and python3-numpy (apt-get install -y python3-torch); set PYTHON to use
# another interpreter. Builds benchmarks/target/benchmarks.jar when missing.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$here/target/benchmarks.jar"
python="${PYTHON:-/usr/bin/python3}"
if ! "$python" -c 'import torch, numpy' 2>/dev/null; then
  echo "run-universeg-anchor: $python cannot import torch and numpy (apt-get install -y python3-torch)" >&2
  exit 2
fi
if [ ! -f "$jar" ]; then
  (cd "$here/.." && mvn -B -q -Dstyle.color=never -DskipTests -pl benchmarks -am package >&2)
fi
max_s=64
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  if [ "${args[$i]}" = "--sizes" ]; then
    max_s=$(tr ',' '\n' <<<"${args[$((i + 1))]}" | sort -n | tail -1)
  fi
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$python" "$here/universeg_torch.py" write "$work/universeg_v1_random.pt" "$work" 42 "$max_s"
java ${ICL_SAM_JAVA_OPTS:--Xmx4g} -cp "$jar" org.iclsam.benchmarks.anchor.UniverSegAnchor \
  "$work/universeg_v1_random.pt" "$work" "$python" "$here/universeg_torch.py" "$@"
