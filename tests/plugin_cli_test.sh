#!/usr/bin/env bash
# `vdl ops --plugin` and `vdl gradcheck --plugin` with the example plugins, a
# deliberately broken op, and plugins that must be refused.
# Usage: plugin_cli_test.sh VDL PLUGIN_DIR
set -u
vdl=$1
plugins=$2
source "$(dirname "$0")/lib.sh"

ok "ops --plugin tanh" "$vdl" ops --plugin "$plugins/tanh.so"
has "ops names the plugin" "plugin 'tanh' ($plugins/tanh.so): 1 op"
has "ops lists tanh" "^tanh  *1  *0  y = tanh(x)"
if grep -q "^relu" "$dir/out"; then fail=$((fail + 1)); echo "FAIL: ops --plugin lists built-ins"; else pass=$((pass + 1)); fi
ok "ops --plugin local_reparam" "$vdl" ops --plugin "$plugins/local_reparam.so"
has "ops lists local_reparam" "^local_reparam  *3  *0  B = X mu"
ok "gradcheck --plugin tanh" "$vdl" gradcheck --plugin "$plugins/tanh.so"
has "gradcheck tanh passes" "^tanh  *3  *18 .* pass$"
has "gradcheck only the plugin's ops" "^1 passed, 0 failed"
ok "gradcheck --plugin local_reparam" "$vdl" gradcheck --plugin "$plugins/local_reparam.so"
has "gradcheck local_reparam passes" "^local_reparam  *4 .* pass$"
ok "gradcheck a named op beside a plugin" "$vdl" gradcheck --plugin "$plugins/tanh.so" tanh relu
has "gradcheck named ops" "^2 passed, 0 failed"

"$vdl" gradcheck --plugin "$plugins/faulty_broken.so" >"$dir/out" 2>"$dir/err"
if [ $? -eq 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: broken op must exit 1"; fi
has "broken op's report" "^broken_double .* FAIL: op 'broken_double': gradient error .* exceeds tolerance"
has "broken op's summary" "^0 passed, 1 failed"

bad "missing plugin" "cannot load plugin '$dir/none.so'.*cannot open" "$vdl" ops --plugin "$dir/none.so"
bad "not a plugin" "does not export vdl_plugin_entry" "$vdl" gradcheck --plugin "$plugins/faulty_no_entry.so"
bad "wrong ABI" "plugin ABI version 99" "$vdl" ops --plugin "$plugins/faulty_abi.so"
bad "double plugin" "vdl_real = double; this vdl computes in float" "$vdl" ops --plugin "$plugins/tanh_f64.so"
bad "duplicate op" "op 'relu' is already registered" "$vdl" ops --plugin "$plugins/faulty_duplicate.so"
bad "invalid op" "infer, forward and backward are required" "$vdl" gradcheck --plugin "$plugins/faulty_invalid.so"
bad "plugin needs a value" "needs a value" "$vdl" ops --plugin

finish
