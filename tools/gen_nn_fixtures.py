#!/usr/bin/python3
"""PyTorch parity fixtures for nnzoo's nn package (test/fixtures/nn/*.json).

Run with Debian's python3-torch (1.13):  /usr/bin/python3 tools/gen_nn_fixtures.py

Each case gives a module's config, its weights (under PyTorch's names), inputs, and what
PyTorch computes: outputs, and the gradients of the inputs and of every parameter for the
scalar L = Σ_k <output_k, gradOutput_k> (random upstream gradients, included). The tests
(test/nn/parity.test.ts) load the weights with loadStateDict, so the names are checked too,
and need no PyTorch. Float32 values are written in their shortest round-trip form.
"""
import json
import os
import sys
import zlib

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "nn")


def enc(t):
    """A tensor as {shape, dtype, data} with data flat (row-major)."""
    t = t.detach().cpu().contiguous()
    shape = list(t.shape)
    if t.dtype == torch.float32:
        data = [float(repr(np.float32(v))) for v in t.reshape(-1).numpy()]
        return {"shape": shape, "dtype": "float32", "data": data}
    if t.dtype == torch.float64:
        return {"shape": shape, "dtype": "float64", "data": t.reshape(-1).tolist()}
    return {"shape": shape, "dtype": "int32", "data": [int(v) for v in t.reshape(-1).tolist()]}


def grads_of(module):
    return {n: enc(p.grad) for n, p in module.named_parameters() if p.grad is not None}


def backprop(outputs):
    """L = Σ <out, g> with random g; returns the g's (encoded)."""
    gs = {k: torch.randn_like(v) for k, v in outputs.items()}
    loss = sum((outputs[k] * gs[k]).sum() for k in outputs)
    loss.backward()
    return {k: enc(v) for k, v in gs.items()}


def module_case(name, kind, config, module, inputs, forward, dtype):
    """Runs forward(module, inputs) → dict of outputs, backprops, and records everything."""
    params = {n: enc(p) for n, p in module.state_dict().items()}
    leaf = {k: v for k, v in inputs.items() if isinstance(v, torch.Tensor) and v.is_floating_point()}
    for v in leaf.values():
        v.requires_grad_(True)
    outputs = forward(module, inputs)
    gouts = backprop(outputs)
    return {
        "name": name, "module": kind, "config": config, "dtype": dtype,
        "paramNames": [n for n, _ in module.named_parameters()],
        "stateKeys": list(module.state_dict().keys()),
        "params": params,
        "inputs": {k: (enc(v) if isinstance(v, torch.Tensor) else v) for k, v in inputs.items()},
        "outputs": {k: enc(v) for k, v in outputs.items()},
        "gradOutputs": gouts,
        "grads": {
            "inputs": {k: enc(v.grad) for k, v in leaf.items() if v.grad is not None},
            "params": grads_of(module),
        },
        "buffersAfter": {n: enc(b) for n, b in module.named_buffers()},
    }


# ----------------------------------------------------------------------------------------
# Recurrent layers and cells
# ----------------------------------------------------------------------------------------

