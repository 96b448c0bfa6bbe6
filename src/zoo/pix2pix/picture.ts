/**
 * Pictures in and out of the generator, for `predict` (a user's PNG) and the Lab's uploads:
 * resampling, padding to the U-Net's multiple, and the per-kind reading of a picture.
 * Single-channel images are row-major floats; RGB ones planar [3, h, w], all in [0, 1].
 */
import type { Image } from "../../data/png.js";
import { type ColourSpace, decodeColour, encodeColour } from "./colour.js";
import { type EdgeDetector, edgeMap, maskImage, type PairKind } from "./pairs.js";

/** Resamples one channel from w×h to W×H: box averaging when shrinking, bilinear when enlarging. */
export function resample(src: ArrayLike<number>, w: number, h: number, W: number, H: number): Float32Array {
  const out = new Float32Array(W * H);
  const sx = w / W, sy = h / H;
  if (sx >= 1 && sy >= 1) {
    for (let Y = 0; Y < H; Y++) {
      const y0 = Y * sy, y1 = y0 + sy;
      for (let X = 0; X < W; X++) {
        const x0 = X * sx, x1 = x0 + sx;
        let s = 0;
        for (let y = Math.floor(y0); y < Math.min(h, Math.ceil(y1)); y++) {
          const wy = Math.min(y + 1, y1) - Math.max(y, y0);
          for (let x = Math.floor(x0); x < Math.min(w, Math.ceil(x1)); x++) s += wy * (Math.min(x + 1, x1) - Math.max(x, x0)) * src[y * w + x];
        }
        out[Y * W + X] = s / (sx * sy);
      }
    }
    return out;
  }
  for (let Y = 0; Y < H; Y++) {
    const fy = Math.min(h - 1, Math.max(0, (Y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy), y1 = Math.min(h - 1, y0 + 1), ty = fy - y0;
    for (let X = 0; X < W; X++) {
      const fx = Math.min(w - 1, Math.max(0, (X + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx), x1 = Math.min(w - 1, x0 + 1), tx = fx - x0;
      out[Y * W + X] = (src[y0 * w + x0] * (1 - tx) + src[y0 * w + x1] * tx) * (1 - ty) + (src[y1 * w + x0] * (1 - tx) + src[y1 * w + x1] * tx) * ty;
    }
  }
  return out;
}

/** Pads planar channels [c, h, w] to [c, H, W] (H ≥ h, W ≥ w) by repeating the last row and column. */
export function padPlanar(src: Float32Array, c: number, w: number, h: number, W: number, H: number): Float32Array {
  const out = new Float32Array(c * W * H);
  for (let k = 0; k < c; k++) {
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) out[(k * H + y) * W + x] = src[(k * h + Math.min(y, h - 1)) * w + Math.min(x, w - 1)];
    }
  }
  return out;
}

/** Crops planar channels [c, H, W] to their top-left [c, h, w]. */
export function cropPlanar(src: Float32Array, c: number, W: number, H: number, w: number, h: number): Float32Array {
  const out = new Float32Array(c * w * h);
  for (let k = 0; k < c; k++) for (let y = 0; y < h; y++) out.set(src.subarray((k * H + y) * W, (k * H + y) * W + w), (k * h + y) * w);
  return out;
}

/** Planar RGB [3, h, w] from an interleaved image (grey images are replicated). */
export function toPlanar(img: Image): Float32Array {
  const n = img.width * img.height;
  const out = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) out[c * n + i] = img.data[i * img.channels + (img.channels === 1 ? 0 : c)];
  return out;
}

/** An interleaved RGB image from planar channels (1 → grey) in [0, 1]. */
export function fromPlanar(planar: Float32Array, channels: 1 | 3, width: number, height: number): Image {
  const n = width * height;
  const data = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) data[i * 3 + c] = planar[(channels === 1 ? 0 : c) * n + i];
  return { width, height, channels: 3, data };
}

const luminance = (rgb: Float32Array, n: number, i: number) => 0.299 * rgb[i] + 0.587 * rgb[n + i] + 0.114 * rgb[2 * n + i];

/** What a kind needs to map a user's picture. */
export interface PictureSettings {
  kind: PairKind;
  /** The network's training size (digits: the padded canvas). */
  size: number;
  /** Digit kinds: the original image side (28 for MNIST), which drawings are shrunk to. */
  imageSide: number;
  /** U-Net inputs must be multiples of this (fully convolutional kinds). */
  multiple: number;
  space: ColourSpace;
  detector: EdgeDetector;
  /** Edges kind: the picture is an image whose edges are taken first (not an edge drawing). */
  extract: boolean;
}

