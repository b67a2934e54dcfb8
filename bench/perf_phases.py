#!/usr/bin/env python3
"""Where a training step's time goes: folds `perf script` call stacks into phases.

  perf record -F 2000 --call-graph dwarf,16384 -o char.data -- \
      rnnlab_bench --only CHAR --steps 40 --warmup 2
  perf script -i char.data --no-inline | python3 bench/perf_phases.py [--root train_batch]

Only samples under the root frame (default Model::train_batch) count, so model set-up and data
preparation drop out. Each sample goes to the phase of the innermost frame that names one (for
example a gemm called from LstmLayer::forward_steps is "recurrent gemm fwd"), and within a phase
the leaf is split into gemm compute (Eigen gebp / micro-kernel), gemm packing (Eigen
gemm_pack_lhs/rhs, rnnlab pack_a/pack_b) and other.
"""
import argparse
import collections
import re
import sys

# (substring of a frame's symbol, phase); the innermost matching frame wins.
PHASES = [
    ("lstm_forward", "gate kernels fwd"),
    ("gru_forward", "gate kernels fwd"),
    ("gru_classic_rz", "gate kernels fwd"),
    ("gru_classic_n(", "gate kernels fwd"),
    ("rnn_forward", "gate kernels fwd"),
    ("lstm_backward", "gate kernels bwd"),
    ("gru_backward", "gate kernels bwd"),
    ("gru_classic_n_backward", "gate kernels bwd"),
    ("gru_classic_r_backward", "gate kernels bwd"),
    ("rnn_backward", "gate kernels bwd"),
    ("plain_pack_b", "W_hh transpose/pack per pass"),
    ("::pack_b", "W_hh transpose/pack per pass"),
    ("input_projection", "input projection (x W_ih^T / one-hot gather)"),
    ("input_side_grads", "dW_ih, db_ih (+dx)"),
    ("recurrent_side_grads", "dW_hh gemm + db_hh"),
    ("forward_steps", "recurrent gemm fwd (per step)"),
    ("backward_steps", "recurrent gemm bwd (per step)"),
    ("dense_forward", "head fwd gemm"),
    ("dense_backward", "head bwd (dW, db, dh gemms)"),
    ("cross_entropy_loss", "loss: softmax + CE"),
    ("mse_loss", "loss: MSE"),
    ("softmax_rows", "loss: softmax + CE"),
    ("Optimizer::step", "Adam update"),
    ("global_norm", "grad norm + finite checks + weight backup"),
    ("all_finite", "grad norm + finite checks + weight backup"),
    ("apply_update", "grad norm + finite checks + weight backup"),
    ("zero_grads", "zero grads"),
    ("stage_input", "staging batch (copies, checks)"),
    ("stage_target", "staging batch (copies, checks)"),
    ("RecurrentStack::stage", "staging batch (copies, checks)"),
    ("save_state", "state copies"),
    ("::sample(", "sampling (GEN)"),
    ("RecurrentLayer::forward", "layer fwd setup (fills, copies)"),
    ("RecurrentLayer::backward", "layer bwd setup (fills, copies)"),
    ("RecurrentStack::forward", "stack fwd (dropout, setup)"),
    ("RecurrentStack::backward", "stack bwd (setup)"),
]


def leaf_kind(sym):
    if "gebp_kernel" in sym or "micro_kernel" in sym:
        return "compute"
    if "gemm_pack_lhs" in sym or "gemm_pack_rhs" in sym or "pack_a" in sym or "pack_b" in sym:
        return "packing"
    return "other"


FRAME = re.compile(r"^\s*[0-9a-f]+\s+(.*?)\s+\((\S*)\)\s*$")


def stacks(stream):
    """Yields (period, [symbols leaf..root]) per sample of `perf script` text."""
    period, frames = 1, None
    for line in stream:
        line = line.rstrip("\n")
        if not line.strip():
            if frames is not None:
                yield period, frames
            frames = None
            continue
        if frames is None:  # sample header: "comm pid [cpu] time: period event:"
            m = re.search(r"\s(\d+)\s+[\w:-]+:\s*$", line)
            period = int(m.group(1)) if m else 1
            frames = []
            continue
        m = FRAME.match(line)
        if m:
            sym = re.sub(r"\+0x[0-9a-f]+$", "", m.group(1))
            frames.append(sym)
    if frames is not None:
        yield period, frames


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", default="train_batch", help="count only samples under this frame")
    ap.add_argument("--top-other", type=int, default=8, help="leaf symbols to list for 'other'")
    args = ap.parse_args()
    total = 0
    outside = 0
    by_phase = collections.Counter()
    by_kind = collections.defaultdict(collections.Counter)
    other_leaf = collections.Counter()
    for period, frames in stacks(sys.stdin):
        if not frames:
            continue
        if not any(args.root in f for f in frames):
            outside += period
            continue
        total += period
        phase = None
        for f in frames:
            for key, name in PHASES:
                if key in f:
                    phase = name
                    break
            if phase:
                break
        if phase is None:
            phase = "other"
            other_leaf[frames[0][:90]] += period
        by_phase[phase] += period
        by_kind[phase][leaf_kind(frames[0])] += period
    if not total:
        print("no samples under", args.root)
        return
    print(f"samples under {args.root}: {total}  (outside, e.g. set-up: {outside})")
    print(f"{'phase':<46} {'share':>7}   {'gemm compute':>12} {'gemm packing':>12} {'other':>7}")
    for phase, n in by_phase.most_common():
        k = by_kind[phase]
        print(f"{phase:<46} {100.0 * n / total:6.1f}%   {100.0 * k['compute'] / total:11.1f}% "
              f"{100.0 * k['packing'] / total:11.1f}% {100.0 * k['other'] / total:6.1f}%")
    allk = collections.Counter()
    for k in by_kind.values():
        allk.update(k)
    print(f"{'total':<46} {100.0:6.1f}%   {100.0 * allk['compute'] / total:11.1f}% "
          f"{100.0 * allk['packing'] / total:11.1f}% {100.0 * allk['other'] / total:6.1f}%")
    if other_leaf:
        print("'other' leaves:")
        for sym, n in other_leaf.most_common(args.top_other):
            print(f"  {100.0 * n / total:5.1f}%  {sym}")


if __name__ == "__main__":
    main()