def recurrent_case(kind, layers, bidir, batch_first, bias, with_init, with_lengths, dtype=torch.float32, I=3, H=4, T=5, B=3, tag=""):
    torch.manual_seed(zlib.crc32(repr((kind, layers, bidir, batch_first, bias, with_init, with_lengths, str(dtype), tag, I, H, T, B)).encode()))
    cls = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn_tanh": nn.RNN, "rnn_relu": nn.RNN}[kind]
    kw = dict(num_layers=layers, bias=bias, batch_first=batch_first, bidirectional=bidir)
    if kind.startswith("rnn"):
        kw["nonlinearity"] = kind[4:]
    m = cls(I, H, **kw).to(dtype)
    D = 2 if bidir else 1
    x = torch.randn(B, T, I, dtype=dtype) if batch_first else torch.randn(T, B, I, dtype=dtype)
    inputs = {"x": x}
    if with_init:
        inputs["h0"] = torch.randn(layers * D, B, H, dtype=dtype)
        if kind == "lstm":
            inputs["c0"] = torch.randn(layers * D, B, H, dtype=dtype)
    if with_lengths:
        lengths = [T, 2, 4][:B] if B == 3 else list(np.random.RandomState(B).randint(1, T + 1, size=B))
        inputs["lengths"] = [int(v) for v in lengths]

    def forward(mod, inp):
        state = None
        if "h0" in inp:
            state = (inp["h0"], inp["c0"]) if kind == "lstm" else inp["h0"]
        xx = inp["x"]
        if "lengths" in inp:
            packed = pack_padded_sequence(xx, torch.tensor(inp["lengths"]), batch_first=batch_first, enforce_sorted=False)
            out_p, st = mod(packed, state)
            out, _ = pad_packed_sequence(out_p, batch_first=batch_first, total_length=T)
        else:
            out, st = mod(xx, state)
        if kind == "lstm":
            return {"out": out, "hn": st[0], "cn": st[1]}
        return {"out": out, "hn": st}

    config = {"inputSize": I, "hiddenSize": H, "numLayers": layers, "bias": bias, "batchFirst": batch_first, "bidirectional": bidir}
    if kind.startswith("rnn"):
        config["nonlinearity"] = kind[4:]
    module = {"lstm": "LSTM", "gru": "GRU", "rnn_tanh": "RNN", "rnn_relu": "RNN"}[kind]
    flags = f"l{layers}{'_bi' if bidir else ''}{'_bf' if batch_first else ''}{'' if bias else '_nobias'}{'_h0' if with_init else ''}{'_len' if with_lengths else ''}"
    name = f"{kind}_{flags}{tag}"
    return module_case(name, module, config, m, inputs, forward, "float64" if dtype == torch.float64 else "float32")


def recurrent_cases():
    cases = []
    kinds = ["lstm", "gru", "rnn_tanh"]
    for k, kind in enumerate(kinds):
        cell = 0
        for layers in (1, 2, 3):
            for bidir in (False, True):
                # Four of the sixteen (batchFirst, bias, init, lengths) combinations per cell,
                # rotated by cell and kind so every combination appears for every kind.
                for mm in range(4):
                    j = (4 * cell + 4 * k + mm) % 16
                    cases.append(recurrent_case(kind, layers, bidir, bool(j & 1), not (j & 2), bool(j & 4), bool(j & 8)))
                cell += 1
        cases.append(recurrent_case(kind, 3, True, True, True, True, True, tag="_all"))
    for bidir in (False, True):
        cases.append(recurrent_case("rnn_relu", 2, bidir, False, True, True, True))
        cases.append(recurrent_case("rnn_relu", 1, bidir, True, False, False, False))
    # A wider case closer to real use, and a long one with many different lengths.
    cases.append(recurrent_case("lstm", 2, True, True, True, True, True, I=8, H=16, T=12, B=6, tag="_wide"))
    cases.append(recurrent_case("gru", 2, True, False, True, False, True, I=8, H=16, T=12, B=6, tag="_wide"))
    return cases


def cell_cases(dtype=torch.float32):
    cases = []
    dname = "float64" if dtype == torch.float64 else "float32"
    specs = [("LSTMCell", nn.LSTMCell, {}), ("GRUCell", nn.GRUCell, {}), ("RNNCell", nn.RNNCell, {"nonlinearity": "tanh"}), ("RNNCell", nn.RNNCell, {"nonlinearity": "relu"})]
    for cls_name, cls, extra in specs:
        for bias in (True, False):
            for with_state in (True, False):
                torch.manual_seed(len(cases) + 7)
                I, H, B = 3, 5, 4
                m = cls(I, H, bias=bias, **extra).to(dtype)
                inputs = {"x": torch.randn(B, I, dtype=dtype)}
                if with_state:
                    inputs["h"] = torch.randn(B, H, dtype=dtype)
                    if cls_name == "LSTMCell":
                        inputs["c"] = torch.randn(B, H, dtype=dtype)

                def forward(mod, inp, cls_name=cls_name):
                    if cls_name == "LSTMCell":
                        h, c = mod(inp["x"], (inp["h"], inp["c"]) if "h" in inp else None)
                        return {"h": h, "c": c}
                    return {"h": mod(inp["x"], inp.get("h"))}

                config = {"inputSize": I, "hiddenSize": H, "bias": bias, **extra}
                name = f"{cls_name}{'_' + extra['nonlinearity'] if extra else ''}{'' if bias else '_nobias'}{'_state' if with_state else ''}"
                cases.append(module_case(name, cls_name, config, m, inputs, forward, dname))
    return cases


