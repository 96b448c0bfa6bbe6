import { type DType, type TypedArray, DTYPES, allocArray, dtypeOfArray } from "../dtype.js";
import { fail, fmtShape } from "../errors.js";
import { defaultGenerator, type Generator } from "../random.js";
import { checkShape, numel } from "../shape.js";
import { type NestedArray, Tensor, makeTensor } from "../tensor.js";
import { getBackend } from "../../kernels/registry.js";
import { describe } from "./util.js";

export interface TensorOptions {
  dtype?: DType;
  requiresGrad?: boolean;
}

export interface RandomOptions extends TensorOptions {
  generator?: Generator;
}

type AnyTypedArray = TypedArray | Uint8Array | Uint8ClampedArray | Int8Array | Uint16Array | Int16Array | Uint32Array;

function checkDType(op: string, dtype: unknown): DType {
  if (!DTYPES.includes(dtype as DType)) fail(op, `dtype must be one of ${DTYPES.map((d) => `"${d}"`).join(", ")}, got ${JSON.stringify(dtype)}`);
  return dtype as DType;
}

function finish(t: Tensor, options: TensorOptions): Tensor {
  if (options.requiresGrad) t.requiresGrad = true;
  return t;
}

function fresh(op: string, shape: readonly number[], dtype: DType = "float32"): Tensor {
  const s = checkShape(op, "shape", shape);
  return makeTensor(getBackend().alloc(checkDType(op, dtype), numel(s)), s, dtype);
}

/**
 * A tensor from a number, nested arrays of numbers, or a typed array (1-D unless
 * `shape` says otherwise). Float32Array, Float64Array and Int32Array of the requested
 * dtype are wrapped without copying, like torch.from_numpy; anything else is copied.
 * Numbers default to float32.
 */
export function tensor(data: NestedArray | AnyTypedArray | Tensor, options: TensorOptions & { shape?: readonly number[] } = {}): Tensor {
  if (data instanceof Tensor) return finish(makeTensor(data.data.slice(), data.shape, data.dtype).to(options.dtype ?? data.dtype), options);
  let shape: number[];
  let array: TypedArray;
  if (ArrayBuffer.isView(data)) {
    const given = data as AnyTypedArray;
    const native = given instanceof Float32Array || given instanceof Float64Array || given instanceof Int32Array;
    const dtype = checkDType("tensor", options.dtype ?? (native ? dtypeOfArray(given as TypedArray) : "float32"));
    shape = options.shape ? checkShape("tensor", "shape", options.shape) : [given.length];
    if (numel(shape) !== given.length) fail("tensor", `shape ${fmtShape(shape)} holds ${numel(shape)} elements but the array has ${given.length}`);
    if (native && dtypeOfArray(given as TypedArray) === dtype) array = given as TypedArray;
    else {
      array = allocArray(dtype, given.length);
      for (let i = 0; i < given.length; i++) array[i] = checkValue(given[i], dtype, () => `[${i}]`);
    }
  } else {
    const dtype = checkDType("tensor", options.dtype ?? "float32");
    shape = inferNestedShape(data);
    const flat = allocArray(dtype, numel(shape));
    let k = 0;
    const walk = (v: NestedArray, depth: number, path: number[]): void => {
      if (depth === shape.length) {
        flat[k++] = checkValue(v, dtype, () => `[${path.join(",")}]`);
        return;
      }
      if (!Array.isArray(v) || v.length !== shape[depth]) {
        fail("tensor", `ragged nested array: element at [${path.join(",")}] is ${Array.isArray(v) ? `an array of length ${v.length}` : describe(v)}, expected an array of length ${shape[depth]}`);
      }
      for (let i = 0; i < v.length; i++) walk(v[i], depth + 1, [...path, i]);
    };
    walk(data, 0, []);
    array = flat;
    if (options.shape) {
      const s = checkShape("tensor", "shape", options.shape);
      if (numel(s) !== numel(shape)) fail("tensor", `shape ${fmtShape(s)} holds ${numel(s)} elements but the data has ${numel(shape)}`);
      shape = s;
    }
  }
  return finish(makeTensor(array, shape, array instanceof Float64Array ? "float64" : array instanceof Int32Array ? "int32" : "float32"), options);
}

function inferNestedShape(data: NestedArray): number[] {
  const shape: number[] = [];
  let v: NestedArray = data;
  while (Array.isArray(v)) {
    shape.push(v.length);
    if (v.length === 0) break;
    v = v[0];
  }
  return shape;
}

function checkValue(v: unknown, dtype: DType, where: () => string): number {
  if (typeof v !== "number") fail("tensor", `element at ${where()} is ${describe(v)}, expected a number`);
  if (dtype === "int32" && (!Number.isInteger(v) || v < -2147483648 || v > 2147483647)) fail("tensor", `element at ${where()} is ${v}, which is not an int32`);
  return v;
}

