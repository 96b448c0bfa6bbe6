import { fail, fmtShape } from "./errors.js";

export type Shape = readonly number[];

export function numel(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major (C-contiguous) strides. */
export function contiguousStrides(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Validates a shape argument: non-negative integers. */
export function checkShape(op: string, arg: string, shape: unknown): number[] {
  if (!Array.isArray(shape)) fail(op, `${arg} must be an array of non-negative integers, got ${typeof shape}`);
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) fail(op, `${arg} must be an array of non-negative integers, got [${shape.join(",")}]`);
  }
  return shape.slice();
}

/** Normalises a possibly negative dim into [0, ndim). */
export function normDim(op: string, dim: number, ndim: number, arg = "dim"): number {
  const lo = ndim === 0 ? -1 : -ndim;
  const hi = ndim === 0 ? 0 : ndim - 1;
  if (!Number.isInteger(dim) || dim < lo || dim > hi) {
    fail(op, `${arg} ${dim} is out of range for a tensor with ${ndim} dimension${ndim === 1 ? "" : "s"} (expected ${lo}..${hi})`);
  }
  return dim < 0 ? dim + Math.max(ndim, 1) : dim;
}

/** NumPy broadcasting of two shapes, with an error that names the clashing dim. */
export function broadcastShapes(op: string, a: Shape, b: Shape, names = ["a", "b"]): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      fail(op, `cannot broadcast ${names[0]} ${fmtShape(a)} with ${names[1]} ${fmtShape(b)}: dim ${i - n} is ${da} vs ${db}`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Strides to read a tensor of `shape` as if it had `target` shape (0 where broadcast). */
export function broadcastStrides(shape: Shape, target: Shape): number[] {
  const strides = contiguousStrides(shape);
  const out = new Array<number>(target.length).fill(0);
  const off = target.length - shape.length;
  for (let i = 0; i < shape.length; i++) out[off + i] = shape[i] === 1 ? 0 : strides[i];
  return out;
}

/** Resolves one -1 in a reshape target. */
export function inferShape(op: string, shape: Shape, size: number, from: Shape): number[] {
  let infer = -1;
  let known = 1;
  shape.forEach((d, i) => {
    if (d === -1) {
      if (infer >= 0) fail(op, `only one dimension can be -1, got ${fmtShape(shape)}`);
      infer = i;
    } else if (!Number.isInteger(d) || d < 0) {
      fail(op, `shape must hold non-negative integers or one -1, got ${fmtShape(shape)}`);
    } else known *= d;
  });
  const out = shape.slice();
  if (infer >= 0) {
    if (known === 0 || size % known !== 0) fail(op, `cannot reshape ${fmtShape(from)} (${size} elements) into ${fmtShape(shape)}`);
    out[infer] = size / known;
  } else if (known !== size) {
    fail(op, `cannot reshape ${fmtShape(from)} (${size} elements) into ${fmtShape(shape)} (${known} elements)`);
  }
  return out;
}