# ----------------------------------------------------------------------------------------
# Layers
# ----------------------------------------------------------------------------------------

def simple(name, kind, config, module, x, dtype="float32", extra_inputs=None):
    inputs = {"x": x, **(extra_inputs or {})}
    return module_case(name, kind, config, module, inputs, lambda mod, inp: {"y": mod(inp["x"])}, dtype)


def layer_cases(dt=torch.float32):
    dname = "float64" if dt == torch.float64 else "float32"
    sfx = "_f64" if dt == torch.float64 else ""
    torch.manual_seed(1234 if dt == torch.float32 else 4321)
    c = []
    # Linear
    c.append(simple("linear" + sfx, "Linear", {"args": [5, 3], "bias": True}, nn.Linear(5, 3).to(dt), torch.randn(4, 5, dtype=dt), dname))
    c.append(simple("linear_3d_nobias" + sfx, "Linear", {"args": [5, 3], "bias": False}, nn.Linear(5, 3, bias=False).to(dt), torch.randn(2, 3, 5, dtype=dt), dname))
    # Conv2d
    convs = [
        ("conv2d", [2, 3, 3], {}),
        ("conv2d_s2_p1", [2, 4, 3], {"stride": 2, "padding": 1}),
        ("conv2d_rect_dil", [2, 3, [3, 2]], {"padding": [2, 1], "dilation": [2, 1]}),
        ("conv2d_groups_nobias", [4, 6, 3], {"groups": 2, "bias": False, "padding": 1}),
        ("conv2d_same", [2, 3, 4], {"padding": "same"}),
        ("conv2d_reflect", [2, 3, 3], {"padding": 1, "paddingMode": "reflect"}),
        ("conv2d_circular", [2, 3, 3], {"padding": [1, 2], "paddingMode": "circular"}),
    ]
    for name, args, opts in convs:
        torch_kw = {({"paddingMode": "padding_mode"}).get(k, k): v for k, v in opts.items()}
        m = nn.Conv2d(*args, **torch_kw).to(dt)
        x = torch.randn(2, args[0], 7, 6, dtype=dt)
        c.append(simple(name + sfx, "Conv2d", {"args": args, **opts}, m, x, dname))
    # ConvTranspose2d
    convts = [
        ("convT2d", [3, 2, 3], {}),
        ("convT2d_s2_p1", [3, 2, 4], {"stride": 2, "padding": 1}),
        ("convT2d_outpad", [2, 3, 3], {"stride": 2, "padding": 1, "outputPadding": 1}),
        ("convT2d_groups_dil_nobias", [4, 2, [3, 2]], {"groups": 2, "dilation": [1, 2], "bias": False}),
    ]
    for name, args, opts in convts:
        torch_kw = {({"outputPadding": "output_padding"}).get(k, k): v for k, v in opts.items()}
        m = nn.ConvTranspose2d(*args, **torch_kw).to(dt)
        x = torch.randn(2, args[0], 4, 5, dtype=dt)
        c.append(simple(name + sfx, "ConvTranspose2d", {"args": args, **opts}, m, x, dname))
    # Embedding
    m = nn.Embedding(7, 3, padding_idx=2).to(dt)
    idx = torch.tensor([[0, 2, 5, 2], [6, 1, 1, 3]])
    c.append(module_case("embedding_pad" + sfx, "Embedding", {"args": [7, 3], "paddingIdx": 2}, m, {"x": idx}, lambda mod, inp: {"y": mod(inp["x"])}, dname))
    # LayerNorm
    c.append(simple("layernorm" + sfx, "LayerNorm", {"args": [6]}, randomize(nn.LayerNorm(6).to(dt)), torch.randn(3, 4, 6, dtype=dt), dname))
    c.append(simple("layernorm_2d_eps" + sfx, "LayerNorm", {"args": [[3, 4]], "eps": 1e-3}, randomize(nn.LayerNorm([3, 4], eps=1e-3).to(dt)), torch.randn(2, 3, 4, dtype=dt), dname))
    c.append(simple("layernorm_noaffine" + sfx, "LayerNorm", {"args": [5], "elementwiseAffine": False}, nn.LayerNorm(5, elementwise_affine=False).to(dt), torch.randn(4, 5, dtype=dt) * 3 + 1, dname))
    # Activations
    x = torch.randn(3, 7, dtype=dt) * 2
    x[0, 0] = 0.0
    acts = [
        ("ReLU", [], nn.ReLU()), ("LeakyReLU", [0.2], nn.LeakyReLU(0.2)), ("ELU", [0.7], nn.ELU(0.7)),
        ("GELU", [], nn.GELU()), ("GELU", ["tanh"], nn.GELU(approximate="tanh")), ("Tanh", [], nn.Tanh()),
        ("Sigmoid", [], nn.Sigmoid()), ("Softplus", [2, 5], nn.Softplus(beta=2, threshold=5)),
        ("Softmax", [1], nn.Softmax(dim=1)), ("LogSoftmax", [-1], nn.LogSoftmax(dim=-1)),
        ("Flatten", [], nn.Flatten()), ("Identity", [], nn.Identity()),
    ]
    for kind, args, m in acts:
        c.append(simple(f"act_{kind}{'_' + '_'.join(map(str, args)) if args else ''}{sfx}", kind, {"args": args}, m, x.clone(), dname))
    c.append(simple("flatten_4d" + sfx, "Flatten", {"args": []}, nn.Flatten(), torch.randn(2, 3, 2, 2, dtype=dt), dname))
    # Pooling
    c.append(simple("maxpool2d" + sfx, "MaxPool2d", {"args": [2]}, nn.MaxPool2d(2), torch.randn(2, 3, 6, 6, dtype=dt), dname))
    c.append(simple("avgpool2d_s1_p1" + sfx, "AvgPool2d", {"args": [3], "stride": 1, "padding": 1}, nn.AvgPool2d(3, stride=1, padding=1), torch.randn(2, 2, 5, 5, dtype=dt), dname))
    return c


