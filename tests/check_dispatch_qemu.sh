#!/usr/bin/env bash
# The default native build on other x86-64 CPUs (ctest: kernel_dispatch_qemu), emulated by
# qemu-user: a Nehalem (SSE4.2, no AVX) must pick the sse2 set and QEMU's `max` CPU (AVX2, no
# AVX-512) the avx2 set, and both must train bit for bit as this machine's default set does;
# kernels_test's registry and golden-bit tests pass there too.
#   check_dispatch_qemu.sh <qemu-x86_64> <training_trace> <kernels_test>
set -euo pipefail
qemu=$1 trace=$2 kernels_test=$3
steps=20
fail=0
for cfg in "lstm pytorch features" "gru classic features" "gru pytorch embedding"; do
  # shellcheck disable=SC2086
  host=$("$trace" $cfg $steps)
  host_set=$(sed -n 's/^{"kernels":"\([a-z0-9]*\)".*/\1/p' <<<"$host")
  for cpu_want in Nehalem:sse2 max:avx2; do
    cpu=${cpu_want%:*} want=${cpu_want#*:}
    # shellcheck disable=SC2086
    out=$("$qemu" -cpu "$cpu" "$trace" $cfg $steps 2>/dev/null) || { echo "FAIL $cfg on $cpu: exit $?"; fail=1; continue; }
    got=$(sed -n 's/^{"kernels":"\([a-z0-9]*\)".*/\1/p' <<<"$out")
    if [ "$got" != "$want" ]; then
      echo "FAIL $cfg on $cpu: picked '$got', expected '$want'"; fail=1
    elif [ "${out#*\"kernels\":\"$got\"}" != "${host#*\"kernels\":\"$host_set\"}" ]; then
      echo "FAIL $cfg on $cpu: $got trained differently from this machine's $host_set"; fail=1
    else
      echo "ok   $cfg: $cpu picked $got; weights and $steps losses bit-identical to $host_set here"
    fi
  done
done
for cpu in Nehalem max; do
  if out=$("$qemu" -cpu "$cpu" "$kernels_test" --gtest_filter='KernelRegistry.*:*GoldenBits*' 2>/dev/null); then
    echo "ok   kernels_test on $cpu: $(grep -o 'kernel set [a-z0-9]*' <<<"$out"), golden bits of every set it runs"
  else
    echo "FAIL kernels_test on $cpu:"; echo "$out" | grep -E 'dispatch|FAILED|Failure' | head; fail=1
  fi
done
exit "$fail"
