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

  // ---- Fused recurrent cells: one time step of B rows × H units (src/kernels/js/rnn.ts). ----
  // Used by src/core/ops/rnn.ts, which runs the GEMMs; these do the element-wise work.
  // Every array is a [B, ·] view (subarray); biases are [G·H] or null. A row b is active at
  // step `t` unless `lengths` is given and t ≥ lengths[b]: an inactive row keeps its state,
  // outputs y = 0 and passes its gradient through unchanged (packed-sequence semantics).

  /**
   * LSTM, gate order i, f, g, o. `gates` [B,4H] holds W_ih·x + b_ih + W_hh·h (pre-activation,
   * without b_hh) and is overwritten with the activations i, f, g, o.
   *   c = f⊙cPrev + i⊙g,  h = o⊙tanh(c),  y = h
   */
  lstmCell(gates: TypedArray, bias: TypedArray | null, cPrev: TypedArray, hPrev: TypedArray, c: TypedArray, h: TypedArray, y: TypedArray, step: CellStep): void;
  /**
   * Backward of lstmCell. In: act (i,f,g,o), cPrev, c, dy = ∂L/∂y_t, dh = ∂L/∂h_t from later
   * steps, dc = ∂L/∂c_t from later steps. Out: dh ← total ∂L/∂h_t, dc ← ∂L/∂c_{t−1},
   * dGates ← ∂L/∂(pre-activations), dhPrev ← the part of ∂L/∂h_{t−1} that bypasses W_hh.
   */
  lstmCellBackward(act: TypedArray, cPrev: TypedArray, c: TypedArray, dy: TypedArray, dh: TypedArray, dc: TypedArray, dGates: TypedArray, dhPrev: TypedArray, step: CellStep): void;
  /**
   * GRU, gate order r, z, n, with b_hn inside the reset product. xg [B,3H] = W_ih·x + b_ih,
   * hg [B,3H] = W_hh·h (no bias). Writes act [B,3H] = (r, z, n), hn [B,H] = W_hn·h + b_hn.
   *   r = σ(x_r + h_r), z = σ(x_z + h_z), n = tanh(x_n + r⊙hn), h = (1−z)⊙n + z⊙hPrev
   */
  gruCell(xg: TypedArray, hg: TypedArray, bias: TypedArray | null, hPrev: TypedArray, act: TypedArray, hn: TypedArray, h: TypedArray, y: TypedArray, step: CellStep): void;
  /**
   * Backward of gruCell. Out: dh ← total ∂L/∂h_t, dGx ← ∂L/∂xg, dGh ← ∂L/∂(hg + b_hh),
   * dhPrev ← the part of ∂L/∂h_{t−1} that bypasses W_hh (z⊙dh).
   */
  gruCellBackward(act: TypedArray, hn: TypedArray, hPrev: TypedArray, dy: TypedArray, dh: TypedArray, dGx: TypedArray, dGh: TypedArray, dhPrev: TypedArray, step: CellStep): void;
  /** Elman RNN: pre [B,H] = W_ih·x + b_ih + W_hh·h; h = act(pre + b_hh) with act tanh or relu. */
  rnnCell(pre: TypedArray, bias: TypedArray | null, hPrev: TypedArray, h: TypedArray, y: TypedArray, relu: boolean, step: CellStep): void;
  /** Backward of rnnCell from h (= y on active rows): dh ← total ∂L/∂h_t, dPre ← ∂L/∂pre, dhPrev as above. */
  rnnCellBackward(h: TypedArray, dy: TypedArray, dh: TypedArray, dPre: TypedArray, dhPrev: TypedArray, relu: boolean, step: CellStep): void;

  // ---- Optional: a whole recurrent scan in one call. src/core/ops/rnn.ts's per-step loop of
  // gemm + cell kernels is the reference; a backend whose kernels copy operands into their
  // own memory implements these to copy W_hh (and the saved states) once per scan instead of
  // once per step. Each returns false when it does not take the case (dtype, size, memory),
  // and the caller then runs the per-step loop.

  /**
   * A whole batch's convolution product in one call: src/core/ops/conv.ts's per-image loop of
   * im2col/col2im and gemm is the reference, and runs when this is absent or returns false. A
   * backend with its own memory copies the weights and the batch in once instead of per image.
   */
  convBatch?(c: ConvBatchArgs): boolean;

  /**
   * One Adam/AdamW step in place (src/optim/adam.ts's adamUpdate is the reference loop, and
   * runs when this is absent or returns false: other dtypes, small tensors).
   */
  adamStep?(a: AdamStepArgs): boolean;

  /** recurrentScan's forward: every step, in processing order. */
  scanForward?(s: ScanForwardArgs): boolean;
  /** recurrentScan's backward through time, plus ∂L/∂W_hh and ∂L/∂b_hh when asked. */
  scanBackward?(s: ScanBackwardArgs): boolean;
}