/** A prepared picture: the network input and how to turn the network's output back into a picture. */
export interface Prepared {
  input: Float32Array;
  channels: number;
  height: number;
  width: number;
  finish(output: Float32Array): Image;
  /** A line about what was read (e.g. "inverted: dark lines on white"). */
  note: string;
}

/**
 * Reads a user's picture for a kind:
 * - edges: an edge drawing (light lines on dark; dark on light is inverted), or with `extract`
 *   any picture, whose edges are taken; shrunk to the digit size, the output enlarged back;
 * - inpaint: pure red pixels (r > 0.6, g and b < 0.35) mark the hole; the rest is the image;
 *   the output keeps the given pixels outside the hole;
 * - colorize: its luminance (any colour is dropped) → a colour picture of the same size;
 * - roads: an aerial picture → the road probability as grey, same size.
 */
export function preparePicture(img: Image, s: PictureSettings): Prepared {
  const { width: w, height: h } = img;
  const n = w * h;
  const rgb = toPlanar(img);
  if (s.kind === "edges" || s.kind === "inpaint") {
    const side = s.imageSide, S = s.size, off = (S - side) >> 1;
    const grey = new Float32Array(n);
    const hole = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      grey[i] = luminance(rgb, n, i);
      if (s.kind === "inpaint" && rgb[i] > 0.6 && rgb[n + i] < 0.35 && rgb[2 * n + i] < 0.35) hole[i] = 1;
    }
    let sum = 0, count = 0;
    for (let i = 0; i < n; i++) if (!hole[i]) { sum += grey[i]; count++; }
    const invert = count > 0 && sum / count > 0.5;
    if (invert) for (let i = 0; i < n; i++) if (!hole[i]) grey[i] = 1 - grey[i];
    const small = resample(grey, w, h, side, side);
    const canvas = new Float32Array(S * S);
    for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) canvas[(off + y) * S + off + x] = small[y * side + x];
    let input: Float32Array;
    let note = invert ? "inverted (dark on light → light on dark); " : "";
    if (s.kind === "edges") {
      let edges: Float32Array;
      if (s.extract) {
        edges = edgeMap(canvas, S, s.detector);
        note += `${s.detector} edges taken from the picture`;
      } else {
        // A drawing shrunk to 28×28: its strokes become faint; keep those above a fifth of the strongest.
        let max = 0;
        for (const v of canvas) max = Math.max(max, v);
        edges = s.detector === "canny" ? canvas.map((v) => (max > 0 && v >= 0.2 * max ? 1 : 0)) : canvas.map((v) => (max > 0 ? v / max : 0));
        note += "read as an edge drawing";
      }
      input = edges.map((v) => 2 * v - 1);
    } else {
      const smallHole = resample(hole, w, h, side, side);
      input = new Float32Array(2 * S * S);
      maskImage(canvas, (i) => {
        const x = (i % S) - off, y = Math.floor(i / S) - off;
        return x >= 0 && y >= 0 && x < side && y < side && smallHole[y * side + x] > 0.3;
      }, S, input, 0);
      note += `hole: ${hole.reduce((a, b) => a + b, 0)} red pixels`;
    }
    return {
      input, channels: s.kind === "edges" ? 1 : 2, height: S, width: S, note,
      finish(output) {
        const inner = new Float32Array(side * side);
        for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) inner[y * side + x] = (output[(off + y) * S + off + x] + 1) / 2;
        const big = resample(inner, side, side, w, h);
        for (let i = 0; i < n; i++) {
          let v = s.kind === "inpaint" && !hole[i] ? grey[i] : big[i];
          if (invert) v = 1 - v;
          big[i] = Math.min(1, Math.max(0, v));
        }
        return fromPlanar(big, 1, w, h);
      },
    };
  }
  const W = Math.ceil(w / s.multiple) * s.multiple, H = Math.ceil(h / s.multiple) * s.multiple;
  const padded = padPlanar(rgb, 3, w, h, W, H);
  if (s.kind === "colorize") {
    const { input } = encodeColour(padded, 1, W * H, s.space);
    return {
      input, channels: 1, height: H, width: W, note: `luminance of a ${w}×${h} picture (${s.space.toUpperCase()})`,
      finish: (output) => fromPlanar(cropPlanar(decodeColour(input, output, 1, W * H, s.space), 3, W, H, w, h), 3, w, h),
    };
  }
  return {
    input: padded.map((v) => 2 * v - 1), channels: 3, height: H, width: W, note: `a ${w}×${h} aerial picture`,
    finish: (output) => fromPlanar(cropPlanar(output.map((v) => (v + 1) / 2), 1, W, H, w, h), 1, w, h),
  };
}
