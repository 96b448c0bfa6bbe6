#!/usr/bin/python3
"""PyTorch parity fixtures for nnzoo's ops. Regenerate with: /usr/bin/python3 tools/gen_op_fixtures.py

Writes test/fixtures/ops/<family>.json (read by test/core/parity.test.ts, which needs no
PyTorch). Each case holds the inputs, the op's arguments in nnzoo's spelling, PyTorch's
outputs, a random upstream gradient for every differentiable output, and PyTorch's
gradients of the inputs for that upstream gradient.

Fixture format (one JSON object per file: {"generator", "torch", "cases": [...]}):
  case = {name, op, args, inputs: [arr & {grad}], outputs: [arr], upstream: [arr|null],
          grads: [arr|null], longSum?: true, reference?: "float64"}
  upstream/grads appear only for cases with a backward pass; longSum and reference are
  explained at case() below.
  arr  = {dtype: "float32"|"float64"|"int32", shape: [...], data: [flat, row-major]}
Dtypes are nnzoo's: PyTorch's bool masks become float32 0/1 and int64 becomes int32
(docs/architecture.md). Non-finite numbers are written as the strings "Infinity",
"-Infinity", "NaN". float32 numbers are written as the shortest decimal that rounds back
to the same float32 (checked here: parse as a double, round to float32 — what
Float32Array does); float64 numbers as Python's repr, which round-trips exactly.

Deterministic: one seed, one thread (so PyTorch's reduction order does not depend on the
machine), cases generated in a fixed order.
"""

import json
import math
import os
import random
import sys
import warnings

import numpy as np
import torch
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)
warnings.filterwarnings("ignore", message="Using padding='same'")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "test", "fixtures", "ops")

SHAPES = random.Random(1234)  # draws the random shapes and dims (torch draws the values)

F32, F64 = "float32", "float64"
FLOATS = (F32, F64)
TORCH_DTYPE = {F32: torch.float32, F64: torch.float64, "int32": torch.int32}

# ---------------------------------------------------------------------------------------
# Number formatting


def fmt_number(x, dtype):
    if dtype == "int32":
        return int(x)
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if dtype == F32:
        short = str(np.float32(x))  # shortest decimal that parses back to this float32
        if np.float32(float(short)) == np.float32(x):  # double parse, then round: what JS does
            return Raw(short)
    return x


class Raw:
    """A number written with a chosen spelling."""

    def __init__(self, text):
        self.text = text


def dump(obj):
    """Compact JSON that writes Raw numbers as spelled (json.dumps would repr every float)."""
    if isinstance(obj, Raw):
        return obj.text
    if isinstance(obj, dict):
        return "{" + ",".join(json.dumps(k) + ":" + dump(v) for k, v in obj.items()) + "}"
    if isinstance(obj, (list, tuple)):
        return "[" + ",".join(dump(v) for v in obj) + "]"
    return json.dumps(obj, allow_nan=False)


def nnzoo_dtype(t):
    if t.dtype == torch.bool:
        return F32  # comparisons give float32 masks in nnzoo
    if t.dtype in (torch.int64, torch.int32):
        return "int32"
    if t.dtype == torch.float32:
        return F32
    if t.dtype == torch.float64:
        return F64
    raise ValueError(f"unexpected dtype {t.dtype}")


def arr(t):
    dt = nnzoo_dtype(t)
    flat = t.detach().reshape(-1)
    if t.dtype == torch.bool:
        flat = flat.to(torch.float32)
    vals = flat.tolist()
    return {"dtype": dt, "shape": list(t.shape), "data": [fmt_number(v, dt) for v in vals]}


# ---------------------------------------------------------------------------------------
# Input specs: base data is generated once (float64 or int64) and cast per case dtype.


class In:
    def __init__(self, base, grad=True, dtype=None, kind="float"):
        self.base = base
        self.grad = grad
        self.dtype = dtype  # fixed dtype overriding the case dtype
        self.kind = kind  # "float" (follows the case dtype) or "index" (int32, never grad)

    def make(self, case_dtype):
        if self.kind == "index":
            return self.base.to(torch.int64)  # PyTorch's index dtype; written as int32
        dt = self.dtype or case_dtype
        t = self.base.to(TORCH_DTYPE[dt]).clone().detach()
        if self.grad and dt != "int32":
            t.requires_grad_(True)
        return t


def randn(*shape, scale=1.0, shift=0.0):
    return torch.randn(shape, dtype=torch.float64) * scale + shift


def unif(lo, hi, *shape):
    return torch.rand(shape, dtype=torch.float64) * (hi - lo) + lo


def away(lo, hi, *shape):
    """Uniform magnitudes in [lo, hi) with random signs (keeps away from zero)."""
    sign = torch.randint(0, 2, shape).to(torch.float64) * 2 - 1
    return unif(lo, hi, *shape) * sign


def ints(lo, hi, *shape):
    return torch.randint(lo, hi, shape).to(torch.float64)


def idx(lo, hi, *shape):
    return torch.randint(lo, hi, shape)


def random_shape(max_ndim=4, lo=1, hi=4):
    return [SHAPES.randint(lo, hi) for _ in range(SHAPES.randint(1, max_ndim))]


def random_broadcast_pair():
    """Two shapes that broadcast: each dim is shared, or 1 on one side; leading dims dropped from one."""
    full = random_shape(lo=2)
    a, b = [], []
    for d in full:
        r = SHAPES.random()
        a.append(1 if r < 0.25 else d)
        b.append(1 if 0.25 <= r < 0.5 else d)
    b = b[SHAPES.randint(0, len(b) - 1):]
    return (a, b) if SHAPES.random() < 0.5 else (b, a)


def sh(shape):
    return "[" + ",".join(str(d) for d in shape) + "]"


def X(*shape, **kw):
    return In(randn(*shape, **kw))


def I(t):
    if not isinstance(t, torch.Tensor):
        t = torch.tensor(t)
    return In(t, grad=False, kind="index")


# ---------------------------------------------------------------------------------------
# Case builder

FAMILIES = {}
NAMES = set()


def case(family, op, desc, inputs, fn, args=None, dtypes=FLOATS, grad=True, long_sum=False, ref64=False):
    """Adds one case per dtype: fn(*torch_inputs) is PyTorch's twin of nnzoo's `op` with `args`.

    long_sum: the outputs or gradients are sums of ≥ 64 terms; PyTorch accumulates float32
      sums in float32, so the float32 test allows 3e-6 instead of 1e-6.
    ref64: for float32, PyTorch runs in float64 on the (exact) float32 inputs and upstream
      gradient and its results are rounded to float32 — for cases where PyTorch's own
      float32 arithmetic is ill-conditioned (the reason is in the case's comment).
    """
    for dt in dtypes:
        tins = [spec.make(dt) for spec in inputs]
        wide = dt == F32 and ref64
        runs = [t.detach().double().requires_grad_(t.requires_grad) if wide and t.is_floating_point() else t for t in tins]
        out = fn(*runs)
        outs = list(out) if isinstance(out, (tuple, list)) else [out]
        narrow = (lambda t: t.float() if t.dtype == torch.float64 else t) if wide else (lambda t: t)
        name = f"{op}: {desc} [{dt}]"
        assert name not in NAMES, name
        NAMES.add(name)
        c = {"name": name, "op": op, "args": args or {}}
        if long_sum:
            c["longSum"] = True
        if wide:
            c["reference"] = "float64"
        c["inputs"] = [dict(arr(t), grad=bool(t.requires_grad)) for t in tins]
        c["outputs"] = [arr(narrow(o)) for o in outs]
        needs = [o.requires_grad for o in outs]
        if grad and any(needs):
            ups = [torch.randn(o.shape, dtype=narrow(o).dtype) if n else None for o, n in zip(outs, needs)]
            torch.autograd.backward([o for o, n in zip(outs, needs) if n], [u.to(o.dtype) for o, u in zip(outs, ups) if u is not None])
            c["upstream"] = [arr(u) if u is not None else None for u in ups]
            grads = []
            for t in runs:
                if not t.requires_grad:
                    grads.append(None)
                else:
                    g = t.grad if t.grad is not None else torch.zeros_like(t)
                    grads.append(arr(narrow(g)))
            c["grads"] = grads
        FAMILIES.setdefault(family, []).append(c)


