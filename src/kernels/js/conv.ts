import type { TypedArray } from "../../core/dtype.js";
import type { ConvGeom } from "../backend.js";

/** col[(c·kh + ki)·kw + kj, oy·ow + ox] = x[c, oy·sh − ph + ki·dh, ox·sw − pw + kj·dw] (0 outside). */
export function im2col(x: TypedArray, xOff: number, col: TypedArray, colOff: number, g: ConvGeom): void {
  const { c: C, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow } = g;
  const plane = oh * ow;
  for (let c = 0; c < C; c++)
    for (let ki = 0; ki < kh; ki++)
      for (let kj = 0; kj < kw; kj++) {
        const rowBase = colOff + ((c * kh + ki) * kw + kj) * plane;
        for (let oy = 0; oy < oh; oy++) {
          const iy = oy * sh - ph + ki * dh;
          const dst = rowBase + oy * ow;
          if (iy < 0 || iy >= h) { col.fill(0, dst, dst + ow); continue; }
          const src = xOff + (c * h + iy) * w;
          for (let ox = 0; ox < ow; ox++) {
            const ix = ox * sw - pw + kj * dw;
            col[dst + ox] = ix >= 0 && ix < w ? x[src + ix] : 0;
          }
        }
      }
}

/** The adjoint of im2col: every column entry is added back to the pixel it was read from. */
export function col2im(col: TypedArray, colOff: number, x: TypedArray, xOff: number, g: ConvGeom): void {
  const { c: C, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow } = g;
  const plane = oh * ow;
  for (let c = 0; c < C; c++)
    for (let ki = 0; ki < kh; ki++)
      for (let kj = 0; kj < kw; kj++) {
        const rowBase = colOff + ((c * kh + ki) * kw + kj) * plane;
        for (let oy = 0; oy < oh; oy++) {
          const iy = oy * sh - ph + ki * dh;
          if (iy < 0 || iy >= h) continue;
          const src = rowBase + oy * ow;
          const dst = xOff + (c * h + iy) * w;
          for (let ox = 0; ox < ow; ox++) {
            const ix = ox * sw - pw + kj * dw;
            if (ix >= 0 && ix < w) x[dst + ix] += col[src + ox];
          }
        }
      }
}

export function maxPool2d(x: TypedArray, out: TypedArray, argmax: Int32Array, planes: number, g: ConvGeom): void {
  const { h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow } = g;
  for (let p = 0; p < planes; p++) {
    const xb = p * h * w;
    for (let oy = 0; oy < oh; oy++)
      for (let ox = 0; ox < ow; ox++) {
        let best = -Infinity;
        let arg = -1;
        for (let ki = 0; ki < kh; ki++) {
          const iy = oy * sh - ph + ki * dh;
          if (iy < 0 || iy >= h) continue;
          for (let kj = 0; kj < kw; kj++) {
            const ix = ox * sw - pw + kj * dw;
            if (ix < 0 || ix >= w) continue;
            const v = x[xb + iy * w + ix];
            // Padding counts as -inf; NaN wins, as in PyTorch.
            if (v > best || v !== v || arg < 0) { best = v; arg = iy * w + ix; if (v !== v) break; }
          }
          if (best !== best) break;
        }
        const k = (p * oh + oy) * ow + ox;
        out[k] = best;
        argmax[k] = arg;
      }
  }
}

/** Window bounds as PyTorch computes them: clipped to the padded input, then to the input. */
function avgWindow(o: number, s: number, pad: number, k: number, size: number): [number, number, number] {
  let start = o * s - pad;
  let end = Math.min(start + k, size + pad);
  const padded = end - start;
  start = Math.max(start, 0);
  end = Math.min(end, size);
  return [start, end, padded];
}

export function avgPool2d(x: TypedArray, out: TypedArray, planes: number, g: ConvGeom, countIncludePad: boolean): void {
  const { h, w, kh, kw, sh, sw, ph, pw, oh, ow } = g;
  for (let p = 0; p < planes; p++)
    for (let oy = 0; oy < oh; oy++) {
      const [y0, y1, py] = avgWindow(oy, sh, ph, kh, h);
      for (let ox = 0; ox < ow; ox++) {
        const [x0, x1, px] = avgWindow(ox, sw, pw, kw, w);
        let s = 0;
        for (let iy = y0; iy < y1; iy++) for (let ix = x0; ix < x1; ix++) s += x[(p * h + iy) * w + ix];
        const div = countIncludePad ? py * px : (y1 - y0) * (x1 - x0);
        out[(p * oh + oy) * ow + ox] = s / div;
      }
    }
}

export function avgPool2dBackward(gy: TypedArray, gx: TypedArray, planes: number, g: ConvGeom, countIncludePad: boolean): void {
  const { h, w, kh, kw, sh, sw, ph, pw, oh, ow } = g;
  for (let p = 0; p < planes; p++)
    for (let oy = 0; oy < oh; oy++) {
      const [y0, y1, py] = avgWindow(oy, sh, ph, kh, h);
      for (let ox = 0; ox < ow; ox++) {
        const [x0, x1, px] = avgWindow(ox, sw, pw, kw, w);
        const div = countIncludePad ? py * px : (y1 - y0) * (x1 - x0);
        const v = gy[(p * oh + oy) * ow + ox] / div;
        for (let iy = y0; iy < y1; iy++) for (let ix = x0; ix < x1; ix++) gx[(p * h + iy) * w + ix] += v;
      }
    }
}
