#!/usr/bin/env bash
# `vdl reproduce` end to end on a tiny generated MNIST look-alike: every
# artefact is written; an interrupted run resumes to identical tables; two
# shards merged, and two jobs, give the same tables as one plain run; a SIGTERM
# to the main process stops its jobs, and the run then resumes.
# Usage: repro_test.sh VDL MAKE_TINY_MNIST
set -u
vdl=$1
make_data=$2
source "$(dirname "$0")/lib.sh"
check() { # check NAME COMMAND...
  local name=$1; shift
  if "$@" >"$dir/log" 2>&1; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL: $name"; tail -n 20 "$dir/log"; fi
}
same_tables() { # same_tables DIR1 DIR2
  local t
  for t in table1 table2 table3; do
    cmp -s "$1/$t.csv" "$2/$t.csv" || { echo "$t.csv differs: $1 vs $2"; diff "$1/$t.csv" "$2/$t.csv" | head; return 1; }
  done
}

mkdir -p "$dir/mnist"
"$make_data" "$dir/mnist" 300 100
opts=(--quick --epochs 1 --seeds 2 --lambda 0.1,10 --data "$dir/mnist" --threads 1)

check "plain run" bash -c "'$vdl' reproduce ${opts[*]} --out '$dir/plain' >'$dir/plain.log' 2>&1"
for f in settings.txt table1.md table1.csv table2.md table2.csv table3.md table3.csv figure1.svg figure2.svg figure3.svg; do
  check "artefact $f" test -s "$dir/plain/$f"
done
check "one file per run" test "$(ls "$dir/plain/runs" | grep -c '^[a-f]-l.*\.csv$')" -eq 24
check "plain run printed its results" grep -q "results in" "$dir/plain.log"
check "quick is labelled" grep -q "^QUICK" "$dir/plain/settings.txt"
check "no run missing" bash -c "! grep -q missing '$dir/plain.log'"
check "table 1 has six methods" test "$(grep -c '^[a-f],0.1,' "$dir/plain/table1.csv")" -eq 6
check "figure 1 has six panels" test "$(grep -o 'class="panel"' "$dir/plain/figure1.svg" | wc -l)" -eq 6

# interruption: lose some finished runs, a hypernet's checkpoint and the tables
cp -r "$dir/plain" "$dir/resumed"
rm "$dir/resumed"/runs/a-l10-s2.csv "$dir/resumed"/runs/d-l0.1-s1.csv "$dir/resumed"/runs/c-s2.vdl \
   "$dir/resumed"/runs/c-l10-s2.csv "$dir/resumed"/runs/dense-e-s1.csv "$dir/resumed"/table*
check "resume" "$vdl" reproduce "${opts[@]}" --out "$dir/resumed"
check "resumed tables identical" same_tables "$dir/plain" "$dir/resumed"

check "shard 1/2" bash -c "'$vdl' reproduce ${opts[*]} --out '$dir/s1' --shard 1/2 >'$dir/s1.log' 2>&1"
check "shard 1/2 is partial" grep -q "missing" "$dir/s1.log"
check "shard 2/2" "$vdl" reproduce "${opts[@]}" --out "$dir/s2" --shard 2/2
check "merge" "$vdl" reproduce "${opts[@]}" --out "$dir/merged" --merge "$dir/s1" "$dir/s2"
check "merged tables identical" same_tables "$dir/plain" "$dir/merged"

check "two jobs" "$vdl" reproduce "${opts[@]}" --out "$dir/jobs" --jobs 2
check "jobs tables identical" same_tables "$dir/plain" "$dir/jobs"

# a SIGTERM to the main process alone (a job manager's kill) stops the jobs too,
# says how to go on, and the same command then finishes with the same tables
running() { # running PATTERN: a process whose command line holds PATTERN
  grep -qaF -- "$1" /proc/[0-9]*/cmdline 2>/dev/null
}
killed_run() {
  local pid status i
  "$vdl" reproduce "${opts[@]}" --out "$dir/killed" --jobs 2 >"$dir/killed.log" 2>&1 &
  pid=$!
  for i in $(seq 600); do
    [ -n "$(ls "$dir/killed/runs" 2>/dev/null)" ] && break
    sleep 0.05
  done
  kill -TERM "$pid"
  wait "$pid"
  status=$?
  sleep 0.2
  [ "$status" = 143 ] || { echo "exit status $status, not 143"; return 1; }
  if running "$dir/killed"; then echo "a job outlived the main process"; return 1; fi
}
check "SIGTERM stops every job" killed_run
check "SIGTERM says how to go on" grep -q "run the same command to go on" "$dir/killed.log"
check "resume after SIGTERM" "$vdl" reproduce "${opts[@]}" --out "$dir/killed" --jobs 2
check "resumed tables identical after SIGTERM" same_tables "$dir/plain" "$dir/killed"
check "too many jobs refused" bash -c "'$vdl' reproduce ${opts[*]} --jobs 65 --out '$dir/x' 2>&1 | grep -q 'jobs in 1..64'"

check "other settings refused" bash -c "! '$vdl' reproduce --quick --epochs 2 --seeds 2 --lambda 0.1,10 --data '$dir/mnist' --out '$dir/plain'"
check "bad shard refused" bash -c "'$vdl' reproduce --shard 3/2 --out '$dir/x' 2>&1 | grep -q 'shard takes I/N'"

finish
