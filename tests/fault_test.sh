#!/usr/bin/env bash
# Faults from outside, on the vdl command with tiny generated data: Ctrl-C
# and SIGTERM save a resumable checkpoint; kill -9 at random moments never
# leaves a corrupt one, and resuming after every kill ends with the same
# bytes as a run never stopped; a diverging run stops naming the step and the
# tensor and keeps the checkpoint it started from; write errors (disk full,
# a folder that is a file, a FIFO, stdout on /dev/full) and unreadable or
# short inputs (a folder, a device, a FIFO that ends early) get a one-line
# error and a non-zero exit.
# Usage: fault_test.sh VDL MAKE_TINY_MNIST SET_LR
set -u
vdl=$1
make_data=$2
set_lr=$3
source "$(dirname "$0")/lib.sh"
set -m # background jobs keep SIGINT (a script's would ignore it)

check() { # check NAME COMMAND...: must succeed
  local name=$1; shift
  if "$@" >"$dir/out" 2>"$dir/err"; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL: $name"; tail -n 5 "$dir/err"; fi
}
refused() { # refused NAME STATUS PATTERN COMMAND...: exits STATUS with PATTERN in a one-line stderr
  local name=$1 want=$2 pattern=$3 rc; shift 3
  "$@" >"$dir/out" 2>"$dir/err"; rc=$?
  if [ "$rc" -ne "$want" ]; then
    fail=$((fail + 1)); echo "FAIL (exit $rc): $name"; cat "$dir/err"
  elif ! grep -q -- "$pattern" "$dir/err" || [ "$(wc -l <"$dir/err")" -ne 1 ]; then
    fail=$((fail + 1)); echo "FAIL (message): $name"; cat "$dir/err"
  else pass=$((pass + 1)); fi
}
wait_for() { # wait_for FILE: until it exists (at most 60 s)
  local i
  for i in $(seq 600); do [ -e "$1" ] && return 0; sleep 0.1; done
  return 1
}
pause() { sleep "0.$((RANDOM % 3))$((RANDOM % 10))"; } # 0 to 0.29 s
progressed() { # progressed PID FILE COPY: until FILE differs from COPY, or PID has ended (at most 60 s)
  local i
  for i in $(seq 600); do
    { [ -e "$2" ] && ! cmp -s "$2" "$3"; } && return 0
    kill -0 "$1" 2>/dev/null || return 0
    sleep 0.1
  done
}

mkdir -p "$dir/mnist"
"$make_data" "$dir/mnist" 1000 100
quiet=(--data "$dir/mnist" --threads 1 --quiet)
train=("$vdl" train "${quiet[@]}" --batch 50 --hidden 16 --epochs 60) # 20 minibatches an epoch
resume=("$vdl" train "${quiet[@]}" --resume)

check "uninterrupted run" "${train[@]}" --out "$dir/ref.vdl"

# Ctrl-C and SIGTERM: a checkpoint after the current minibatch, exit 128+signal
for sig in INT TERM; do
  status=$((128 + $(kill -l "$sig")))
  "${train[@]}" --out "$dir/$sig.vdl" 2>"$dir/$sig.err" >/dev/null &
  pid=$!
  wait_for "$dir/$sig.vdl" && pause
  kill "-$sig" "$pid"
  wait "$pid"
  check "SIG$sig exits $status" test $? -eq "$status"
  check "SIG$sig says where and how to resume" grep -q "after step .*; saved .*vdl train --resume" "$dir/$sig.err"
  check "SIG$sig leaves a usable checkpoint" "$vdl" eval "$dir/$sig.vdl" --data "$dir/mnist" --mc 1 --evidence 0
  check "resume after SIG$sig" "${resume[@]}" "$dir/$sig.vdl"
  check "resumed after SIG$sig = never stopped" cmp "$dir/$sig.vdl" "$dir/ref.vdl"
done

