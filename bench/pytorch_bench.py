#!/usr/bin/python3
"""PyTorch peer of rnnlab_bench: CONFIGS.md's configurations on one thread (or --threads N).

Run with Debian's python3-torch (`/usr/bin/python3 bench/pytorch_bench.py`). Same flags and the
same --json layout as rnnlab_bench, so bench/compare.sh can put the two side by side:

  pytorch_bench.py [--steps N] [--warmup N] [--only ID[,ID...]] [--json] [--text PATH]
                   [--threads N] [--hidden H --seq T --batch B [--features F] [--cell C]]
                   [--budget-ms T] [--cap-ms T]

--hidden/--seq/--batch run one shape instead of the ids (id SHAPE: an LSTM (--cell) over F inputs,
default 8, dense-1 head on the last step, MSE, Adam 1e-3), as bench/sweep/ runs it, and report
the process's peak RSS growth over the run (see run_train).

Models are the textbook ones: nn.LSTM / nn.GRU / nn.RNN (batch_first=True) + nn.Linear, Adam,
MSE or cross-entropy. Timing uses time.perf_counter() (monotonic) around one full training
step: zero_grad, forward, loss, backward, optimizer step. Figures only; nothing is asserted.
"""
import os

import sys


def threads_arg(argv):
    """--threads N (or --threads=N) from argv, read before argparse: it must precede torch."""
    for i, a in enumerate(argv):
        if a == "--threads" and i + 1 < len(argv) and argv[i + 1].isdigit():
            return max(1, int(argv[i + 1]))
        if a.startswith("--threads=") and a[10:].isdigit():
            return max(1, int(a[10:]))
    return 1


# --threads N gives the BLAS N threads (the gemms: where a training step's work is) and keeps
# torch's own intra-op (OpenMP) pool at one: Debian's torch uses OpenMP and OpenBLAS's pthreads
# build its own threads, and the two pools spinning against each other on 2 cores made a step
# 100x slower (H=128: 2.6 s instead of 25 ms), OMP_WAIT_POLICY=PASSIVE still 2x.
THREADS = threads_arg(sys.argv[1:])
# Threads must be fixed before torch (and its BLAS / OpenMP) start.
os.environ.setdefault("OMP_NUM_THREADS", "1")
for var in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, str(THREADS))

import argparse
import json
import math
import resource
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)
try:
    torch.set_num_interop_threads(1)
except RuntimeError:
    pass

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.dirname(HERE)
VOCAB = 65
SERIES_POINTS = 4000
BATCHES = 16
FORECAST_STEPS = 200
GEN_CHARS = 500
PRIME = "In the beginning"

# id, cell, hidden sizes, T, B, lr, chars, FLOPs per step (CONFIGS.md)
TRAIN_CONFIGS = [
    ("TS-S", "lstm", [32], 32, 32, 1e-2, False, 26.0e6),
    ("TS-M", "lstm", [128, 128], 64, 64, 1e-3, False, 4845e6),
    ("CHAR", "lstm", [256], 64, 32, 2e-3, True, 4244e6),
    ("GRU-S", "gru", [32], 32, 32, 1e-2, False, 19.5e6),
    ("RNN-S", "rnn", [32], 32, 32, 1e-2, False, 6.5e6),
]
ALL_IDS = [c[0] for c in TRAIN_CONFIGS] + ["FORECAST", "GEN"]


def loadavg():
    try:
        return list(os.getloadavg())
    except OSError:
        return [0.0, 0.0, 0.0]


def blas_name():
    """Which BLAS shared objects this process has mapped (what torch's CPU gemm calls)."""
    libs = set()
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                path = line.split()[-1] if len(line.split()) >= 6 else ""
                base = os.path.basename(path)
                if any(k in base for k in ("blas", "mkl", "lapack", "dnnl", "blis")):
                    libs.add(base)
    except OSError:
        pass
    return ",".join(sorted(libs)) or "unknown"


def summarize(ms):
    a = np.sort(np.asarray(ms, dtype=np.float64))
    return {
        "median_ms": float(np.percentile(a, 50)),
        "mean_ms": float(a.mean()),
        "min_ms": float(a[0]),
        "max_ms": float(a[-1]),
        "p10_ms": float(np.percentile(a, 10)),
        "p90_ms": float(np.percentile(a, 90)),
        "n": int(len(a)),
    }


