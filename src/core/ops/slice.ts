import { record } from "../autograd.js";
import { promoteTypes } from "../dtype.js";
import { fail, fmtShape } from "../errors.js";
import { contiguousStrides, normDim, numel } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { getBackend } from "../../kernels/registry.js";
import { checkTensor, describe, empty, wrap } from "./util.js";

/**
 * The one primitive behind slice, narrow, select, index and flip: the elements of x at
 * offset + Σ iₖ·stridesₖ over `shape`. A contiguous region (e.g. rows of a matrix) is
 * shared without copying; any other is copied. The gradient writes g back through the
 * same strides into zeros.
 */
function stridedView(name: string, x: Tensor, offset: number, shape: number[], strides: number[]): Tensor {
  const n = numel(shape);
  const dense = contiguousStrides(shape);
  const isContiguous = shape.every((s, i) => s === 1 || strides[i] === dense[i]);
  let out: Tensor;
  if (isContiguous) {
    out = wrap(x.data.subarray(offset, offset + n), shape, x.dtype);
  } else {
    out = empty(shape, x.dtype);
    getBackend().copy(x.data, offset, strides, out.data, 0, dense, shape);
  }
  return record(name, out, [x], (g) => {
    const gx = empty(x.shape, g.dtype);
    getBackend().copy(g.data, 0, dense, gx.data, offset, strides, shape);
    return [gx];
  });
}

/** Python slice semantics along one dim: negative indices count from the end, bounds clamp, step may be negative. */
export function slice(x: Tensor, dim: number, start?: number | null, end?: number | null, step = 1): Tensor {
  checkTensor("slice", "x", x);
  const d = normDim("slice", dim, x.ndim);
  for (const [name, v] of [["start", start], ["end", end]] as const) {
    if (v != null && !Number.isInteger(v)) fail("slice", `${name} must be an integer or null, got ${v}`);
  }
  if (!Number.isInteger(step) || step === 0) fail("slice", `step must be a non-zero integer, got ${step}`);
  const size = x.shape[d];
  const [s, count] = sliceRange(size, start ?? null, end ?? null, step);
  const strides = contiguousStrides(x.shape);
  const shape = x.shape.slice();
  shape[d] = count;
  const st = strides.slice();
  st[d] = strides[d] * step;
  return stridedView("slice", x, count === 0 ? 0 : s * strides[d], shape, st);
}

/** First index and element count of start:end:step over a dim of `size` (numpy's rules). */
function sliceRange(size: number, start: number | null, end: number | null, step: number): [number, number] {
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  let s: number, e: number;
  if (step > 0) {
    s = start === null ? 0 : clamp(start < 0 ? start + size : start, 0, size);
    e = end === null ? size : clamp(end < 0 ? end + size : end, 0, size);
  } else {
    s = start === null ? size - 1 : clamp(start < 0 ? start + size : start, -1, size - 1);
    e = end === null ? -1 : clamp(end < 0 ? end + size : end, -1, size - 1);
  }
  const count = step > 0 ? Math.max(0, Math.ceil((e - s) / step)) : Math.max(0, Math.ceil((s - e) / -step));
  return [s, count];
}

/** `length` elements from `start` (negative counts from the end) along dim; errors if out of range. */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  checkTensor("narrow", "x", x);
  const d = normDim("narrow", dim, x.ndim);
  const size = x.shape[d];
  if (!Number.isInteger(start) || start < -size || start > size) fail("narrow", `start ${start} is out of range for dim ${dim} of size ${size}`);
  const s = start < 0 ? start + size : start;
  if (!Number.isInteger(length) || length < 0 || s + length > size) fail("narrow", `start ${start} + length ${length} exceeds dim ${dim} of size ${size}`);
  return slice(x, d, s, s + length);
}

/** The slice at `index` along dim, with that dim removed. */
export function select(x: Tensor, dim: number, index: number): Tensor {
  checkTensor("select", "x", x);
  const d = normDim("select", dim, x.ndim);
  const size = x.shape[d];
  if (!Number.isInteger(index) || index < -size || index >= size) fail("select", `index ${index} is out of range for dim ${dim} of size ${size}`);
  const i = index < 0 ? index + size : index;
  const strides = contiguousStrides(x.shape);
  return stridedView("select", x, i * strides[d], x.shape.filter((_, k) => k !== d), strides.filter((_, k) => k !== d));
}

/** Reverses the order of elements along the given dims. */
export function flip(x: Tensor, dims: number | readonly number[]): Tensor {
  checkTensor("flip", "x", x);
  const list = (typeof dims === "number" ? [dims] : dims).map((d) => normDim("flip", d, x.ndim));
  const strides = contiguousStrides(x.shape);
  let offset = 0;
  const st = strides.map((s, i) => {
    if (!list.includes(i) || x.shape[i] === 0) return s;
    offset += (x.shape[i] - 1) * s;
    return -s;
  });
  return stridedView("flip", x, offset, x.shape.slice(), st);
}

/** A number selects; "a:b:c" slices; null or ":" keeps a dim whole; "..." stands for the dims not named. */
export type IndexPart = number | string | null;

