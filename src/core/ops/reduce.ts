import { record } from "../autograd.js";
import { fail } from "../errors.js";
import { normDim, type Shape } from "../shape.js";
import type { Tensor } from "../tensor.js";
import type { ReduceOp } from "../../kernels/backend.js";
import { getBackend } from "../../kernels/registry.js";
import { where } from "./binary.js";
import { gather } from "./indexing.js";
import { checkTensor, empty, floatInput } from "./util.js";

/** Sorted, de-duplicated dims; undefined means all. */
function normDims(op: string, dim: number | readonly number[] | undefined, ndim: number): number[] {
  if (dim === undefined || dim === null) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof dim === "number" ? [dim] : dim;
  if (!Array.isArray(list)) fail(op, `dim must be a number or an array of numbers, got ${typeof dim}`);
  const out = [...new Set(list.map((d) => normDim(op, d, ndim)))];
  if (out.length !== list.length) fail(op, `dim ${JSON.stringify(dim)} names a dimension twice`);
  return out.sort((a, b) => a - b);
}

function keptShape(shape: Shape, dims: readonly number[]): number[] {
  return shape.map((d, i) => (dims.includes(i) ? 1 : d));
}

function droppedShape(shape: Shape, dims: readonly number[]): number[] {
  return shape.filter((_, i) => !dims.includes(i));
}

/** Runs the reduce kernel over each dim in turn; returns the result with kept dims of size 1. */
function reduceKernel(op: ReduceOp, x: Tensor, dims: readonly number[], name: string = op): Tensor {
  let cur = x;
  const shape = x.shape.slice();
  for (const d of dims) {
    const outer = shape.slice(0, d).reduce((a, b) => a * b, 1);
    const inner = shape.slice(d + 1).reduce((a, b) => a * b, 1);
    const n = shape[d];
    if (n === 0 && op !== "sum") fail(name, `cannot reduce over dim ${d} of size 0`);
    shape[d] = 1;
    const out = empty(shape, op === "argmax" || op === "argmin" ? "int32" : x.dtype);
    getBackend().reduce(op, cur.data, outer, n, inner, out.data);
    cur = out;
  }
  return cur === x ? x.clone() : cur;
}

function finish(y: Tensor, shape: Shape, dims: readonly number[], keepdim: boolean): Tensor {
  return keepdim ? y : y.reshape(droppedShape(shape, dims));
}

/** Sum over dim(s) (all if omitted). */
export function sum(x: Tensor, dim?: number | readonly number[], keepdim = false): Tensor {
  checkTensor("sum", "x", x);
  const dims = normDims("sum", dim, x.ndim);
  const y = finish(reduceKernel("sum", x, dims), x.shape, dims, keepdim);
  return record("sum", y, [x], (g) => [g.reshape(keptShape(x.shape, dims)).expand(x.shape)]);
}

/** Mean over dim(s); int32 input gives float32. */
export function mean(x: Tensor, dim?: number | readonly number[], keepdim = false): Tensor {
  x = floatInput("mean", x);
  const dims = normDims("mean", dim, x.ndim);
  const count = dims.reduce((a, d) => a * x.shape[d], 1);
  return sum(x, dims, keepdim).div(count);
}

export interface VarOptions {
  /** Divide by n − correction; 1 (Bessel's correction, the default) or 0. */
  correction?: number;
  /** PyTorch's older spelling: unbiased true ≡ correction 1, false ≡ 0. */
  unbiased?: boolean;
  keepdim?: boolean;
}

/** Variance over dim(s), unbiased by default like torch.var. */
export function variance(x: Tensor, dim?: number | readonly number[], options: VarOptions = {}): Tensor {
  x = floatInput("var", x);
  const dims = normDims("var", dim, x.ndim);
  const correction = options.correction ?? (options.unbiased === false ? 0 : 1);
  const count = dims.reduce((a, d) => a * x.shape[d], 1);
  const centred = x.sub(x.mean(dims, true));
  return sum(centred.square(), dims, options.keepdim ?? false).div(Math.max(count - correction, 0));
}

export function std(x: Tensor, dim?: number | readonly number[], options: VarOptions = {}): Tensor {
  return variance(x, dim, options).sqrt();
}

/**
 * Max over dim(s) (all if omitted). Tied maxima share the gradient equally, as torch.amax
 * (and the full torch.max) do.
 */
export function amax(x: Tensor, dim?: number | readonly number[], keepdim = false): Tensor {
  return extreme("amax", "max", x, dim, keepdim);
}

export function amin(x: Tensor, dim?: number | readonly number[], keepdim = false): Tensor {
  return extreme("amin", "min", x, dim, keepdim);
}

function extreme(name: string, op: "max" | "min", x: Tensor, dim: number | readonly number[] | undefined, keepdim: boolean): Tensor {
  checkTensor(name, "x", x);
  const dims = normDims(name, dim, x.ndim);
  const kept = reduceKernel(op, x, dims, name);
  return record(name, finish(kept, x.shape, dims, keepdim), [x], (g) => {
    const hit = x.eq(kept).to(x.dtype); // a float32 mask would round 1/k in float64 runs
    const share = hit.div(sum(hit, dims, true));
    return [g.reshape(kept.shape).mul(share)];
  });
}

/** torch.max(x, dim) / torch.min(x, dim): [values, int32 indices]; the gradient goes to the chosen index. */
export function maxDim(x: Tensor, dim: number, keepdim: boolean, which: "max" | "min"): [Tensor, Tensor] {
  checkTensor(which, "x", x);
  const d = normDim(which, dim, x.ndim);
  const idx = reduceKernel(which === "max" ? "argmax" : "argmin", x, [d], which);
  const values = gather(x, d, idx);
  return keepdim ? [values, idx] : [values.squeeze(d), idx.squeeze(d)];
}

/** Index of the max (over the flattened tensor if dim is omitted), int32. */
export function argmax(x: Tensor, dim?: number, keepdim = false): Tensor {
  return argExtreme("argmax", x, dim, keepdim);
}

export function argmin(x: Tensor, dim?: number, keepdim = false): Tensor {
  return argExtreme("argmin", x, dim, keepdim);
}

function argExtreme(op: "argmax" | "argmin", x: Tensor, dim: number | undefined, keepdim: boolean): Tensor {
  checkTensor(op, "x", x);
  if (dim === undefined) {
    const flat = reduceKernel(op, x.reshape([x.numel()]), [0]);
    return keepdim ? flat.reshape(x.shape.map(() => 1)) : flat.reshape([]);
  }
  const d = normDim(op, dim, x.ndim);
  return finish(reduceKernel(op, x, [d]), x.shape, [d], keepdim);
}

/** log Σ exp(x) over dim(s), shifted by the (detached) max so large inputs do not overflow. */
export function logsumexp(x: Tensor, dim?: number | readonly number[], keepdim = false): Tensor {
  x = floatInput("logsumexp", x);
  const dims = normDims("logsumexp", dim, x.ndim);
  const m = reduceKernel("max", x, dims, "logsumexp");
  const shift = where(m.abs().lt(Infinity), m, 0); // an all −∞ slice must give −∞, not NaN
  const out = sum(x.sub(shift).exp(), dims, true).log().add(shift);
  return finish(out, x.shape, dims, keepdim);
}
