import { record } from "../autograd.js";
import { promoteTypes } from "../dtype.js";
import { fail, fmtShape } from "../errors.js";
import type { Tensor } from "../tensor.js";
import type { ConvGeom } from "../../kernels/backend.js";
import { getBackend } from "../../kernels/registry.js";
import { pad } from "./pad.js";
import { checkTensor, empty, pair } from "./util.js";

/**
 * Convolution as im2col + GEMM, per image and group. Three products cover everything:
 *   forward         Y  = W · col(X)
 *   input grad      dX = col2im(Wᵀ · dY)
 *   weight grad     dW = Σₙ dY · col(X)ᵀ
 * conv2d uses them in that order; convTranspose2d is conv2d's adjoint, so its forward is
 * the "input grad" product and its input grad is the forward one.
 */
export interface Conv2dOptions {
  stride?: number | [number, number];
  /** Zero padding per side, or "valid" (none) or "same" (output size = input size; stride 1). */
  padding?: number | [number, number] | "valid" | "same";
  dilation?: number | [number, number];
  groups?: number;
}

export interface ConvTranspose2dOptions {
  stride?: number | [number, number];
  padding?: number | [number, number];
  outputPadding?: number | [number, number];
  dilation?: number | [number, number];
  groups?: number;
}

/** Y[n, o] = Σ W[o] ⋆ X[n] over the group's channels; x is [N, C, H, W]. */
function convForward(x: Tensor, w: Tensor, g: ConvGeom, groups: number, outChannels: number): Tensor {
  const [N, C] = x.shape;
  const cg = C / groups, og = outChannels / groups;
  const ckk = cg * g.kh * g.kw, P = g.oh * g.ow;
  const be = getBackend();
  const y = empty([N, outChannels, g.oh, g.ow], x.dtype);
  if (x.dtype === w.dtype && be.convBatch?.({ kind: "forward", a: x.data, b: w.data, out: y.data, n: N, c: C, o: outChannels, groups, g })) return y;
  const col = be.alloc(x.dtype, ckk * P);
  for (let n = 0; n < N; n++)
    for (let k = 0; k < groups; k++) {
      be.im2col(x.data, (n * C + k * cg) * g.h * g.w, col, 0, g);
      be.gemm(w.data, k * og * ckk, col, 0, y.data, (n * outChannels + k * og) * P, og, P, ckk, false, false, false);
    }
  return y;
}

/** dX = col2im(Wᵀ·dY): the adjoint of convForward with respect to X. */
function convBackwardInput(gy: Tensor, w: Tensor, g: ConvGeom, groups: number, xShape: readonly number[]): Tensor {
  const [N, C] = xShape;
  const O = gy.shape[1];
  const cg = C / groups, og = O / groups;
  const ckk = cg * g.kh * g.kw, P = g.oh * g.ow;
  const be = getBackend();
  const gx = empty(xShape, gy.dtype);
  if (gy.dtype === w.dtype && be.convBatch?.({ kind: "inputGrad", a: gy.data, b: w.data, out: gx.data, n: N, c: C, o: O, groups, g })) return gx;
  const col = be.alloc(gy.dtype, ckk * P);
  for (let n = 0; n < N; n++)
    for (let k = 0; k < groups; k++) {
      be.gemm(w.data, k * og * ckk, gy.data, (n * O + k * og) * P, col, 0, ckk, P, og, true, false, false);
      be.col2im(col, 0, gx.data, (n * C + k * cg) * g.h * g.w, g);
    }
  return gx;
}

