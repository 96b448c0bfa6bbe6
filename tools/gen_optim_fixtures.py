#!/usr/bin/python3
"""Optimizer and learning-rate-scheduler fixtures from torch.optim (Debian python3-torch 1.13).

    /usr/bin/python3 tools/gen_optim_fixtures.py

Writes test/fixtures/optim/*.json. Every optimizer case holds two float32 parameters of
different shapes, a fixed sequence of 20 gradients per parameter (given, not computed, so
that the test isolates the optimizer; null = no gradient at that step) and the parameters
after every step, from torch's single-tensor ("foreach=False") code path. Options are
written with nnzoo's camelCase names so that the tests pass them straight to the
constructors. Scheduler cases hold the learning rates (and, for OneCycleLR, the cycled
momentum) of two parameter groups after construction and after every step.
"""
import json
import os

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "optim")
STEPS = 20
SHAPES = [[3, 4], [5]]

SNAKE = {
    "weightDecay": "weight_decay",
    "lrDecay": "lr_decay",
    "initialAccumulatorValue": "initial_accumulator_value",
}


def torch_opts(opts):
    out = {}
    for k, v in opts.items():
        out[SNAKE.get(k, k)] = tuple(v) if k == "betas" else v
    return out


def flat(t):
    return [float(x) for x in t.detach().reshape(-1).tolist()]


def make_case(name, cls, options, seed, groups=None, skip=None):
    """groups: None (all params, defaults) or a list of per-group option dicts (group i gets param i).
    skip: {(step, param_index)} pairs whose gradient is None."""
    skip = skip or set()
    g = torch.Generator().manual_seed(seed)
    params = [torch.randn(s, generator=g, dtype=torch.float32).requires_grad_() for s in SHAPES]
    initial = [flat(p) for p in params]
    grads = []
    for step in range(STEPS):
        # Gradient scales from 1e-2 to 1e1 exercise eps and the moment estimates.
        scale = 10 ** (torch.rand((), generator=g).item() * 3 - 2)
        row = []
        for i, s in enumerate(SHAPES):
            gr = (torch.randn(s, generator=g, dtype=torch.float32) * scale).to(torch.float32)
            row.append(None if (step, i) in skip else flat(gr))
        grads.append(row)
    if groups is None:
        opt = cls(params, foreach=False, **torch_opts(options))
    else:
        pg = [dict(params=[params[i]], **torch_opts(go)) for i, go in enumerate(groups)]
        opt = cls(pg, foreach=False, **torch_opts(options))
    expected = []
    for step in range(STEPS):
        for i, p in enumerate(params):
            gr = grads[step][i]
            p.grad = None if gr is None else torch.tensor(gr, dtype=torch.float32).reshape(SHAPES[i])
        opt.step()
        expected.append([flat(p) for p in params])
    case = {
        "name": name,
        "optimizer": cls.__name__,
        "options": options,
        "shapes": SHAPES,
        "initial": initial,
        "grads": grads,
        "expected": expected,
    }
    if groups is not None:
        case["groups"] = groups
    return case