# ---------------------------------------------------------------------------------------
# Element-wise binary ops


def binary_cases():
    fam = "elementwise"
    ops = {
        "add": torch.add,
        "sub": torch.sub,
        "mul": torch.mul,
        "div": torch.div,
        "maximum": torch.maximum,
        "minimum": torch.minimum,
    }
    for op, fn in ops.items():
        rhs = (lambda *s: In(away(0.5, 2.0, *s))) if op == "div" else (lambda *s: X(*s))
        case(fam, op, "same shape [3,4]", [X(3, 4), rhs(3, 4)], fn)
        case(fam, op, "broadcast [2,1,4] with [3,1]", [X(2, 1, 4), rhs(3, 1)], fn)
        case(fam, op, "broadcast [1,5] with [4,1]", [X(1, 5), rhs(4, 1)], fn)
        case(fam, op, "0-d with [2,3]", [X(), rhs(2, 3)], fn)
        case(fam, op, "[2,3] with 0-d", [X(2, 3), rhs()], fn)
        case(fam, op, "number operand 1.75", [X(2, 3)], lambda a, fn=fn: fn(a, torch.tensor(1.75, dtype=a.dtype)), {"other": 1.75})
        case(fam, op, "number operand -0.5 on [4]", [X(4)], lambda a, fn=fn: fn(a, torch.tensor(-0.5, dtype=a.dtype)), {"other": -0.5})
        for _ in range(2):
            sa, sb = random_broadcast_pair()
            case(fam, op, f"random shapes {sh(sa)} with {sh(sb)}", [X(*sa), rhs(*sb)], fn)
        if op != "div":
            case(fam, op, "int32 broadcast [3,4] with [4]", [In(ints(-5, 6, 3, 4)), In(ints(-5, 6, 4))], fn, dtypes=("int32",))
    # Ties: maximum/minimum split the gradient half and half where a == b.
    for op, fn in (("maximum", torch.maximum), ("minimum", torch.minimum)):
        case(fam, op, "ties (integer values) [3,4] with [4]", [In(ints(-1, 2, 3, 4)), In(ints(-1, 2, 4))], fn)
    case(fam, "div", "int32 / int32 gives float32", [In(ints(-5, 6, 3, 4)), In(torch.tensor([1.0, -2.0, 3.0, 4.0]))], torch.div, dtypes=("int32",))
    case(fam, "div", "int32 / number 2 gives float32", [In(ints(-5, 6, 2, 3))], lambda a: torch.div(a, 2), {"other": 2}, dtypes=("int32",))
    case(fam, "mul", "int32 * number 0.5 gives float32", [In(ints(-5, 6, 2, 3))], lambda a: torch.mul(a, 0.5), {"other": 0.5}, dtypes=("int32",))
    case(fam, "add", "int32 + number 3 stays int32", [In(ints(-5, 6, 2, 3))], lambda a: torch.add(a, 3), {"other": 3}, dtypes=("int32",))
    case(fam, "div", "number operand 3 (divide by scalar)", [X(2, 3)], lambda a: torch.div(a, torch.tensor(3.0, dtype=a.dtype)), {"other": 3})
    # Mixed dtypes promote (int32 < float32 < float64); gradients come back in each input's dtype.
    case(fam, "mul", "float32 [3,4] times float64 [4] promotes", [In(randn(3, 4), dtype=F32), In(randn(4), dtype=F64)], torch.mul, dtypes=("mixed",))
    case(fam, "add", "int32 [3,4] plus float32 [4] promotes", [In(ints(-3, 4, 3, 4), dtype="int32"), In(randn(4), dtype=F32)], torch.add, dtypes=("mixed",))
    case(fam, "sub", "float64 [2,1] minus float32 [3] promotes", [In(randn(2, 1), dtype=F64), In(randn(3), dtype=F32)], torch.sub, dtypes=("mixed",))

    # pow with a tensor exponent (positive base so the exponent has a gradient).
    case(fam, "pow", "tensor exponent broadcast [3,4] ** [4]", [In(unif(0.5, 2.0, 3, 4)), X(4)], torch.pow)
    case(fam, "pow", "tensor exponent [2,1,3] ** [2,1]", [In(unif(0.2, 3.0, 2, 1, 3)), X(2, 1)], torch.pow)
    # Base 0 and exponent 0: PyTorch masks the base gradient where b == 0 and the exponent gradient where a == 0 and b >= 0.
    case(fam, "pow", "zero base and zero exponent", [In(torch.tensor([0.0, 0.0, 1.5, 2.0, 0.5, 0.0])), In(torch.tensor([0.0, 2.0, 0.0, 1.5, -1.0, 1.0]))], torch.pow)
    for p in (2, 3, -2, 0.5, 2.5, -1.5, 0, 1):
        base = unif(0.3, 2.0, 3, 4) if (p != int(p) or p < 0) else randn(3, 4)
        if p < 0 and p == int(p):
            base = away(0.4, 2.0, 3, 4)  # negative integer power of a negative base is fine
        case(fam, "pow", f"number exponent {p}", [In(base)], lambda a, p=p: torch.pow(a, p), {"exponent": p})
    case(fam, "pow", "int32 number exponent 2", [In(ints(-4, 5, 2, 3))], lambda a: torch.pow(a, 2), {"exponent": 2}, dtypes=("int32",))
    case(fam, "pow", "int32 number exponent 3", [In(ints(-4, 5, 2, 3))], lambda a: torch.pow(a, 3), {"exponent": 3}, dtypes=("int32",))

    # Comparisons: forward only; integer values so equal pairs occur.
    for op, fn in (("eq", torch.eq), ("ne", torch.ne), ("lt", torch.lt), ("le", torch.le), ("gt", torch.gt), ("ge", torch.ge)):
        a, b = ints(-1, 2, 3, 4), ints(-1, 2, 4)
        case(fam, op, "broadcast [3,4] with [4] (with ties)", [In(a, grad=False), In(b, grad=False)], fn, dtypes=(F32, F64, "int32"), grad=False)
        case(fam, op, "number operand 0 on [2,3]", [In(ints(-1, 2, 2, 3), grad=False)], lambda x, fn=fn: fn(x, 0), {"other": 0}, dtypes=(F32, F64, "int32"), grad=False)
        case(fam, op, "random floats [2,1,3] with [4,1]", [In(randn(2, 1, 3), grad=False), In(randn(4, 1), grad=False)], fn, grad=False)

    # where(cond, a, b): cond is a 0/1 mask (nnzoo: any nonzero is true).
    mask34 = (torch.rand(3, 4) > 0.5).to(torch.float64)
    mask31 = (torch.rand(3, 1) > 0.5).to(torch.float64)
    mask31[0, 0], mask31[1, 0] = 1.0, 0.0
    for _ in range(2):
        sa, sb = random_broadcast_pair()
        sc = [d if SHAPES.random() > 0.5 else 1 for d in (sa if len(sa) >= len(sb) else sb)]
        cond = (torch.rand(sc) > 0.5).to(torch.float64)
        case(fam, "where", f"random shapes cond {sh(sc)}, a {sh(sa)}, b {sh(sb)}", [In(cond, grad=False), X(*sa), X(*sb)], lambda c, a, b: torch.where(c.bool(), a, b))
    case(fam, "where", "cond [3,4], a [3,4], b [4]", [In(mask34, grad=False), X(3, 4), X(4)], lambda c, a, b: torch.where(c.bool(), a, b))
    case(fam, "where", "cond [3,1] broadcasts with a [2,1,4] and b [4]", [In(mask31, grad=False), X(2, 1, 4), X(4)], lambda c, a, b: torch.where(c.bool(), a, b))
    case(fam, "where", "number b = 0", [In(mask34, grad=False), X(3, 4)], lambda c, a: torch.where(c.bool(), a, torch.tensor(0.0, dtype=a.dtype)), {"b": 0})
    case(fam, "where", "number a = -1.5", [In(mask31, grad=False), X(3, 4)], lambda c, b: torch.where(c.bool(), torch.tensor(-1.5, dtype=b.dtype), b), {"a": -1.5})
    case(fam, "where", "int32 values", [In(mask34, grad=False), In(ints(-5, 5, 3, 4)), In(ints(-5, 5, 4))], lambda c, a, b: torch.where(c.bool(), a, b), dtypes=("int32",))