export function index(x: Tensor, parts: readonly IndexPart[]): Tensor {
  checkTensor("index", "x", x);
  const ellipses = parts.filter((p) => p === "...").length;
  if (ellipses > 1) fail("index", "only one '...' is allowed");
  const named = parts.length - ellipses;
  if (named > x.ndim) fail("index", `too many indices (${named}) for a tensor with ${x.ndim} dims`);
  const full: IndexPart[] = [];
  for (const p of parts) {
    if (p === "...") for (let i = 0; i < x.ndim - named; i++) full.push(null);
    else full.push(p);
  }
  while (full.length < x.ndim) full.push(null);
  // Apply from the last dim so earlier dims keep their positions when a select removes one.
  let out = x;
  for (let d = full.length - 1; d >= 0; d--) {
    const p = full[d];
    if (p === null || p === ":") continue;
    if (typeof p === "number") {
      out = select(out, d, p);
      continue;
    }
    if (typeof p !== "string") fail("index", `part ${d} must be a number, a slice string like "1:3", ":", "..." or null, got ${describe(p)}`);
    const m = /^\s*(-?\d+)?\s*(?::\s*(-?\d+)?\s*(?::\s*(-?\d+)?\s*)?)?$/.exec(p);
    if (!m) fail("index", `part ${d} ${JSON.stringify(p)} is not a slice like "1:3", "::2" or "-1"`);
    if (!p.includes(":")) {
      out = select(out, d, Number(m[1]));
      continue;
    }
    const num = (v: string | undefined) => (v === undefined ? null : Number(v));
    out = slice(out, d, num(m[1]), num(m[2]), num(m[3]) ?? 1);
  }
  return out;
}

/** Joins tensors along an existing dim; other dims must match. Dtypes promote. */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (!Array.isArray(tensors as unknown) || tensors.length === 0) fail("cat", "expected a non-empty array of tensors");
  tensors.forEach((t, i) => checkTensor("cat", `tensors[${i}]`, t));
  const first = tensors[0];
  const d = normDim("cat", dim, first.ndim);
  tensors.forEach((t, i) => {
    if (t.ndim !== first.ndim || t.shape.some((s, k) => k !== d && s !== first.shape[k])) {
      fail("cat", `tensors[${i}] has shape ${fmtShape(t.shape)} but tensors[0] has ${fmtShape(first.shape)}; all dims except ${dim} must match`);
    }
  });
  const dtype = tensors.map((t) => t.dtype).reduce(promoteTypes);
  const shape = first.shape.slice();
  shape[d] = tensors.reduce((a, t) => a + t.shape[d], 0);
  const out = empty(shape, dtype);
  const outStrides = contiguousStrides(shape);
  let at = 0;
  const starts: number[] = [];
  for (const t of tensors) {
    starts.push(at);
    getBackend().copy(t.data, 0, contiguousStrides(t.shape), out.data, at * outStrides[d], outStrides, t.shape);
    at += t.shape[d];
  }
  return record("cat", out, tensors.slice(), (g) => tensors.map((t, i) => (t.requiresGrad ? slice(g, d, starts[i], starts[i] + t.shape[d]) : null)));
}

/** Joins same-shape tensors along a new dim. */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (!Array.isArray(tensors as unknown) || tensors.length === 0) fail("stack", "expected a non-empty array of tensors");
  tensors.forEach((t, i) => {
    checkTensor("stack", `tensors[${i}]`, t);
    if (t.shape.length !== tensors[0].shape.length || t.shape.some((s, k) => s !== tensors[0].shape[k])) {
      fail("stack", `tensors[${i}] has shape ${fmtShape(t.shape)} but tensors[0] has ${fmtShape(tensors[0].shape)}; all must match`);
    }
  });
  const d = normDim("stack", dim, tensors[0].ndim + 1);
  return cat(tensors.map((t) => t.unsqueeze(d)), d);
}

/** Pieces of `size` along dim (the last may be smaller), or pieces of the given sizes. */
export function split(x: Tensor, sizeOrSections: number | readonly number[], dim = 0): Tensor[] {
  checkTensor("split", "x", x);
  const d = normDim("split", dim, x.ndim);
  const n = x.shape[d];
  let sizes: number[];
  if (typeof sizeOrSections === "number") {
    if (!Number.isInteger(sizeOrSections) || sizeOrSections <= 0) fail("split", `size must be a positive integer, got ${sizeOrSections}`);
    sizes = [];
    for (let at = 0; at < n; at += sizeOrSections) sizes.push(Math.min(sizeOrSections, n - at));
    if (n === 0) sizes.push(0);
  } else {
    sizes = sizeOrSections.slice();
    const total = sizes.reduce((a, b) => a + b, 0);
    if (!sizes.every((s) => Number.isInteger(s) && s >= 0) || total !== n) fail("split", `sections ${JSON.stringify(sizeOrSections)} must be non-negative integers summing to dim ${dim}'s size ${n}`);
  }
  let at = 0;
  return sizes.map((s) => {
    const piece = slice(x, d, at, at + s);
    at += s;
    return piece;
  });
}

/** `chunks` nearly equal pieces along dim (as torch.chunk: each of size ceil(n/chunks)). */
export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  checkTensor("chunk", "x", x);
  if (!Number.isInteger(chunks) || chunks <= 0) fail("chunk", `chunks must be a positive integer, got ${chunks}`);
  const n = x.shape[normDim("chunk", dim, x.ndim)];
  return split(x, Math.max(1, Math.ceil(n / chunks)), dim);
}
