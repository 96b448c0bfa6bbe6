#!/usr/bin/env python3
"""PyTorch / numpy twins of nnzoo's benchmark workloads (bench/workloads/), run by bench/run.ts.

Same protocol as bench/lib/measure.ts: warm up, then timed windows of at least --window
seconds, the median window reported. Prints one JSON object:
    {"engine-label": {"case": {"value": ..., "windows": [...], "steps": [...]}}}

Thread counts are fixed by the caller through the environment (OPENBLAS_NUM_THREADS must be
set before numpy/torch load OpenBLAS); torch also gets torch.set_num_threads(--threads).

    OPENBLAS_NUM_THREADS=1 python3 bench/torch_bench.py --workload W0 --engines torch,numpy --threads 1
"""
import argparse
import json
import statistics
import sys
import time


def measure(step, scale, window, windows, warmup):
    n = 0
    end = time.perf_counter() + warmup
    while n < 2 or time.perf_counter() < end:
        step()
        n += 1
    values, steps = [], []
    for _ in range(windows):
        t0 = time.perf_counter()
        stop = t0 + window
        k = 0
        while True:
            step()
            k += 1
            if time.perf_counter() >= stop:
                break
        values.append(k / (time.perf_counter() - t0) * scale)
        steps.append(k)
    return {"value": statistics.median(values), "windows": values, "steps": steps}


W0_SHAPES = {"32x512x1024": (32, 512, 1024), "128x784x256": (128, 784, 256), "1024x1024x1024": (1024, 1024, 1024)}


def w0(engine, case, opts):
    m, k, n = W0_SHAPES[case]
    scale = 2 * m * k * n / 1e9
    if engine == "torch":
        import torch
        torch.manual_seed(0)
        a, b = torch.randn(m, k), torch.randn(k, n)
        return measure(lambda: torch.mm(a, b), scale, *opts)
    import numpy as np
    rng = np.random.default_rng(0)
    a = rng.standard_normal((m, k), dtype=np.float32)
    b = rng.standard_normal((k, n), dtype=np.float32)
    return measure(lambda: a @ b, scale, *opts)


WORKLOADS = {"W0": (w0, list(W0_SHAPES))}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--workload", required=True)
    p.add_argument("--engines", default="torch,numpy")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--label", default="{engine}-{threads}t")
    p.add_argument("--cases", default="")
    p.add_argument("--window", type=float, default=3.0)
    p.add_argument("--windows", type=int, default=3)
    p.add_argument("--warmup", type=float, default=1.0)
    a = p.parse_args()
    if a.workload not in WORKLOADS:
        print(json.dumps({}))
        return
    fn, cases = WORKLOADS[a.workload]
    if a.cases:
        cases = [c for c in cases if c in a.cases.split(",")]
    out = {}
    for engine in a.engines.split(","):
        if engine == "torch":
            try:
                import torch
                torch.set_num_threads(a.threads)
            except ImportError as e:
                print(f"torch unavailable: {e}", file=sys.stderr)
                continue
        label = a.label.format(engine=engine, threads=a.threads)
        out[label] = {c: fn(engine, c, (a.window, a.windows, a.warmup)) for c in cases}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
