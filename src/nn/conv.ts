import { fail } from "../core/errors.js";
import { conv2d, convTranspose2d } from "../core/ops/conv.js";
import { zeros } from "../core/ops/creation.js";
import { pad } from "../core/ops/pad.js";
import { pair } from "../core/ops/util.js";
import type { Tensor } from "../core/tensor.js";
import { badShape, floatDType, isTensor, positiveInt } from "./check.js";
import { computeFans, kaimingUniform_, uniform_ } from "./init.js";
import { Module, type ModuleOptions } from "./module.js";

type Size2 = number | [number, number];

/** Conv2d's options (PyTorch's keyword arguments, camelCased). */
export interface Conv2dOptions extends ModuleOptions {
  stride?: Size2;
  /** Per-side padding, or "valid" (none) / "same" (output size = input size, stride 1). */
  padding?: Size2 | "valid" | "same";
  dilation?: Size2;
  groups?: number;
  bias?: boolean;
  /** How the border is padded: zeros (default), reflect, replicate or circular. */
  paddingMode?: "zeros" | "reflect" | "replicate" | "circular";
}

/** PyTorch's default for conv weights and biases: kaiming_uniform(a=√5), bias U(−1/√fanIn, 1/√fanIn). */
function resetConv(weight: Tensor, bias: Tensor | null): void {
  kaimingUniform_(weight, { a: Math.sqrt(5) });
  if (bias) {
    const { fanIn } = computeFans(weight);
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    uniform_(bias, -bound, bound);
  }
}

function divisible(op: string, channels: number, what: string, groups: number): void {
  if (channels % groups !== 0) fail(op, `${what} (${channels}) must be divisible by groups (${groups})`);
}

/**
 * 2-D convolution (cross-correlation, as PyTorch):
 * y[n, o] = b[o] + Σ_c W[o, c] ⋆ x[n, c], over the channels of o's group.
 *
 * - `inChannels`, `outChannels`, `kernelSize`; options `{ stride = 1, padding = 0,
 *   dilation = 1, groups = 1, bias = true, paddingMode = "zeros", dtype }`
 * - parameters: `weight` `[outChannels, inChannels/groups, kh, kw]`, `bias` `[outChannels]`
 * - input `[batch, inChannels, H, W]` (or `[inChannels, H, W]`) → output
 *   `[batch, outChannels, H', W']`, H' = ⌊(H + 2·pad − dilation·(kh − 1) − 1)/stride⌋ + 1
 *
 * ```ts
 * const conv = new nn.Conv2d(1, 32, 3, { padding: 1 });
 * const y = conv.forward(images);   // [64, 1, 28, 28] → [64, 32, 28, 28]
 * ```
 */
export class Conv2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: [number, number];
  readonly options: Required<Omit<Conv2dOptions, "dtype" | "bias">>;
  weight: Tensor;
  bias: Tensor | null;

  constructor(inChannels: number, outChannels: number, kernelSize: Size2, options: Conv2dOptions = {}) {
    super();
    this.inChannels = positiveInt("Conv2d", "inChannels", inChannels);
    this.outChannels = positiveInt("Conv2d", "outChannels", outChannels);
    this.kernelSize = pair("Conv2d", "kernelSize", kernelSize, 1);
    const groups = positiveInt("Conv2d", "groups", options.groups ?? 1);
    divisible("Conv2d", inChannels, "inChannels", groups);
    divisible("Conv2d", outChannels, "outChannels", groups);
    const paddingMode = options.paddingMode ?? "zeros";
    if (!["zeros", "reflect", "replicate", "circular"].includes(paddingMode)) fail("Conv2d", `paddingMode must be "zeros", "reflect", "replicate" or "circular", got ${JSON.stringify(paddingMode)}`);
    const padding = options.padding ?? 0;
    if (typeof padding === "string" && paddingMode !== "zeros") fail("Conv2d", `padding "${padding}" needs paddingMode "zeros"`);
    this.options = { stride: options.stride ?? 1, padding, dilation: options.dilation ?? 1, groups, paddingMode };
    const dtype = floatDType("Conv2d", options.dtype);
    const [kh, kw] = this.kernelSize;
    this.weight = this.registerParameter("weight", zeros([outChannels, inChannels / groups, kh, kw], { dtype }));
    this.bias = this.registerParameter("bias", options.bias === false ? null : zeros([outChannels], { dtype }));
    this.resetParameters();
  }

  resetParameters(): void {
    resetConv(this.weight, this.bias);
  }

  forward(input: Tensor): Tensor {
    isTensor("Conv2d", "input", input);
    const c = input.ndim === 4 ? input.shape[1] : input.ndim === 3 ? input.shape[0] : -1;
    if (c !== this.inChannels) badShape("Conv2d", "input", `[batch, ${this.inChannels}, H, W] (inChannels)`, input);
    const { stride, padding, dilation, groups, paddingMode } = this.options;
    if (paddingMode !== "zeros" && typeof padding !== "string") {
      const [ph, pw] = pair("Conv2d", "padding", padding, 0);
      const padded = pad(input, [pw, pw, ph, ph], { mode: paddingMode });
      return conv2d(padded, this.weight, this.bias, { stride, padding: 0, dilation, groups });
    }
    return conv2d(input, this.weight, this.bias, { stride, padding, dilation, groups });
  }

  override extraRepr(): string {
    const o = this.options;
    return `${this.inChannels}, ${this.outChannels}, kernelSize=[${this.kernelSize}], stride=${JSON.stringify(o.stride)}, padding=${JSON.stringify(o.padding)}` +
      `${o.groups !== 1 ? `, groups=${o.groups}` : ""}${this.bias ? "" : ", bias=false"}`;
  }
}

