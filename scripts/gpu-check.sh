#!/usr/bin/env bash
# GPU check for icl-sam-java: one prepared, offline run on a machine with an NVIDIA GPU.
#
#   scripts/gpu-check.sh prepare [options]   on a build machine with Maven and network access (no GPU needed):
#                                            builds everything the run needs into one bundle directory
#   scripts/gpu-check.sh run [options]       on the GPU machine, offline: prints the GPU and the provider in use,
#                                            runs the GPU-gated tests and the pipeline benchmark with
#                                            --provider cuda, writes all results as JSON; at most ~5 minutes
#
# Run "scripts/gpu-check.sh help" for the options; docs/GPU.md explains the whole procedure.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DEFAULT_BUNDLE="$REPO/target/gpu-bundle"
# Whole-run budget in seconds (the issue asks for 5 minutes; keep a margin for writing the report).
DEFAULT_TIME_LIMIT=290
# Per-step ceilings in seconds; the first JavaCPP load copies ~1.9 GB of CUDA/cuDNN libraries out of the jar.
DIAGNOSTICS_LIMIT=120
TESTS_LIMIT=120
# Seconds the benchmark needs at the least to be worth starting.
BENCH_MIN=30
CONSOLE_MAIN=org.junit.platform.console.ConsoleLauncher
DIAGNOSTICS_MAIN=org.iclsam.cuda.CudaDiagnostics
GPU_PROPERTY=iclsam.gpu
TEST_PACKAGE=org.iclsam.cuda

