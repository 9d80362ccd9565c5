#!/usr/bin/env bash
# Every vdl subcommand on a tiny generated MNIST look-alike: results for good
# calls, a one-line error and a non-zero exit for bad ones.
# Usage: cli_test.sh VDL MAKE_TINY_MNIST [WRAPPER...]  (e.g. valgrind and its options)
set -u
vdl=("${@:3}" "$1")
make_data=$2
source "$(dirname "$0")/lib.sh"

mkdir -p "$dir/mnist"
"$make_data" "$dir/mnist" 300 100
common=(--data "$dir/mnist" --epochs 2 --batch 50 --hidden 16 --quiet)

ok "help" "${vdl[@]}" --help
has "help lists train" "train"
for c in demo train eval prune generate ops gradcheck data; do
  ok "$c --help" "${vdl[@]}" "$c" --help
  has "$c --help usage" "usage: vdl $c"
done
ok "ops" "${vdl[@]}" ops
has "ops lists reparam" "reparam"
ok "gradcheck" "${vdl[@]}" gradcheck
has "gradcheck summary" "^[1-9][0-9]* passed, 0 failed"
ok "gradcheck one op" "${vdl[@]}" gradcheck softmax_ce
has "gradcheck one op summary" "1 passed, 0 failed"

ok "train direct" "${vdl[@]}" train "${common[@]}" --model direct --lambda 1 --out "$dir/d.vdl" --format csv
has "train direct prints accuracy" "^1,"
ok "train linear" "${vdl[@]}" train "${common[@]}" --model linear --draws 2 --out "$dir/lin.vdl"
has "train linear four lambdas" "^100 "
ok "train lowrank json" "${vdl[@]}" train "${common[@]}" --model lowrank --hyper-hidden 4 --out "$dir/lr.vdl" --format json
has "train lowrank json" '"lambda": "0.1"'
ok "train lowrank rank 3" "${vdl[@]}" train "${common[@]}" --model lowrank --hyper-hidden 4 --rank 3 --out "$dir/lr3.vdl" --format csv
has "train lowrank rank 3 four lambdas" "^100,"
ok "resume rank 3" "${vdl[@]}" train --resume "$dir/lr3.vdl" --epochs 3 --data "$dir/mnist" --quiet
ok "eval rank 3" "${vdl[@]}" eval "$dir/lr3.vdl" --data "$dir/mnist" --evidence 0
ok "train lowrank paper preset" "${vdl[@]}" train "${common[@]}" --model lowrank --hyper-hidden 4 --preset paper --epochs 1 --out "$dir/lrp.vdl"
ok "train lowrank eq. 6 rank 2" "${vdl[@]}" train "${common[@]}" --model lowrank --hyper-hidden 4 --rank 2 --mean-correction additive --sigma-correction additive --lambda-weight 0 --epochs 1 --out "$dir/lra2.vdl"
# the checkpoint's format version (bytes 8-11): 1 for eq. 6 (the paper preset), 2 for eq. 6 at
# rank > 1, 3 for multiplicative corrections or weighted draws (the default) at any rank
version() { od -An -tu4 -j8 -N4 "$1" | tr -d ' '; }
if [ "$(version "$dir/lrp.vdl")" = 1 ] && [ "$(version "$dir/lra2.vdl")" = 2 ] && [ "$(version "$dir/lr.vdl")" = 3 ] &&
  [ "$(version "$dir/lr3.vdl")" = 3 ]; then
  pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: low-rank files are versions 1, 2 and 3 as documented"; fi