/** dW = Σₙ dY·col(X)ᵀ: the adjoint of convForward with respect to W. */
function convBackwardWeight(x: Tensor, gy: Tensor, g: ConvGeom, groups: number, wShape: readonly number[]): Tensor {
  const [N, C] = x.shape;
  const O = gy.shape[1];
  const cg = C / groups, og = O / groups;
  const ckk = cg * g.kh * g.kw, P = g.oh * g.ow;
  const be = getBackend();
  const gw = empty(wShape, x.dtype);
  if (x.dtype === gy.dtype && be.convBatch?.({ kind: "weightGrad", a: x.data, b: gy.data, out: gw.data, n: N, c: C, o: O, groups, g })) return gw;
  const col = be.alloc(x.dtype, ckk * P);
  for (let n = 0; n < N; n++)
    for (let k = 0; k < groups; k++) {
      be.im2col(x.data, (n * C + k * cg) * g.h * g.w, col, 0, g);
      be.gemm(gy.data, (n * O + k * og) * P, col, 0, gw.data, k * og * ckk, og, ckk, P, false, true, true);
    }
  return gw;
}

/** Output length of a strided, padded, dilated window sweep. */
export function convOutSize(size: number, k: number, s: number, p: number, d: number): number {
  return Math.floor((size + 2 * p - d * (k - 1) - 1) / s) + 1;
}

/** Unbatched [C,H,W] inputs are run as a batch of one, as PyTorch allows. */
function batched(op: string, x: Tensor): [Tensor, boolean] {
  if (x.ndim === 3) return [x.unsqueeze(0), true];
  if (x.ndim !== 4) fail(op, `input must be [N, C, H, W] or [C, H, W], got ${fmtShape(x.shape)}`);
  return [x, false];
}

function checkGroups(op: string, groups: number): number {
  if (!Number.isInteger(groups) || groups < 1) fail(op, `groups must be a positive integer, got ${groups}`);
  return groups;
}

function sameDtype(x: Tensor, w: Tensor): [Tensor, Tensor] {
  const d = promoteTypes(x.dtype, w.dtype);
  return [x.to(d), w.to(d)];
}

function addBias(op: string, y: Tensor, bias: Tensor | null | undefined, channels: number): Tensor {
  if (bias == null) return y;
  checkTensor(op, "bias", bias);
  if (bias.ndim !== 1 || bias.shape[0] !== channels) fail(op, `bias must be [${channels}], got ${fmtShape(bias.shape)}`);
  return y.add(bias.reshape([1, channels, 1, 1]));
}

/** 2-D cross-correlation (PyTorch's conv2d): x [N, C, H, W], weight [O, C/groups, kh, kw], bias [O]. */
export function conv2d(input: Tensor, weight: Tensor, bias?: Tensor | null, options: Conv2dOptions = {}): Tensor {
  checkTensor("conv2d", "input", input);
  checkTensor("conv2d", "weight", weight);
  let [x, unbatched] = batched("conv2d", input);
  if (weight.ndim !== 4) fail("conv2d", `weight must be [outChannels, inChannels/groups, kh, kw], got ${fmtShape(weight.shape)}`);
  const groups = checkGroups("conv2d", options.groups ?? 1);
  const [O, cg, kh, kw] = weight.shape;
  const C = x.shape[1];
  if (cg * groups !== C) fail("conv2d", `input has ${C} channels but weight ${fmtShape(weight.shape)} with groups=${groups} expects ${cg * groups}`);
  if (O % groups !== 0) fail("conv2d", `outChannels ${O} is not divisible by groups ${groups}`);
  const [sh, sw] = pair("conv2d", "stride", options.stride ?? 1, 1);
  const [dh, dw] = pair("conv2d", "dilation", options.dilation ?? 1, 1);
  let ph: number, pw: number;
  const padding = options.padding ?? 0;
  if (padding === "valid") [ph, pw] = [0, 0];
  else if (padding === "same") {
    if (sh !== 1 || sw !== 1) fail("conv2d", `padding "same" needs stride 1, got stride [${sh},${sw}]`);
    // An odd total padding goes one more to the bottom/right, as PyTorch does.
    const th = dh * (kh - 1), tw = dw * (kw - 1);
    if (th % 2 === 0 && tw % 2 === 0) [ph, pw] = [th / 2, tw / 2];
    else {
      x = pad(x, [Math.floor(tw / 2), tw - Math.floor(tw / 2), Math.floor(th / 2), th - Math.floor(th / 2)]);
      [ph, pw] = [0, 0];
    }
  } else [ph, pw] = pair("conv2d", "padding", padding, 0);
  const [, , H, W] = x.shape;
  const oh = convOutSize(H, kh, sh, ph, dh), ow = convOutSize(W, kw, sw, pw, dw);
  if (oh < 1 || ow < 1) fail("conv2d", `input ${fmtShape(input.shape)} is too small for kernel [${kh},${kw}] with padding [${ph},${pw}] and dilation [${dh},${dw}]`);
  const g: ConvGeom = { c: cg, h: H, w: W, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow };
  const [xx, ww] = sameDtype(x, weight);
  const y = record("conv2d", convForward(xx, ww, g, groups, O), [xx, ww], (gy) => [
    xx.requiresGrad ? convBackwardInput(gy, ww, g, groups, xx.shape) : null,
    ww.requiresGrad ? convBackwardWeight(xx, gy, g, groups, ww.shape) : null,
  ]);
  const out = addBias("conv2d", y, bias, O);
  return unbatched ? out.squeeze(0) : out;
}