def time_runs(warmup, steps, fn, budget_ms=0, cap_ms=0, min_steps=3, watched=False):
    """warmup untimed calls, then steps timed ones; returns the timed ms (a TimedRuns). As common.mjs's
    timeRuns: budget_ms > 0 ends warm-up after budget_ms / 2 (one call at least) and timing after
    budget_ms (min_steps at least); cap_ms > 0 stops after a first call longer than cap_ms
    (the returned list is empty, .capped set). watched: print the sweep driver's markers."""
    out = TimedRuns()
    i = 0
    t0 = time.perf_counter()

    def call(timed):
        nonlocal i
        if i == 0 and watched:
            print("sweep:start", file=sys.stderr, flush=True)
        c = time.process_time()
        tc = time.thread_time()
        t = time.perf_counter()
        fn(i)
        ms = (time.perf_counter() - t) * 1000.0
        if timed:
            out.cpu.append((time.process_time() - c) * 1000.0)  # every thread's CPU time
            out.thread_cpu.append((time.thread_time() - tc) * 1000.0)  # the calling thread's
        i += 1
        if out.first_ms is None:
            out.first_ms = ms
            if watched:
                print(f"sweep:first {ms:.3f}", file=sys.stderr, flush=True)
            if cap_ms > 0 and ms > cap_ms:
                out.capped = True
        elif timed:
            out.append(ms)
        return ms

    elapsed = lambda since: (time.perf_counter() - since) * 1000.0
    while i < warmup:
        call(False)
        if out.capped or (budget_ms > 0 and elapsed(t0) >= budget_ms / 2):
            break
    if out.capped:
        return out
    t1 = time.perf_counter()
    for k in range(steps):
        if budget_ms > 0 and k >= min_steps and elapsed(t1) >= budget_ms:
            break
        ms = call(True)
        if out.capped:
            return out
        if len(out) == k:  # the first call of a run without warm-up is timed too
            out.append(ms)
    out.warmup = i - len(out)
    return out


class TimedRuns(list):
    """Timed ms, with first_ms, capped, warmup, cpu (each timed call's process CPU ms) and
    thread_cpu (the main thread's: OpenBLAS's workers are other threads)."""

    def __init__(self):
        super().__init__()
        self.first_ms = None
        self.capped = False
        self.warmup = 0
        self.cpu = []
        self.thread_cpu = []


# ---- data (CONFIGS.md recipes; numpy's generator, so values differ from rnnlab's, shapes not)

def sine_series(n=SERIES_POINTS, seed=2026):
    rng = np.random.default_rng(seed)
    t = np.arange(n, dtype=np.float64)
    y = np.sin(0.1 * t) + 0.5 * np.sin(0.031 * t) + rng.normal(0.0, 0.05, n)
    return y.astype(np.float32)


def series_batches(s, B, T, count=BATCHES, seed=7):
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(count):
        starts = rng.integers(0, len(s) - T, B)
        x = np.stack([s[a:a + T] for a in starts])[:, :, None]
        y = np.array([s[a + T] for a in starts], dtype=np.float32)[:, None]
        out.append((torch.from_numpy(np.ascontiguousarray(x)), torch.from_numpy(y)))
    return out


def load_corpus(override):
    cands = ([override] if override else []) + [
        os.path.join(PROJECT, "data", "text", "kjv-genesis.txt"),
    ]
    for p in cands:
        if p and os.path.isfile(p):
            raw = open(p, "rb").read()
            if len(raw) > 1000:
                break
    else:
        raise SystemExit("no text corpus found; use --text PATH")
    freq = np.bincount(np.frombuffer(raw, dtype=np.uint8), minlength=256)
    present = [b for b in range(256) if freq[b]]
    if len(present) > VOCAB - 1:  # keep the most frequent, map the rest to a fallback id
        present = sorted(sorted(present, key=lambda b: -freq[b])[:VOCAB - 1])
    id_of = np.full(256, len(present), dtype=np.int64)
    for i, b in enumerate(present):
        id_of[b] = i
    ids = id_of[np.frombuffer(raw, dtype=np.uint8)]
    return p, ids, id_of