# ---------------------------------------------------------------------------------------
# Element-wise unary ops


def unary_cases():
    fam = "elementwise"
    simple = {
        "neg": (torch.neg, lambda *s: randn(*s)),
        "abs": (torch.abs, lambda *s: randn(*s)),
        "sign": (torch.sign, lambda *s: randn(*s)),
        "exp": (torch.exp, lambda *s: randn(*s, scale=2.0)),
        "log": (torch.log, lambda *s: unif(0.05, 5.0, *s)),
        "log1p": (torch.log1p, lambda *s: unif(-0.7, 4.0, *s)),
        "sqrt": (torch.sqrt, lambda *s: unif(0.05, 5.0, *s)),
        "rsqrt": (torch.rsqrt, lambda *s: unif(0.1, 5.0, *s)),
        "square": (torch.square, lambda *s: randn(*s)),
        "reciprocal": (torch.reciprocal, lambda *s: away(0.3, 3.0, *s)),
        "sin": (torch.sin, lambda *s: randn(*s, scale=3.0)),
        "cos": (torch.cos, lambda *s: randn(*s, scale=3.0)),
        "erf": (torch.erf, lambda *s: randn(*s, scale=1.5)),
        "tanh": (torch.tanh, lambda *s: randn(*s, scale=2.0)),
        "sigmoid": (torch.sigmoid, lambda *s: randn(*s, scale=3.0)),
        "relu": (torch.relu, lambda *s: randn(*s)),
        "gelu": (F.gelu, lambda *s: randn(*s, scale=2.0)),
        "leakyRelu": (F.leaky_relu, lambda *s: randn(*s)),
        "elu": (F.elu, lambda *s: randn(*s, scale=2.0)),
        "softplus": (F.softplus, lambda *s: randn(*s, scale=3.0)),
    }
    for op, (fn, gen) in simple.items():
        case(fam, op, "[2,3,4]", [In(gen(2, 3, 4))], fn)
        case(fam, op, "[5,1] (size-1 dim)", [In(gen(5, 1))], fn)
        case(fam, op, "0-d", [In(gen())], fn)
    # Special points and ranges.
    case(fam, "relu", "exact zeros", [In(torch.tensor([-1.0, 0.0, 2.0, 0.0, -0.0, 3.5]))], torch.relu)
    case(fam, "abs", "exact zeros", [In(torch.tensor([-1.0, 0.0, 2.0, -0.0]))], torch.abs)
    case(fam, "sign", "exact zeros", [In(torch.tensor([-1.0, 0.0, 2.0, -0.0]))], torch.sign)
    case(fam, "leakyRelu", "exact zeros", [In(torch.tensor([-1.0, 0.0, 2.0]))], F.leaky_relu)
    case(fam, "erf", "tails |x| up to 6", [In(torch.tensor([-6.0, -4.0, -3.0, -2.6, -2.4, -0.01, 0.0, 1e-4, 2.4, 2.6, 3.5, 5.0]))], torch.erf)
    # Saturated inputs plus O(1) ones: near |y| = 1 the gradient 1 − y² (or y(1 − y)) loses
    # digits to the float32 rounding of y in any implementation, so the normwise error needs an
    # unsaturated entry to be measured against.
    case(fam, "sigmoid", "saturated |x| up to 40", [In(torch.tensor([-40.0, -20.0, -9.0, 0.0, 0.5, 9.0, 20.0, 40.0]))], torch.sigmoid)
    case(fam, "tanh", "saturated |x| up to 20", [In(torch.tensor([-20.0, -8.0, -3.0, -0.25, 0.5, 3.0, 8.0, 20.0]))], torch.tanh)
    case(fam, "exp", "large and small", [In(torch.tensor([-80.0, -30.0, -1e-3, 0.0, 30.0, 80.0]))], torch.exp)
    case(fam, "log1p", "tiny x", [In(torch.tensor([-1e-6, 1e-8, 1e-4, -0.5, 100.0]))], torch.log1p)
    case(fam, "gelu", "tails", [In(torch.tensor([-12.0, -6.0, -4.0, 4.0, 6.0, 12.0]))], F.gelu)
    case(fam, "leakyRelu", "negativeSlope 0.2", [X(3, 4)], lambda x: F.leaky_relu(x, 0.2), {"negativeSlope": 0.2})
    case(fam, "elu", "alpha 0.5", [X(3, 4, scale=2.0)], lambda x: F.elu(x, 0.5), {"alpha": 0.5})
    case(fam, "softplus", "beta 2, threshold 5 (crosses the threshold)", [X(3, 4, scale=3.0)], lambda x: F.softplus(x, 2.0, 5.0), {"beta": 2, "threshold": 5})
    case(fam, "softplus", "default threshold 20 crossed", [In(torch.tensor([-30.0, -1.0, 19.5, 20.5, 25.0]))], F.softplus)
    bounded = torch.cat([randn(10), torch.tensor([-0.5, 0.75])])
    case(fam, "clamp", "min -0.5 and max 0.75 (values at both bounds)", [In(bounded)], lambda x: torch.clamp(x, -0.5, 0.75), {"min": -0.5, "max": 0.75})
    case(fam, "clamp", "min only", [X(3, 4)], lambda x: torch.clamp(x, min=0.25), {"min": 0.25})
    case(fam, "clamp", "max only (min null)", [X(3, 4)], lambda x: torch.clamp(x, max=-0.25), {"min": None, "max": -0.25})
    # int32: ops that keep ints, and exp (int32 → float32, as PyTorch).
    for op, fn in (("neg", torch.neg), ("abs", torch.abs), ("square", torch.square), ("relu", torch.relu), ("sign", torch.sign)):
        case(fam, op, "int32", [In(ints(-5, 6, 3, 4))], fn, dtypes=("int32",))
    case(fam, "clamp", "int32 min -2 max 3", [In(ints(-5, 6, 3, 4))], lambda x: torch.clamp(x, -2, 3), {"min": -2, "max": 3}, dtypes=("int32",))
    case(fam, "exp", "int32 input gives float32", [In(ints(-3, 4, 2, 3))], torch.exp, dtypes=("int32",))
    case(fam, "sqrt", "int32 input gives float32", [In(ints(0, 10, 2, 3))], torch.sqrt, dtypes=("int32",))
    # dropout in eval mode is the identity (training mode uses nnzoo's own RNG; not compared).
    case(fam, "dropout", "eval mode p=0.5 is the identity", [X(3, 4)], lambda x: F.dropout(x, 0.5, training=False), {"p": 0.5, "training": False})


# ---------------------------------------------------------------------------------------
# Reductions, softmax


# The maximum 1 and the minimum 0 each occur three times (so each gets a third of the gradient).
TIES_ALL = torch.tensor([[1.0, 0, 1, 0.5], [0, 1, 0, 0.25], [0.5, 0.5, 0.75, 0.25]])


