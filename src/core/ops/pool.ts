import { record } from "../autograd.js";
import { fail, fmtShape } from "../errors.js";
import type { Tensor } from "../tensor.js";
import type { ConvGeom } from "../../kernels/backend.js";
import { getBackend } from "../../kernels/registry.js";
import { tensor } from "./creation.js";
import { checkTensor, empty, pair } from "./util.js";

export interface Pool2dOptions {
  /** Defaults to the kernel size. */
  stride?: number | [number, number];
  padding?: number | [number, number];
  /** Round the output size up instead of down. */
  ceilMode?: boolean;
}

export interface MaxPool2dOptions extends Pool2dOptions {
  dilation?: number | [number, number];
}

export interface AvgPool2dOptions extends Pool2dOptions {
  /** Count padded cells in the divisor (PyTorch's default, true). */
  countIncludePad?: boolean;
}

/** PyTorch's pooling output size, including its ceil-mode rule that the last window must start inside the (left-padded) input. */
function poolOutSize(size: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  const span = size + 2 * p - d * (k - 1) - 1;
  let out = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  if (ceil && (out - 1) * s >= size + p) out--;
  return out;
}

function geometry(op: string, x: Tensor, kernelSize: number | [number, number], o: MaxPool2dOptions): ConvGeom {
  if (x.ndim !== 3 && x.ndim !== 4) fail(op, `input must be [N, C, H, W] or [C, H, W], got ${fmtShape(x.shape)}`);
  const [kh, kw] = pair(op, "kernelSize", kernelSize, 1);
  const [sh, sw] = pair(op, "stride", o.stride ?? [kh, kw], 1);
  const [ph, pw] = pair(op, "padding", o.padding ?? 0, 0);
  const [dh, dw] = pair(op, "dilation", o.dilation ?? 1, 1);
  if (ph > kh / 2 || pw > kw / 2) fail(op, `padding [${ph},${pw}] must be at most half the kernel size [${kh},${kw}]`);
  const [h, w] = x.shape.slice(-2);
  const oh = poolOutSize(h, kh, sh, ph, dh, o.ceilMode ?? false);
  const ow = poolOutSize(w, kw, sw, pw, dw, o.ceilMode ?? false);
  if (oh < 1 || ow < 1) fail(op, `input ${fmtShape(x.shape)} is too small for kernel [${kh},${kw}]`);
  return { c: 1, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow };
}

/** Max over each window; the gradient goes to the window's winner. */
export function maxPool2d(x: Tensor, kernelSize: number | [number, number], options: MaxPool2dOptions = {}): Tensor {
  checkTensor("maxPool2d", "x", x);
  const g = geometry("maxPool2d", x, kernelSize, options);
  const planes = x.numel() / (g.h * g.w);
  const shape = [...x.shape.slice(0, -2), g.oh, g.ow];
  const out = empty(shape, x.dtype);
  const argmax = new Int32Array(planes * g.oh * g.ow);
  getBackend().maxPool2d(x.data, out.data, argmax, planes, g);
  return record("maxPool2d", out, [x], (gy) => {
    const gx = empty(x.shape, gy.dtype);
    getBackend().scatterAdd(gx.data, argmax, gy.data, planes, g.h * g.w, 1, g.oh * g.ow);
    return [gx];
  });
}

/** Mean over each window (torch.nn.functional.avg_pool2d). */
export function avgPool2d(x: Tensor, kernelSize: number | [number, number], options: AvgPool2dOptions = {}): Tensor {
  checkTensor("avgPool2d", "x", x);
  const g = geometry("avgPool2d", x, kernelSize, { ...options, dilation: 1 });
  const planes = x.numel() / (g.h * g.w);
  const include = options.countIncludePad ?? true;
  const out = empty([...x.shape.slice(0, -2), g.oh, g.ow], x.dtype);
  getBackend().avgPool2d(x.data, out.data, planes, g, include);
  return record("avgPool2d", out, [x], (gy) => {
    const gx = empty(x.shape, gy.dtype);
    getBackend().avgPool2dBackward(gy.data, gx.data, planes, g, include);
    return [gx];
  });
}

/** PyTorch's nearest rule: src = min(floor(dst·scale), in − 1), scale = in/out in float32. */
export function nearestIndex(dst: number, inSize: number, outSize: number): number {
  if (inSize === outSize) return dst;
  if (outSize === 2 * inSize) return dst >> 1;
  const scale = Math.fround(inSize / outSize);
  return Math.min(Math.floor(Math.fround(dst * scale)), inSize - 1);
}

/**
 * Nearest-neighbour upsampling of the last two dims to `size` or by an integer `scaleFactor`.
 * It is two index selections, so its gradient (summing each source's copies) comes free.
 */
export function upsampleNearest2d(x: Tensor, options: { size?: [number, number]; scaleFactor?: number | [number, number] }): Tensor {
  checkTensor("upsampleNearest2d", "x", x);
  if (x.ndim < 3) fail("upsampleNearest2d", `input must be [N, C, H, W] or [C, H, W], got ${fmtShape(x.shape)}`);
  const [h, w] = x.shape.slice(-2);
  let oh: number, ow: number;
  if (options.size !== undefined && options.scaleFactor === undefined) [oh, ow] = pair("upsampleNearest2d", "size", options.size, 1);
  else if (options.scaleFactor !== undefined && options.size === undefined) {
    const [fh, fw] = pair("upsampleNearest2d", "scaleFactor", options.scaleFactor, 1);
    [oh, ow] = [h * fh, w * fw];
  } else return fail("upsampleNearest2d", "give exactly one of size and scaleFactor");
  const rows = tensor(Array.from({ length: oh }, (_, i) => nearestIndex(i, h, oh)), { dtype: "int32" });
  const cols = tensor(Array.from({ length: ow }, (_, i) => nearestIndex(i, w, ow)), { dtype: "int32" });
  return x.indexSelect(-2, rows).indexSelect(-1, cols);
}