/**
 * One of the three convolution products over a batch of N images in `groups` groups
 * (cg = C/groups input and og = O/groups output channels per group, ckk = cg·kh·kw, P = oh·ow):
 *   forward:    y[n, o] = W · col(x[n])              a = x [N,C,H,W], b = W [O,ckk], out = y [N,O,P]
 *   inputGrad:  dx[n] = col2im(Wᵀ · dy[n])            a = dy [N,O,P],  b = W,         out = dx [N,C,H,W] (zeroed)
 *   weightGrad: dW = Σₙ dy[n] · col(x[n])ᵀ            a = x,           b = dy,        out = dW [O,ckk] (zeroed)
 */
export interface ConvBatchArgs {
  kind: "forward" | "inputGrad" | "weightGrad";
  a: TypedArray;
  b: TypedArray;
  out: TypedArray;
  n: number;
  c: number;
  o: number;
  groups: number;
  g: ConvGeom;
}

/** An Adam step's arrays (updated in place) and its scalars for this step (see adamUpdate). */
export interface AdamStepArgs {
  param: TypedArray;
  grad: TypedArray;
  expAvg: TypedArray;
  expAvgSq: TypedArray;
  /** The running max of expAvgSq (amsgrad), else null. */
  maxExpAvgSq: TypedArray | null;
  beta1: number;
  beta2: number;
  eps: number;
  /** L2 weight decay added to the gradient (Adam); 0 when decoupled. */
  weightDecay: number;
  /** The factor the parameter is multiplied by first (AdamW: 1 − lr·λ), else 1. */
  decay: number;
  /** lr / (1 − β1ᵗ). */
  stepSize: number;
  /** √(1 − β2ᵗ). */
  bc2Sqrt: number;
  maximize: boolean;
}

/** What both halves of a fused scan get: sizes, direction, lengths and W_hh [G·H, H]. */
export interface ScanArgs {
  mode: "lstm" | "gru" | "rnnTanh" | "rnnRelu";
  T: number;
  B: number;
  H: number;
  reverse: boolean;
  lengths: Int32Array | null;
  wHh: TypedArray;
}

/** Arrays are indexed by time ([T, B, ·]), as recurrentScan saves them. */
export interface ScanForwardArgs extends ScanArgs {
  /** [T, B, G·H] = x·W_ihᵀ + b_ih (read only). */
  xProj: TypedArray;
  bHh: TypedArray | null;
  h0: TypedArray;
  c0: TypedArray | null;
  /** Out: h_t [T, B, H]. */
  hs: TypedArray;
  /** Out (LSTM): c_t [T, B, H]. */
  cs: TypedArray | null;
  /** Out (LSTM, GRU): the gate activations [T, B, G·H]. */
  act: TypedArray | null;
  /** Out (GRU): W_hn·h_{t−1} + b_hn [T, B, H]. */
  hn: TypedArray | null;
  /** Out: y_t in its first T·B·H entries. */
  y: TypedArray;
}

export interface ScanBackwardArgs extends ScanArgs {
  h0: TypedArray;
  c0: TypedArray | null;
  hs: TypedArray;
  cs: TypedArray | null;
  act: TypedArray | null;
  hn: TypedArray | null;
  /** ∂L/∂y_t in its first T·B·H entries. */
  gy: TypedArray;
  /** [B, H]; in: ∂L/∂h_T; out: ∂L/∂h0. */
  dh: TypedArray;
  /** (LSTM) [B, H]; in: ∂L/∂c_T; out: ∂L/∂c0. */
  dc: TypedArray | null;
  /** Out: ∂L/∂xProj [T, B, G·H]. */
  dP: TypedArray;
  /** Out (GRU), if given: ∂L/∂(W_hh·h + b_hh) [T, B, G·H] (for the others it is dP). */
  dGh: TypedArray | null;
  /** Out, if given: the total ∂L/∂h_t [T, B, H]. */
  gradH: TypedArray | null;
  /** Out, if given: ∂L/∂W_hh [G·H, H] (overwritten). */
  dW: TypedArray | null;
  /** Out, if given: ∂L/∂b_hh [G·H] (overwritten). */
  dB: TypedArray | null;
}

/** One time step of a recurrent cell kernel: sizes, the step index and the optional per-row lengths. */
export interface CellStep {
  batch: number;
  hidden: number;
  /** The time index of this step (compared with lengths). */
  t: number;
  /** Per-row sequence lengths, or null when every row is active at every step. */
  lengths: Int32Array | null;
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
