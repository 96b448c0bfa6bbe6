import type { DType, TypedArray } from "../core/dtype.js";

/**
 * The kernel seam. Ops (src/core/ops) validate arguments, allocate outputs through
 * `alloc` and record gradients; a Backend only computes, on contiguous typed arrays plus
 * the shape/stride numbers it needs. Gradients are written once, in terms of ops, so a
 * backend never implements a derivative except where numerics ask for a fused primitive.
 *
 * `js` is the readable reference; faster backends run the same conformance suite
 * (test/kernels/conformance.ts) and may keep arrays in their own memory: that is why
 * outputs come from `alloc` rather than `new Float32Array`.
 */
export interface Backend {
  readonly name: string;

  /** A zero-filled array for a tensor's storage. */
  alloc(dtype: DType, size: number): TypedArray;

  /** out[i] = f(x[i]); x and out have the same length (dtypes may differ for casts). */
  unary(op: UnaryOp, x: TypedArray, out: TypedArray, params?: UnaryParams): void;

  /** out = a (op) b over `shape`; a and b are read through strides (0 where broadcast). */
  binary(op: BinaryOp, a: TypedArray, aStrides: readonly number[], b: TypedArray, bStrides: readonly number[], out: TypedArray, shape: readonly number[]): void;

  /** out = cond != 0 ? a : b, all three broadcast through strides. */
  where(cond: TypedArray, cStrides: readonly number[], a: TypedArray, aStrides: readonly number[], b: TypedArray, bStrides: readonly number[], out: TypedArray, shape: readonly number[]): void;

  /** Reduces x viewed as [outer, n, inner] over the middle axis into out [outer, inner]. */
  reduce(op: ReduceOp, x: TypedArray, outer: number, n: number, inner: number, out: TypedArray): void;

  /** dst[dstOffset + Σ i_k·dstStrides_k] = src[srcOffset + Σ i_k·srcStrides_k] over `shape` (casts if dtypes differ). */
  copy(src: TypedArray, srcOffset: number, srcStrides: readonly number[], dst: TypedArray, dstOffset: number, dstStrides: readonly number[], shape: readonly number[]): void;

  /**
   * C[m,n] = op(A)[m,k] · op(B)[k,n] (+ C if accumulate). A is stored [m,k], or [k,m] when
   * transA; B is [k,n], or [n,k] when transB; all row-major from the given offsets.
   */
  gemm(a: TypedArray, aOff: number, b: TypedArray, bOff: number, c: TypedArray, cOff: number, m: number, n: number, k: number, transA: boolean, transB: boolean, accumulate: boolean): void;

  /** Softmax (or log-softmax) of x viewed as [outer, n, inner] along the middle axis. */
  softmax(x: TypedArray, out: TypedArray, outer: number, n: number, inner: number, log: boolean): void;

  /** out[o,j,i] = x[o, index[o,j,i], i]; x is [outer, n, inner], index and out [outer, m, inner]. */
  gather(x: TypedArray, index: Int32Array, out: TypedArray, outer: number, n: number, inner: number, m: number): void;
  /** out[o, index[o,j,i], i] += src[o,j,i]; out is [outer, n, inner], index and src [outer, m, inner]. */
  scatterAdd(out: TypedArray, index: Int32Array, src: TypedArray, outer: number, n: number, inner: number, m: number): void;
  /** out[o,j,i] = x[o, index[j], i]; x is [outer, n, inner], out [outer, index.length, inner]. */
  indexSelect(x: TypedArray, index: Int32Array, out: TypedArray, outer: number, n: number, inner: number): void;
  /** out[o, index[j], i] += src[o,j,i]; out is [outer, n, inner], src [outer, index.length, inner]. */
  indexAdd(out: TypedArray, index: Int32Array, src: TypedArray, outer: number, n: number, inner: number): void;

  /** Unfolds one image x[C,H,W] (from xOff) into col[C·kh·kw, oh·ow] (from colOff). */
  im2col(x: TypedArray, xOff: number, col: TypedArray, colOff: number, g: ConvGeom): void;
  /** The adjoint of im2col: adds col's entries back into x (overlapping windows sum). */
  col2im(col: TypedArray, colOff: number, x: TypedArray, xOff: number, g: ConvGeom): void;

  /** Max pooling over `planes` planes of [H,W]; argmax holds each window's winner (index within its plane, -1 if none). */
  maxPool2d(x: TypedArray, out: TypedArray, argmax: Int32Array, planes: number, g: ConvGeom): void;
  /** Average pooling; divisor is the window size, or the count of in-bounds cells when !countIncludePad. */
  avgPool2d(x: TypedArray, out: TypedArray, planes: number, g: ConvGeom, countIncludePad: boolean): void;
  /** The adjoint of avgPool2d: spreads each gradient over its window. */
  avgPool2dBackward(gy: TypedArray, gx: TypedArray, planes: number, g: ConvGeom, countIncludePad: boolean): void;
}

/** Window geometry shared by conv, pooling and im2col (all sizes already resolved). */
export interface ConvGeom {
  c: number; h: number; w: number;
  kh: number; kw: number;
  sh: number; sw: number;
  ph: number; pw: number;
  dh: number; dw: number;
  oh: number; ow: number;
}

export type UnaryOp =
  | "neg" | "abs" | "sign" | "exp" | "log" | "log1p" | "sqrt" | "rsqrt" | "square" | "reciprocal"
  | "sin" | "cos" | "erf" | "tanh" | "sigmoid" | "relu" | "leakyRelu" | "elu" | "gelu" | "geluGrad"
  | "softplus" | "clamp" | "powScalar" | "cast";

export interface UnaryParams {
  /** leakyRelu slope, elu alpha. */
  alpha?: number;
  min?: number;
  max?: number;
  exponent?: number;
  /** softplus: beta and the linear threshold. */
  beta?: number;
  threshold?: number;
}

export type BinaryOp = "add" | "sub" | "mul" | "div" | "pow" | "maximum" | "minimum" | "eq" | "ne" | "lt" | "le" | "gt" | "ge";

export type ReduceOp = "sum" | "max" | "min" | "argmax" | "argmin";