usage() {
  cat <<'EOF'
Usage:
  scripts/gpu-check.sh prepare [--bundle DIR] [--no-redist] [--models DIR] [--task DIR] [--no-jre]
                               [--ort-gpu-jar FILE]
      Needs: JDK 17+ (with jlink), Maven, network (Maven Central). No GPU.
      --bundle DIR   where to build the bundle (default: target/gpu-bundle)
      --no-redist    leave out the 2 GB CUDA/cuDNN jar: the GPU machine must then have CUDA 12 and cuDNN 9
                     installed (libcudart.so.12, libcublasLt.so.12, libcudnn.so.9, ... visible to ldconfig)
      --models DIR   model cache to copy in (default: $ICL_SAM_MODEL_DIR, else ~/.cache/icl-sam/models)
      --task DIR     a task folder (images/, labels/, task.json) to copy in for the benchmark
      --no-jre       do not add a jlink'ed Java runtime (the GPU machine then needs Java 17+ itself)
      --ort-gpu-jar F use this onnxruntime_gpu jar (same version as the pom's onnxruntime.version) instead of
                     downloading it (640 MB)
  scripts/gpu-check.sh run [--bundle DIR] [--out FILE] [--task DIR] [--models DIR] [--sizes LIST]
                           [--queries N] [--no-bench] [--time-limit SECONDS] [--keep-going]
      Needs: the bundle, an NVIDIA GPU with its driver (nvidia-smi). No network, no Maven.
      --out FILE     the JSON report (default: $OUT/gpu-check.json if $OUT is set, else target/gpu-check.json)
      --task DIR     task for the benchmark (default: the one task copied into the bundle)
      --models DIR   model cache (default: the bundle's models/)
      --sizes LIST   support-set sizes m for the benchmark (default 1,16,64)
      --queries N    queries per size (default 5)
      --no-bench     only the provider report and the GPU tests
      --time-limit S stop starting new work after S seconds (default 290)
      --keep-going   run the tests and the benchmark even when CUDA is not usable (to try this script itself on
                     a machine without a GPU, with stand-ins for nvidia-smi; the results then say so)
Exit status of run: 0 all passed; 2 a prerequisite is missing (nothing was run); 3 CUDA is not usable;
4 a GPU test failed; 5 the benchmark failed or did not finish.
EOF
}

die() { echo "gpu-check: $*" >&2; exit 2; }
log() { echo "gpu-check: $*" >&2; }

# JSON string literal of $1 (control characters dropped).
json_str() {
  local s=${1//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\t'/\\t}
  s=${s//$'\r'/}
  s=${s//$'\n'/\\n}
  printf '"%s"' "$(printf '%s' "$s" | tr -d '\000-\010\013\014\016-\037')"
}

# JSON array of strings from the arguments.
json_arr() {
  local out="[" first=1 x
  for x in "$@"; do
    [[ $first == 1 ]] || out+=","
    first=0
    out+=$(json_str "$x")
  done
  printf '%s]' "$out"
}

pom_property() {
  sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$REPO/pom.xml" | sed -n 1p
}

# ---------------------------------------------------------------------------------------------- prepare
prepare() {
  local bundle=$DEFAULT_BUNDLE redist=1 models=${ICL_SAM_MODEL_DIR:-$HOME/.cache/icl-sam/models} task="" jre=1
  local ort_jar=""
  while [[ $# -gt 0 ]]; do
    case $1 in
      --bundle) bundle=$2; shift 2 ;;
      --no-redist) redist=0; shift ;;
      --models) models=$2; shift 2 ;;
      --task) task=$2; shift 2 ;;
      --no-jre) jre=0; shift ;;
      --ort-gpu-jar) ort_jar=$2; shift 2 ;;
      *) usage >&2; die "prepare: unknown option $1" ;;
    esac
  done
  command -v mvn >/dev/null || die "prepare needs Maven (mvn) on the PATH"
  command -v java >/dev/null || die "prepare needs a JDK 17+ on the PATH"
  [[ -d $models ]] && compgen -G "$models/*/*.onnx" >/dev/null \
    || die "no models under $models (expected <cache>/<package>/*.onnx): provision the default models first (run any example once with network, or set ICL_SAM_MODEL_DIR / --models)"
  [[ -z $task || -d $task/images ]] || die "--task $task has no images/ folder"
  [[ -z $ort_jar || -f $ort_jar ]] || die "--ort-gpu-jar $ort_jar does not exist"

  local ort_version slf4j_version junit_version platform_version
  ort_version=$(pom_property onnxruntime.version)
  slf4j_version=$(pom_property slf4j.version)
  junit_version=$(pom_property junit.version)
  # JUnit 5.x.y ships with JUnit Platform 1.x.y.
  platform_version="1.${junit_version#5.}"
  local noredist=()
  [[ $redist == 1 ]] || noredist=(-Diclsam.cuda.noRedist)
  local mvn=(mvn -B -q -Dstyle.color=never)

  log "building icl-sam-cuda (profile cuda) and the benchmarks"
  (cd "$REPO" && "${mvn[@]}" -Pcuda "${noredist[@]}" -pl icl-sam-cuda,benchmarks -am install -DskipTests)

  rm -rf "$bundle"
  mkdir -p "$bundle/lib" "$bundle/junit"
  log "copying the runtime class path (with onnxruntime_gpu $ort_version instead of onnxruntime)"
  (cd "$REPO" && "${mvn[@]}" -Pcuda "${noredist[@]}" -pl icl-sam-cuda dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$bundle/lib")
  rm -f "$bundle/lib/onnxruntime-$ort_version.jar"
  if [[ -n $ort_jar ]]; then
    cp "$ort_jar" "$bundle/lib/onnxruntime_gpu-$ort_version.jar"
  else
    (cd "$REPO" && "${mvn[@]}" -N dependency:copy \
        -Dartifact="com.microsoft.onnxruntime:onnxruntime_gpu:$ort_version" -DoutputDirectory="$bundle/lib")
  fi
  (cd "$REPO" && "${mvn[@]}" -N dependency:copy \
      -Dartifact="org.slf4j:slf4j-simple:$slf4j_version" -DoutputDirectory="$bundle/lib")
  (cd "$REPO" && "${mvn[@]}" -N dependency:copy \
      -Dartifact="org.junit.platform:junit-platform-console-standalone:$platform_version" \
      -DoutputDirectory="$bundle/junit")
  cp "$REPO"/icl-sam-cuda/target/icl-sam-cuda-*.jar "$bundle/lib/"
  rm -f "$bundle"/lib/icl-sam-cuda-*-tests.jar
  cp -r "$REPO/icl-sam-cuda/target/test-classes" "$bundle/test-classes"

  log "copying models from $models"
  cp -r "$models" "$bundle/models"
  if [[ -n $task ]]; then
    mkdir -p "$bundle/task"
    cp -r "$task" "$bundle/task/$(basename "$task")"
  fi
  if [[ $jre == 1 ]]; then
    command -v jlink >/dev/null || die "jlink not found: install a full JDK or pass --no-jre"
    log "linking a Java runtime into the bundle"
    jlink --add-modules java.se,jdk.unsupported,jdk.zipfs --strip-debug --no-header-files --no-man-pages \
      --compress=2 --output "$bundle/jre"
  fi
  {
    echo "icl-sam GPU bundle, made $(date -u +%Y-%m-%dT%H:%M:%SZ) from $(git -C "$REPO" rev-parse HEAD 2>/dev/null || echo unknown)"
    echo "onnxruntime_gpu $ort_version, $(cd "$bundle/lib" && ls cuda-*[0-9].jar) (redist: $redist)"
    du -sh "$bundle"/* 2>/dev/null
  } >"$bundle/BUNDLE.txt"
  cat "$bundle/BUNDLE.txt" >&2
  log "bundle ready: $bundle ($(du -sh "$bundle" | cut -f1)); copy it to the GPU machine and run: scripts/gpu-check.sh run --bundle DIR"
}

# ---------------------------------------------------------------------------------------------- run
run_check() {
  local bundle=$DEFAULT_BUNDLE out="" task="" models="" sizes=1,16,64 queries=5 bench=1
  local limit=$DEFAULT_TIME_LIMIT keep_going=0
  while [[ $# -gt 0 ]]; do
    case $1 in
      --bundle) bundle=$2; shift 2 ;;
      --out) out=$2; shift 2 ;;
      --task) task=$2; shift 2 ;;
      --models) models=$2; shift 2 ;;
      --sizes) sizes=$2; shift 2 ;;
      --queries) queries=$2; shift 2 ;;
      --no-bench) bench=0; shift ;;
      --time-limit) limit=$2; shift 2 ;;
      --keep-going) keep_going=1; shift ;;
      *) usage >&2; die "run: unknown option $1" ;;
    esac
  done
  if [[ -z $out ]]; then
    if [[ -n ${OUT:-} ]]; then out=$OUT/gpu-check.json; else out=$REPO/target/gpu-check.json; fi
  fi
  mkdir -p "$(dirname "$out")"
  local start=$SECONDS
  local work
  work=$(mktemp -d "${TMPDIR:-/tmp}/icl-sam-gpu-check.XXXXXX")
  [[ -n $models ]] || models=$bundle/models
  if [[ -z $task && -d $bundle/task ]]; then
    task=$(find "$bundle/task" -mindepth 1 -maxdepth 1 -type d | sort | sed -n 1p)
  fi

  # -- preflight: every missing piece, named, before any GPU time is spent
  local problems=() java="" cp="" redist="bundled"
  if ! command -v nvidia-smi >/dev/null; then
    problems+=("nvidia-smi not found: this does not look like a machine with an NVIDIA driver")
  elif ! nvidia-smi -L >/dev/null 2>&1; then
    problems+=("nvidia-smi -L failed: no GPU visible or the driver is not loaded ($(nvidia-smi -L 2>&1 | sed -n 1p))")
  fi
  if [[ ! -d $bundle ]]; then
    problems+=("no bundle at $bundle: run 'scripts/gpu-check.sh prepare' on a machine with Maven and network, then copy the bundle here (--bundle DIR)")
  else
    if [[ -x $bundle/jre/bin/java ]]; then java=$bundle/jre/bin/java
    elif [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then java=$JAVA_HOME/bin/java
    elif command -v java >/dev/null; then java=$(command -v java)
    else problems+=("no Java: the bundle has no jre/ (prepared with --no-jre?) and there is no java on the PATH or in JAVA_HOME")
    fi
    if [[ -n $java ]]; then
      local major
      major=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/.*java.specification.version = //p' | sed -n 1p)
      [[ ${major%%.*} -ge 17 ]] 2>/dev/null || problems+=("$java is Java ${major:-unknown}; 17 or later is needed")
    fi
    compgen -G "$bundle/lib/onnxruntime_gpu-*.jar" >/dev/null \
      || problems+=("$bundle/lib has no onnxruntime_gpu jar: the bundle is incomplete, prepare it again")
    ! compgen -G "$bundle/lib/onnxruntime-[0-9]*.jar" >/dev/null \
      || problems+=("$bundle/lib holds the CPU onnxruntime jar next to onnxruntime_gpu: remove it (the first on the class path wins)")
    compgen -G "$bundle/lib/icl-sam-cuda-*.jar" >/dev/null || problems+=("$bundle/lib has no icl-sam-cuda jar")
    [[ -d $bundle/test-classes ]] || problems+=("$bundle/test-classes is missing: prepare the bundle again")
    compgen -G "$bundle/junit/junit-platform-console-standalone-*.jar" >/dev/null \
      || problems+=("$bundle/junit has no junit-platform-console-standalone jar")
    if ! compgen -G "$bundle/lib/cuda-*-redist.jar" >/dev/null; then
      redist="system"
      local lib
      for lib in libcudart.so.12 libcublasLt.so.12 libcublas.so.12 libcufft.so.11 libcurand.so.10 libcudnn.so.9; do
        ldconfig -p 2>/dev/null | grep -F "$lib" >/dev/null \
          || problems+=("the bundle has no CUDA redist jar (prepared with --no-redist) and the system has no $lib: install CUDA 12 and cuDNN 9, or prepare without --no-redist")
      done
    fi
  fi
  if [[ $bench == 1 ]]; then
    [[ -x $REPO/benchmarks/run-pipeline-bench.sh ]] \
      || problems+=("benchmarks/run-pipeline-bench.sh is missing or not executable (or pass --no-bench)")
    [[ -f $REPO/benchmarks/target/benchmarks.jar ]] \
      || problems+=("benchmarks/target/benchmarks.jar is missing: copy benchmarks/target from the build machine (prepare builds it; there is no Maven here), or pass --no-bench")
    [[ -n $task && -d $task ]] || problems+=("no task for the benchmark: pass --task DIR or prepare with --task (or pass --no-bench)")
    compgen -G "$models/*/*.onnx" >/dev/null \
      || problems+=("no models under $models (expected <cache>/<package>/*.onnx; the GPU machine cannot download them)")
  fi
  if [[ ${#problems[@]} -gt 0 ]]; then
    printf '{"status":"failed","stage":"preflight","problems":%s}\n' "$(json_arr "${problems[@]}")" >"$out"
    printf 'gpu-check: missing: %s\n' "${problems[@]}" >&2
    log "report: $out"
    exit 2
  fi

  local jar
  for jar in "$bundle"/lib/*.jar; do cp+="${cp:+:}$jar"; done
  local cache=$work/javacpp-cache
  local jvm=(-Dorg.bytedeco.javacpp.cachedir="$cache" -Dorg.slf4j.simpleLogger.defaultLogLevel=info)
  remaining() { echo $((limit - (SECONDS - start))); }
  # Seconds for a step: its ceiling or what is left, at least 1 ("timeout 0" would mean no limit at all).
  budget() { local r; r=$(remaining); r=$(($1 < r ? $1 : r)); echo $((r > 0 ? r : 1)); }

  # -- the GPU
  local gpus=() gpu_json
  mapfile -t gpus < <(nvidia-smi --query-gpu=index,name,driver_version,memory.total,compute_cap \
      --format=csv,noheader 2>/dev/null || nvidia-smi --query-gpu=index,name,driver_version,memory.total \
      --format=csv,noheader)
  log "GPU: ${gpus[*]}"
  gpu_json=$(json_arr "${gpus[@]+"${gpus[@]}"}")

  # -- provider report (also the first, slow, extraction of the CUDA libraries)
  log "provider report ($DIAGNOSTICS_MAIN, CUDA libraries: $redist)"
  local diag diag_rc=0
  diag=$(timeout --kill-after=5 "$(budget $DIAGNOSTICS_LIMIT)" "$java" "${jvm[@]}" -cp "$cp" "$DIAGNOSTICS_MAIN" \
         2>"$work/diagnostics.err") || diag_rc=$?
  diag=$(printf '%s\n' "$diag" | grep '^{' | tail -1 || true)
  [[ -n $diag ]] || diag="{\"error\":$(json_str "no report (exit $diag_rc): $(tail -c 2000 "$work/diagnostics.err")")}"
  log "providers: $diag"
  finish() {
    local status=$1 code=$2 tests_json=${3:-null} bench_json=${4:-null}
    printf '{"status":%s,"elapsed_s":%d,"commit":%s,"cuda_libraries":%s,"gpu":%s,"provider":%s,"tests":%s,"bench":%s}\n' \
      "$(json_str "$status")" "$((SECONDS - start))" \
      "$(json_str "$(git -C "$REPO" rev-parse HEAD 2>/dev/null || sed -n 1p "$bundle/BUNDLE.txt" 2>/dev/null || echo unknown)")" \
      "$(json_str "$redist")" "$gpu_json" "$diag" "$tests_json" "$bench_json" >"$out"
    if command -v python3 >/dev/null && ! python3 -m json.tool "$out" >/dev/null 2>&1; then
      log "warning: $out is not valid JSON (a tool printed something unexpected)"
    fi
    log "status $status after $((SECONDS - start)) s; report: $out"
    rm -rf "$work"
    exit "$code"
  }
  local cuda_ok=1
  if [[ $diag_rc != 0 ]]; then
    cuda_ok=0
    if [[ $keep_going == 0 ]]; then
      log "CUDA is not usable here (see provider.preload_problems / cuda_error in the report); stopping"
      finish "cuda-unusable" 3
    fi
    log "CUDA is not usable here; going on (--keep-going): expect the GPU tests to fail"
  fi

  # -- GPU-gated tests (and the module's CPU tests) with the JUnit console launcher
  log "GPU tests (-D$GPU_PROPERTY=true, package $TEST_PACKAGE)"
  local console tests_rc=0
  console=$(ls "$bundle"/junit/junit-platform-console-standalone-*.jar | sed -n 1p)
  timeout --kill-after=5 "$(budget $TESTS_LIMIT)" "$java" "${jvm[@]}" -D$GPU_PROPERTY=true \
    -cp "$console:$bundle/test-classes:$cp" "$CONSOLE_MAIN" execute --disable-banner --disable-ansi-colors --details=tree \
    --fail-if-no-tests --select-package "$TEST_PACKAGE" --reports-dir "$work/junit" >"$work/tests.log" 2>&1 \
    || tests_rc=$?
  local xml=$work/junit/TEST-junit-jupiter.xml tests_json
  attr() { grep -o "<testsuite [^>]*" "$xml" 2>/dev/null | grep -o " $1=\"[0-9]*\"" | sed -n 1p | tr -dc '0-9'; }
  local failed=()
  if [[ -f $xml ]]; then
    mapfile -t failed < <(awk '/<testcase /{match($0,/name="[^"]*"/);n=substr($0,RSTART+6,RLENGTH-7);
                                           match($0,/classname="[^"]*"/);c=substr($0,RSTART+11,RLENGTH-12)}
                               /<failure|<error/{print c "." n}' "$xml" | sort -u)
  fi
  local n_tests n_failures n_errors n_skipped
  n_tests=$(attr tests || true); n_failures=$(attr failures || true)
  n_errors=$(attr errors || true); n_skipped=$(attr skipped || true)
  tests_json=$(printf '{"exit":%d,"tests":%s,"failures":%s,"errors":%s,"skipped":%s,"failed":%s,"log_tail":%s}' \
    "$tests_rc" "${n_tests:-null}" "${n_failures:-null}" "${n_errors:-null}" "${n_skipped:-null}" \
    "$(json_arr "${failed[@]+"${failed[@]}"}")" "$(json_str "$(tail -c 4000 "$work/tests.log")")")
  log "tests: exit $tests_rc ${failed[*]+failed: ${failed[*]}}"

  # -- pipeline benchmark on CUDA
  local bench_json=null bench_rc=0
  if [[ $bench == 1 ]]; then
    local left
    left=$(remaining)
    if [[ $left -lt $BENCH_MIN ]]; then
      bench_json="{\"error\":$(json_str "not started: only $left s of the time limit left")}"
      bench_rc=1
    else
      log "pipeline benchmark --provider cuda --sizes $sizes --queries $queries (at most $left s)"
      ICL_SAM_GPU_CLASSPATH=$cp ICL_SAM_MODEL_DIR=$models JAVA_HOME=$(dirname "$(dirname "$java")") \
        PATH=$(dirname "$java"):$PATH JAVA_TOOL_OPTIONS="-Dorg.bytedeco.javacpp.cachedir=$cache" \
        timeout --kill-after=5 "$left" "$REPO/benchmarks/run-pipeline-bench.sh" --task "$task" --sizes "$sizes" \
        --queries "$queries" --provider cuda >"$work/bench.out" 2>"$work/bench.err" || bench_rc=$?
      local lines
      lines=$(grep '^{' "$work/bench.out" | paste -sd, - || true)
      bench_json=$(printf '{"exit":%d,"results":[%s],"stderr_tail":%s}' "$bench_rc" "$lines" \
        "$(json_str "$(tail -c 3000 "$work/bench.err")")")
      log "benchmark: exit $bench_rc, $(grep -c '^{' "$work/bench.out" || true) result lines"
    fi
  fi

  if [[ $cuda_ok == 0 ]]; then finish "cuda-unusable" 3 "$tests_json" "$bench_json"; fi
  if [[ $tests_rc != 0 ]]; then finish "tests-failed" 4 "$tests_json" "$bench_json"; fi
  if [[ $bench_rc != 0 ]]; then finish "bench-failed" 5 "$tests_json" "$bench_json"; fi
  finish "ok" 0 "$tests_json" "$bench_json"
}

case ${1:-help} in
  prepare) shift; prepare "$@" ;;
  run) shift; run_check "$@" ;;
  help|-h|--help) usage ;;
  *) usage >&2; exit 2 ;;
esac