def optimizer_fixtures():
    O = torch.optim
    skip = {(4, 1), (5, 1), (11, 0), (12, 1)}
    return {
        "sgd": [
            make_case("plain", O.SGD, {"lr": 0.1}, 1),
            make_case("momentum", O.SGD, {"lr": 0.05, "momentum": 0.9}, 2),
            make_case("dampening", O.SGD, {"lr": 0.05, "momentum": 0.9, "dampening": 0.5}, 3),
            make_case("nesterov", O.SGD, {"lr": 0.05, "momentum": 0.9, "nesterov": True}, 4),
            make_case("weight decay", O.SGD, {"lr": 0.05, "momentum": 0.9, "weightDecay": 0.1}, 5),
            make_case("maximize + weight decay, no momentum", O.SGD, {"lr": 0.05, "weightDecay": 0.01, "maximize": True}, 6),
            make_case("momentum with missing grads", O.SGD, {"lr": 0.05, "momentum": 0.8}, 7, skip=skip),
        ],
        "adam": [
            make_case("default", O.Adam, {"lr": 0.01}, 11),
            make_case("weight decay (L2 in gradient)", O.Adam, {"lr": 0.01, "weightDecay": 0.1}, 12),
            make_case("amsgrad", O.Adam, {"lr": 0.01, "betas": [0.8, 0.99], "amsgrad": True}, 13),
            make_case("maximize, large eps", O.Adam, {"lr": 0.01, "eps": 1e-3, "maximize": True}, 14),
            make_case("missing grads (per-parameter step counts)", O.Adam, {"lr": 0.02}, 15, skip=skip),
        ],
        "adamw": [
            make_case("default weight decay 0.01", O.AdamW, {"lr": 0.01}, 21),
            make_case("weight decay 0.1 + amsgrad", O.AdamW, {"lr": 0.01, "weightDecay": 0.1, "amsgrad": True}, 22),
            make_case("missing grads", O.AdamW, {"lr": 0.02, "betas": [0.85, 0.995]}, 23, skip=skip),
        ],
        "rmsprop": [
            make_case("plain", O.RMSprop, {"lr": 0.01}, 31),
            make_case("centered", O.RMSprop, {"lr": 0.01, "centered": True}, 32),
            make_case("momentum", O.RMSprop, {"lr": 0.01, "momentum": 0.9}, 33),
            make_case("centered + momentum + weight decay, alpha 0.9", O.RMSprop,
                      {"lr": 0.005, "alpha": 0.9, "centered": True, "momentum": 0.5, "weightDecay": 0.1}, 34),
        ],
        "adagrad": [
            make_case("plain", O.Adagrad, {"lr": 0.1}, 41),
            make_case("lrDecay + weightDecay + initial accumulator", O.Adagrad,
                      {"lr": 0.1, "lrDecay": 0.01, "weightDecay": 0.1, "initialAccumulatorValue": 0.1, "eps": 1e-6}, 42),
        ],
        "groups": [
            make_case("SGD, two groups (lr 0.1 / lr 0.01 with own momentum)", O.SGD, {"lr": 0.1, "momentum": 0.9}, 51,
                      groups=[{}, {"lr": 0.01, "momentum": 0.5}]),
            make_case("Adam, two groups (lr 0.01 / lr 0.05 with weight decay)", O.Adam, {"lr": 0.01}, 52,
                      groups=[{}, {"lr": 0.05, "weightDecay": 0.1}]),
        ],
    }


# ---------------------------------------------------------------- schedulers

def warmup10(e):
    return min(1.0, (e + 1) / 10)


def decay95(e):
    return 0.95 ** e


LAMBDAS = {"warmup10": warmup10, "decay95": decay95}


def sched_case(name, scheduler, sched_options, steps, optimizer="SGD", opt_options=None, lambdas=None):
    opt_options = opt_options or {"lr": 0.1, "momentum": 0.9}
    lrs = [0.1, 0.02]
    params = [torch.zeros(2, requires_grad=True), torch.zeros(3, requires_grad=True)]
    cls = getattr(torch.optim, optimizer)
    opt = cls([{"params": [params[0]], "lr": lrs[0]}, {"params": [params[1]], "lr": lrs[1]}], **torch_opts(opt_options))
    S = torch.optim.lr_scheduler
    kw = {}
    for k, v in sched_options.items():
        kw[{"stepSize": "step_size", "tMax": "T_max", "etaMin": "eta_min", "maxLr": "max_lr",
            "totalSteps": "total_steps", "stepsPerEpoch": "steps_per_epoch", "pctStart": "pct_start",
            "annealStrategy": "anneal_strategy", "cycleMomentum": "cycle_momentum",
            "baseMomentum": "base_momentum", "maxMomentum": "max_momentum", "divFactor": "div_factor",
            "finalDivFactor": "final_div_factor", "threePhase": "three_phase", "startFactor": "start_factor",
            "endFactor": "end_factor", "totalIters": "total_iters"}.get(k, k)] = v
    if lambdas is not None:
        fns = [LAMBDAS[n] for n in lambdas]
        kw["lr_lambda"] = fns if len(fns) > 1 else fns[0]
    sched = getattr(S, scheduler)(opt, **kw)

    def momenta():
        return [grp["betas"][0] if "betas" in grp else grp.get("momentum", 0) for grp in opt.param_groups]

    lr_seq = [sched.get_last_lr()]
    mom_seq = [momenta()]
    for _ in range(steps):
        opt.step()  # no grads: a no-op, but keeps torch's call order
        sched.step()
        lr_seq.append(sched.get_last_lr())
        mom_seq.append(momenta())
    case = {"name": name, "scheduler": scheduler, "options": sched_options, "optimizer": optimizer,
            "optimizerOptions": opt_options, "groupLrs": lrs, "lrs": lr_seq, "momenta": mom_seq}
    if lambdas is not None:
        case["lambdas"] = lambdas
    return case


