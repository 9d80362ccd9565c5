# lib.sh: shared by the shell tests: a scratch folder removed on exit, pass
# and fail counters, checks of a command's exit, output and message, and the
# closing line that CI reads.
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
pass=0
fail=0

ok() { # ok NAME COMMAND...: must exit 0
  local name=$1; shift
  if "$@" >"$dir/out" 2>"$dir/err"; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL (exit $?): $name"; cat "$dir/err"; fi
}
bad() { # bad NAME PATTERN COMMAND...: must exit non-zero with PATTERN in a one-line stderr
  local name=$1 pattern=$2; shift 2
  if "$@" >"$dir/out" 2>"$dir/err"; then
    fail=$((fail + 1)); echo "FAIL (exit 0): $name"
  elif ! grep -q -- "$pattern" "$dir/err" || [ "$(wc -l <"$dir/err")" -ne 1 ]; then
    fail=$((fail + 1)); echo "FAIL (message): $name"; cat "$dir/err"
  else pass=$((pass + 1)); fi
}
has() { # has NAME PATTERN: the last stdout contains PATTERN
  if grep -q -- "$2" "$dir/out"; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL (output): $1"; cat "$dir/out"; fi
}

# finish: print "N passed, N failed" and exit non-zero on any failure.
finish() {
  echo "$pass passed, $fail failed"
  [ "$fail" -eq 0 ]
}