def reduce_cases():
    fam = "reduce"
    shp = (2, 3, 4)
    # sum / mean
    for op, fn in (("sum", torch.sum), ("mean", torch.mean)):
        case(fam, op, "all of [2,3,4]", [X(*shp)], fn)
        case(fam, op, "dim 1", [X(*shp)], lambda x, fn=fn: fn(x, 1), {"dim": 1})
        case(fam, op, "dim -1 keepdim", [X(*shp)], lambda x, fn=fn: fn(x, -1, keepdim=True), {"dim": -1, "keepdim": True})
        case(fam, op, "dims [0,2]", [X(*shp)], lambda x, fn=fn: fn(x, (0, 2)), {"dim": [0, 2]})
        case(fam, op, "dims [-1,0] keepdim", [X(*shp)], lambda x, fn=fn: fn(x, (-1, 0), keepdim=True), {"dim": [-1, 0], "keepdim": True})
        case(fam, op, "size-1 dim of [3,1,2]", [X(3, 1, 2)], lambda x, fn=fn: fn(x, 1), {"dim": 1})
        case(fam, op, "0-d", [X()], fn)
        case(fam, op, "long row [2,96] dim 1", [X(2, 96)], lambda x, fn=fn: fn(x, 1), {"dim": 1}, long_sum=True)
    for op, fn in (("sum", torch.sum), ("mean", torch.mean), ("amax", torch.amax), ("amin", torch.amin), ("logsumexp", torch.logsumexp)):
        for _ in range(2):
            shape = random_shape()
            d = -SHAPES.randint(1, len(shape))
            keep = SHAPES.random() < 0.5
            case(fam, op, f"random shape {sh(shape)} dim {d}{' keepdim' if keep else ''}", [X(*shape)], lambda x, fn=fn, d=d, k=keep: fn(x, d, keepdim=k), {"dim": d, "keepdim": keep})
    for op, fn in (("softmax", torch.softmax), ("logSoftmax", torch.log_softmax)):
        for _ in range(2):
            shape = random_shape()
            d = -SHAPES.randint(1, len(shape))
            case(fam, op, f"random shape {sh(shape)} dim {d}", [X(*shape)], lambda x, fn=fn, d=d: fn(x, d), {"dim": d})
    case(fam, "sum", "int32 all", [In(ints(-9, 10, 3, 4))], torch.sum, dtypes=("int32",))
    case(fam, "sum", "int32 dim 0", [In(ints(-9, 10, 3, 4))], lambda x: torch.sum(x, 0), {"dim": 0}, dtypes=("int32",))
    case(fam, "mean", "int32 all gives float32", [In(ints(-9, 10, 3, 4))], lambda x: torch.mean(x.to(torch.float32)), dtypes=("int32",))

    # var / std: unbiased (correction 1, the default) and correction 0.
    for op, fn in (("var", torch.var), ("std", torch.std)):
        case(fam, op, "all, unbiased", [X(*shp)], fn)
        case(fam, op, "all, correction 0", [X(*shp)], lambda x, fn=fn: fn(x, unbiased=False), {"options": {"correction": 0}})
        case(fam, op, "dim 1, unbiased", [X(*shp)], lambda x, fn=fn: fn(x, 1), {"dim": 1})
        case(fam, op, "dim -1, unbiased false, keepdim", [X(*shp)], lambda x, fn=fn: fn(x, -1, unbiased=False, keepdim=True), {"dim": -1, "options": {"unbiased": False, "keepdim": True}})
        case(fam, op, "dims [0,2], correction 0", [X(*shp)], lambda x, fn=fn: fn(x, (0, 2), unbiased=False), {"dim": [0, 2], "options": {"correction": 0}})
        case(fam, op, "dims [0,-1] keepdim, correction 1", [X(*shp)], lambda x, fn=fn: fn(x, (0, -1), unbiased=True, keepdim=True), {"dim": [0, -1], "options": {"correction": 1, "keepdim": True}})
        case(fam, op, "offset data (mean 5)", [X(4, 6, shift=5.0)], lambda x, fn=fn: fn(x, 1), {"dim": 1})

    # amax / amin (tied maxima share the gradient evenly).
    for op, fn in (("amax", torch.amax), ("amin", torch.amin)):
        case(fam, op, "all", [X(*shp)], lambda x, fn=fn: fn(x, dim=(0, 1, 2)))
        case(fam, op, "dim 1", [X(*shp)], lambda x, fn=fn: fn(x, 1), {"dim": 1})
        case(fam, op, "dims [0,-1] keepdim", [X(*shp)], lambda x, fn=fn: fn(x, (0, -1), keepdim=True), {"dim": [0, -1], "keepdim": True})
        ties = torch.tensor([[2.0, 0, 2, 0, 2, 0], [1, 1, 0, 1, 0, 0], [3, 3, 3, 3, 3, 1]])  # 3-way and 5-way ties
        case(fam, op, "ties over dim -1", [In(ties)], lambda x, fn=fn: fn(x, -1), {"dim": -1})
        case(fam, op, "ties over all", [In(TIES_ALL)], lambda x, fn=fn: fn(x, dim=(0, 1)))
        case(fam, op, "int32 dim 0", [In(ints(-9, 10, 3, 4))], lambda x, fn=fn: fn(x, 0), {"dim": 0}, dtypes=("int32",))

    # max / min: full reduction (ties share evenly) and over a dim (values + int32 indices).
    for op, fn in (("max", torch.max), ("min", torch.min)):
        case(fam, op, "all", [X(*shp)], fn)
        case(fam, op, "all with ties", [In(TIES_ALL)], fn)
        case(fam, op, "dim 1 (values, indices)", [X(*shp)], lambda x, fn=fn: tuple(fn(x, 1)), {"dim": 1})
        case(fam, op, "dim -1 keepdim (values, indices)", [X(*shp)], lambda x, fn=fn: tuple(fn(x, -1, keepdim=True)), {"dim": -1, "keepdim": True})
        case(fam, op, "dim 0 of [1,5] (size-1 dim)", [X(1, 5)], lambda x, fn=fn: tuple(fn(x, 0)), {"dim": 0})
        case(fam, op, "dim 1 with ties (first index wins)", [In(ints(0, 2, 4, 5))], lambda x, fn=fn: tuple(fn(x, 1)), {"dim": 1})
        case(fam, op, "int32 dim 1", [In(ints(-9, 10, 3, 4))], lambda x, fn=fn: tuple(fn(x, 1)), {"dim": 1}, dtypes=("int32",))

    # argmax / argmin: forward only, int32 indices.
    for op, fn in (("argmax", torch.argmax), ("argmin", torch.argmin)):
        dts = (F32, F64, "int32")
        case(fam, op, "all (flattened)", [In(randn(*shp), grad=False)], fn, dtypes=FLOATS, grad=False)
        case(fam, op, "dim 1", [In(randn(*shp), grad=False)], lambda x, fn=fn: fn(x, 1), {"dim": 1}, dtypes=FLOATS, grad=False)
        case(fam, op, "dim -1 keepdim", [In(randn(*shp), grad=False)], lambda x, fn=fn: fn(x, -1, keepdim=True), {"dim": -1, "keepdim": True}, dtypes=FLOATS, grad=False)
        case(fam, op, "dim 0 with ties (first index wins)", [In(ints(0, 2, 5, 4), grad=False)], lambda x, fn=fn: fn(x, 0), {"dim": 0}, dtypes=dts, grad=False)
        case(fam, op, "all with ties", [In(ints(0, 3, 3, 4), grad=False)], fn, dtypes=dts, grad=False)

    # logsumexp
    case(fam, "logsumexp", "all", [X(*shp)], lambda x: torch.logsumexp(x, (0, 1, 2)))
    case(fam, "logsumexp", "dim 1", [X(*shp, scale=3.0)], lambda x: torch.logsumexp(x, 1), {"dim": 1})
    case(fam, "logsumexp", "dims [0,2] keepdim", [X(*shp)], lambda x: torch.logsumexp(x, (0, 2), keepdim=True), {"dim": [0, 2], "keepdim": True})
    # PyTorch's float32 backward is exp(x − lse) with lse rounded to float32 (ulp 6e-5 near 1000),
    # so its float32 gradient is off by up to ~3e-5 relative; the float32 reference is float64.
    case(fam, "logsumexp", "large values (~1000, stability)", [X(3, 5, scale=20.0, shift=1000.0)], lambda x: torch.logsumexp(x, -1), {"dim": -1}, ref64=True)
    neg = randn(3, 4)
    neg[0, 1] = neg[2, 0] = neg[2, 3] = float("-inf")
    case(fam, "logsumexp", "some -Infinity entries", [In(neg)], lambda x: torch.logsumexp(x, -1), {"dim": -1})

    # softmax / logSoftmax
    for op, fn in (("softmax", torch.softmax), ("logSoftmax", torch.log_softmax)):
        case(fam, op, "dim -1 of [2,3,4]", [X(*shp, scale=2.0)], lambda x, fn=fn: fn(x, -1), {"dim": -1})
        case(fam, op, "dim 0", [X(*shp, scale=2.0)], lambda x, fn=fn: fn(x, 0), {"dim": 0})
        case(fam, op, "dim 1", [X(*shp, scale=2.0)], lambda x, fn=fn: fn(x, 1), {"dim": 1})
        # Large offset (exp would overflow), unit spread: with a wide spread y is nearly one-hot
        # and the backward y·(g − Σ g·y) cancels, which no float32 implementation gets to 1e-6.
        case(fam, op, "large inputs (~1000, stability)", [X(3, 5, shift=1000.0)], lambda x, fn=fn: fn(x, 1), {"dim": 1})
        case(fam, op, "size-1 dim", [X(4, 1)], lambda x, fn=fn: fn(x, 1), {"dim": 1})
        if op == "softmax":
            masked = randn(3, 5)
            masked[0, 2] = masked[1, 0] = masked[1, 4] = float("-inf")
            case(fam, op, "masked (-Infinity entries)", [In(masked)], lambda x: torch.softmax(x, -1), {"dim": -1})


