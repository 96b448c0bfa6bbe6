import { record } from "../autograd.js";
import { fail, fmtShape } from "../errors.js";
import { contiguousStrides, inferShape, normDim, type Shape } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { getBackend } from "../../kernels/registry.js";
import { sumTo } from "./binary.js";
import { checkTensor, empty, wrap } from "./util.js";

export const stridesOf = contiguousStrides;
export const normDimFor = normDim;

/** Same elements, new shape (one dim may be -1); shares storage. */
export function reshape(x: Tensor, shape: Shape): Tensor {
  checkTensor("reshape", "x", x);
  if (!Array.isArray(shape)) fail("reshape", `shape must be an array, got ${typeof shape}`);
  const target = inferShape("reshape", shape, x.numel(), x.shape);
  return record("reshape", wrap(x.data, target, x.dtype), [x], (g) => [g.reshape(x.shape)]);
}

/** Merges dims startDim..endDim into one. */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  checkTensor("flatten", "x", x);
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normDim("flatten", startDim, x.ndim, "startDim");
  const e = normDim("flatten", endDim, x.ndim, "endDim");
  if (s > e) fail("flatten", `startDim ${startDim} comes after endDim ${endDim}`);
  const merged = x.shape.slice(s, e + 1).reduce((a, b) => a * b, 1);
  return reshape(x, [...x.shape.slice(0, s), merged, ...x.shape.slice(e + 1)]);
}

/** Removes size-1 dims (all, or the given ones; a given dim of another size is left alone, as PyTorch does). */
export function squeeze(x: Tensor, dim?: number | readonly number[]): Tensor {
  checkTensor("squeeze", "x", x);
  const dims = dim === undefined ? null : (typeof dim === "number" ? [dim] : dim).map((d) => normDim("squeeze", d, x.ndim));
  return reshape(x, x.shape.filter((s, i) => s !== 1 || (dims !== null && !dims.includes(i))));
}

/** Inserts a size-1 dim at `dim` (−1 appends). */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  checkTensor("unsqueeze", "x", x);
  const d = normDim("unsqueeze", dim, x.ndim + 1);
  return reshape(x, [...x.shape.slice(0, d), 1, ...x.shape.slice(d)]);
}

/** Reorders dims; copies into a contiguous result. */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  checkTensor("permute", "x", x);
  if (!Array.isArray(dims) || dims.length !== x.ndim) fail("permute", `dims must list each of the ${x.ndim} dims once, got ${JSON.stringify(dims)}`);
  const p = dims.map((d) => normDim("permute", d, x.ndim));
  if (new Set(p).size !== p.length) fail("permute", `dims must list each of the ${x.ndim} dims once, got ${JSON.stringify(dims)}`);
  const strides = contiguousStrides(x.shape);
  const shape = p.map((d) => x.shape[d]);
  const out = empty(shape, x.dtype);
  getBackend().copy(x.data, 0, p.map((d) => strides[d]), out.data, 0, contiguousStrides(shape), shape);
  const inverse = new Array<number>(p.length);
  p.forEach((d, i) => (inverse[d] = i));
  return record("permute", out, [x], (g) => [permute(g, inverse)]);
}

export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  checkTensor("transpose", "x", x);
  const a = normDim("transpose", dim0, x.ndim, "dim0");
  const b = normDim("transpose", dim1, x.ndim, "dim1");
  const p = x.shape.map((_, i) => i);
  [p[a], p[b]] = [p[b], p[a]];
  return a === b ? x : permute(x, p);
}

/** Broadcasts size-1 dims (and new leading dims) to `shape`; -1 keeps a size. Materialises the result. */
export function expand(x: Tensor, shape: Shape): Tensor {
  checkTensor("expand", "x", x);
  if (!Array.isArray(shape) || shape.length < x.ndim) fail("expand", `cannot expand ${fmtShape(x.shape)} to ${JSON.stringify(shape)}: the target needs at least ${x.ndim} dims`);
  const lead = shape.length - x.ndim;
  const target = shape.map((s, i) => (s === -1 && i >= lead ? x.shape[i - lead] : s));
  const strides = contiguousStrides(x.shape);
  const src = target.map((s, i) => {
    if (!Number.isInteger(s) || s < 0) fail("expand", `sizes must be non-negative integers (or -1 for an existing dim), got ${fmtShape(shape)}`);
    if (i < lead) return 0;
    const own = x.shape[i - lead];
    if (own === s) return strides[i - lead];
    if (own === 1) return 0;
    return fail("expand", `cannot expand ${fmtShape(x.shape)} to ${fmtShape(shape)}: dim ${i} has size ${own}, which is not 1`);
  });
  if (target.every((s, i) => i >= lead && s === x.shape[i - lead])) return x;
  const out = empty(target, x.dtype);
  getBackend().copy(x.data, 0, src, out.data, 0, contiguousStrides(target), target);
  return record("expand", out, [x], (g) => [sumTo(g, x.shape)]);
}
