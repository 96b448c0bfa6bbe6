import { type GradOps, type Node, runBackward } from "./autograd.js";
import { type DType, type TypedArray, allocArray, isFloat } from "./dtype.js";
import { fail, fmtShape } from "./errors.js";
import { numel, type Shape, sameShape } from "./shape.js";
import { getBackend } from "../kernels/registry.js";
import * as B from "./ops/binary.js";
import * as U from "./ops/unary.js";
import * as R from "./ops/reduce.js";
import * as S from "./ops/shape.js";
import * as SL from "./ops/slice.js";
import * as I from "./ops/indexing.js";
import { matmul } from "./ops/matmul.js";
import { logSoftmax, softmax } from "./ops/softmax.js";
import { castTo, cloneOp } from "./ops/cast.js";
import { formatTensor } from "./format.js";

export type NestedArray = number | NestedArray[];
type Other = Tensor | number;

/**
 * An n-dimensional array with reverse-mode autograd. Storage is one contiguous typed array
 * (row-major) of exactly numel() elements; reshape and dim-0 slices share it, every other
 * layout change copies. Create tensors with `tensor()`, `zeros()`, `randn()`, …
 */
export class Tensor {
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** Gradient accumulated by backward(); null until then. */
  grad: Tensor | null = null;
  /** The node that made this tensor (null for leaves and tensors outside a graph). */
  gradFn: Node | null = null;
  private _data: TypedArray;
  private _requiresGrad = false;
  private _retainGrad = false;

  /** @internal Use tensor() and friends; this trusts its arguments. */
  constructor(data: TypedArray, shape: readonly number[], dtype: DType) {
    this._data = data;
    this.shape = Object.freeze(shape.slice());
    this.dtype = dtype;
  }

  /** The elements, contiguous and row-major. Writing to it changes the tensor (and tensors sharing its storage). */
  get data(): TypedArray {
    return this._data;
  }

  get requiresGrad(): boolean {
    return this._requiresGrad;
  }

  set requiresGrad(value: boolean) {
    if (value && !isFloat(this.dtype)) fail("requiresGrad", `only floating-point tensors can require gradients, got ${this.dtype}`);
    if (!value && this.gradFn !== null) fail("requiresGrad", "cannot turn off requiresGrad on a non-leaf tensor; use detach()");
    this._requiresGrad = value;
  }

  /** Sets requiresGrad in place and returns this (PyTorch's requires_grad_). */
  requiresGrad_(value = true): this {
    this.requiresGrad = value;
    return this;
  }

  /** @internal Called by autograd.record. */
  _setGradFn(node: Node): void {
    this.gradFn = node;
    this._requiresGrad = true;
  }

  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /** Whether backward() stores this non-leaf tensor's gradient in .grad. */
  get retainsGrad(): boolean {
    return this._retainGrad;
  }

  /** Asks backward() to keep this non-leaf tensor's gradient in .grad (leaves always do). */
  retainGrad(): this {
    if (!this._requiresGrad) fail("retainGrad", "tensor does not require grad");
    this._retainGrad = true;
    return this;
  }

  get ndim(): number {
    return this.shape.length;
  }

  dim(): number {
    return this.shape.length;
  }

  numel(): number {
    return this._data.length;
  }

  /** The whole shape, or one dimension's size (negative dims count from the end). */
  size(): number[];
  size(dim: number): number;
  size(dim?: number): number[] | number {
    if (dim === undefined) return this.shape.slice();
    return this.shape[S.normDimFor("size", dim, this.ndim)];
  }

  /** The value of a one-element tensor. */
  item(): number {
    if (this._data.length !== 1) fail("item", `only one-element tensors can be converted to a number, got shape ${fmtShape(this.shape)}`);
    return this._data[0];
  }

