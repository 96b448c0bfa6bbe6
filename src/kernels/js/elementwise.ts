import { sameElementType, type TypedArray } from "../../core/dtype.js";
import { erf, gelu, geluGrad, sigmoid, softplus } from "../../core/scalar-math.js";
import type { BinaryOp, UnaryOp, UnaryParams } from "../backend.js";
import { contiguousStrides as contiguous } from "../../core/shape.js";
import { coalesce, forEachRun } from "./strided.js";

export function unary(op: UnaryOp, x: TypedArray, out: TypedArray, p: UnaryParams = {}): void {
  const n = x.length;
  switch (op) {
    case "neg": for (let i = 0; i < n; i++) out[i] = -x[i]; break;
    case "abs": for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]); break;
    case "sign": for (let i = 0; i < n; i++) out[i] = x[i] > 0 ? 1 : x[i] < 0 ? -1 : x[i] === 0 ? 0 : NaN; break;
    case "exp": for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]); break;
    case "log": for (let i = 0; i < n; i++) out[i] = Math.log(x[i]); break;
    case "log1p": for (let i = 0; i < n; i++) out[i] = Math.log1p(x[i]); break;
    case "sqrt": for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]); break;
    case "rsqrt": for (let i = 0; i < n; i++) out[i] = 1 / Math.sqrt(x[i]); break;
    case "square": for (let i = 0; i < n; i++) out[i] = x[i] * x[i]; break;
    case "reciprocal": for (let i = 0; i < n; i++) out[i] = 1 / x[i]; break;
    case "sin": for (let i = 0; i < n; i++) out[i] = Math.sin(x[i]); break;
    case "cos": for (let i = 0; i < n; i++) out[i] = Math.cos(x[i]); break;
    case "erf": for (let i = 0; i < n; i++) out[i] = erf(x[i]); break;
    case "tanh": for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]); break;
    case "sigmoid": for (let i = 0; i < n; i++) out[i] = sigmoid(x[i]); break;
    case "relu": for (let i = 0; i < n; i++) out[i] = x[i] > 0 ? x[i] : x[i] !== x[i] ? NaN : 0; break;
    case "leakyRelu": {
      const a = p.alpha ?? 0.01;
      for (let i = 0; i < n; i++) out[i] = x[i] > 0 ? x[i] : x[i] * a;
      break;
    }
    case "elu": {
      const a = p.alpha ?? 1;
      for (let i = 0; i < n; i++) out[i] = x[i] > 0 ? x[i] : a * Math.expm1(x[i]);
      break;
    }
    case "gelu": for (let i = 0; i < n; i++) out[i] = gelu(x[i]); break;
    case "geluGrad": for (let i = 0; i < n; i++) out[i] = geluGrad(x[i]); break;
    case "softplus": {
      const beta = p.beta ?? 1, th = p.threshold ?? 20;
      for (let i = 0; i < n; i++) out[i] = softplus(x[i], beta, th);
      break;
    }
    case "clamp": {
      const lo = p.min ?? -Infinity, hi = p.max ?? Infinity;
      // NaN stays NaN, as in PyTorch.
      for (let i = 0; i < n; i++) out[i] = x[i] < lo ? lo : x[i] > hi ? hi : x[i];
      break;
    }
    case "powScalar": {
      const e = p.exponent ?? 1;
      if (e === 2) for (let i = 0; i < n; i++) out[i] = x[i] * x[i];
      else for (let i = 0; i < n; i++) out[i] = Math.pow(x[i], e);
      break;
    }
    case "cast": for (let i = 0; i < n; i++) out[i] = x[i]; break;
  }
}

export function binary(op: BinaryOp, a: TypedArray, aStrides: readonly number[], b: TypedArray, bStrides: readonly number[], out: TypedArray, shape: readonly number[]): void {
  const outStrides = contiguous(shape);
  const c = coalesce(shape, [aStrides, bStrides, outStrides]);
  const [sa, sb] = [c.strides[0].at(-1)!, c.strides[1].at(-1)!];
  forEachRun(c.shape, c.strides, [0, 0, 0], ([ia, ib, io], L) => binaryRun(op, a, ia, sa, b, ib, sb, out, io, L));
}