bad "resume cannot change the rank" "--rank cannot change a resumed run" "${vdl[@]}" train --resume "$dir/lr3.vdl" --rank 2 --data "$dir/mnist"
bad "mean correction unknown" "unknown --mean-correction 'both'" "${vdl[@]}" train --model lowrank --mean-correction both --data "$dir/mnist"
bad "sigma correction unknown" "unknown --sigma-correction 'x'" "${vdl[@]}" train --model lowrank --sigma-correction x --data "$dir/mnist"
bad "lambda weight too large" "--lambda-weight must be in 0..2, got 3" "${vdl[@]}" train --model lowrank --lambda-weight 3 --data "$dir/mnist"
bad "resume cannot change the lambda weight" "--lambda-weight cannot change a resumed run" "${vdl[@]}" train --resume "$dir/lr.vdl" --lambda-weight 0 --data "$dir/mnist"
ok "train piecewise" "${vdl[@]}" train "${common[@]}" --model piecewise --anchors 3 --out "$dir/pw.vdl" --format csv
has "train piecewise four lambdas" "^100,"
ok "generate from piecewise" "${vdl[@]}" generate "$dir/pw.vdl" --lambda 0.5 --out "$dir/pw05.vdl"
bad "resume cannot change the anchors" "--anchors cannot change a resumed run" "${vdl[@]}" train --resume "$dir/pw.vdl" --anchors 4 --data "$dir/mnist"
ok "resume to 3 epochs" "${vdl[@]}" train --resume "$dir/lr.vdl" --epochs 3 --data "$dir/mnist" --quiet
ok "resume a finished run" "${vdl[@]}" train --resume "$dir/lr.vdl" --data "$dir/mnist" --format csv
has "resume keeps the run's epochs" "^100,"
bad "resume with epochs 0" "epochs must be >= 1" "${vdl[@]}" train --resume "$dir/lr.vdl" --epochs 0
ok "eval" "${vdl[@]}" eval "$dir/lin.vdl" --data "$dir/mnist" --mc 2 --evidence 1
has "eval evidence column" "evidence"
ok "eval csv" "${vdl[@]}" eval "$dir/d.vdl" --data "$dir/mnist" --format csv --evidence 0
has "eval csv header" "^lambda,accuracy,mc_accuracy"
ok "prune" "${vdl[@]}" prune "$dir/lr.vdl" --data "$dir/mnist" --lambda 1,10
has "prune stability" "stability"
ok "prune global" "${vdl[@]}" prune "$dir/d.vdl" --data "$dir/mnist" --global
ok "prune finer" "${vdl[@]}" prune "$dir/d.vdl" --data "$dir/mnist" --steps 13 --format csv
has "prune finer steps" "^lambda,0%,7.5%,15%"
ok "generate" "${vdl[@]}" generate "$dir/lin.vdl" --lambda 3 --out "$dir/g.vdl"
ok "eval generated" "${vdl[@]}" eval "$dir/g.vdl" --data "$dir/mnist" --evidence 0
ok "demo" "${vdl[@]}" demo --data "$dir/mnist" --epochs 1 --batch 50 --hidden 16 --draws 1 --quiet --out "$dir/demo.vdl"
has "demo pruning" "per-layer"