def randomize(module):
    """Non-trivial affine parameters, so their gradients are tested for real."""
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.randn_like(p))
    return module


def batchnorm_cases(dt=torch.float32):
    dname = "float64" if dt == torch.float64 else "float32"
    sfx = "_f64" if dt == torch.float64 else ""
    cases = []
    specs = [
        ("bn1d_2d", nn.BatchNorm1d, (6, 3), {}),
        ("bn1d_3d", nn.BatchNorm1d, (4, 3, 5), {}),
        ("bn2d", nn.BatchNorm2d, (4, 3, 3, 2), {}),
        ("bn2d_mom_none", nn.BatchNorm2d, (3, 2, 2, 2), {"momentum": None}),
        ("bn1d_noaffine_mom03_eps", nn.BatchNorm1d, (5, 4), {"affine": False, "momentum": 0.3, "eps": 1e-3}),
        ("bn2d_notrack", nn.BatchNorm2d, (3, 2, 3, 3), {"track_running_stats": False}),
    ]
    torch.manual_seed(99)
    for name, cls, shape, kw in specs:
        C = shape[1]
        for mode in ("train", "eval"):
            m = cls(C, **kw).to(dt)
            if m.affine:
                randomize(m)
            if m.track_running_stats:
                with torch.no_grad():
                    m.running_mean.copy_(torch.randn(C))
                    m.running_var.copy_(torch.rand(C) + 0.5)
                    m.num_batches_tracked.fill_(3)
            m.train(mode == "train")
            warm = torch.randn(*shape, dtype=dt) * 2 + 1
            params_before = {n: enc(p) for n, p in m.state_dict().items()}
            if mode == "train":
                m(warm)  # one step more first: the running stats must follow over several steps
            x = torch.randn(*shape, dtype=dt) * 1.5 - 0.5
            case = module_case(f"{name}_{mode}{sfx}", cls.__name__, {"args": [C], **{to_camel(k): v for k, v in kw.items()}, "training": mode == "train"},
                               m, {"x": x}, lambda mod, inp: {"y": mod(inp["x"])}, dname)
            case["params"] = params_before
            case["warmup"] = enc(warm) if mode == "train" else None
            cases.append(case)
    return cases


