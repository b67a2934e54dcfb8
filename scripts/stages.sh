# Sourced by scripts/test.sh and scripts/test-quick.sh: runs named stages, times each, and
# prints a summary at the end; the first failing stage ends the run, and the summary says
# which one it was.
#   stage "name" command [args...]
#   stages_done                      (prints the summary; call at the end of a passing run)
STAGE_NAMES=()
STAGE_SECONDS=()
STAGE_T0=$(date +%s)

stages_summary() {
  local status=$1 i total
  total=$(( $(date +%s) - STAGE_T0 ))
  printf '\n==== time per stage ====\n'
  for i in "${!STAGE_NAMES[@]}"; do
    printf '  %6s s  %s\n' "${STAGE_SECONDS[$i]}" "${STAGE_NAMES[$i]}"
  done
  printf '  %6s s  total (%s cores, load average %s)\n' "$total" "$(nproc 2>/dev/null || echo '?')" \
    "$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
  [ "$status" = 0 ] || printf '\nFAILED in stage: %s (see its output above)\n' "${STAGE_NAMES[-1]}" >&2
}

stage() {
  local name=$1 t0 status=0
  shift
  printf '\n==== %s ====\n' "$name"
  t0=$(date +%s)
  "$@" || status=$?
  STAGE_NAMES+=("$name")
  STAGE_SECONDS+=("$(( $(date +%s) - t0 ))")
  if [ "$status" != 0 ]; then
    stages_summary "$status"
    exit "$status"
  fi
}

stages_done() { stages_summary 0; }
