import { fmtShape } from "../core/errors.js";
import { mm } from "../core/ops/matmul.js";
import { zeros } from "../core/ops/creation.js";
import type { Tensor } from "../core/tensor.js";
import { badShape, floatDType, isTensor, positiveInt } from "./check.js";
import { computeFans, kaimingUniform_, uniform_ } from "./init.js";
import { Module, type ModuleOptions } from "./module.js";

/**
 * y = x·Wᵀ + b (torch.nn.functional.linear), without materialising Wᵀ.
 *
 * - input `[..., inFeatures]`, weight `[outFeatures, inFeatures]`, bias `[outFeatures]` or null
 * - output `[..., outFeatures]`
 *
 * ```ts
 * const y = nn.functional.linear(x, w, b);   // x [batch, 3], w [4, 3] → y [batch, 4]
 * ```
 */
export function linear(input: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  isTensor("linear", "input", input);
  isTensor("linear", "weight", weight);
  if (weight.ndim !== 2) badShape("linear", "weight", "[outFeatures, inFeatures]", weight);
  if (input.ndim === 0 || input.shape[input.ndim - 1] !== weight.shape[1]) {
    badShape("linear", "input", `[..., ${weight.shape[1]}] to match weight ${fmtShape(weight.shape)}`, input);
  }
  const y = input.ndim === 1 ? mm(input.unsqueeze(0), weight, false, true).squeeze(0) : mm(input, weight, false, true);
  return bias === null ? y : y.add(bias);
}

/** Linear's options. */
export interface LinearOptions extends ModuleOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
}

/**
 * Fully connected layer: y = x·Wᵀ + b.
 *
 * - `inFeatures`, `outFeatures`: sizes; options `{ bias = true, dtype = "float32" }`
 * - parameters: `weight` `[outFeatures, inFeatures]`, `bias` `[outFeatures]`, both
 *   U(−1/√inFeatures, 1/√inFeatures) (PyTorch's default)
 * - input `[..., inFeatures]` → output `[..., outFeatures]`
 *
 * ```ts
 * const fc = new nn.Linear(256, 65);
 * const logits = fc.forward(h);   // h [batch, time, 256] → [batch, time, 65]
 * ```
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  weight: Tensor;
  bias: Tensor | null;

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    this.inFeatures = positiveInt("Linear", "inFeatures", inFeatures);
    this.outFeatures = positiveInt("Linear", "outFeatures", outFeatures);
    const dtype = floatDType("Linear", options.dtype);
    this.weight = this.registerParameter("weight", zeros([outFeatures, inFeatures], { dtype }));
    this.bias = this.registerParameter("bias", options.bias === false ? null : zeros([outFeatures], { dtype }));
    this.resetParameters();
  }

  /** PyTorch's default: kaiming_uniform(a=√5) for the weight, U(−1/√fanIn, 1/√fanIn) for the bias. */
  resetParameters(): void {
    kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias) {
      const bound = 1 / Math.sqrt(computeFans(this.weight).fanIn);
      uniform_(this.bias, -bound, bound);
    }
  }

  forward(input: Tensor): Tensor {
    isTensor("Linear", "input", input);
    if (input.ndim === 0 || input.shape[input.ndim - 1] !== this.inFeatures) badShape("Linear", "input", `[..., ${this.inFeatures}] (inFeatures)`, input);
    return linear(input, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `${this.inFeatures}, ${this.outFeatures}, bias=${this.bias !== null}`;
  }
}

/**
 * y = x. A placeholder that keeps a model's structure (and state-dict names) when a layer is switched off.
 *
 * ```ts
 * const norm = useNorm ? new nn.BatchNorm1d(64) : new nn.Identity();
 * ```
 */
export class Identity extends Module {
  forward(input: Tensor): Tensor {
    return input;
  }
}

/**
 * Merges dims startDim..endDim into one (default: everything but the batch dim).
 *
 * - input `[batch, C, H, W]` → output `[batch, C·H·W]` (with the defaults 1, −1)
 *
 * ```ts
 * const flat = new nn.Flatten().forward(images);   // [64, 1, 28, 28] → [64, 784]
 * ```
 */
export class Flatten extends Module {
  constructor(readonly startDim = 1, readonly endDim = -1) {
    super();
  }

  forward(input: Tensor): Tensor {
    isTensor("Flatten", "input", input);
    return input.flatten(this.startDim, this.endDim);
  }

  override extraRepr(): string {
    return `startDim=${this.startDim}, endDim=${this.endDim}`;
  }
}

/**
 * Splits dim `dim` into `sizes` (the inverse of Flatten).
 *
 * - input `[batch, C·H·W]` → output `[batch, C, H, W]` for `new Unflatten(1, [C, H, W])`
 *
 * ```ts
 * const img = new nn.Unflatten(1, [64, 7, 7]).forward(z);   // [batch, 3136] → [batch, 64, 7, 7]
 * ```
 */
export class Unflatten extends Module {
  constructor(readonly dim: number, readonly sizes: readonly number[]) {
    super();
  }

  forward(input: Tensor): Tensor {
    isTensor("Unflatten", "input", input);
    const d = this.dim < 0 ? this.dim + input.ndim : this.dim;
    if (d < 0 || d >= input.ndim) badShape("Unflatten", "input", `a tensor with dim ${this.dim}`, input);
    return input.reshape([...input.shape.slice(0, d), ...this.sizes, ...input.shape.slice(d + 1)]);
  }

  override extraRepr(): string {
    return `dim=${this.dim}, sizes=${fmtShape(this.sizes)}`;
  }
}