/**
 * Transposed convolution (PyTorch's conv_transpose2d): x [N, Cin, H, W], weight
 * [Cin, Cout/groups, kh, kw]; output size (H−1)·s − 2p + d(k−1) + outputPadding + 1.
 */
export function convTranspose2d(input: Tensor, weight: Tensor, bias?: Tensor | null, options: ConvTranspose2dOptions = {}): Tensor {
  checkTensor("convTranspose2d", "input", input);
  checkTensor("convTranspose2d", "weight", weight);
  const [x, unbatched] = batched("convTranspose2d", input);
  if (weight.ndim !== 4) fail("convTranspose2d", `weight must be [inChannels, outChannels/groups, kh, kw], got ${fmtShape(weight.shape)}`);
  const groups = checkGroups("convTranspose2d", options.groups ?? 1);
  const [cin, cog, kh, kw] = weight.shape;
  const [N, C, H, W] = x.shape;
  if (cin !== C) fail("convTranspose2d", `input has ${C} channels but weight ${fmtShape(weight.shape)} expects ${cin}`);
  if (C % groups !== 0) fail("convTranspose2d", `inChannels ${C} is not divisible by groups ${groups}`);
  const [sh, sw] = pair("convTranspose2d", "stride", options.stride ?? 1, 1);
  const [ph, pw] = pair("convTranspose2d", "padding", options.padding ?? 0, 0);
  const [dh, dw] = pair("convTranspose2d", "dilation", options.dilation ?? 1, 1);
  const [oph, opw] = pair("convTranspose2d", "outputPadding", options.outputPadding ?? 0, 0);
  if ((oph >= sh && oph >= dh) || (opw >= sw && opw >= dw)) fail("convTranspose2d", `outputPadding [${oph},${opw}] must be smaller than stride [${sh},${sw}] or dilation [${dh},${dw}]`);
  const OH = (H - 1) * sh - 2 * ph + dh * (kh - 1) + oph + 1;
  const OW = (W - 1) * sw - 2 * pw + dw * (kw - 1) + opw + 1;
  if (OH < 1 || OW < 1) fail("convTranspose2d", `output size [${OH},${OW}] is not positive for input ${fmtShape(input.shape)}`);
  const O = cog * groups;
  // The geometry of the forward conv that maps the output [N, O, OH, OW] back to x.
  const g: ConvGeom = { c: cog, h: OH, w: OW, kh, kw, sh, sw, ph, pw, dh, dw, oh: H, ow: W };
  const [xx, ww] = sameDtype(x, weight);
  const y = record("convTranspose2d", convBackwardInput(xx, ww, g, groups, [N, O, OH, OW]), [xx, ww], (gy) => [
    xx.requiresGrad ? convForward(gy, ww, g, groups, C) : null,
    ww.requiresGrad ? convBackwardWeight(gy, xx, g, groups, ww.shape) : null,
  ]);
  const out = addBias("convTranspose2d", y, bias, O);
  return unbatched ? out.squeeze(0) : out;
}
