#!/usr/bin/env bash
# Fuzz each target for a bounded time, starting from its saved corpus, and
# print one line per target: wall and CPU seconds, executions, new corpus
# inputs, findings.
# New interesting inputs and crash reproducers go to a scratch folder, never
# into tests/fuzz/corpus (merge them by hand: see docs/reliability.md).
# Usage: run.sh BUILD_DIR SECONDS [TARGET...]   (BUILD_DIR configured with -DVDL_FUZZ=ON)
# Env: FUZZ_WORK=DIR keeps the scratch folder (default: a temporary one, removed).
set -u
build=$1
seconds=$2
shift 2
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(idx checkpoint op_descriptor cli_args)
here=$(cd "$(dirname "$0")" && pwd)
work=${FUZZ_WORK:-$(mktemp -d)}
[ -n "${FUZZ_WORK:-}" ] || trap 'rm -rf "$work"' EXIT
status=0
for t in "${targets[@]}"; do
  mkdir -p "$work/$t/new" "$work/$t/crashes"
  start=$(date +%s)
  # -close_fd_mask=3: the targets' own messages would drown the log (crash
  # reports still print); -timeout: an input taking 10 s is a finding too.
  TIMEFORMAT='%U %S'
  { time "$build/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 -close_fd_mask=3 \
      -print_final_stats=1 -artifact_prefix="$work/$t/crashes/" \
      "$work/$t/new" "$here/corpus/$t" >"$work/$t/log" 2>&1; } 2>"$work/$t/cpu"
  rc=$?
  took=$(( $(date +%s) - start ))
  cpu=$(awk '{ printf "%.0f", $1 + $2 }' "$work/$t/cpu")
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t/log")
  found=$(ls "$work/$t/crashes" | wc -l)
  echo "fuzz_$t: ${took} s (${cpu} s CPU), ${runs:-?} executions, $(ls "$work/$t/new" | wc -l) new corpus inputs, $found findings (exit $rc)"
  if [ "$rc" -ne 0 ] || [ "$found" -ne 0 ]; then
    status=1
    tail -n 40 "$work/$t/log"
  fi
done
exit $status
