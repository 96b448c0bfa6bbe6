import { type DType, type TypedArray, isFloat } from "../dtype.js";
import { fail } from "../errors.js";
import { numel, type Shape } from "../shape.js";
import { Tensor, makeTensor } from "../tensor.js";
import { getBackend } from "../../kernels/registry.js";

/** A fresh zero-filled output tensor from the current backend. */
export function empty(shape: Shape, dtype: DType): Tensor {
  return makeTensor(getBackend().alloc(dtype, numel(shape)), shape, dtype);
}

/** Wraps an existing array (a view or a kernel's output) as a tensor. */
export function wrap(data: TypedArray, shape: Shape, dtype: DType): Tensor {
  return makeTensor(data, shape, dtype);
}

/** Checks that a JavaScript caller passed a Tensor, naming the op and the argument otherwise. */
export function checkTensor(op: string, arg: string, x: unknown): asserts x is Tensor {
  if (!(x instanceof Tensor)) fail(op, `${arg} must be a Tensor, got ${describe(x)}`);
}

export function describe(x: unknown): string {
  if (x === null) return "null";
  if (Array.isArray(x)) return "an array (wrap it with tensor())";
  if (typeof x === "object") return (x as object).constructor?.name ?? "an object";
  return `${typeof x} ${String(x)}`;
}

/** A tensor or a number; numbers become 0-d tensors of `like`'s dtype (float32 for a fraction with an int tensor). */
export function toOperand(op: string, arg: string, x: Tensor | number, like: Tensor): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x !== "number") fail(op, `${arg} must be a Tensor or a number, got ${describe(x)}`);
  const dtype: DType = like.dtype === "int32" && !Number.isInteger(x) ? "float32" : like.dtype;
  const t = empty([], dtype);
  t.data[0] = x;
  return t;
}

/** Ops defined only on floats (exp, log, …) see int32 input as float32, as PyTorch does. */
export function floatInput(op: string, x: Tensor, arg = "x"): Tensor {
  checkTensor(op, arg, x);
  return isFloat(x.dtype) ? x : x.to("float32");
}

export function checkFloat(op: string, arg: string, x: Tensor): void {
  if (!isFloat(x.dtype)) fail(op, `${arg} must be a floating-point tensor, got ${x.dtype}`);
}

export function checkInt(op: string, arg: string, x: Tensor): void {
  if (x.dtype !== "int32") fail(op, `${arg} must be an int32 tensor, got ${x.dtype}`);
}

/** Reads a size argument that may be one number or a pair, e.g. kernelSize 3 or [3, 5]. */
export function pair(op: string, arg: string, v: number | readonly number[], min: number): [number, number] {
  const p: number[] = typeof v === "number" ? [v, v] : Array.isArray(v) ? v.slice() : [];
  if (p.length !== 2 || !p.every((n) => Number.isInteger(n) && n >= min)) {
    fail(op, `${arg} must be an integer ≥ ${min} or a pair of them, got ${JSON.stringify(v)}`);
  }
  return [p[0], p[1]];
}
