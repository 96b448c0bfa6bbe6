import { record } from "../autograd.js";
import { fail } from "../errors.js";
import type { Tensor } from "../tensor.js";
import type { UnaryOp, UnaryParams } from "../../kernels/backend.js";
import { getBackend } from "../../kernels/registry.js";
import { where } from "./binary.js";
import { checkTensor, empty, floatInput } from "./util.js";

/** Runs one element-wise kernel into a fresh tensor of x's shape and dtype. */
function map(op: UnaryOp, x: Tensor, params?: UnaryParams): Tensor {
  const y = empty(x.shape, x.dtype);
  getBackend().unary(op, x.data, y.data, params);
  return y;
}

/** Each op: forward, then its derivative (one line), as micrograd writes them. */

export function neg(x: Tensor): Tensor {
  checkTensor("neg", "x", x);
  return record("neg", map("neg", x), [x], (g) => [g.neg()]);
}

export function abs(x: Tensor): Tensor {
  checkTensor("abs", "x", x);
  return record("abs", map("abs", x), [x], (g) => [g.mul(x.sign())]);
}

/** −1, 0 or 1 (NaN stays NaN); its gradient is zero. */
export function sign(x: Tensor): Tensor {
  checkTensor("sign", "x", x);
  return record("sign", map("sign", x), [x], (g) => [g.mul(0)]);
}

export function exp(x: Tensor): Tensor {
  x = floatInput("exp", x);
  const y = map("exp", x);
  return record("exp", y, [x], (g) => [g.mul(y)]);
}

export function log(x: Tensor): Tensor {
  x = floatInput("log", x);
  return record("log", map("log", x), [x], (g) => [g.div(x)]);
}

export function log1p(x: Tensor): Tensor {
  x = floatInput("log1p", x);
  return record("log1p", map("log1p", x), [x], (g) => [g.div(x.add(1))]);
}

export function sqrt(x: Tensor): Tensor {
  x = floatInput("sqrt", x);
  const y = map("sqrt", x);
  return record("sqrt", y, [x], (g) => [g.div(y.mul(2))]);
}

export function rsqrt(x: Tensor): Tensor {
  x = floatInput("rsqrt", x);
  const y = map("rsqrt", x);
  return record("rsqrt", y, [x], (g) => [g.mul(y.pow(3)).mul(-0.5)]);
}

export function square(x: Tensor): Tensor {
  checkTensor("square", "x", x);
  return record("square", map("square", x), [x], (g) => [g.mul(x).mul(2)]);
}

export function reciprocal(x: Tensor): Tensor {
  x = floatInput("reciprocal", x);
  const y = map("reciprocal", x);
  return record("reciprocal", y, [x], (g) => [g.mul(y.square()).neg()]);
}

export function sin(x: Tensor): Tensor {
  x = floatInput("sin", x);
  return record("sin", map("sin", x), [x], (g) => [g.mul(x.cos())]);
}

export function cos(x: Tensor): Tensor {
  x = floatInput("cos", x);
  return record("cos", map("cos", x), [x], (g) => [g.mul(x.sin()).neg()]);
}

/** Error function; d/dx erf = 2/√π·e^{−x²}. */
export function erf(x: Tensor): Tensor {
  x = floatInput("erf", x);
  return record("erf", map("erf", x), [x], (g) => [g.mul(x.square().neg().exp()).mul(2 / Math.sqrt(Math.PI))]);
}

export function tanh(x: Tensor): Tensor {
  x = floatInput("tanh", x);
  const y = map("tanh", x);
  return record("tanh", y, [x], (g) => [g.mul(y.square().neg().add(1))]);
}

export function sigmoid(x: Tensor): Tensor {
  x = floatInput("sigmoid", x);
  const y = map("sigmoid", x);
  return record("sigmoid", y, [x], (g) => [g.mul(y).mul(y.neg().add(1))]);
}

export function relu(x: Tensor): Tensor {
  checkTensor("relu", "x", x);
  const y = map("relu", x);
  return record("relu", y, [x], (g) => [g.mul(y.gt(0))]);
}

/** max(0,x) + slope·min(0,x); at 0 the gradient is the slope, as in PyTorch. */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  x = floatInput("leakyRelu", x);
  checkNumber("leakyRelu", "negativeSlope", negativeSlope);
  const y = map("leakyRelu", x, { alpha: negativeSlope });
  return record("leakyRelu", y, [x], (g) => [where(x.gt(0), g, g.mul(negativeSlope))]);
}

/** x for x > 0, α(eˣ − 1) otherwise. */
export function elu(x: Tensor, alpha = 1): Tensor {
  x = floatInput("elu", x);
  checkNumber("elu", "alpha", alpha);
  const y = map("elu", x, { alpha });
  return record("elu", y, [x], (g) => [where(x.gt(0), g, g.mul(y.add(alpha)))]);
}

/** x·Φ(x) with the exact normal CDF (PyTorch's default). */
export function gelu(x: Tensor): Tensor {
  x = floatInput("gelu", x);
  return record("gelu", map("gelu", x), [x], (g) => [g.mul(map("geluGrad", x))]);
}

/** log(1 + e^{βx})/β, linear where βx > threshold (as PyTorch). */
export function softplus(x: Tensor, beta = 1, threshold = 20): Tensor {
  x = floatInput("softplus", x);
  checkNumber("softplus", "beta", beta);
  checkNumber("softplus", "threshold", threshold);
  const y = map("softplus", x, { beta, threshold });
  return record("softplus", y, [x], (g) => {
    const bx = x.mul(beta);
    return [where(bx.gt(threshold), g, g.mul(bx.sigmoid()))];
  });
}

/** Limits values to [min, max]; the gradient passes where min ≤ x ≤ max. */
export function clamp(x: Tensor, min?: number | null, max?: number | null): Tensor {
  checkTensor("clamp", "x", x);
  const lo = min ?? -Infinity;
  const hi = max ?? Infinity;
  if (typeof lo !== "number" || typeof hi !== "number" || Number.isNaN(lo) || Number.isNaN(hi)) fail("clamp", `min and max must be numbers or null, got ${min} and ${max}`);
  if (min == null && max == null) fail("clamp", "at least one of min and max must be given");
  if (lo > hi) fail("clamp", `min (${lo}) must not exceed max (${hi})`);
  return record("clamp", map("clamp", x, { min: lo, max: hi }), [x], (g) => [g.mul(x.ge(lo).mul(x.le(hi)))]);
}

/** x^p for a number p. */
export function powScalar(x: Tensor, p: number): Tensor {
  checkTensor("pow", "x", x);
  if (!Number.isInteger(p)) x = floatInput("pow", x);
  const y = map("powScalar", x, { exponent: p });
  return record("pow", y, [x], (g) => [p === 0 ? g.mul(0) : g.mul(x.pow(p - 1)).mul(p)]);
}

function checkNumber(op: string, arg: string, v: unknown): void {
  if (typeof v !== "number" || !Number.isFinite(v)) fail(op, `${arg} must be a finite number, got ${v}`);
}