def to_camel(s):
    head, *rest = s.split("_")
    return head + "".join(w.capitalize() for w in rest)


# ----------------------------------------------------------------------------------------
# Losses
# ----------------------------------------------------------------------------------------

def loss_case(name, fn, config, inputs, differentiable, dtype):
    for k in differentiable:
        inputs[k].requires_grad_(True)
    out = fn(**inputs)
    g = torch.randn_like(out)
    (out * g).sum().backward()
    return {
        "name": name, "loss": config["loss"], "config": config, "dtype": dtype,
        "inputs": {k: enc(v) for k, v in inputs.items()},
        "output": enc(out), "gradOutput": enc(g),
        "grads": {k: enc(inputs[k].grad) for k in differentiable},
    }


def loss_cases(dt=torch.float32):
    dname = "float64" if dt == torch.float64 else "float32"
    sfx = "_f64" if dt == torch.float64 else ""
    torch.manual_seed(7 if dt == torch.float32 else 77)
    cases = []
    N, C = 6, 5
    for red in ("mean", "sum", "none"):
        for weighted in (False, True):
            for ignore in (False, True):
                for ls in (0.0, 0.15):
                    for spatial in (False, True):
                        shape = (N, C, 2, 3) if spatial else (N, C)
                        x = torch.randn(*shape, dtype=dt) * 2
                        tshape = (N, 2, 3) if spatial else (N,)
                        t = torch.randint(0, C, tshape)
                        ignore_index = 3 if ignore else -100
                        w = torch.rand(C, dtype=dt) + 0.3 if weighted else None
                        kw = {"reduction": red, "label_smoothing": ls, "ignore_index": ignore_index}
                        cfg = {"loss": "crossEntropy", "reduction": red, "labelSmoothing": ls, "ignoreIndex": ignore_index}
                        inputs = {"input": x, "target": t}
                        if weighted:
                            inputs["weight"] = w
                        name = f"ce_{red}{'_w' if weighted else ''}{'_ign' if ignore else ''}{'_ls' if ls else ''}{'_4d' if spatial else ''}{sfx}"
                        cases.append(loss_case(name, lambda input, target, weight=None, kw=kw: F.cross_entropy(input, target, weight=weight, **kw), cfg, inputs, ["input"], dname))
                        if ls == 0.0:
                            cfg2 = {"loss": "nllLoss", "reduction": red, "ignoreIndex": ignore_index}
                            inputs2 = {"input": torch.randn(*shape, dtype=dt).log_softmax(1), "target": t}
                            if weighted:
                                inputs2["weight"] = w
                            cases.append(loss_case(name.replace("ce_", "nll_"), lambda input, target, weight=None, red=red, ii=ignore_index: F.nll_loss(input, target, weight=weight, reduction=red, ignore_index=ii), cfg2, inputs2, ["input"], dname))
    # class-probability targets
    for red in ("mean", "sum", "none"):
        for ls in (0.0, 0.2):
            for weighted in (False, True):
                x = torch.randn(N, C, dtype=dt)
                p = torch.rand(N, C, dtype=dt).softmax(1)
                inputs = {"input": x, "target": p}
                if weighted:
                    inputs["weight"] = torch.rand(C, dtype=dt) + 0.3
                cfg = {"loss": "crossEntropy", "reduction": red, "labelSmoothing": ls}
                cases.append(loss_case(f"ce_probs_{red}{'_ls' if ls else ''}{'_w' if weighted else ''}{sfx}",
                                       lambda input, target, weight=None, red=red, ls=ls: F.cross_entropy(input, target, weight=weight, reduction=red, label_smoothing=ls),
                                       cfg, inputs, ["input", "target"], dname))
    # binary
    for red in ("mean", "sum", "none"):
        for pw in (False, True):
            for weighted in (False, True):
                x = torch.randn(4, 3, dtype=dt) * 4
                x[0, 0] = 0.0
                x[0, 1] = 30.0
                x[0, 2] = -30.0
                y = torch.rand(4, 3, dtype=dt)
                y[1] = (y[1] > 0.5).to(dt)
                inputs = {"input": x, "target": y}
                if weighted:
                    inputs["weight"] = torch.rand(4, 3, dtype=dt) + 0.5
                if pw:
                    inputs["posWeight"] = torch.rand(3, dtype=dt) * 3
                cfg = {"loss": "bceWithLogits", "reduction": red}
                cases.append(loss_case(f"bcelogits_{red}{'_pw' if pw else ''}{'_w' if weighted else ''}{sfx}",
                                       lambda input, target, weight=None, posWeight=None, red=red: F.binary_cross_entropy_with_logits(input, target, weight=weight, pos_weight=posWeight, reduction=red),
                                       cfg, inputs, ["input", "target"], dname))
        for weighted in (False, True):
            p = torch.rand(4, 3, dtype=dt) * 0.98 + 0.01
            y = torch.rand(4, 3, dtype=dt)
            inputs = {"input": p, "target": y}
            if weighted:
                inputs["weight"] = torch.rand(4, 3, dtype=dt) + 0.5
            cases.append(loss_case(f"bce_{red}{'_w' if weighted else ''}{sfx}",
                                   lambda input, target, weight=None, red=red: F.binary_cross_entropy(input, target, weight=weight, reduction=red),
                                   {"loss": "binaryCrossEntropy", "reduction": red}, inputs, ["input", "target"], dname))
    # regression
    for red in ("mean", "sum", "none"):
        x = torch.randn(3, 4, dtype=dt) * 2
        y = torch.randn(3, 4, dtype=dt) * 2
        y[0, 0] = x[0, 0]
        regs = [
            ("mse", {}, lambda input, target, red=red: F.mse_loss(input, target, reduction=red)),
            ("l1", {}, lambda input, target, red=red: F.l1_loss(input, target, reduction=red)),
            ("smoothL1", {"beta": 1.0}, lambda input, target, red=red: F.smooth_l1_loss(input, target, reduction=red, beta=1.0)),
            ("smoothL1", {"beta": 0.5}, lambda input, target, red=red: F.smooth_l1_loss(input, target, reduction=red, beta=0.5)),
            ("smoothL1", {"beta": 0.0}, lambda input, target, red=red: F.smooth_l1_loss(input, target, reduction=red, beta=0.0)),
            ("huber", {"delta": 1.5}, lambda input, target, red=red: F.huber_loss(input, target, reduction=red, delta=1.5)),
        ]
        for loss, opts, fn in regs:
            cases.append(loss_case(f"{loss}{'_' + '_'.join(f'{k}{v}' for k, v in opts.items()) if opts else ''}_{red}{sfx}", fn,
                                   {"loss": loss, "reduction": red, **opts}, {"input": x.clone(), "target": y.clone()}, ["input", "target"], dname))
        # VAE KL: −½ Σ (1 + logvar − μ² − e^logvar), per sample; mean = batch mean
        mu = torch.randn(4, 3, dtype=dt)
        logvar = torch.randn(4, 3, dtype=dt) * 0.5

        def kl(mu, logvar, red=red):
            per = -0.5 * (1 + logvar - mu.pow(2) - logvar.exp()).sum(1)
            return per if red == "none" else per.sum() if red == "sum" else per.mean()
        cases.append(loss_case(f"klDivergence_{red}{sfx}", kl, {"loss": "klDivergence", "reduction": red}, {"mu": mu, "logvar": logvar}, ["mu", "logvar"], dname))
    for red in ("mean", "sum", "none", "batchmean"):
        for log_target in (False, True):
            x = torch.randn(3, 4, dtype=dt).log_softmax(1)
            t = torch.rand(3, 4, dtype=dt).softmax(1)
            t[0, 1] = 0.0
            if log_target:
                t = torch.randn(3, 4, dtype=dt).log_softmax(1)
            cases.append(loss_case(f"klDiv_{red}{'_logt' if log_target else ''}{sfx}",
                                   lambda input, target, red=red, lt=log_target: F.kl_div(input, target, reduction=red, log_target=lt),
                                   {"loss": "klDiv", "reduction": red, "logTarget": log_target}, {"input": x, "target": t}, ["input"], dname))
    return cases