def feature_batches(B, T, n_features, count=BATCHES, seed=7):
    """Shape configurations: x [B, T, F] standard normal, y [B, 1] the mean of the last step's
    features (as common.mjs's featureBatches; numpy's generator, so other values)."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(count):
        x = rng.standard_normal((B, T, n_features)).astype(np.float32)
        y = x[:, -1, :].mean(axis=1, keepdims=True).astype(np.float32)
        out.append((torch.from_numpy(x), torch.from_numpy(y)))
    return out


def shape_config(cell, hidden, seq, batch, n_features):
    """The sweep's one-shape configuration (as common.mjs's shapeConfig): id SHAPE, a dense-1
    head on the last step, Adam 1e-3; FLOPs of the matrix products, forward and twice that back."""
    gates = {"lstm": 4, "gru": 3, "rnn": 1}[cell]
    forward = 2 * batch * seq * gates * hidden * (n_features + hidden) + 2 * batch * hidden
    return ("SHAPE", cell, [hidden], seq, batch, 1e-3, False, 3.0 * forward, n_features)


def in_features(cfg):
    """Inputs of a non-CHAR configuration: the shape's features, else CONFIGS.md's one value."""
    return cfg[8] if len(cfg) > 8 else 1


def peak_rss_bytes():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB


def token_batches(ids, B, T, count=BATCHES, seed=7):
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(count):
        starts = rng.integers(0, len(ids) - T, B)
        x = np.stack([ids[a:a + T] for a in starts])
        y = np.stack([ids[a + 1:a + T + 1] for a in starts])
        out.append((torch.from_numpy(x), torch.from_numpy(y)))
    return out


# ---- models

class Net(nn.Module):
    """[one-hot | features] -> stacked RNN/LSTM/GRU -> Linear at the last step or every step."""

    def __init__(self, cell, in_size, hidden, out_size, every_step):
        super().__init__()
        assert all(h == hidden[0] for h in hidden), "nn.LSTM stacks need equal widths"
        cls = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}[cell]
        self.rnn = cls(in_size, hidden[0], num_layers=len(hidden), batch_first=True)
        self.head = nn.Linear(hidden[0], out_size)
        self.every_step = every_step

    def forward(self, x, state=None):
        out, state = self.rnn(x, state)
        return self.head(out if self.every_step else out[:, -1]), state


def build(cfg):
    _, cell, hidden, T, B, lr, chars, _ = cfg[:8]
    torch.manual_seed(42)
    if chars:
        model = Net(cell, VOCAB, hidden, VOCAB, every_step=True)
    else:
        model = Net(cell, in_features(cfg), hidden, 1, every_step=False)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    return model, opt


def make_step(model, opt, chars):
    if chars:
        def step(x_ids, y_ids):
            opt.zero_grad(set_to_none=True)
            x = F.one_hot(x_ids, VOCAB).float()  # the one-hot input is part of the step
            logits, _ = model(x)
            loss = F.cross_entropy(logits.reshape(-1, VOCAB), y_ids.reshape(-1))
            loss.backward()
            opt.step()
            return loss.item()
    else:
        def step(x, y):
            opt.zero_grad(set_to_none=True)
            pred, _ = model(x)
            loss = F.mse_loss(pred, y)
            loss.backward()
            opt.step()
            return loss.item()
    return step


def run_train(cfg, args, data):
    cid, cell, hidden, T, B, lr, chars, flops = cfg[:8]
    if chars:
        batches = token_batches(data.corpus()[1], B, T)
    elif len(cfg) > 8:
        batches = feature_batches(B, T, in_features(cfg))
    else:
        batches = series_batches(data.sine(), B, T)
    # Peak RSS growth from here (data made, torch loaded) to the end of the steps: the model,
    # Adam's state, autograd's saved activations and the allocator's caches at their peak.
    rss0 = peak_rss_bytes()
    model, opt = build(cfg)
    model.train()
    step = make_step(model, opt, chars)
    losses = []

    def fn(i):
        x, y = batches[i % len(batches)]
        losses.append(step(x, y))

    ms = time_runs(args.warmup, args.steps, fn, args.budget_ms, args.cap_ms, watched=args.cap_ms > 0)
    head = "onehot65->softmax65 CE" if chars else f"{in_features(cfg)}->1 MSE"
    r = {"id": cid, "kind": "train",
         "desc": f"{cell.upper()} {'x'.join(map(str, hidden))} T{T} B{B} {head} Adam {lr:g}",
         "warmup_n": ms.warmup, "first_ms": ms.first_ms,
         "memory": {"peak_rss_growth_bytes": peak_rss_bytes() - rss0}}
    if ms.capped:
        r.update({"capped": True, "median_ms": None, "n": 0, "params": sum(p.numel() for p in model.parameters())})
        return r
    r.update(summarize(ms))
    r["cpu_median_ms"] = float(np.median(ms.cpu)) if ms.cpu else None
    r["thread_cpu_median_ms"] = float(np.median(ms.thread_cpu)) if ms.thread_cpu else None
    per_step = B * T if chars else B
    r["unit"] = "tokens/s" if chars else "samples/s"
    r["throughput"] = per_step * 1000.0 / r["median_ms"]
    r["flops"] = flops
    r["gflops"] = flops / (r["median_ms"] * 1e6)
    r["loss_first"], r["loss_last"] = losses[ms.warmup], losses[-1]
    r["params"] = sum(p.numel() for p in model.parameters())
    r["note"] = f"text {data.corpus()[0]}" if chars else ""
    return r


def warm_train(cfg, args, data):
    """A model of cfg after the warm-up training steps (as rnnlab_bench does before inference)."""
    model, opt = build(cfg)
    step = make_step(model, opt, cfg[6])
    batches = token_batches(data.corpus()[1], cfg[4], cfg[3]) if cfg[6] else \
        series_batches(data.sine(), cfg[4], cfg[3])
    for i in range(max(args.warmup, 5)):
        step(*batches[i % len(batches)])
    model.eval()
    return model


def run_forecast(args, data):
    cfg = TRAIN_CONFIGS[0]
    model = warm_train(cfg, args, data)
    T = cfg[3]
    window = torch.from_numpy(data.sine()[1000:1000 + T].copy()).view(1, T, 1)

    @torch.no_grad()
    def forecast(_):
        pred, state = model(window)  # prime over the window: first prediction
        out = [pred]
        for _ in range(FORECAST_STEPS - 1):
            pred, state = model(pred.view(1, 1, 1), state)
            out.append(pred)
        return torch.cat(out)

    ms = time_runs(args.warmup, args.steps, forecast)
    r = {"id": "FORECAST", "kind": "forecast",
         "desc": "TS-S model: window 32 + 200-step forecast, B1"}
    r.update(summarize(ms))
    r.update({"unit": "steps/s", "throughput": FORECAST_STEPS * 1000.0 / r["median_ms"],
              "flops": None, "gflops": None,
              "params": sum(p.numel() for p in model.parameters()),
              "note": "ms = one whole 200-step forecast"})
    return r


def run_generate(args, data):
    cfg = TRAIN_CONFIGS[2]
    model = warm_train(cfg, args, data)
    id_of = data.corpus()[2]
    prime = torch.tensor([[int(id_of[b]) for b in PRIME.encode()]], dtype=torch.int64)

    @torch.no_grad()
    def generate(i):
        torch.manual_seed(1 + i)
        logits, state = model(F.one_hot(prime, VOCAB).float())
        logits = logits[:, -1]
        out = []
        for s in range(GEN_CHARS):
            probs = torch.softmax(logits / 1.0, dim=-1)  # temperature 1
            nxt = torch.multinomial(probs, 1)              # [1, 1]
            out.append(int(nxt))
            if s + 1 == GEN_CHARS:
                break
            logits, state = model(F.one_hot(nxt, VOCAB).float(), state)
            logits = logits[:, -1]
        return out

    ms = time_runs(args.warmup, args.steps, generate)
    r = {"id": "GEN", "kind": "generate",
         "desc": "CHAR model: prime 16 + 500 sampled chars, B1 t=1"}
    r.update(summarize(ms))
    r.update({"unit": "chars/s", "throughput": GEN_CHARS * 1000.0 / r["median_ms"],
              "flops": None, "gflops": None,
              "params": sum(p.numel() for p in model.parameters()),
              "note": "ms = prime + 500 sampled chars"})
    return r


class Data:
    def __init__(self, text):
        self.text = text
        self._sine = None
        self._corpus = None

    def sine(self):
        if self._sine is None:
            self._sine = sine_series()
        return self._sine

    def corpus(self):
        if self._corpus is None:
            self._corpus = load_corpus(self.text)
        return self._corpus


def print_row(r):
    if r.get("capped"):
        print(f"{r['id']:<9} {r['desc']:<50} capped: first step {r['first_ms']:.1f} ms")
        sys.stdout.flush()
        return
    gf = f"{r['gflops']:.1f}" if r.get("gflops") else "-"
    tp = f"{r['throughput']:.0f} {r['unit']}"
    print(f"{r['id']:<9} {r['desc']:<50} {r['median_ms']:9.3f} {r['mean_ms']:9.3f} "
          f"{r['min_ms']:9.3f} {r['p90_ms']:9.3f} {tp:>16} {gf:>8}")
    if r["kind"] == "train":
        note = f"; {r['note']}" if r["note"] else ""
        print(f"{'':<9}   loss {r['loss_first']:.4g} -> {r['loss_last']:.4g} over {r['n']} steps; "
              f"{r['params']} parameters{note}")
    sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--steps", type=int, default=30, help="timed repetitions (default 30)")
    ap.add_argument("--warmup", type=int, default=5, help="untimed repetitions first (default 5)")
    ap.add_argument("--only", action="append", default=[],
                    help="comma-separated configuration ids (TS-S TS-M CHAR GRU-S RNN-S FORECAST GEN)")
    ap.add_argument("--json", action="store_true", help="machine-readable output")
    ap.add_argument("--text", default="", help="text corpus for CHAR/GEN")
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--threads", type=int, default=1,
                    help="BLAS threads (default 1; torch's intra-op pool stays at one, see the top)")
    ap.add_argument("--hidden", type=int, help="one shape instead of the ids: hidden size ...")
    ap.add_argument("--seq", type=int, help="... sequence length ...")
    ap.add_argument("--batch", type=int, help="... and batch (with --hidden and --seq)")
    ap.add_argument("--features", type=int, default=8, help="inputs of the shape (default 8)")
    ap.add_argument("--cell", choices=["lstm", "gru", "rnn"], default="lstm", help="cell of the shape")
    ap.add_argument("--budget-ms", type=float, default=0,
                    help="stop warming up after T/2 ms and timing after T ms (>= 3 timed steps)")
    ap.add_argument("--cap-ms", type=float, default=0,
                    help="stop after the first step if it took longer than T ms (result: capped)")
    args = ap.parse_args()
    shape = None
    given = [v is not None for v in (args.hidden, args.seq, args.batch)]
    if any(given):
        if not all(given):
            ap.error("--hidden, --seq and --batch go together")
        if min(args.hidden, args.seq, args.batch, args.features) < 1:
            ap.error("--hidden, --seq, --batch and --features need positive integers")
        shape = shape_config(args.cell, args.hidden, args.seq, args.batch, args.features)
    args.steps = max(1, args.steps)
    args.warmup = max(0, args.warmup)
    only = [s.upper() for o in args.only for s in o.split(",") if s]
    for s in only:
        if s not in ALL_IDS:
            ap.error(f"unknown configuration '{s}'")
    if args.list:
        print("\n".join(ALL_IDS))
        return
    selected = lambda cid: not only or cid in only
    data = Data(args.text)
    load0 = loadavg()
    header = {"impl": "pytorch", "impl_version": torch.__version__, "kernels": "aten",
              "gemm": blas_name(), "threads": THREADS, "torch_threads": torch.get_num_threads(),
              "blas_threads_env": os.environ.get("OPENBLAS_NUM_THREADS"),
              "warmup": args.warmup, "steps": args.steps}
    if not args.json:
        print(f"pytorch_bench: torch {torch.__version__}, {header['threads']} thread(s), "
              f"{args.warmup} warm-up + {args.steps} timed per config")
        print("load average at start: %.2f %.2f %.2f" % tuple(load0))
        if args.warmup < 5 or args.steps < 30:
            print("note: fewer repetitions than CONFIGS.md asks (>= 5 warm-up, >= 30 timed)")
        print(f"{'id':<9} {'configuration':<50} {'median ms':>9} {'mean ms':>9} {'min ms':>9} "
              f"{'p90 ms':>9} {'throughput':>16} {'GFLOP/s':>8}")
    results = []

    def emit(r):
        results.append(r)
        if not args.json:
            print_row(r)

    if shape:
        emit(run_train(shape, args, data))
    else:
        for cfg in TRAIN_CONFIGS:
            if selected(cfg[0]):
                emit(run_train(cfg, args, data))
        if selected("FORECAST"):
            emit(run_forecast(args, data))
        if selected("GEN"):
            emit(run_generate(args, data))
    header["gemm"] = blas_name()  # libraries are mapped lazily; look again after the runs
    load1 = loadavg()
    if args.json:
        out = dict(header)
        out["loadavg_start"], out["loadavg_end"] = load0, load1
        out["results"] = results
        print(json.dumps(out, indent=2))
    else:
        print(f"BLAS mapped: {header['gemm']}")
        print("load average at end: %.2f %.2f %.2f" % tuple(load1))


if __name__ == "__main__":
    main()