bad "unknown command" "unknown command" "${vdl[@]}" frobnicate
bad "unknown option" "unknown option '--bogus'" "${vdl[@]}" train --bogus
bad "unknown model" "unknown model 'cnn'" "${vdl[@]}" train --model cnn --data "$dir/mnist"
bad "lambda <= 0" "lambda must be > 0" "${vdl[@]}" train --lambda 0 --data "$dir/mnist"
bad "malformed number" "not a valid number" "${vdl[@]}" train --lambda 1x
bad "one anchor" "anchors must be in 2..64" "${vdl[@]}" train --model piecewise --anchors 1 --data "$dir/mnist"
bad "epochs 0" "epochs must be >= 1" "${vdl[@]}" train --epochs 0 --data "$dir/mnist"
bad "rank 0" "rank must be in 1..1024, got 0" "${vdl[@]}" train --model lowrank --rank 0 --data "$dir/mnist"
bad "rank -1" "rank must be in 1..1024, got -1" "${vdl[@]}" train --model lowrank --rank -1 --data "$dir/mnist"
bad "rank too large" "rank must be in 1..1024, got 100000" "${vdl[@]}" train --model lowrank --rank 100000 --data "$dir/mnist"
bad "rank not a number" "not a valid" "${vdl[@]}" train --model lowrank --rank 2x --data "$dir/mnist"
bad "batch larger than data" "batch must be in 1..300" "${vdl[@]}" train "${common[@]}" --batch 1000 --out "$dir/x.vdl"
bad "missing value" "needs a value" "${vdl[@]}" train --epochs
bad "missing model file" "cannot open" "${vdl[@]}" eval "$dir/none.vdl" --data "$dir/mnist"
bad "not a checkpoint" "not a usable vdl checkpoint" "${vdl[@]}" eval "$dir/mnist/t10k-labels-idx1-ubyte" --data "$dir/mnist"
bad "lambda outside range" "outside the hypernet's trained range" "${vdl[@]}" generate "$dir/lin.vdl" --lambda 1000 --out "$dir/y.vdl"
bad "generate from direct" "not a hypernet" "${vdl[@]}" generate "$dir/d.vdl" --lambda 1 --out "$dir/y.vdl"
bad "missing data" "fetch-mnist" "${vdl[@]}" eval "$dir/d.vdl" --data "$dir/nowhere" --evidence 0
bad "verify tiny data" "SHA-256" "${vdl[@]}" data verify --data "$dir/mnist"
bad "unknown format" "unknown format" "${vdl[@]}" eval "$dir/d.vdl" --format xml
bad "unknown op" "no op named" "${vdl[@]}" gradcheck nosuchop
bad "prune steps" "steps must be in" "${vdl[@]}" prune "$dir/d.vdl" --data "$dir/mnist" --steps 1
bad "demo resume" "starts afresh" "${vdl[@]}" demo --resume x.vdl
bad "fractional whole number" "'2.5' is not a valid whole number" "${vdl[@]}" train --epochs 2.5
bad "whole number overflow" "is not a valid whole number" "${vdl[@]}" train --batch 99999999999
bad "NaN" "'nan' is not a valid number" "${vdl[@]}" train --lambda nan
bad "Inf" "'inf' is not a valid number" "${vdl[@]}" train --lr inf
bad "number overflow" "'1e400' is not a valid number" "${vdl[@]}" train --lambda 1e400
bad "empty number" "'' is not a valid number" "${vdl[@]}" train --lambda ""
bad "negative epochs" "epochs must be >= 1" "${vdl[@]}" train --epochs -5
bad "batch 0" "batch must be >= 1" "${vdl[@]}" train --batch 0
bad "momentum 1" "momentum must be in \[0, 1)" "${vdl[@]}" train --momentum 1
bad "threads" "threads must be in 0..1024" "${vdl[@]}" train --threads 100000
bad "eval lambda 0" "lambda must be a positive number" "${vdl[@]}" eval "$dir/lin.vdl" --lambda 0
bad "eval lambda outside range" "outside the hypernet's trained range" "${vdl[@]}" eval "$dir/lin.vdl" --lambda 1000
bad "prune lambda outside range" "outside the hypernet's trained range" "${vdl[@]}" prune "$dir/lr.vdl" --lambda 0.01
bad "malformed lambda list" "takes numbers separated by commas" "${vdl[@]}" eval "$dir/lin.vdl" --lambda 1,,2
bad "mc 0" "mc must be >= 1" "${vdl[@]}" eval "$dir/d.vdl" --data "$dir/mnist" --mc 0
bad "generate lambda 0" "lambda must be a positive number" "${vdl[@]}" generate "$dir/lin.vdl" --lambda 0 --out "$dir/y.vdl"
bad "generate without --out" "give a hypernet file, --lambda and --out" "${vdl[@]}" generate "$dir/lin.vdl" --lambda 1
bad "two model files" "unexpected argument" "${vdl[@]}" eval "$dir/d.vdl" "$dir/g.vdl"
bad "unknown data action" "unknown action" "${vdl[@]}" data frob
bad "missing checkpoint to resume" "cannot open" "${vdl[@]}" train --resume "$dir/none.vdl"
bad "resume a model without state" "no training state" "${vdl[@]}" train --resume "$dir/g.vdl" --data "$dir/mnist"
bad "resume with another model" "--model cannot change a resumed run" "${vdl[@]}" train --resume "$dir/lr.vdl" --model direct

finish
