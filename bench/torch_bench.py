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


def torch_only(engine):
    """The training workloads have no numpy twin."""
    if engine != "torch":
        raise Unsupported(f"{engine} has no autograd")
    import torch
    torch.manual_seed(0)
    return torch


class Unsupported(Exception):
    pass


V, E, H, T, B = 65, 64, 256, 64, 32


def char_rnn(cell):
    """W1/W2: Embedding(65,64) -> LSTM/GRU(256) -> Linear(256,65), seq 64, batch 32, CE, Adam(1e-3); tokens/s."""
    def run(engine, case, opts):
        torch = torch_only(engine)
        nn, F = torch.nn, torch.nn.functional
        emb = nn.Embedding(V, E)
        rnn = (nn.LSTM if cell == "lstm" else nn.GRU)(E, H, batch_first=True)
        head = nn.Linear(H, V)
        params = [*emb.parameters(), *rnn.parameters(), *head.parameters()]
        opt = torch.optim.Adam(params, lr=1e-3)
        x, y = torch.randint(0, V, (B, T)), torch.randint(0, V, (B * T,))

        def step():
            out, _ = rnn(emb(x))
            loss = F.cross_entropy(head(out).reshape(-1, V), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            loss.item()
        return measure(step, B * T, *opts)
    return run


def w3(engine, case, opts):
    """W3: MLP 784-256-256-10 (ReLU), batch 128, CE, Adam(1e-3); samples/s."""
    torch = torch_only(engine)
    nn, F = torch.nn, torch.nn.functional
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    x, y = torch.randn(128, 784), torch.randint(0, 10, (128,))

    def step():
        loss = F.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        loss.item()
    return measure(step, 128, *opts)


def gan_step(torch, G, D, real, z):
    """W4/W5's iteration: one D step (real + detached G(z)), one G step (G re-run on z); BCE with logits, Adam(2e-4, b1 .5)."""
    F = torch.nn.functional
    opt_g = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
    one, zero = torch.ones(real.shape[0], 1), torch.zeros(real.shape[0], 1)

    def step():
        fake = G(z)
        loss_d = F.binary_cross_entropy_with_logits(D(real), one) + F.binary_cross_entropy_with_logits(D(fake.detach()), zero)
        opt_d.zero_grad()
        loss_d.backward()
        opt_d.step()
        loss_g = F.binary_cross_entropy_with_logits(D(G(z)), one)
        opt_g.zero_grad()
        loss_g.backward()
        opt_g.step()
        loss_d.item()
        loss_g.item()
    return step


def w4(engine, case, opts):
    """W4: MLP GAN, G z64->256 (LReLU .2)->784 tanh, D 784->256 (LReLU .2)->1, batch 64; it/s."""
    torch = torch_only(engine)
    nn = torch.nn
    G = nn.Sequential(nn.Linear(64, 256), nn.LeakyReLU(0.2), nn.Linear(256, 784), nn.Tanh())
    D = nn.Sequential(nn.Linear(784, 256), nn.LeakyReLU(0.2), nn.Linear(256, 1))
    return measure(gan_step(torch, G, D, torch.rand(64, 784) * 2 - 1, torch.randn(64, 64)), 1, *opts)


def w5(engine, case, opts):
    """W5: DCGAN on 28x28, batch 64 (DESIGN.md section 6); it/s."""
    torch = torch_only(engine)
    nn = torch.nn
    G = nn.Sequential(
        nn.ConvTranspose2d(100, 128, 7), nn.BatchNorm2d(128), nn.ReLU(),
        nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.BatchNorm2d(64), nn.ReLU(),
        nn.ConvTranspose2d(64, 1, 4, 2, 1), nn.Tanh())
    D = nn.Sequential(
        nn.Conv2d(1, 64, 4, 2, 1), nn.LeakyReLU(0.2),
        nn.Conv2d(64, 128, 4, 2, 1), nn.BatchNorm2d(128), nn.LeakyReLU(0.2),
        nn.Flatten(), nn.Linear(128 * 7 * 7, 1))
    return measure(gan_step(torch, G, D, torch.rand(64, 1, 28, 28) * 2 - 1, torch.randn(64, 100, 1, 1)), 1, *opts)


WORKLOADS = {
    "W0": (w0, list(W0_SHAPES)),
    "W1": (char_rnn("lstm"), ["lstm-256"]),
    "W2": (char_rnn("gru"), ["gru-256"]),
    "W3": (w3, ["mlp-784-256-256-10"]),
    "W4": (w4, ["mlp-gan-784"]),
    "W5": (w5, ["dcgan-28"]),
}


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
        try:
            out[label] = {c: fn(engine, c, (a.window, a.windows, a.warmup)) for c in cases}
        except Unsupported as e:
            out[label] = {c: str(e) for c in cases}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