# ----------------------------------------------------------------------------------------
# Module tree names, clipping
# ----------------------------------------------------------------------------------------

class Net(nn.Module):
    """A model with every kind of registration: nested Sequential, ModuleList, buffers, absent biases."""

    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(10, 4, padding_idx=0)
        self.lstm = nn.LSTM(4, 5, num_layers=2, bidirectional=True, batch_first=True)
        self.convs = nn.Sequential(nn.Conv2d(1, 2, 3, bias=False), nn.BatchNorm2d(2), nn.ReLU(), nn.Flatten(), nn.Linear(8, 3))
        self.heads = nn.ModuleList([nn.Linear(10, 2), nn.LayerNorm(2), nn.Sequential(nn.GRU(2, 3), nn.Dropout(0.1))])
        self.bn = nn.BatchNorm1d(3, affine=False)
        self.cell = nn.GRUCell(3, 2, bias=False)
        self.deconv = nn.ConvTranspose2d(2, 1, 2)
        self.rnn = nn.RNN(2, 2, nonlinearity="relu", bias=False)


def names_case():
    m = Net()
    return {
        "namedParameters": [[n, list(p.shape)] for n, p in m.named_parameters()],
        "stateDict": [[n, list(t.shape)] for n, t in m.state_dict().items()],
        "namedBuffers": [[n, list(t.shape)] for n, t in m.named_buffers()],
        "namedModules": [[n, type(mm).__name__] for n, mm in m.named_modules()],
    }


