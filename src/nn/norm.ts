import { noGrad } from "../core/autograd.js";
import { fail, fmtShape } from "../core/errors.js";
import { ones, tensor, zeros } from "../core/ops/creation.js";
import type { Tensor } from "../core/tensor.js";
import { badShape, finiteNumber, floatDType, isTensor, positiveInt } from "./check.js";
import { Module, type ModuleOptions } from "./module.js";

/** Options of nn.functional.batchNorm. */
export interface BatchNormFunctionalOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  /** Use the batch's statistics (and update the running ones if given); default false. */
  training?: boolean;
  momentum?: number;
  eps?: number;
}

/**
 * Batch normalisation over the channel dim 1 (torch.nn.functional.batch_norm):
 * y = (x − μ)/√(σ² + eps)·γ + β, with μ, σ² (biased) over every dim but 1 when training, or
 * the running statistics otherwise. Training also updates the running statistics in place:
 * r_μ ← (1 − m)·r_μ + m·μ and r_σ² ← (1 − m)·r_σ² + m·σ²·n/(n − 1) (the unbiased variance).
 *
 * - input `[batch, C]`, `[batch, C, length]` or `[batch, C, H, W]`; running stats, γ, β `[C]`
 * - output: the input's shape
 *
 * ```ts
 * const y = nn.functional.batchNorm(x, runMean, runVar, { training: true, momentum: 0.1 });
 * ```
 */
export function batchNorm(input: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, options: BatchNormFunctionalOptions = {}): Tensor {
  isTensor("batchNorm", "input", input);
  if (input.ndim < 2) badShape("batchNorm", "input", "[batch, channels, ...]", input);
  const C = input.shape[1];
  const dims = input.shape.map((_, i) => i).filter((i) => i !== 1);
  const bshape = input.shape.map((s, i) => (i === 1 ? s : 1));
  const training = options.training ?? false;
  const eps = options.eps ?? 1e-5;
  const momentum = options.momentum ?? 0.1;
  for (const [name, t] of [["runningMean", runningMean], ["runningVar", runningVar], ["weight", options.weight], ["bias", options.bias]] as const) {
    if (t != null && (t.ndim !== 1 || t.shape[0] !== C)) fail("batchNorm", `${name} must be [${C}] (channels of input ${fmtShape(input.shape)}), got ${fmtShape(t.shape)}`);
  }
  let y: Tensor;
  if (training) {
    const n = input.numel() / C;
    if (n <= 1) fail("batchNorm", `expected more than 1 value per channel when training, got input ${fmtShape(input.shape)}`);
    const mean = input.mean(dims, true);
    const centred = input.sub(mean);
    const variance = centred.square().mean(dims, true);
    if (runningMean !== null && runningVar !== null) {
      noGrad(() => {
        const rm = runningMean.data, rv = runningVar.data, m = mean.data, v = variance.data;
        for (let c = 0; c < C; c++) {
          rm[c] = (1 - momentum) * rm[c] + momentum * m[c];
          rv[c] = (1 - momentum) * rv[c] + (momentum * v[c] * n) / (n - 1);
        }
      });
    }
    y = centred.mul(variance.add(eps).rsqrt());
  } else {
    if (runningMean === null || runningVar === null) fail("batchNorm", "running statistics are needed when not training");
    y = input.sub(runningMean.reshape(bshape)).mul(runningVar.reshape(bshape).add(eps).rsqrt());
  }
  if (options.weight) y = y.mul(options.weight.reshape(bshape));
  if (options.bias) y = y.add(options.bias.reshape(bshape));
  return y;
}

/** BatchNorm1d/2d's options. */
export interface BatchNormOptions extends ModuleOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Running-statistics update rate (default 0.1); null for a cumulative average. */
  momentum?: number | null;
  /** Learn γ (weight, init 1) and β (bias, init 0); default true. */
  affine?: boolean;
  /** Keep running statistics for eval mode (default true); without them eval uses batch statistics. */
  trackRunningStats?: boolean;
}