# ---------------------------------------------------------------------------------------
# matmul


def matmul_cases():
    fam = "matmul"
    shapes = [
        ("1-D · 1-D (dot)", (5,), (5,)),
        ("2-D [3,4] · [4,5]", (3, 4), (4, 5)),
        ("1-D [4] · 2-D [4,5]", (4,), (4, 5)),
        ("2-D [3,4] · 1-D [4]", (3, 4), (4,)),
        ("batched [2,3,4] · [2,4,5]", (2, 3, 4), (2, 4, 5)),
        ("3-D [2,3,4] · 2-D [4,5] (broadcast)", (2, 3, 4), (4, 5)),
        ("2-D [3,4] · 3-D [2,4,5] (broadcast)", (3, 4), (2, 4, 5)),
        ("[1,3,4] · [2,4,5] (batch dim 1 broadcasts)", (1, 3, 4), (2, 4, 5)),
        ("[2,1,3,4] · [1,3,4,2] (both broadcast)", (2, 1, 3, 4), (1, 3, 4, 2)),
        ("1-D [4] · 3-D [2,4,3]", (4,), (2, 4, 3)),
        ("3-D [2,3,4] · 1-D [4]", (2, 3, 4), (4,)),
        ("[3,1] · [1,4] (outer product)", (3, 1), (1, 4)),
        ("long inner dim [2,64] · [64,3]", (2, 64), (64, 3)),
    ]
    for desc, sa, sb in shapes:
        case(fam, "matmul", desc, [X(*sa), X(*sb)], torch.matmul, long_sum="long" in desc)


# ---------------------------------------------------------------------------------------
# Shapes, slices, joins


def to_torch_index(parts):
    """nnzoo's index parts (numbers, "a:b:c" strings, null, "...") as a Python index tuple."""
    out = []
    for p in parts:
        if p is None or p == ":":
            out.append(slice(None))
        elif p == "...":
            out.append(Ellipsis)
        elif isinstance(p, int):
            out.append(p)
        else:
            bits = [int(b) if b.strip() else None for b in p.split(":")]
            out.append(int(p) if len(bits) == 1 else slice(*bits))
    return tuple(out)


def shape_cases():
    fam = "shape"
    case(fam, "reshape", "[2,3,4] to [4,-1]", [X(2, 3, 4)], lambda x: x.reshape(4, -1), {"shape": [4, -1]})
    case(fam, "reshape", "[6,4] to [2,-1,3,1]", [X(6, 4)], lambda x: x.reshape(2, -1, 3, 1), {"shape": [2, -1, 3, 1]})
    case(fam, "reshape", "[1] to 0-d", [X(1)], lambda x: x.reshape(()), {"shape": []})
    case(fam, "reshape", "int32 [2,3] to [3,2]", [In(ints(-5, 5, 2, 3))], lambda x: x.reshape(3, 2), {"shape": [3, 2]}, dtypes=("int32",))
    case(fam, "flatten", "default", [X(2, 3, 4)], torch.flatten)
    case(fam, "flatten", "startDim 1", [X(2, 3, 4)], lambda x: torch.flatten(x, 1), {"startDim": 1})
    case(fam, "flatten", "dims 0..-2", [X(2, 3, 2, 2)], lambda x: torch.flatten(x, 0, -2), {"startDim": 0, "endDim": -2})
    case(fam, "squeeze", "all size-1 dims of [1,3,1,2]", [X(1, 3, 1, 2)], torch.squeeze)
    case(fam, "squeeze", "dim 2", [X(1, 3, 1, 2)], lambda x: torch.squeeze(x, 2), {"dim": 2})
    case(fam, "squeeze", "dim -1 of size 2 (no-op)", [X(1, 3, 1, 2)], lambda x: torch.squeeze(x, -1), {"dim": -1})
    case(fam, "squeeze", "dim -4", [X(1, 3, 1, 2)], lambda x: torch.squeeze(x, -4), {"dim": -4})
    case(fam, "unsqueeze", "dim 0", [X(3, 4)], lambda x: torch.unsqueeze(x, 0), {"dim": 0})
    case(fam, "unsqueeze", "dim -1", [X(3, 4)], lambda x: torch.unsqueeze(x, -1), {"dim": -1})
    case(fam, "unsqueeze", "[3] dim -2", [X(3)], lambda x: torch.unsqueeze(x, -2), {"dim": -2})
    case(fam, "transpose", "dims 0, 2", [X(2, 3, 4)], lambda x: torch.transpose(x, 0, 2), {"dim0": 0, "dim1": 2})
    case(fam, "transpose", "dims -1, -2", [X(2, 3, 4)], lambda x: torch.transpose(x, -1, -2), {"dim0": -1, "dim1": -2})
    case(fam, "transpose", "same dim", [X(2, 3)], lambda x: torch.transpose(x, 1, -1), {"dim0": 1, "dim1": -1})
    case(fam, "permute", "[2,0,1]", [X(2, 3, 4)], lambda x: x.permute(2, 0, 1), {"dims": [2, 0, 1]})
    case(fam, "permute", "[-1,0,-2] with a size-1 dim", [X(2, 1, 4)], lambda x: x.permute(-1, 0, -2), {"dims": [-1, 0, -2]})
    case(fam, "permute", "4-D [1,3,0,2]", [X(2, 3, 2, 2)], lambda x: x.permute(1, 3, 0, 2), {"dims": [1, 3, 0, 2]})
    case(fam, "permute", "int32 [1,0]", [In(ints(-5, 5, 2, 3))], lambda x: x.permute(1, 0), {"dims": [1, 0]}, dtypes=("int32",))
    case(fam, "expand", "[3,1] to [2,3,4]", [X(3, 1)], lambda x: x.expand(2, 3, 4), {"shape": [2, 3, 4]})
    case(fam, "expand", "[3,1] to [2,-1,4]", [X(3, 1)], lambda x: x.expand(2, -1, 4), {"shape": [2, -1, 4]})
    case(fam, "expand", "0-d to [2,2]", [X()], lambda x: x.expand(2, 2), {"shape": [2, 2]})
    case(fam, "expand", "[1,4,1] to [3,4,2]", [X(1, 4, 1)], lambda x: x.expand(3, 4, 2), {"shape": [3, 4, 2]})


