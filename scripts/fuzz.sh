#!/usr/bin/env bash
# Fuzzes every parser of outside bytes with libFuzzer (clang, AddressSanitizer and
# UndefinedBehaviorSanitizer): the model file and Seq2Seq file loaders, the configuration text,
# the weights import, the date,value CSV reader, UTF-8 decoding and the character vocabulary
# (tests/fuzz/harness.cpp says what each target checks).
#
#   scripts/fuzz.sh [seconds per target, default 60] [target ...]
#
# Builds the targets in build/sanitize (the ASan + UBSan build of the suites, configured with
# RNNLAB_FUZZ=ON, so the library is compiled once for both) if needed. Each target starts from its
# committed seed corpus (tests/fuzz/corpus/<target>, read only) plus the inputs it found before
# (build/fuzz-run/corpus/<target>, kept between runs); a crash leaves its input in
# build/fuzz-run/artifacts/<target>/ and fails the run. To turn a finding into a regression test:
# minimize it (build/sanitize/tests/fuzz/fuzz_<target> -minimize_crash=1 -runs=10000 <file>),
# fix the library, copy the minimized input to tests/fuzz/regressions/<target>/<name> (the
# fuzz_replay_test replays it in every build) and add a test saying what was wrong
# (tests/robustness_test.cpp). `npm test` runs this for a few seconds per target.
#
# Environment: BUILD_DIR (default build/sanitize), RUN_DIR (corpus, artifacts and logs; default
# build/fuzz-run), JOBS (build parallelism, default 2). Targets run one after another, each on
# one core.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

seconds=60
targets=()
for arg in "$@"; do
  case "$arg" in
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *[!0-9]*) targets+=("$arg") ;;
    *) seconds=$arg ;;
  esac
done
ALL=(model_file seq2seq_file config_text weights csv utf8_vocab)
[ ${#targets[@]} -eq 0 ] && targets=("${ALL[@]}")
for t in "${targets[@]}"; do
  [[ " ${ALL[*]} " == *" $t "* ]] || { echo "fuzz.sh: unknown target '$t' (targets: ${ALL[*]})" >&2; exit 2; }
done

BUILD_DIR=${BUILD_DIR:-$ROOT/build/sanitize}
RUN_DIR=${RUN_DIR:-build/fuzz-run}
JOBS=${JOBS:-2}
command -v clang++ >/dev/null || { echo "fuzz.sh: clang++ is missing (scripts/setup.sh installs clang and libclang-rt-dev)" >&2; exit 1; }
if ! grep -qs '^RNNLAB_FUZZ:BOOL=ON' "$BUILD_DIR/CMakeCache.txt"; then
  launcher=()
  if [ -z "${CMAKE_CXX_COMPILER_LAUNCHER+set}" ] && command -v ccache >/dev/null 2>&1; then
    launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  fi
  cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
    -DRNNLAB_FUZZ=ON -DRNNLAB_BUILD_BENCH=OFF "${launcher[@]}" >/dev/null
fi
cmake --build "$BUILD_DIR" -j "$JOBS" --target "${targets[@]/#/fuzz_}"

# Leaks are findings too; any UBSan report stops the run with a stack.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

summary=()
failed=()
for t in "${targets[@]}"; do
  work=$RUN_DIR/corpus/$t
  artifacts=$RUN_DIR/artifacts/$t
  mkdir -p "$work" "$artifacts"
  log=$RUN_DIR/$t.log
  seeds=(tests/fuzz/corpus/"$t")
  [ -d tests/fuzz/regressions/"$t" ] && seeds+=(tests/fuzz/regressions/"$t")
  dict=()
  [ -f tests/fuzz/"$t".dict ] && dict=(-dict=tests/fuzz/"$t".dict)
  echo "== fuzz_$t for ${seconds} s"
  status=0
  # -rss_limit_mb / -malloc_limit_mb: an input that makes the library take more than 2 GB is a
  # finding (sizes are checked before allocating); -timeout: one input taking 10 s is one too.
  "$BUILD_DIR/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -malloc_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$artifacts/" "${dict[@]}" \
    "$work" "${seeds[@]}" >"$log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
  corpus=$(ls "$work" | wc -l)
  if [ "$status" -ne 0 ]; then
    failed+=("$t")
    tail -60 "$log"
    summary+=("$(printf '%-13s FAILED (exit %s): see %s and %s' "$t" "$status" "$log" "$artifacts")")
  else
    summary+=("$(printf '%-13s %12s runs %8s/s  coverage %6s  corpus %5s' "$t" "${runs:-?}" "${rate:-?}" "${cov:-?}" "$corpus")")
  fi
done

echo
echo "fuzz summary (${seconds} s per target):"
printf '  %s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz.sh: findings in: ${failed[*]}" >&2
  exit 1
fi