def clip_cases():
    torch.manual_seed(5)
    cases = []
    for norm_type in (2.0, 1.0, float("inf"), 3.0):
        for max_norm in (0.5, 100.0):
            ps = [torch.randn(3, 4, requires_grad=True), torch.randn(5, requires_grad=True)]
            for p in ps:
                p.grad = torch.randn_like(p) * 2
            before = [enc(p.grad) for p in ps]
            total = torch.nn.utils.clip_grad_norm_(ps, max_norm, norm_type=norm_type)
            cases.append({"normType": "inf" if norm_type == float("inf") else norm_type, "maxNorm": max_norm, "grads": before,
                          "clipped": [enc(p.grad) for p in ps], "total": float(total)})
    return cases


def write(name, obj):
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        json.dump(obj, f, separators=(",", ":"))
    print(f"{name}: {os.path.getsize(path) / 1024:.0f} KiB")


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.set_num_threads(1)
    meta = {"torch": torch.__version__}
    f64 = [
        recurrent_case("lstm", 2, True, True, True, True, True, dtype=torch.float64, tag="_f64"),
        recurrent_case("gru", 3, True, False, True, True, True, dtype=torch.float64, tag="_f64"),
        recurrent_case("rnn_tanh", 2, True, True, False, True, True, dtype=torch.float64, tag="_f64"),
        recurrent_case("rnn_relu", 1, False, False, True, False, True, dtype=torch.float64, tag="_f64"),
        recurrent_case("lstm", 1, False, False, True, False, False, dtype=torch.float64, I=8, H=16, T=12, B=6, tag="_f64_wide"),
    ]
    write("recurrent.json", {**meta, "cases": recurrent_cases() + f64})
    write("cells.json", {**meta, "cases": cell_cases() + cell_cases(torch.float64)})
    write("layers.json", {**meta, "cases": layer_cases() + layer_cases(torch.float64) + batchnorm_cases() + batchnorm_cases(torch.float64)})
    write("losses.json", {**meta, "cases": loss_cases() + loss_cases(torch.float64)})
    write("modules.json", {**meta, "names": names_case(), "clip": clip_cases()})


if __name__ == "__main__":
    sys.exit(main())