/** PyTorch's _BatchNorm: the shared machinery of BatchNorm1d and BatchNorm2d. */
abstract class BatchNormBase extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  weight: Tensor | null;
  bias: Tensor | null;
  running_mean: Tensor | null;
  running_var: Tensor | null;
  num_batches_tracked: Tensor | null;

  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super();
    const op = this.typeName;
    this.numFeatures = positiveInt(op, "numFeatures", numFeatures);
    this.eps = finiteNumber(op, "eps", options.eps ?? 1e-5);
    this.momentum = options.momentum === null ? null : finiteNumber(op, "momentum", options.momentum ?? 0.1);
    this.affine = options.affine ?? true;
    this.trackRunningStats = options.trackRunningStats ?? true;
    const dtype = floatDType(op, options.dtype);
    this.weight = this.registerParameter("weight", this.affine ? ones([numFeatures], { dtype }) : null);
    this.bias = this.registerParameter("bias", this.affine ? zeros([numFeatures], { dtype }) : null);
    const track = this.trackRunningStats;
    this.running_mean = this.registerBuffer("running_mean", track ? zeros([numFeatures], { dtype }) : null);
    this.running_var = this.registerBuffer("running_var", track ? ones([numFeatures], { dtype }) : null);
    this.num_batches_tracked = this.registerBuffer("num_batches_tracked", track ? tensor(0, { dtype: "int32" }) : null);
  }

  /** Running mean 0, running variance 1, no batches tracked. */
  resetRunningStats(): void {
    this.running_mean?.data.fill(0);
    this.running_var?.data.fill(1);
    this.num_batches_tracked?.data.fill(0);
  }

  /** γ = 1, β = 0 and fresh running statistics (PyTorch's default). */
  resetParameters(): void {
    this.resetRunningStats();
    this.weight?.data.fill(1);
    this.bias?.data.fill(0);
  }

  protected abstract checkInput(input: Tensor): void;

  forward(input: Tensor): Tensor {
    isTensor(this.typeName, "input", input);
    this.checkInput(input);
    let factor = this.momentum ?? 0;
    if (this.training && this.num_batches_tracked !== null) {
      this.num_batches_tracked.data[0] += 1;
      if (this.momentum === null) factor = 1 / this.num_batches_tracked.data[0];
    }
    const useBatchStats = this.training || this.running_mean === null;
    const track = !this.training || this.trackRunningStats;
    return batchNorm(input, track ? this.running_mean : null, track ? this.running_var : null, {
      weight: this.weight, bias: this.bias, training: useBatchStats, momentum: factor, eps: this.eps,
    });
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.affine}, trackRunningStats=${this.trackRunningStats}`;
  }
}

/**
 * Batch normalisation of features: y = (x − μ)/√(σ² + eps)·γ + β per feature, with the
 * batch's statistics in training (and running statistics updated: momentum 0.1, unbiased
 * variance) and the running statistics in eval mode, exactly as PyTorch.
 *
 * - `numFeatures` C; options `{ eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true, dtype }`
 * - parameters `weight` (γ) and `bias` (β) `[C]`; buffers `running_mean`, `running_var` `[C]`,
 *   `num_batches_tracked` (int32 scalar)
 * - input `[batch, C]` or `[batch, C, length]` → output of the same shape
 *
 * ```ts
 * const bn = new nn.BatchNorm1d(256);
 * const y = bn.forward(h);   // h [64, 256]
 * bn.eval();                 // now uses running_mean / running_var
 * ```
 */
export class BatchNorm1d extends BatchNormBase {
  protected checkInput(input: Tensor): void {
    if ((input.ndim !== 2 && input.ndim !== 3) || input.shape[1] !== this.numFeatures) {
      badShape("BatchNorm1d", "input", `[batch, ${this.numFeatures}] or [batch, ${this.numFeatures}, length] (numFeatures)`, input);
    }
  }
}

/**
 * Batch normalisation of image channels, as BatchNorm1d with statistics over batch, H and W.
 *
 * - `numFeatures` C (channels); same options, parameters and buffers as BatchNorm1d
 * - input `[batch, C, H, W]` → output of the same shape
 *
 * ```ts
 * const bn = new nn.BatchNorm2d(64);
 * const y = bn.forward(conv.forward(x));   // [batch, 64, 14, 14]
 * ```
 */
export class BatchNorm2d extends BatchNormBase {
  protected checkInput(input: Tensor): void {
    if (input.ndim !== 4 || input.shape[1] !== this.numFeatures) badShape("BatchNorm2d", "input", `[batch, ${this.numFeatures}, H, W] (numFeatures)`, input);
  }
}

/**
 * Layer normalisation over the trailing dims (torch.nn.functional.layer_norm):
 * y = (x − μ)/√(σ² + eps)·γ + β, μ and σ² (biased) over the last normalizedShape.length dims.
 *
 * - input `[..., *normalizedShape]`; weight, bias `normalizedShape` or null → output: input's shape
 *
 * ```ts
 * const y = nn.functional.layerNorm(x, [64]);   // x [batch, time, 64]
 * ```
 */
export function layerNorm(input: Tensor, normalizedShape: number | readonly number[], options: { weight?: Tensor | null; bias?: Tensor | null; eps?: number } = {}): Tensor {
  isTensor("layerNorm", "input", input);
  const shape = typeof normalizedShape === "number" ? [normalizedShape] : normalizedShape.slice();
  const k = shape.length;
  if (k === 0 || input.ndim < k || shape.some((s, i) => input.shape[input.ndim - k + i] !== s)) {
    badShape("layerNorm", "input", `[..., ${shape.join(", ")}] (normalizedShape)`, input);
  }
  const dims = shape.map((_, i) => input.ndim - k + i);
  const mean = input.mean(dims, true);
  const centred = input.sub(mean);
  let y = centred.mul(centred.square().mean(dims, true).add(options.eps ?? 1e-5).rsqrt());
  if (options.weight) y = y.mul(options.weight);
  if (options.bias) y = y.add(options.bias);
  return y;
}

/** LayerNorm's options. */
export interface LayerNormOptions extends ModuleOptions {
  eps?: number;
  /** Learn γ (init 1) and β (init 0); default true. */
  elementwiseAffine?: boolean;
  /** With elementwiseAffine, also learn β (default true). */
  bias?: boolean;
}

/**
 * Layer normalisation: each sample normalised over its last dims, with learned γ, β.
 *
 * - `normalizedShape`: the trailing shape (a number for one dim); options `{ eps = 1e-5,
 *   elementwiseAffine = true, bias = true, dtype }`
 * - parameters `weight` (γ), `bias` (β) of `normalizedShape`
 * - input `[batch, time, features]` → output of the same shape (for normalizedShape = features)
 *
 * ```ts
 * const ln = new nn.LayerNorm(256);
 * const y = ln.forward(h);   // h [32, 64, 256]
 * ```
 */
export class LayerNorm extends Module {
  readonly normalizedShape: number[];
  readonly eps: number;
  weight: Tensor | null;
  bias: Tensor | null;

  constructor(normalizedShape: number | readonly number[], options: LayerNormOptions = {}) {
    super();
    this.normalizedShape = (typeof normalizedShape === "number" ? [normalizedShape] : normalizedShape.slice()).map((s, i) => positiveInt("LayerNorm", `normalizedShape[${i}]`, s));
    this.eps = finiteNumber("LayerNorm", "eps", options.eps ?? 1e-5);
    const dtype = floatDType("LayerNorm", options.dtype);
    const affine = options.elementwiseAffine ?? true;
    this.weight = this.registerParameter("weight", affine ? ones(this.normalizedShape, { dtype }) : null);
    this.bias = this.registerParameter("bias", affine && options.bias !== false ? zeros(this.normalizedShape, { dtype }) : null);
  }

  resetParameters(): void {
    this.weight?.data.fill(1);
    this.bias?.data.fill(0);
  }

  forward(input: Tensor): Tensor {
    isTensor("LayerNorm", "input", input);
    const k = this.normalizedShape.length;
    if (input.ndim < k || this.normalizedShape.some((s, i) => input.shape[input.ndim - k + i] !== s)) {
      badShape("LayerNorm", "input", `[..., ${this.normalizedShape.join(", ")}] (normalizedShape)`, input);
    }
    return layerNorm(input, this.normalizedShape, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  override extraRepr(): string {
    return `[${this.normalizedShape}], eps=${this.eps}, elementwiseAffine=${this.weight !== null}`;
  }
}