/** One innermost run; the switch sits outside the loops so each loop stays monomorphic. */
function binaryRun(op: BinaryOp, a: TypedArray, ia: number, sa: number, b: TypedArray, ib: number, sb: number, o: TypedArray, io: number, L: number): void {
  switch (op) {
    case "add": for (let j = 0; j < L; j++) o[io + j] = a[ia + j * sa] + b[ib + j * sb]; break;
    case "sub": for (let j = 0; j < L; j++) o[io + j] = a[ia + j * sa] - b[ib + j * sb]; break;
    case "mul": for (let j = 0; j < L; j++) o[io + j] = a[ia + j * sa] * b[ib + j * sb]; break;
    case "div": for (let j = 0; j < L; j++) o[io + j] = a[ia + j * sa] / b[ib + j * sb]; break;
    case "pow": for (let j = 0; j < L; j++) o[io + j] = Math.pow(a[ia + j * sa], b[ib + j * sb]); break;
    case "maximum": for (let j = 0; j < L; j++) { const x = a[ia + j * sa], y = b[ib + j * sb]; o[io + j] = x > y || x !== x ? x : y; } break;
    case "minimum": for (let j = 0; j < L; j++) { const x = a[ia + j * sa], y = b[ib + j * sb]; o[io + j] = x < y || x !== x ? x : y; } break;
    case "eq": for (let j = 0; j < L; j++) o[io + j] = a[ia + j * sa] === b[ib + j * sb] ? 1 : 0; break;
    case "ne": for (let j = 0; j < L; j++) o[io + j] = a[ia + j * sa] !== b[ib + j * sb] ? 1 : 0; break;
    case "lt": for (let j = 0; j < L; j++) o[io + j] = a[ia + j * sa] < b[ib + j * sb] ? 1 : 0; break;
    case "le": for (let j = 0; j < L; j++) o[io + j] = a[ia + j * sa] <= b[ib + j * sb] ? 1 : 0; break;
    case "gt": for (let j = 0; j < L; j++) o[io + j] = a[ia + j * sa] > b[ib + j * sb] ? 1 : 0; break;
    case "ge": for (let j = 0; j < L; j++) o[io + j] = a[ia + j * sa] >= b[ib + j * sb] ? 1 : 0; break;
  }
}

export function where(cond: TypedArray, cs: readonly number[], a: TypedArray, as: readonly number[], b: TypedArray, bs: readonly number[], out: TypedArray, shape: readonly number[]): void {
  const c = coalesce(shape, [cs, as, bs, contiguous(shape)]);
  const [sc, sa, sb] = [c.strides[0].at(-1)!, c.strides[1].at(-1)!, c.strides[2].at(-1)!];
  forEachRun(c.shape, c.strides, [0, 0, 0, 0], ([ic, ia, ib, io], L) => {
    for (let j = 0; j < L; j++) out[io + j] = cond[ic + j * sc] !== 0 ? a[ia + j * sa] : b[ib + j * sb];
  });
}

export function copy(src: TypedArray, srcOffset: number, srcStrides: readonly number[], dst: TypedArray, dstOffset: number, dstStrides: readonly number[], shape: readonly number[]): void {
  for (const d of shape) if (d === 0) return;
  const c = coalesce(shape, [srcStrides, dstStrides]);
  const [ss, ds] = [c.strides[0].at(-1)!, c.strides[1].at(-1)!];
  forEachRun(c.shape, c.strides, [srcOffset, dstOffset], ([is, id], L) => {
    if (ss === 1 && ds === 1 && sameElementType(src, dst)) dst.set(src.subarray(is, is + L), id);
    else for (let j = 0; j < L; j++) dst[id + j * ds] = src[is + j * ss];
  });
}