/** ConvTranspose2d's options (PyTorch's keyword arguments, camelCased). */
export interface ConvTranspose2dOptions extends ModuleOptions {
  stride?: Size2;
  padding?: Size2;
  /** Extra rows/columns on one side of the output, to pick among the sizes a stride allows. */
  outputPadding?: Size2;
  dilation?: Size2;
  groups?: number;
  bias?: boolean;
}

/**
 * 2-D transposed convolution (the adjoint of Conv2d; "deconvolution" in DCGAN).
 *
 * - `inChannels`, `outChannels`, `kernelSize`; options `{ stride = 1, padding = 0,
 *   outputPadding = 0, dilation = 1, groups = 1, bias = true, dtype }`
 * - parameters: `weight` `[inChannels, outChannels/groups, kh, kw]` (PyTorch's layout),
 *   `bias` `[outChannels]`
 * - input `[batch, inChannels, H, W]` → output `[batch, outChannels, H', W']`,
 *   H' = (H − 1)·stride − 2·padding + dilation·(kh − 1) + outputPadding + 1
 *
 * ```ts
 * const up = new nn.ConvTranspose2d(128, 64, 4, { stride: 2, padding: 1 });
 * const y = up.forward(h);   // [64, 128, 7, 7] → [64, 64, 14, 14]
 * ```
 */
export class ConvTranspose2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: [number, number];
  readonly options: Required<Omit<ConvTranspose2dOptions, "dtype" | "bias">>;
  weight: Tensor;
  bias: Tensor | null;

  constructor(inChannels: number, outChannels: number, kernelSize: Size2, options: ConvTranspose2dOptions = {}) {
    super();
    this.inChannels = positiveInt("ConvTranspose2d", "inChannels", inChannels);
    this.outChannels = positiveInt("ConvTranspose2d", "outChannels", outChannels);
    this.kernelSize = pair("ConvTranspose2d", "kernelSize", kernelSize, 1);
    const groups = positiveInt("ConvTranspose2d", "groups", options.groups ?? 1);
    divisible("ConvTranspose2d", inChannels, "inChannels", groups);
    divisible("ConvTranspose2d", outChannels, "outChannels", groups);
    this.options = {
      stride: options.stride ?? 1, padding: options.padding ?? 0, outputPadding: options.outputPadding ?? 0,
      dilation: options.dilation ?? 1, groups,
    };
    const dtype = floatDType("ConvTranspose2d", options.dtype);
    const [kh, kw] = this.kernelSize;
    this.weight = this.registerParameter("weight", zeros([inChannels, outChannels / groups, kh, kw], { dtype }));
    this.bias = this.registerParameter("bias", options.bias === false ? null : zeros([outChannels], { dtype }));
    this.resetParameters();
  }

  /** As PyTorch: the fans are read from the weight as stored ([in, out/groups, …]), so fanIn = out/groups·kh·kw. */
  resetParameters(): void {
    resetConv(this.weight, this.bias);
  }

  forward(input: Tensor): Tensor {
    isTensor("ConvTranspose2d", "input", input);
    const c = input.ndim === 4 ? input.shape[1] : input.ndim === 3 ? input.shape[0] : -1;
    if (c !== this.inChannels) badShape("ConvTranspose2d", "input", `[batch, ${this.inChannels}, H, W] (inChannels)`, input);
    return convTranspose2d(input, this.weight, this.bias, this.options);
  }

  override extraRepr(): string {
    const o = this.options;
    return `${this.inChannels}, ${this.outChannels}, kernelSize=[${this.kernelSize}], stride=${JSON.stringify(o.stride)}, padding=${JSON.stringify(o.padding)}` +
      `${o.outputPadding !== 0 ? `, outputPadding=${JSON.stringify(o.outputPadding)}` : ""}${this.bias ? "" : ", bias=false"}`;
  }
}