def chained_case(name, chain, steps):
    """Several schedulers on one optimizer, all stepped each time (torch's ChainedScheduler)."""
    lrs = [0.1, 0.02]
    params = [torch.zeros(2, requires_grad=True), torch.zeros(3, requires_grad=True)]
    opt = torch.optim.SGD([{"params": [params[0]], "lr": lrs[0]}, {"params": [params[1]], "lr": lrs[1]}], lr=0.1)
    S = torch.optim.lr_scheduler
    names = {"tMax": "T_max", "etaMin": "eta_min", "startFactor": "start_factor", "endFactor": "end_factor",
             "totalIters": "total_iters", "stepSize": "step_size"}
    scheds = [getattr(S, sname)(opt, **{names.get(k, k): v for k, v in sopts.items()}) for sname, sopts in chain]
    seq = [[g["lr"] for g in opt.param_groups]]
    for _ in range(steps):
        opt.step()
        for s in scheds:
            s.step()
        seq.append([g["lr"] for g in opt.param_groups])
    return {"name": name, "chain": [{"scheduler": n, "options": o} for n, o in chain], "groupLrs": lrs, "lrs": seq}


def chained_fixtures():
    return [
        chained_case("LinearLR warmup + CosineAnnealingLR", [("LinearLR", {"startFactor": 0.1, "totalIters": 5}),
                                                             ("CosineAnnealingLR", {"tMax": 30, "etaMin": 0.001})], 32),
        chained_case("StepLR + ExponentialLR", [("StepLR", {"stepSize": 4, "gamma": 0.5}), ("ExponentialLR", {"gamma": 0.97})], 31),
    ]


def scheduler_fixtures():
    return [
        sched_case("StepLR stepSize 7 gamma 0.5", "StepLR", {"stepSize": 7, "gamma": 0.5}, 35),
        sched_case("StepLR default gamma", "StepLR", {"stepSize": 3}, 31),
        sched_case("ExponentialLR gamma 0.9", "ExponentialLR", {"gamma": 0.9}, 35),
        sched_case("CosineAnnealingLR tMax 10 etaMin 0.001 (past tMax: back up)", "CosineAnnealingLR",
                   {"tMax": 10, "etaMin": 0.001}, 45),
        sched_case("CosineAnnealingLR tMax 30", "CosineAnnealingLR", {"tMax": 30}, 32),
        sched_case("OneCycleLR defaults, SGD momentum cycled", "OneCycleLR", {"maxLr": [1.0, 0.5], "totalSteps": 40}, 39),
        sched_case("OneCycleLR three-phase linear, Adam beta1 cycled", "OneCycleLR",
                   {"maxLr": 0.01, "totalSteps": 35, "annealStrategy": "linear", "threePhase": True,
                    "pctStart": 0.25, "divFactor": 10.0, "finalDivFactor": 100.0,
                    "baseMomentum": 0.8, "maxMomentum": 0.9},
                   34, optimizer="Adam", opt_options={"lr": 0.001}),
        sched_case("OneCycleLR epochs x stepsPerEpoch, no momentum cycling, Adagrad", "OneCycleLR",
                   {"maxLr": 0.3, "epochs": 4, "stepsPerEpoch": 9, "cycleMomentum": False},
                   36, optimizer="Adagrad", opt_options={"lr": 0.01}),
        sched_case("LinearLR defaults", "LinearLR", {}, 31),
        sched_case("LinearLR 0.1 to 1 over 10", "LinearLR", {"startFactor": 0.1, "endFactor": 1.0, "totalIters": 10}, 31),
        sched_case("LambdaLR linear warmup over 10", "LambdaLR", {}, 31, lambdas=["warmup10"]),
        sched_case("LambdaLR one lambda per group", "LambdaLR", {}, 31, lambdas=["warmup10", "decay95"]),
    ]


def main():
    os.makedirs(OUT, exist_ok=True)
    meta = {"torch": torch.__version__, "generator": "tools/gen_optim_fixtures.py"}
    for family, cases in optimizer_fixtures().items():
        with open(os.path.join(OUT, family + ".json"), "w") as f:
            json.dump({**meta, "cases": cases}, f, separators=(",", ":"))
    with open(os.path.join(OUT, "schedulers.json"), "w") as f:
        json.dump({**meta, "cases": scheduler_fixtures(), "chained": chained_fixtures()}, f, separators=(",", ":"))
    for name in sorted(os.listdir(OUT)):
        print(f"{name}: {os.path.getsize(os.path.join(OUT, name))} bytes")


if __name__ == "__main__":
    main()