def slice_cases():
    fam = "shape"

    def torch_slice(x, dim, start, end, step):
        if step > 0:
            sl = [slice(None)] * x.dim()
            sl[dim] = slice(start, end, step)
            return x[tuple(sl)]
        # nnzoo allows negative steps (documented); PyTorch does not, so the reference is the
        # same Python-slice index list taken with index_select.
        ids = list(range(x.shape[dim]))[slice(start, end, step)]
        return torch.index_select(x, dim, torch.tensor(ids, dtype=torch.int64))

    for desc, shape, dim, start, end, step in [
        ("dim 1 from 1", (3, 5, 2), 1, 1, None, 1),
        ("dim 1 step 2", (3, 5, 2), 1, 0, None, 2),
        ("dim -1 step 3 from 1", (2, 8), -1, 1, None, 3),
        ("dim 0 negative start and end", (6, 3), 0, -4, -1, 1),
        ("out-of-range bounds clamp", (4, 3), 0, -10, 10, 2),
        ("dim 0 rows 1..3 (contiguous)", (4, 3), 0, 1, 3, 1),
        ("empty result", (4, 3), 1, 2, 1, 1),
        ("negative step -1 (reverse)", (3, 5), 1, None, None, -1),
        ("negative step -2 from 4 to 0", (3, 6), -1, 4, 0, -2),
    ]:
        case(fam, "slice", desc, [X(*shape)], lambda x, d=dim, s=start, e=end, st=step: torch_slice(x, d, s, e, st),
             {"dim": dim, "start": start, "end": end, "step": step})
    case(fam, "narrow", "dim 1 start 1 length 2", [X(3, 4)], lambda x: torch.narrow(x, 1, 1, 2), {"dim": 1, "start": 1, "length": 2})
    case(fam, "narrow", "dim -1 negative start -3", [X(2, 3, 5)], lambda x: torch.narrow(x, -1, -3, 2), {"dim": -1, "start": -3, "length": 2})
    case(fam, "narrow", "dim 0 rows (contiguous)", [X(5, 2)], lambda x: torch.narrow(x, 0, 2, 3), {"dim": 0, "start": 2, "length": 3})
    case(fam, "select", "dim 0 index -1", [X(3, 4)], lambda x: torch.select(x, 0, -1), {"dim": 0, "index": -1})
    case(fam, "select", "dim -1 index 2", [X(2, 3, 4)], lambda x: torch.select(x, -1, 2), {"dim": -1, "index": 2})
    case(fam, "select", "dim 1 index -3", [X(2, 3, 4)], lambda x: torch.select(x, 1, -3), {"dim": 1, "index": -3})
    case(fam, "select", "int32 dim 1 index 0", [In(ints(-5, 5, 3, 4))], lambda x: torch.select(x, 1, 0), {"dim": 1, "index": 0}, dtypes=("int32",))
    for parts in ([1, "1:3"], ["...", "::2"], [None, -1, "1:"], ["-2:", "...", 0]):
        case(fam, "index", f"{json.dumps(parts)}", [X(3, 4, 5)], lambda x, p=parts: x[to_torch_index(p)], {"parts": parts})
    case(fam, "flip", "dim 0", [X(3, 4)], lambda x: torch.flip(x, (0,)), {"dims": [0]})
    case(fam, "flip", "dims [-1, 1]", [X(2, 3, 4)], lambda x: torch.flip(x, (-1, 1)), {"dims": [-1, 1]})
    case(fam, "flip", "int32 dim -1", [In(ints(-5, 5, 2, 3))], lambda x: torch.flip(x, (-1,)), {"dims": [-1]}, dtypes=("int32",))

    # Joins.
    case(fam, "cat", "[2,3] and [2,5] on dim 1", [X(2, 3), X(2, 5)], lambda a, b: torch.cat([a, b], 1), {"dim": 1})
    case(fam, "cat", "three tensors on dim 0", [X(1, 4), X(3, 4), X(2, 4)], lambda *t: torch.cat(t, 0), {"dim": 0})
    case(fam, "cat", "3-D on dim -1", [X(2, 3, 1), X(2, 3, 2)], lambda *t: torch.cat(t, -1), {"dim": -1})
    case(fam, "cat", "int32 on dim 0", [In(ints(-5, 5, 2, 3)), In(ints(-5, 5, 1, 3))], lambda *t: torch.cat(t, 0), {"dim": 0}, dtypes=("int32",))
    case(fam, "stack", "three [2,3] on dim 0", [X(2, 3), X(2, 3), X(2, 3)], lambda *t: torch.stack(t, 0), {"dim": 0})
    case(fam, "stack", "two [2,3] on dim -1", [X(2, 3), X(2, 3)], lambda *t: torch.stack(t, -1), {"dim": -1})
    case(fam, "stack", "two [4] on dim 1", [X(4), X(4)], lambda *t: torch.stack(t, 1), {"dim": 1})
    case(fam, "split", "size 2 on dim 1 of [2,5,3]", [X(2, 5, 3)], lambda x: torch.split(x, 2, 1), {"sizeOrSections": 2, "dim": 1})
    case(fam, "split", "sections [1,3,1] on dim -2", [X(2, 5, 3)], lambda x: torch.split(x, [1, 3, 1], -2), {"sizeOrSections": [1, 3, 1], "dim": -2})
    case(fam, "split", "size 3 on dim 0 of [7,2]", [X(7, 2)], lambda x: torch.split(x, 3, 0), {"sizeOrSections": 3, "dim": 0})
    case(fam, "chunk", "3 chunks of 5 on dim 1", [X(2, 5)], lambda x: torch.chunk(x, 3, 1), {"chunks": 3, "dim": 1})
    case(fam, "chunk", "4 chunks of 6 (gives 3)", [X(6, 2)], lambda x: torch.chunk(x, 4, 0), {"chunks": 4, "dim": 0})
    case(fam, "chunk", "2 chunks on dim -1", [X(3, 4)], lambda x: torch.chunk(x, 2, -1), {"chunks": 2, "dim": -1})


# ---------------------------------------------------------------------------------------
# Indexing


def indexing_cases():
    fam = "indexing"
    case(fam, "indexSelect", "dim 0 with repeats", [X(4, 3), I([2, 0, 2, 3])], lambda x, i: torch.index_select(x, 0, i), {"dim": 0})
    case(fam, "indexSelect", "dim -1", [X(2, 3, 5), I([4, 1])], lambda x, i: torch.index_select(x, -1, i), {"dim": -1})
    case(fam, "indexSelect", "dim 1 of 3-D, repeated index", [X(2, 3, 2), I([1, 1, 0, 2, 1])], lambda x, i: torch.index_select(x, 1, i), {"dim": 1})
    case(fam, "indexSelect", "int32 values", [In(ints(-9, 9, 4, 3)), I([3, 0, 3])], lambda x, i: torch.index_select(x, 0, i), {"dim": 0}, dtypes=("int32",))
    case(fam, "gather", "dim 1", [X(3, 4), I(idx(0, 4, 3, 4))], lambda x, i: torch.gather(x, 1, i), {"dim": 1})
    case(fam, "gather", "dim 0", [X(3, 4), I(idx(0, 3, 3, 4))], lambda x, i: torch.gather(x, 0, i), {"dim": 0})
    case(fam, "gather", "dim -1 of 3-D, fewer columns", [X(2, 3, 5), I(idx(0, 5, 2, 3, 2))], lambda x, i: torch.gather(x, -1, i), {"dim": -1})
    case(fam, "gather", "int32 values dim 1", [In(ints(-9, 9, 3, 4)), I(idx(0, 4, 3, 2))], lambda x, i: torch.gather(x, 1, i), {"dim": 1}, dtypes=("int32",))
    case(fam, "scatterAdd", "dim 1 with repeats", [X(3, 5), I(idx(0, 5, 3, 4)), X(3, 4)], lambda x, i, s: torch.scatter_add(x, 1, i, s), {"dim": 1})
    case(fam, "scatterAdd", "dim 0", [X(4, 3), I(idx(0, 4, 2, 3)), X(2, 3)], lambda x, i, s: torch.scatter_add(x, 0, i, s), {"dim": 0})
    case(fam, "scatterAdd", "dim -1 of 3-D", [X(2, 2, 4), I(idx(0, 4, 2, 2, 3)), X(2, 2, 3)], lambda x, i, s: torch.scatter_add(x, -1, i, s), {"dim": -1})
    case(fam, "scatterAdd", "int32 values", [In(ints(-9, 9, 3, 4)), I(idx(0, 4, 3, 2)), In(ints(-9, 9, 3, 2))], lambda x, i, s: torch.scatter_add(x, 1, i, s), {"dim": 1}, dtypes=("int32",))
    case(fam, "embedding", "[2,3] indices into [6,4]", [I(torch.tensor([[1, 5, 1], [0, 2, 5]])), X(6, 4)], lambda i, w: F.embedding(i, w), {})
    case(fam, "embedding", "paddingIdx 0", [I(torch.tensor([[0, 3, 0, 1], [2, 0, 3, 3]])), X(5, 3)], lambda i, w: F.embedding(i, w, padding_idx=0), {"paddingIdx": 0})
    case(fam, "embedding", "paddingIdx -1", [I(torch.tensor([4, 1, 4, 2])), X(5, 3)], lambda i, w: F.embedding(i, w, padding_idx=-1), {"paddingIdx": -1})
    case(fam, "embedding", "0-d index", [I(torch.tensor(2)), X(4, 3)], lambda i, w: F.embedding(i, w), {})
    case(fam, "oneHot", "[2,3] with 5 classes", [I(torch.tensor([[0, 4, 2], [1, 1, 3]]))], lambda i: F.one_hot(i, 5), {"numClasses": 5}, dtypes=("int32",))
    case(fam, "oneHot", "dtype float32 option", [I(torch.tensor([2, 0, 1, 2]))], lambda i: F.one_hot(i, 3).to(torch.float32), {"numClasses": 3, "options": {"dtype": "float32"}}, dtypes=("int32",))
    case(fam, "oneHot", "numClasses -1 (inferred)", [I(torch.tensor([3, 0, 1]))], lambda i: F.one_hot(i, -1), {"numClasses": -1}, dtypes=("int32",))


