# lib.sh: shared by the shell tests: a scratch folder removed on exit, pass
# and fail counters, and the closing line that CI reads.
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
pass=0
fail=0

# finish: print "N passed, N failed" and exit non-zero on any failure.
finish() {
  echo "$pass passed, $fail failed"
  [ "$fail" -eq 0 ]
}
