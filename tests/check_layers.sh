#!/usr/bin/env bash
# The include rule of ARCHITECTURE.md (ctest: layers): a source folder under src/ includes only
# its own headers, headers of lower layers, and public headers (src/include/rnnlab/) owned by
# its own or a lower layer. Eigen only in kernels/, Emscripten nowhere in src/.
#   check_layers.sh [<repository root>]
set -euo pipefail
root=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
cd "$root/src"

# Layer of each folder: a folder may include strictly lower layers (and itself), never a
# sibling of its own layer or anything above.
declare -A rank=([core]=0 [kernels]=0 [schema]=1 [cells]=2 [train]=2 [data]=2 [model]=3 [io]=4)
# Public headers belong to the layer that implements them; the rest (config.h, train.h,
# kernels.h, error.h, tensor.h, rng.h: types and declarations every layer speaks) to layer 0.
declare -A owner=([model.h]=model [seq2seq.h]=model [model_file.h]=io [data.h]=data [schema.h]=schema)
public_rank() { local o=${owner[$1]:-}; [ -n "$o" ] && echo "${rank[$o]}" || echo 0; }

fail=0
bad() { echo "check_layers: $*" >&2; fail=1; }
checked=0

for dir in "${!rank[@]}" include/rnnlab; do
  [ -d "$dir" ] || continue
  while IFS= read -r file; do
    checked=$((checked + 1))
    if [ "$dir" = include/rnnlab ]; then
      mine=$(public_rank "$(basename "$file")")
      self=include
    else
      mine=${rank[$dir]}
      self=$dir
    fi
    while IFS= read -r line; do
      target=$(sed -E 's/^#include +[<"]([^">]+)[">].*/\1/' <<<"$line")
      case "$line" in
        *'<Eigen/'*) [ "$self" = kernels ] || bad "$file: Eigen belongs to kernels/ only: $line" ;;
        *'<emscripten'*|*'<wasm_'*'.h>'*)
          [ "$target" = wasm_simd128.h ] && [ "$self" = kernels ] || bad "$file: no Emscripten headers in src/: $line" ;;
      esac
      [[ "$line" == *'"'* ]] || continue
      folder=${target%%/*}
      if [ "$folder" = rnnlab ]; then
        r=$(public_rank "${target#rnnlab/}")
        [ "$r" -le "$mine" ] || bad "$file includes $target, owned by a higher layer (${owner[${target#rnnlab/}]})"
      elif [ "$self" = include ]; then
        bad "$file is a public header but includes the internal $target"
      elif [ -z "${rank[$folder]:-}" ]; then
        bad "$file includes $target, which is in no layer"
      elif [ "$folder" != "$self" ] && [ "${rank[$folder]}" -ge "$mine" ]; then
        bad "$file ($self, layer $mine) includes $target ($folder, layer ${rank[$folder]}): only lower layers"
      fi
    done < <(grep -E '^#include ' "$file" || true)
  done < <(find "$dir" -maxdepth 1 -type f \( -name '*.h' -o -name '*.cpp' \) | sort)
done

# Every folder of src/ has a layer (a new folder must be placed in the table above).
for d in */; do
  d=${d%/}
  [ "$d" = include ] || [ -n "${rank[$d]:-}" ] || bad "src/$d has no layer in check_layers.sh"
done
[ "$fail" = 0 ] && echo "check_layers: $checked files, every include goes down a layer (or stays in its folder)"
exit "$fail"