# ---------------------------------------------------------------------------------------
# pad, conv, pool, upsample


def nn_cases():
    fam = "nn"
    # pad
    case(fam, "pad", "constant [1,2] on [2,3,4]", [X(2, 3, 4)], lambda x: F.pad(x, (1, 2)), {"pads": [1, 2]})
    case(fam, "pad", "constant [1,2,0,1] value 1.5", [X(2, 3, 4)], lambda x: F.pad(x, (1, 2, 0, 1), value=1.5), {"pads": [1, 2, 0, 1], "options": {"value": 1.5}})
    case(fam, "pad", "constant negative pads crop [-1,2,1,-1]", [X(2, 3, 4)], lambda x: F.pad(x, (-1, 2, 1, -1)), {"pads": [-1, 2, 1, -1]})
    case(fam, "pad", "constant only negative pads [0,-2,-1,0]", [X(2, 3, 4)], lambda x: F.pad(x, (0, -2, -1, 0)), {"pads": [0, -2, -1, 0]})
    case(fam, "pad", "constant over three dims [1,0,0,1,1,1]", [X(2, 3, 2)], lambda x: F.pad(x, (1, 0, 0, 1, 1, 1)), {"pads": [1, 0, 0, 1, 1, 1]})
    for mode in ("reflect", "replicate", "circular"):
        case(fam, "pad", f"{mode} [2,1] on [2,3,4]", [X(2, 3, 4)], lambda x, m=mode: F.pad(x, (2, 1), mode=m), {"pads": [2, 1], "options": {"mode": mode}})
        case(fam, "pad", f"{mode} [1,2,2,1] on [1,2,3,4]", [X(1, 2, 3, 4)], lambda x, m=mode: F.pad(x, (1, 2, 2, 1), mode=m), {"pads": [1, 2, 2, 1], "options": {"mode": mode}})
    case(fam, "pad", "replicate wider than the dim [0,4] on [1,2,3]", [X(1, 2, 3)], lambda x: F.pad(x, (0, 4), mode="replicate"), {"pads": [0, 4], "options": {"mode": "replicate"}})
    case(fam, "pad", "circular full width [3,3] on [1,2,3]", [X(1, 2, 3)], lambda x: F.pad(x, (3, 3), mode="circular"), {"pads": [3, 3], "options": {"mode": "circular"}})

    # conv2d: x [N,C,H,W], weight [O, C/groups, kh, kw], bias [O]
    def conv(desc, xs, ws, bias, opts, torch_kw):
        ins = [X(*xs), X(*ws, scale=0.5)] + ([X(ws[0])] if bias else [])
        case(fam, "conv2d", desc, ins, lambda x, w, b=None: F.conv2d(x, w, b, **torch_kw), {"options": opts}, long_sum="72-term" in desc)

    conv("3x3 with bias", (2, 3, 5, 6), (4, 3, 3, 3), True, {}, {})
    conv("stride 2 padding 1", (2, 3, 6, 7), (4, 3, 3, 3), True, {"stride": 2, "padding": 1}, {"stride": 2, "padding": 1})
    conv("stride [2,1] padding [1,0] dilation [1,2]", (1, 2, 7, 8), (3, 2, 3, 2), True, {"stride": [2, 1], "padding": [1, 0], "dilation": [1, 2]}, {"stride": (2, 1), "padding": (1, 0), "dilation": (1, 2)})
    conv("dilation 2 no bias", (1, 2, 7, 7), (3, 2, 3, 3), False, {"dilation": 2}, {"dilation": 2})
    conv("groups 2", (2, 4, 5, 5), (6, 2, 3, 3), True, {"groups": 2, "padding": 1}, {"groups": 2, "padding": 1})
    conv("depthwise groups 3", (1, 3, 5, 4), (6, 1, 2, 2), True, {"groups": 3}, {"groups": 3})
    conv("padding same, odd kernel, dilation 2", (1, 2, 6, 5), (3, 2, 3, 3), True, {"padding": "same", "dilation": 2}, {"padding": "same", "dilation": 2})
    conv("padding same, even kernel [2,4] (asymmetric)", (1, 2, 5, 6), (3, 2, 2, 4), True, {"padding": "same"}, {"padding": "same"})
    conv("padding valid, 1x1 kernel", (2, 3, 3, 4), (5, 3, 1, 1), True, {"padding": "valid"}, {"padding": "valid"})
    conv("8 input channels (72-term sums) padding 1", (1, 8, 5, 5), (4, 8, 3, 3), True, {"padding": 1}, {"padding": 1})
    case(fam, "conv2d", "unbatched [C,H,W] input", [X(2, 5, 5), X(3, 2, 3, 3, scale=0.5), X(3)], lambda x, w, b: F.conv2d(x.unsqueeze(0), w, b).squeeze(0), {"options": {}})

    # convTranspose2d: x [N,Cin,H,W], weight [Cin, Cout/groups, kh, kw], bias [Cout]
    def convt(desc, xs, ws, bias, opts, torch_kw):
        cout = ws[1] * torch_kw.get("groups", 1)
        ins = [X(*xs), X(*ws, scale=0.5)] + ([X(cout)] if bias else [])
        case(fam, "convTranspose2d", desc, ins, lambda x, w, b=None: F.conv_transpose2d(x, w, b, **torch_kw), {"options": opts})

    convt("3x3 with bias", (2, 3, 3, 4), (3, 2, 3, 3), True, {}, {})
    convt("stride 2 padding 1 outputPadding 1", (1, 3, 3, 3), (3, 2, 3, 3), True, {"stride": 2, "padding": 1, "outputPadding": 1}, {"stride": 2, "padding": 1, "output_padding": 1})
    convt("stride [2,3] padding [0,1] outputPadding [1,2]", (1, 2, 3, 3), (2, 2, 2, 3), True, {"stride": [2, 3], "padding": [0, 1], "outputPadding": [1, 2]}, {"stride": (2, 3), "padding": (0, 1), "output_padding": (1, 2)})
    convt("dilation 2 outputPadding 1 (stride 1)", (1, 2, 3, 3), (2, 2, 3, 3), False, {"dilation": 2, "outputPadding": 1}, {"dilation": 2, "output_padding": 1})
    convt("groups 2 stride 2", (2, 4, 3, 3), (4, 3, 3, 3), True, {"groups": 2, "stride": 2}, {"groups": 2, "stride": 2})
    convt("stride 2 dilation [1,2] padding [1,2]", (1, 2, 4, 4), (2, 3, 3, 3), True, {"stride": 2, "dilation": [1, 2], "padding": [1, 2]}, {"stride": 2, "dilation": (1, 2), "padding": (1, 2)})
    case(fam, "convTranspose2d", "unbatched [C,H,W] input", [X(2, 3, 3), X(2, 3, 2, 2, scale=0.5), X(3)], lambda x, w, b: F.conv_transpose2d(x.unsqueeze(0), w, b).squeeze(0), {"options": {}})

    # maxPool2d
    for desc, shape, k, opts, kw in [
        ("kernel 2", (2, 2, 4, 6), 2, {}, {}),
        ("kernel 3 stride 2 padding 1", (2, 2, 6, 7), 3, {"stride": 2, "padding": 1}, {"stride": 2, "padding": 1}),
        ("kernel [3,2] stride [2,1] dilation [1,2]", (1, 2, 7, 7), [3, 2], {"stride": [2, 1], "dilation": [1, 2]}, {"stride": (2, 1), "dilation": (1, 2)}),
        ("kernel 3 stride 2 ceilMode", (1, 2, 7, 8), 3, {"stride": 2, "ceilMode": True}, {"stride": 2, "ceil_mode": True}),
        ("kernel 2 stride 2 padding 1 ceilMode (last window rule)", (1, 2, 5, 6), 2, {"stride": 2, "padding": 1, "ceilMode": True}, {"stride": 2, "padding": 1, "ceil_mode": True}),
        ("kernel 2 stride 1 dilation 2 padding 1", (1, 1, 5, 5), 2, {"stride": 1, "dilation": 2, "padding": 1}, {"stride": 1, "dilation": 2, "padding": 1}),
        ("unbatched [C,H,W] kernel 2", (3, 4, 5), 2, {}, {}),
    ]:
        ks = tuple(k) if isinstance(k, list) else k
        case(fam, "maxPool2d", desc, [X(*shape)], lambda x, ks=ks, kw=kw: F.max_pool2d(x, ks, **kw), {"kernelSize": k, "options": opts})

    # avgPool2d
    for desc, shape, k, opts, kw in [
        ("kernel 2", (2, 2, 4, 6), 2, {}, {}),
        ("kernel 3 stride 2 padding 1 countIncludePad", (1, 2, 6, 7), 3, {"stride": 2, "padding": 1}, {"stride": 2, "padding": 1}),
        ("kernel 3 stride 2 padding 1 countIncludePad false", (1, 2, 6, 7), 3, {"stride": 2, "padding": 1, "countIncludePad": False}, {"stride": 2, "padding": 1, "count_include_pad": False}),
        ("kernel 3 stride 2 ceilMode", (1, 2, 6, 8), 3, {"stride": 2, "ceilMode": True}, {"stride": 2, "ceil_mode": True}),
        ("kernel 3 stride 2 padding 1 ceilMode countIncludePad", (1, 2, 6, 6), 3, {"stride": 2, "padding": 1, "ceilMode": True}, {"stride": 2, "padding": 1, "ceil_mode": True}),
        ("kernel 3 stride 2 padding 1 ceilMode countIncludePad false", (1, 2, 6, 6), 3, {"stride": 2, "padding": 1, "ceilMode": True, "countIncludePad": False}, {"stride": 2, "padding": 1, "ceil_mode": True, "count_include_pad": False}),
        ("kernel [2,3] stride [1,2]", (1, 2, 4, 7), [2, 3], {"stride": [1, 2]}, {"stride": (1, 2)}),
        ("unbatched [C,H,W] kernel 2", (3, 4, 5), 2, {}, {}),
    ]:
        ks = tuple(k) if isinstance(k, list) else k
        case(fam, "avgPool2d", desc, [X(*shape)], lambda x, ks=ks, kw=kw: F.avg_pool2d(x, ks, **kw), {"kernelSize": k, "options": opts})

    # upsampleNearest2d
    def nearest(x, **kw):
        if x.dim() == 3:  # nnzoo reads [C,H,W] as one image; PyTorch would read it as 1-D data
            return F.interpolate(x.unsqueeze(0), mode="nearest", **kw).squeeze(0)
        return F.interpolate(x, mode="nearest", **kw)

    case(fam, "upsampleNearest2d", "scaleFactor 2", [X(1, 2, 3, 4)], lambda x: nearest(x, scale_factor=2), {"options": {"scaleFactor": 2}})
    case(fam, "upsampleNearest2d", "scaleFactor [3,2]", [X(2, 1, 2, 3)], lambda x: nearest(x, scale_factor=(3, 2)), {"options": {"scaleFactor": [3, 2]}})
    case(fam, "upsampleNearest2d", "size [5,7] (non-integer ratio)", [X(1, 2, 3, 4)], lambda x: nearest(x, size=(5, 7)), {"options": {"size": [5, 7]}})
    case(fam, "upsampleNearest2d", "size [7,11] from [3,5]", [X(1, 1, 3, 5)], lambda x: nearest(x, size=(7, 11)), {"options": {"size": [7, 11]}})
    case(fam, "upsampleNearest2d", "size [2,3] (downsample)", [X(1, 2, 5, 7)], lambda x: nearest(x, size=(2, 3)), {"options": {"size": [2, 3]}})
    case(fam, "upsampleNearest2d", "unbatched [C,H,W] scaleFactor 2", [X(2, 2, 3)], lambda x: nearest(x, scale_factor=2), {"options": {"scaleFactor": 2}})


