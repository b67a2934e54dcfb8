#!/usr/bin/env bash
# rnnlab vs PyTorch on CONFIGS.md's configurations, one thread each.
#
# Builds rnnlab_bench if needed, then for every configuration runs rnnlab_bench and
# pytorch_bench.py back to back (alternating which goes first per round), so both see about the
# same machine load; prints a table of median ms, the ratio PyTorch/rnnlab (> 1: rnnlab faster)
# and the load average when each pair started. All JSON lands in the results directory.
#
#   bench/compare.sh [--steps N] [--warmup N] [--only ID[,ID...]] [--rounds R] [--no-build]
#                    [--kernels NAME] [--torch-blas auto|system|DIR]
#
# Environment: BUILD_DIR (default build/bench of the repository), TORCH_PYTHON (default /usr/bin/python3),
# RESULTS_DIR (default $BUILD_DIR/bench-results/<time>).
#
# PyTorch's BLAS: Debian's python3-torch calls whatever libblas.so.3 the system selects. If that
# is the netlib reference BLAS (10x slower than OpenBLAS), --torch-blas auto (the default) puts
# an OpenBLAS build first on LD_LIBRARY_PATH for the PyTorch process only, from the first of:
# $OPENBLAS_DIR, the system's openblas-pthread directory, or $BUILD_DIR/openblas (made with
#   cd $BUILD_DIR/openblas && apt-get download libopenblas0-pthread && dpkg -x *.deb extracted).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
BUILD_DIR=${BUILD_DIR:-$ROOT/build/bench}
TORCH_PYTHON=${TORCH_PYTHON:-/usr/bin/python3}
STEPS=30
WARMUP=5
ONLY="TS-S,TS-M,CHAR,GRU-S,RNN-S,FORECAST,GEN"
ROUNDS=1
BUILD=1
KERNELS=""
TORCH_BLAS=auto

while [[ $# -gt 0 ]]; do
  case "$1" in
    --steps) STEPS=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --only) ONLY=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --kernels) KERNELS=$2; shift 2 ;;
    --torch-blas) TORCH_BLAS=$2; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

BENCH="$BUILD_DIR/bench/rnnlab_bench"
if [[ $BUILD == 1 ]]; then
  if [[ ! -f "$BUILD_DIR/CMakeCache.txt" ]]; then
    mkdir -p "$BUILD_DIR"
    cmake -S "$ROOT" -B "$BUILD_DIR" -DRNNLAB_BUILD_TESTS=OFF > "$BUILD_DIR/cmake.log"
  fi
  # Up to date: a no-op taking a second.
  cmake --build "$BUILD_DIR" --target rnnlab_bench -j2 > "$BUILD_DIR/build.log" 2>&1 ||
    { tail -30 "$BUILD_DIR/build.log" >&2; echo "build failed (log: $BUILD_DIR/build.log)" >&2; exit 1; }
fi
[[ -x "$BENCH" ]] || { echo "no $BENCH (run without --no-build)" >&2; exit 1; }

RESULTS_DIR=${RESULTS_DIR:-$BUILD_DIR/bench-results/$(date +%Y%m%d-%H%M%S)}
mkdir -p "$RESULTS_DIR"

# ---- PyTorch availability and its BLAS
HAVE_TORCH=0
TORCH_ENV=()
TORCH_BLAS_NOTE="not run"
if "$TORCH_PYTHON" -c 'import torch' 2>/dev/null; then
  HAVE_TORCH=1
  system_blas=$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || true)
  TORCH_BLAS_NOTE="system libblas.so.3 -> ${system_blas:-?}"
  openblas_dir=""
  case "$TORCH_BLAS" in
    system) ;;
    auto)
      if [[ "$system_blas" != *openblas* ]]; then
        for d in "${OPENBLAS_DIR:-}" /usr/lib/x86_64-linux-gnu/openblas-pthread \
                 "$BUILD_DIR/openblas/extracted/usr/lib/x86_64-linux-gnu/openblas-pthread"; do
          if [[ -n "$d" && -f "$d/libblas.so.3" ]]; then openblas_dir=$d; break; fi
        done
        if [[ -z "$openblas_dir" ]]; then
          echo "warning: PyTorch will use $system_blas (reference BLAS, slow) and no OpenBLAS was" >&2
          echo "  found; see the header of $0 for how to unpack one without installing it." >&2
        fi
      fi ;;
    *) openblas_dir=$TORCH_BLAS ;;
  esac
  if [[ -n "$openblas_dir" ]]; then
    TORCH_ENV=(env "LD_LIBRARY_PATH=$openblas_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}")
    TORCH_BLAS_NOTE="LD_LIBRARY_PATH=$openblas_dir"
  fi
else
  echo "note: $TORCH_PYTHON cannot import torch; running rnnlab only (install python3-torch" >&2
  echo "  or set TORCH_PYTHON to a python with torch)." >&2
fi

RN_ARGS=(--steps "$STEPS" --warmup "$WARMUP" --json)
[[ -n "$KERNELS" ]] && RN_ARGS+=(--kernels "$KERNELS")
PT_ARGS=(--steps "$STEPS" --warmup "$WARMUP" --json)

