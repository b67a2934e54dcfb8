#!/usr/bin/env bash
# Checks the object files of an x86-64 native build of the library (ctest: kernel_objects):
#   - the per-ISA kernel objects (avx2.cpp.o, avx512.cpp.o) hold instructions of their ISA,
#     no FMA (which would change the bits wasm simd128 computes), and define no symbol outside
#     their own namespace (else the linker could hand AVX code to baseline callers);
#   - every other object of the library holds no VEX/EVEX instruction at all, so the library
#     runs on any x86-64 CPU until CPUID says otherwise.
#   check_kernel_objects.sh <object>...   (the library's objects, per-ISA ones included)
set -euo pipefail
fail=0
bad() { echo "check_kernel_objects: $*" >&2; fail=1; }
# Mnemonics of an object's code, one a line.
mnemonics() { objdump -d --no-show-raw-insn "$1" | awk -F'\t' 'NF >= 2 && $1 ~ /^ *[0-9a-f]+:$/ {split($2, w, " "); print w[1]}'; }

isa_objects=0
for o in "$@"; do
  name=$(basename "$o")
  case "$name" in
    avx2.cpp.o|avx512.cpp.o)
      isa=${name%.cpp.o}
      isa_objects=$((isa_objects + 1))
      ops=$(mnemonics "$o")
      fma=$(grep -cE '^vf(n)?m(add|sub)' <<<"$ops" || true)
      [ "$fma" = 0 ] || bad "$name has $fma FMA instructions (compile it with -ffp-contract=off, without -mfma)"
      regs=$(objdump -d "$o")
      if [ "$isa" = avx512 ]; then
        grep -q '%zmm' <<<"$regs" || bad "$name uses no zmm register: was it compiled with -mavx512f?"
      else
        grep -q '%ymm' <<<"$regs" || bad "$name uses no ymm register: was it compiled with -mavx2?"
        ! grep -q '%zmm' <<<"$regs" || bad "$name uses zmm registers"
      fi
      outside=$(nm -C --defined-only "$o" | awk '$2 ~ /^[A-Z]$|^[uvw]$/' | cut -d' ' -f3- |
                grep -v "::$isa::" | grep -vx "rnnlab::kernels::k[A-Za-z0-9]*Kernels" || true)
      [ -z "$outside" ] || bad "$name defines symbols outside namespace $isa:"$'\n'"$outside"
      echo "check_kernel_objects: $name: $(wc -l <<<"$ops") instructions, no FMA, symbols in namespace $isa"
      ;;
    *)
      vex=$(mnemonics "$o" | grep -E '^v' | sort | uniq -c | sort -rn | head -5 || true)
      [ -z "$vex" ] || bad "$name (baseline code) has AVX instructions:"$'\n'"$vex"
      ;;
  esac
done
[ "$isa_objects" = 2 ] || bad "expected avx2.cpp.o and avx512.cpp.o among the objects, found $isa_objects"
[ "$fail" = 0 ] && echo "check_kernel_objects: $# objects: baseline code is x86-64 (SSE2) only; AVX code only in the per-ISA kernel sets"
exit "$fail"
