import { record } from "../autograd.js";
import { normDim } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { getBackend } from "../../kernels/registry.js";
import { empty, floatInput } from "./util.js";

function kernel(x: Tensor, dim: number, log: boolean): Tensor {
  const y = empty(x.shape, x.dtype);
  const outer = x.shape.slice(0, dim).reduce((a, b) => a * b, 1);
  const inner = x.shape.slice(dim + 1).reduce((a, b) => a * b, 1);
  getBackend().softmax(x.data, y.data, outer, x.shape[dim] ?? 1, inner, log);
  return y;
}

/** softmax(x)ᵢ = e^{xᵢ − max} / Σⱼ e^{xⱼ − max}; backward: y ⊙ (g − Σ g⊙y). */
export function softmax(x: Tensor, dim: number): Tensor {
  x = floatInput("softmax", x);
  const d = normDim("softmax", dim, x.ndim);
  const y = kernel(x, d, false);
  return record("softmax", y, [x], (g) => [y.mul(g.sub(g.mul(y).sum(d, true)))]);
}

/** logSoftmax(x)ᵢ = xᵢ − logΣⱼ e^{xⱼ}; backward: g − e^{y} Σ g. */
export function logSoftmax(x: Tensor, dim: number): Tensor {
  x = floatInput("logSoftmax", x);
  const d = normDim("logSoftmax", dim, x.ndim);
  const y = kernel(x, d, true);
  return record("logSoftmax", y, [x], (g) => [g.sub(y.exp().mul(g.sum(d, true)))]);
}