# kill -9 at random moments, eight times, resuming each time: each run is
# killed at a random moment after it wrote its first checkpoint, so however
# slow the build, every run gets somewhere and a kill may land in a write
for i in 1 2 3 4 5 6 7 8; do
  if [ -e "$dir/k9.vdl" ]; then cp "$dir/k9.vdl" "$dir/k9.before"; else : >"$dir/k9.before"; fi
  if [ -e "$dir/k9.vdl" ]; then "${resume[@]}" "$dir/k9.vdl" >/dev/null 2>&1 &
  else "${train[@]}" --out "$dir/k9.vdl" >/dev/null 2>&1 & fi
  pid=$!
  progressed "$pid" "$dir/k9.vdl" "$dir/k9.before"
  pause
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  if [ -e "$dir/k9.vdl" ]; then
    check "checkpoint loads after kill -9 #$i" "$vdl" eval "$dir/k9.vdl" --data "$dir/mnist" --mc 1 --evidence 0
  fi
done
check "a checkpoint exists after the kills" test -e "$dir/k9.vdl"
check "resume after the kills" "${resume[@]}" "$dir/k9.vdl"
check "resumed after kill -9 = never stopped" cmp "$dir/k9.vdl" "$dir/ref.vdl"

# divergence: a good checkpoint resumed with a learning rate that overflows
"${train[@]}" --epochs 2 --out "$dir/nan.vdl" >/dev/null 2>&1
"$set_lr" "$dir/nan.vdl" 1e39
cp "$dir/nan.vdl" "$dir/nan-before.vdl"
refused "divergence names step and tensor" 1 "step 41 (epoch 3, minibatch 1 of 20): the update made tensor 'W1.mu' NaN or Inf" \
  "${resume[@]}" "$dir/nan.vdl" --epochs 4
check "divergence keeps the checkpoint" cmp "$dir/nan.vdl" "$dir/nan-before.vdl"

# write errors
touch "$dir/plain"
mkfifo "$dir/fifo"
refused "checkpoint under a file" 1 "cannot create" "${train[@]}" --epochs 1 --out "$dir/plain/x.vdl"
refused "checkpoint onto a FIFO" 1 "not a regular file" "${train[@]}" --epochs 1 --out "$dir/fifo"
check "the FIFO is still a FIFO" test -p "$dir/fifo"
cp "$dir/ref.vdl" "$dir/full.vdl"
# files may not grow past 64 KiB: the checkpoint write fails as on a full disk
refused "disk full" 1 "cannot write .*File too large" \
  bash -c "trap '' XFSZ; ulimit -f 64; exec \"\$@\"" - "${resume[@]}" "$dir/full.vdl" --epochs 61
check "disk full keeps the checkpoint" cmp "$dir/full.vdl" "$dir/ref.vdl"
refused "stdout on a full disk" 1 "cannot write the output" bash -c '"$@" >/dev/full' - "$vdl" ops
refused "results on a full disk" 1 "cannot write the output" \
  bash -c '"$@" >/dev/full' - "$vdl" eval "$dir/ref.vdl" --data "$dir/mnist" --evidence 0

# unreadable and short inputs
refused "model is a folder" 1 "folder" "$vdl" eval "$dir" --data "$dir/mnist"
refused "model is a device" 1 "not a regular file" "$vdl" eval /dev/zero --data "$dir/mnist"
refused "data folder is a file" 1 "cannot" "$vdl" eval "$dir/ref.vdl" --data "$dir/plain" --evidence 0
mkdir -p "$dir/short"
cp "$dir"/mnist/* "$dir/short/"
rm "$dir/short/train-images-idx3-ubyte"
mkfifo "$dir/short/train-images-idx3-ubyte"
head -c 5000 "$dir/mnist/train-images-idx3-ubyte" >"$dir/short/train-images-idx3-ubyte" &
refused "IDX data that ends early" 1 "truncated" timeout 60 "${train[@]}" --data "$dir/short" --out "$dir/y.vdl"
mkfifo "$dir/half.vdl"
head -c 100000 "$dir/ref.vdl" >"$dir/half.vdl" &
refused "checkpoint that ends early" 1 "checksum" timeout 60 "$vdl" eval "$dir/half.vdl" --data "$dir/mnist"

# a resumed run keeps its settings: options that would change them are refused
refused "resume with another lr" 2 "--lr cannot change a resumed run" "$vdl" train --resume "$dir/ref.vdl" --lr 0.1
refused "resume with another batch" 2 "--batch cannot change" "$vdl" train --resume "$dir/ref.vdl" --epochs 70 --batch 10

finish