# ---------------------------------------------------------------------------------------
# Creation ops (forward only)


def creation_cases():
    fam = "creation"
    case(fam, "arange", "integers 0..7 (int32)", [], lambda: torch.arange(7).to(torch.int32), {"start": 7}, dtypes=("int32",), grad=False)
    case(fam, "arange", "integers 2..-7 step -3 (int32)", [], lambda: torch.arange(2, -7, -3).to(torch.int32), {"start": 2, "end": -7, "step": -3}, dtypes=("int32",), grad=False)
    for dt in FLOATS:
        case(fam, "arange", "0.5..3.2 step 0.3", [], lambda dt=dt: torch.arange(0.5, 3.2, 0.3, dtype=TORCH_DTYPE[dt]), {"start": 0.5, "end": 3.2, "step": 0.3, "options": {"dtype": dt}}, dtypes=(dt,), grad=False)
        case(fam, "linspace", "-1..2 in 7 steps", [], lambda dt=dt: torch.linspace(-1, 2, 7, dtype=TORCH_DTYPE[dt]), {"start": -1, "end": 2, "steps": 7, "options": {"dtype": dt}}, dtypes=(dt,), grad=False)
        case(fam, "linspace", "0..1 in 10 steps", [], lambda dt=dt: torch.linspace(0, 1, 10, dtype=TORCH_DTYPE[dt]), {"start": 0, "end": 1, "steps": 10, "options": {"dtype": dt}}, dtypes=(dt,), grad=False)
        case(fam, "eye", "3x4", [], lambda dt=dt: torch.eye(3, 4, dtype=TORCH_DTYPE[dt]), {"n": 3, "m": 4, "options": {"dtype": dt}}, dtypes=(dt,), grad=False)
        case(fam, "full", "[2,3] of 0.1", [], lambda dt=dt: torch.full((2, 3), 0.1, dtype=TORCH_DTYPE[dt]), {"shape": [2, 3], "value": 0.1, "options": {"dtype": dt}}, dtypes=(dt,), grad=False)


# ---------------------------------------------------------------------------------------


def main():
    binary_cases()
    unary_cases()
    reduce_cases()
    matmul_cases()
    shape_cases()
    slice_cases()
    indexing_cases()
    nn_cases()
    creation_cases()
    os.makedirs(OUT_DIR, exist_ok=True)
    for old in os.listdir(OUT_DIR):
        if old.endswith(".json") and old[:-5] not in FAMILIES:
            os.remove(os.path.join(OUT_DIR, old))
    total = 0
    for family, cases in FAMILIES.items():
        path = os.path.join(OUT_DIR, f"{family}.json")
        doc = {"generator": "tools/gen_op_fixtures.py", "torch": torch.__version__, "cases": cases}
        text = dump(doc)
        with open(path, "w") as f:
            # One case per line keeps diffs readable.
            f.write(text.replace(',{"name":', ',\n{"name":').replace('"cases":[{"name":', '"cases":[\n{"name":') + "\n")
        total += os.path.getsize(path)
        print(f"{path}: {len(cases)} cases, {os.path.getsize(path) / 1024:.1f} KB")
    print(f"total {sum(len(c) for c in FAMILIES.values())} cases, {total / 1024:.1f} KB")


if __name__ == "__main__":
    sys.exit(main())