export function zeros(shape: readonly number[], options: TensorOptions = {}): Tensor {
  return finish(fresh("zeros", shape, options.dtype), options);
}

export function ones(shape: readonly number[], options: TensorOptions = {}): Tensor {
  return full(shape, 1, options);
}

export function full(shape: readonly number[], value: number, options: TensorOptions = {}): Tensor {
  if (typeof value !== "number") fail("full", `value must be a number, got ${describe(value)}`);
  const t = fresh("full", shape, options.dtype);
  t.data.fill(value);
  return finish(t, options);
}

export function zerosLike(t: Tensor, options: TensorOptions = {}): Tensor {
  return zeros(t.shape, { dtype: t.dtype, ...options });
}

export function onesLike(t: Tensor, options: TensorOptions = {}): Tensor {
  return ones(t.shape, { dtype: t.dtype, ...options });
}

export function fullLike(t: Tensor, value: number, options: TensorOptions = {}): Tensor {
  return full(t.shape, value, { dtype: t.dtype, ...options });
}

/**
 * Values from start (inclusive) to end (exclusive) by step; arange(n) is 0…n−1.
 * Integer arguments give int32 (as PyTorch gives integers), others float32.
 */
export function arange(start: number, end?: number, step = 1, options: TensorOptions = {}): Tensor {
  if (end === undefined) [start, end] = [0, start];
  for (const [name, v] of [["start", start], ["end", end], ["step", step]] as const) {
    if (typeof v !== "number" || !Number.isFinite(v)) fail("arange", `${name} must be a finite number, got ${v}`);
  }
  if (step === 0) fail("arange", "step must not be zero");
  if ((end - start) / step < 0) fail("arange", `step ${step} goes the wrong way from ${start} to ${end}`);
  const n = Math.ceil((end - start) / step);
  const dtype = options.dtype ?? ([start, end, step].every(Number.isInteger) ? "int32" : "float32");
  const t = fresh("arange", [n], dtype);
  for (let i = 0; i < n; i++) t.data[i] = start + i * step;
  return finish(t, options);
}

/** `steps` evenly spaced values from start to end inclusive. */
export function linspace(start: number, end: number, steps: number, options: TensorOptions = {}): Tensor {
  if (!Number.isInteger(steps) || steps < 0) fail("linspace", `steps must be a non-negative integer, got ${steps}`);
  const t = fresh("linspace", [steps], options.dtype);
  const step = steps > 1 ? (end - start) / (steps - 1) : 0;
  // Fill from both ends, as PyTorch does, so the last value is exactly `end`.
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) t.data[i] = i < half ? start + step * i : end - step * (steps - 1 - i);
  return finish(t, options);
}

/** n×m identity (m defaults to n). */
export function eye(n: number, m = n, options: TensorOptions = {}): Tensor {
  const t = fresh("eye", [n, m], options.dtype);
  for (let i = 0; i < Math.min(n, m); i++) t.data[i * m + i] = 1;
  return finish(t, options);
}

/** Uniform in [0, 1). */
export function rand(shape: readonly number[], options: RandomOptions = {}): Tensor {
  const t = fresh("rand", shape, options.dtype);
  if (t.dtype === "int32") fail("rand", "dtype must be a float type");
  const g = options.generator ?? defaultGenerator;
  const d = t.data;
  if (t.dtype === "float32") for (let i = 0; i < d.length; i++) d[i] = g.random24();
  else for (let i = 0; i < d.length; i++) d[i] = g.random();
  return finish(t, options);
}

/** Standard normal. */
export function randn(shape: readonly number[], options: RandomOptions = {}): Tensor {
  const t = fresh("randn", shape, options.dtype);
  if (t.dtype === "int32") fail("randn", "dtype must be a float type");
  const g = options.generator ?? defaultGenerator;
  const d = t.data;
  for (let i = 0; i < d.length; i++) d[i] = g.normal();
  return finish(t, options);
}

/** Uniform integers in [low, high), int32. */
export function randint(low: number, high: number, shape: readonly number[], options: Omit<RandomOptions, "dtype" | "requiresGrad"> = {}): Tensor {
  if (!Number.isInteger(low) || !Number.isInteger(high)) fail("randint", `low and high must be integers, got ${low} and ${high}`);
  if (high <= low) fail("randint", `high (${high}) must be greater than low (${low})`);
  const t = fresh("randint", shape, "int32");
  const g = options.generator ?? defaultGenerator;
  for (let i = 0; i < t.data.length; i++) t.data[i] = g.randint(low, high);
  return t;
}

export function randLike(t: Tensor, options: RandomOptions = {}): Tensor {
  return rand(t.shape, { dtype: t.dtype, ...options });
}

export function randnLike(t: Tensor, options: RandomOptions = {}): Tensor {
  return randn(t.shape, { dtype: t.dtype, ...options });
}
