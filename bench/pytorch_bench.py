#!/usr/bin/python3
"""PyTorch peer of rnnlab_bench: CONFIGS.md's configurations on one thread.

Run with Debian's python3-torch (`/usr/bin/python3 bench/pytorch_bench.py`). Same flags and the
same --json layout as rnnlab_bench, so bench/compare.sh can put the two side by side:

  pytorch_bench.py [--steps N] [--warmup N] [--only ID[,ID...]] [--json] [--text PATH]

Models are the textbook ones: nn.LSTM / nn.GRU / nn.RNN (batch_first=True) + nn.Linear, Adam,
MSE or cross-entropy. Timing uses time.perf_counter() (monotonic) around one full training
step: zero_grad, forward, loss, backward, optimizer step. Figures only; nothing is asserted.
"""
import os

# Threads must be fixed before torch (and its BLAS / OpenMP) start.
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")

import argparse
import json
import math
import sys
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


def time_runs(warmup, steps, fn):
    for i in range(warmup):
        fn(i)
    ms = []
    for i in range(steps):
        t0 = time.perf_counter()
        fn(warmup + i)
        ms.append((time.perf_counter() - t0) * 1000.0)
    return ms


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
    _, cell, hidden, T, B, lr, chars, _ = cfg
    torch.manual_seed(42)
    if chars:
        model = Net(cell, VOCAB, hidden, VOCAB, every_step=True)
    else:
        model = Net(cell, 1, hidden, 1, every_step=False)
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
    cid, cell, hidden, T, B, lr, chars, flops = cfg
    model, opt = build(cfg)
    model.train()
    step = make_step(model, opt, chars)
    if chars:
        batches = token_batches(data.corpus()[1], B, T)
    else:
        batches = series_batches(data.sine(), B, T)
    losses = []

    def fn(i):
        x, y = batches[i % len(batches)]
        losses.append(step(x, y))

    ms = time_runs(args.warmup, args.steps, fn)
    r = {"id": cid, "kind": "train",
         "desc": f"{cell.upper()} {'x'.join(map(str, hidden))} T{T} B{B} "
                 f"{'onehot65->softmax65 CE' if chars else '1->1 MSE'} Adam {lr:g}"}
    r.update(summarize(ms))
    per_step = B * T if chars else B
    r["unit"] = "tokens/s" if chars else "samples/s"
    r["throughput"] = per_step * 1000.0 / r["median_ms"]
    r["flops"] = flops
    r["gflops"] = flops / (r["median_ms"] * 1e6)
    r["loss_first"], r["loss_last"] = losses[0], losses[-1]
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
    args = ap.parse_args()
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
              "gemm": blas_name(), "threads": torch.get_num_threads(),
              "warmup": args.warmup, "steps": args.steps}
    if not args.json:
        print(f"pytorch_bench: torch {torch.__version__}, {header['threads']} thread, "
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