echo "results: $RESULTS_DIR"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "pytorch BLAS: $TORCH_BLAS_NOTE"
echo "start: $(uptime)"

run_rnnlab() {  # id round
  "$BENCH" "${RN_ARGS[@]}" --only "$1" > "$RESULTS_DIR/rnnlab-$1-r$2.json"
}
run_torch() {
  [[ $HAVE_TORCH == 1 ]] || return 0
  "${TORCH_ENV[@]}" "$TORCH_PYTHON" "$HERE/pytorch_bench.py" "${PT_ARGS[@]}" --only "$1" \
    > "$RESULTS_DIR/pytorch-$1-r$2.json"
}

IFS=',' read -r -a IDS <<< "$ONLY"
for ((r = 1; r <= ROUNDS; r++)); do
  for id in "${IDS[@]}"; do
    printf '%s %-9s round %d  load %s\n' "$(date +%T)" "$id" "$r" "$(cut -d' ' -f1-3 /proc/loadavg)" >&2
    echo "$id $r $(cut -d' ' -f1-3 /proc/loadavg)" >> "$RESULTS_DIR/load.txt"
    if (( (r + ${#id}) % 2 )); then run_rnnlab "$id" "$r"; run_torch "$id" "$r"
    else run_torch "$id" "$r"; run_rnnlab "$id" "$r"; fi
  done
done
echo "end: $(uptime)"

# ---- table (any python3 will do here: only json)
python3 - "$RESULTS_DIR" "$ROUNDS" "$ONLY" <<'EOF' | tee "$RESULTS_DIR/table.txt"
import glob, json, os, statistics, sys

res_dir, rounds, only = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(",")

def load(impl, cid):
    out = []
    for r in range(1, rounds + 1):
        p = os.path.join(res_dir, f"{impl}-{cid}-r{r}.json")
        if os.path.isfile(p) and os.path.getsize(p) > 0:
            d = json.load(open(p))
            out += [dict(x, _load=d["loadavg_start"][0], _hdr=d) for x in d["results"] if x["id"] == cid]
    return out

loads = {}
for line in open(os.path.join(res_dir, "load.txt")):
    cid, r, l1, l5, l15 = line.split()
    loads.setdefault(cid, []).append(float(l1))

hdr = None
rows = []
summary = {}
for cid in only:
    rn, pt = load("rnnlab", cid), load("pytorch", cid)
    if rn: hdr = hdr or rn[0]["_hdr"]
    def med(v, key): return statistics.median(x[key] for x in v) if v else None
    a, b = med(rn, "median_ms"), med(pt, "median_ms")
    ta, tb = med(rn, "throughput"), med(pt, "throughput")
    unit = (rn or pt or [{"unit": ""}])[0]["unit"]
    ga = med(rn, "gflops") if rn and rn[0]["gflops"] is not None else None
    gb = med(pt, "gflops") if pt and pt[0]["gflops"] is not None else None
    summary[cid] = {"rnnlab_ms": a, "pytorch_ms": b, "ratio": (b / a) if a and b else None,
                    "unit": unit, "rnnlab_throughput": ta, "pytorch_throughput": tb,
                    "rnnlab_gflops": ga, "pytorch_gflops": gb,
                    "rnnlab_ms_rounds": [x["median_ms"] for x in rn],
                    "pytorch_ms_rounds": [x["median_ms"] for x in pt],
                    "load1": loads.get(cid, [])}
    rows.append((cid, a, b, ta, tb, unit, ga, gb, loads.get(cid, [])))

def f(v, fmt):
    return "-" if v is None else format(v, fmt)

if hdr:
    print(f"rnnlab kernels: {hdr['kernels']} (gemm {hdr['gemm']}); {hdr['warmup']} warm-up + "
          f"{hdr['steps']} timed per config; median ms (median over {rounds} round(s))")
print("FORECAST: ms for the whole 200-step forecast; GEN: ms for prime + 500 chars.")
print(f"{'config':<9} {'rnnlab ms':>10} {'PyTorch ms':>11} {'ratio':>7}   {'rnnlab':>14} {'PyTorch':>14} {'unit':<10} {'GF/s rl':>7} {'GF/s pt':>7}  load(1m)")
for cid, a, b, ta, tb, unit, ga, gb, ld in rows:
    ratio = f(b / a if a and b else None, ".2f")
    ldtxt = ",".join(f"{x:.2f}" for x in ld)
    print(f"{cid:<9} {f(a, '.3f'):>10} {f(b, '.3f'):>11} {ratio:>7}   {f(ta, ',.0f'):>14} {f(tb, ',.0f'):>14} {unit:<10} {f(ga, '.1f'):>7} {f(gb, '.1f'):>7}  {ldtxt}")
print("ratio = PyTorch ms / rnnlab ms (> 1: rnnlab faster)")
json.dump(summary, open(os.path.join(res_dir, "summary.json"), "w"), indent=2)
EOF