  /** Nested arrays of numbers (a number for a 0-d tensor). */
  toArray(): NestedArray {
    const d = this._data;
    const build = (dim: number, offset: number, stride: number): NestedArray => {
      if (dim === this.shape.length) return d[offset];
      const n = this.shape[dim];
      const inner = stride / (n || 1);
      const out: NestedArray[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = build(dim + 1, offset + i * inner, inner);
      return out;
    };
    return build(0, 0, this._data.length);
  }

  /**
   * Back-propagates from this tensor. A scalar needs no gradient argument; a non-scalar
   * needs dL/d(this) of its shape. Frees the graph unless retainGraph.
   */
  backward(grad?: Tensor | number, options: { retainGraph?: boolean } = {}): void {
    if (!this._requiresGrad) fail("backward", "tensor does not require grad and has no gradFn (was it computed under noGrad, from non-grad inputs, or by a non-differentiable op?)");
    let g: Tensor;
    if (grad === undefined) {
      if (this._data.length !== 1) fail("backward", `grad can be omitted only for scalar outputs; this output has shape ${fmtShape(this.shape)}, so pass a gradient of that shape`);
      g = new Tensor(allocArray(this.dtype, 1).fill(1), this.shape, this.dtype);
    } else if (typeof grad === "number") {
      if (this._data.length !== 1) fail("backward", `a number gradient needs a scalar output; this output has shape ${fmtShape(this.shape)}`);
      g = new Tensor(allocArray(this.dtype, 1).fill(grad), this.shape, this.dtype);
    } else {
      if (!sameShape(grad.shape, this.shape)) fail("backward", `grad has shape ${fmtShape(grad.shape)} but the output has shape ${fmtShape(this.shape)}`);
      g = grad.dtype === this.dtype ? grad.detach() : castTo(grad.detach(), this.dtype);
    }
    runBackward(this, g, options.retainGraph ?? false, gradOps);
  }

  /** A tensor sharing this one's storage, outside any graph. */
  detach(): Tensor {
    return new Tensor(this._data, this.shape, this.dtype);
  }

  /** A copy with its own storage; differentiable. */
  clone(): Tensor {
    return cloneOp(this);
  }

  /** Converts to another dtype (differentiable between float types); returns this if already that dtype. */
  to(dtype: DType): Tensor {
    return dtype === this.dtype ? this : castTo(this, dtype);
  }
  float(): Tensor { return this.to("float32"); }
  double(): Tensor { return this.to("float64"); }
  int(): Tensor { return this.to("int32"); }

  toString(): string {
    return formatTensor(this);
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return formatTensor(this);
  }

  // ---- element-wise (src/core/ops/unary.ts, binary.ts) ----
  add(other: Other): Tensor { return B.add(this, other); }
  sub(other: Other): Tensor { return B.sub(this, other); }
  mul(other: Other): Tensor { return B.mul(this, other); }
  div(other: Other): Tensor { return B.div(this, other); }
  pow(exponent: Other): Tensor { return B.pow(this, exponent); }
  maximum(other: Other): Tensor { return B.maximum(this, other); }
  minimum(other: Other): Tensor { return B.minimum(this, other); }
  eq(other: Other): Tensor { return B.eq(this, other); }
  ne(other: Other): Tensor { return B.ne(this, other); }
  lt(other: Other): Tensor { return B.lt(this, other); }
  le(other: Other): Tensor { return B.le(this, other); }
  gt(other: Other): Tensor { return B.gt(this, other); }
  ge(other: Other): Tensor { return B.ge(this, other); }
  neg(): Tensor { return U.neg(this); }
  abs(): Tensor { return U.abs(this); }
  sign(): Tensor { return U.sign(this); }
  exp(): Tensor { return U.exp(this); }
  log(): Tensor { return U.log(this); }
  log1p(): Tensor { return U.log1p(this); }
  sqrt(): Tensor { return U.sqrt(this); }
  rsqrt(): Tensor { return U.rsqrt(this); }
  square(): Tensor { return U.square(this); }
  reciprocal(): Tensor { return U.reciprocal(this); }
  sin(): Tensor { return U.sin(this); }
  cos(): Tensor { return U.cos(this); }
  tanh(): Tensor { return U.tanh(this); }
  sigmoid(): Tensor { return U.sigmoid(this); }
  relu(): Tensor { return U.relu(this); }
  leakyRelu(negativeSlope = 0.01): Tensor { return U.leakyRelu(this, negativeSlope); }
  elu(alpha = 1): Tensor { return U.elu(this, alpha); }
  gelu(): Tensor { return U.gelu(this); }
  softplus(beta = 1, threshold = 20): Tensor { return U.softplus(this, beta, threshold); }
  clamp(min?: number | null, max?: number | null): Tensor { return U.clamp(this, min, max); }

  // ---- reductions (src/core/ops/reduce.ts, softmax.ts) ----
  sum(dim?: number | number[], keepdim = false): Tensor { return R.sum(this, dim, keepdim); }
  mean(dim?: number | number[], keepdim = false): Tensor { return R.mean(this, dim, keepdim); }
  var(dim?: number | number[], options?: R.VarOptions): Tensor { return R.variance(this, dim, options); }
  std(dim?: number | number[], options?: R.VarOptions): Tensor { return R.std(this, dim, options); }
  /** max() of all elements, or max(dim) → [values, indices] like torch.max. */
  max(): Tensor;
  max(dim: number, keepdim?: boolean): [Tensor, Tensor];
  max(dim?: number, keepdim = false): Tensor | [Tensor, Tensor] { return dim === undefined ? R.amax(this) : R.maxDim(this, dim, keepdim, "max"); }
  min(): Tensor;
  min(dim: number, keepdim?: boolean): [Tensor, Tensor];
  min(dim?: number, keepdim = false): Tensor | [Tensor, Tensor] { return dim === undefined ? R.amin(this) : R.maxDim(this, dim, keepdim, "min"); }
  amax(dim?: number | number[], keepdim = false): Tensor { return R.amax(this, dim, keepdim); }
  amin(dim?: number | number[], keepdim = false): Tensor { return R.amin(this, dim, keepdim); }
  argmax(dim?: number, keepdim = false): Tensor { return R.argmax(this, dim, keepdim); }
  argmin(dim?: number, keepdim = false): Tensor { return R.argmin(this, dim, keepdim); }
  logsumexp(dim?: number | number[], keepdim = false): Tensor { return R.logsumexp(this, dim, keepdim); }
  softmax(dim: number): Tensor { return softmax(this, dim); }
  logSoftmax(dim: number): Tensor { return logSoftmax(this, dim); }

  // ---- linear algebra ----
  matmul(other: Tensor): Tensor { return matmul(this, other); }

  // ---- shape (src/core/ops/shape.ts, slice.ts) ----
  reshape(shape: readonly number[]): Tensor { return S.reshape(this, shape); }
  view(shape: readonly number[]): Tensor { return S.reshape(this, shape); }
  flatten(startDim = 0, endDim = -1): Tensor { return S.flatten(this, startDim, endDim); }
  squeeze(dim?: number | number[]): Tensor { return S.squeeze(this, dim); }
  unsqueeze(dim: number): Tensor { return S.unsqueeze(this, dim); }
  transpose(dim0: number, dim1: number): Tensor { return S.transpose(this, dim0, dim1); }
  /** 2-D transpose (a 0-d or 1-D tensor is returned as is), like torch.Tensor.t. */
  t(): Tensor { return this.ndim < 2 ? this : S.transpose(this, 0, 1); }
  permute(dims: readonly number[]): Tensor { return S.permute(this, dims); }
  expand(shape: readonly number[]): Tensor { return S.expand(this, shape); }
  expandAs(other: Tensor): Tensor { return S.expand(this, other.shape); }
  flip(dims: number | readonly number[]): Tensor { return SL.flip(this, dims); }
  slice(dim: number, start?: number | null, end?: number | null, step = 1): Tensor { return SL.slice(this, dim, start, end, step); }
  narrow(dim: number, start: number, length: number): Tensor { return SL.narrow(this, dim, start, length); }
  select(dim: number, index: number): Tensor { return SL.select(this, dim, index); }
  /** NumPy-style basic indexing: numbers select, "a:b:c" slices, null or ":" keeps a dim, "..." fills. */
  index(...parts: SL.IndexPart[]): Tensor { return SL.index(this, parts); }
  split(sizeOrSections: number | readonly number[], dim = 0): Tensor[] { return SL.split(this, sizeOrSections, dim); }
  chunk(chunks: number, dim = 0): Tensor[] { return SL.chunk(this, chunks, dim); }

  // ---- indexing (src/core/ops/indexing.ts) ----
  indexSelect(dim: number, index: Tensor): Tensor { return I.indexSelect(this, dim, index); }
  gather(dim: number, index: Tensor): Tensor { return I.gather(this, dim, index); }
  scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor { return I.scatterAdd(this, dim, index, src); }
}

/** What the autograd engine needs from tensors, without a circular import. */
const gradOps: GradOps = {
  add: (a, b) => B.add(a, b),
  cast: (t, like) => castTo(t, like.dtype),
  copyOf: (t) => {
    const data = getBackend().alloc(t.dtype, t.numel());
    data.set(t.data);
    return new Tensor(data, t.shape, t.dtype);
  },
  accumulateInto: (target, g) => {
    getBackend().binary("add", target.data, unitStrides(target), g.data, unitStrides(g), target.data, target.shape);
  },
};

function unitStrides(t: Tensor): number[] {
  return S.stridesOf(t.shape);
}

/** @internal Makes a tensor around a fresh or shared array (used by ops). */
export function makeTensor(data: TypedArray, shape: Shape, dtype: DType): Tensor {
  if (data.length !== numel(shape)) fail("internal", `array of ${data.length} elements for shape ${fmtShape(shape)}`);
  return new Tensor(data, shape, dtype);
}
