/**
 * JPEG at a byte budget (jpeg-js), for the compression comparison.
 *
 * Rate: the entropy-coded scan bytes of each image (the bytes between the SOS header and the
 * EOI marker). The headers (quantisation and Huffman tables, ~600 bytes for a 28×28 image)
 * are the same for every image at one quality, so, like the autoencoder's decoder weights and
 * PCA's components, they are not counted per image. jpeg-js writes 3-channel YCbCr 4:4:4 files;
 * a grey image's chroma blocks are constant and cost a few bits each (counted).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import jpeg from "jpeg-js";
import { NNZooError } from "../../core/errors.js";

interface JpegEncoder {
  encode(image: { data: Uint8Array; width: number; height: number }, quality: number): Uint8Array;
}

let encoder: JpegEncoder | null = null;

/**
 * One jpeg-js encoder for every image. jpeg-js's own encode() builds a new JPEGEncoder per
 * call, whose table set-up (a 65,535-entry bit-code table among others) costs ~0.3 s here —
 * 1000× the encoding of a 28×28 image. The class is not exported, so it is taken from the
 * package's encoder source once; `encode(image, quality)` on it re-derives only the
 * quantisation tables for a new quality.
 */
function jpegEncoder(): JpegEncoder {
  if (!encoder) {
    const file = createRequire(import.meta.url).resolve("jpeg-js/lib/encoder.js");
    const make = new Function("module", `${readFileSync(file, "utf8")}\nreturn JPEGEncoder;`) as (module: object) => new (quality: number) => JpegEncoder;
    encoder = new (make({}))(50);
  }
  return encoder;
}

export interface JpegPoint {
  quality: number;
  /** Mean scan bytes per image. */
  bytes: number;
  /** Mean file bytes per image, headers included. */
  fileBytes: number;
  mse: number;
}

/** The scan (entropy-coded) bytes of a baseline JPEG file: after the SOS segment, before EOI. */
export function scanBytes(file: Uint8Array): number {
  let i = 2; // after SOI
  while (i + 4 <= file.length) {
    if (file[i] !== 0xff) throw new NNZooError(`scanBytes: no JPEG marker at byte ${i}`);
    const marker = file[i + 1];
    const length = (file[i + 2] << 8) | file[i + 3];
    if (marker === 0xda) return file.length - (i + 2 + length) - 2;
    i += 2 + length;
  }
  throw new NNZooError("scanBytes: no SOS marker");
}

/** Encodes one grey image (values in [0, 1]) at `quality`; returns the file and the decoded grey values. */
export function jpegRoundTrip(pixels: ArrayLike<number>, width: number, height: number, quality: number): { file: Uint8Array; decoded: Float32Array } {
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const v = Math.round(Math.min(1, Math.max(0, pixels[i])) * 255);
    rgba[i * 4] = rgba[i * 4 + 1] = rgba[i * 4 + 2] = v;
    rgba[i * 4 + 3] = 255;
  }
  const file = new Uint8Array(jpegEncoder().encode({ data: rgba, width, height }, quality));
  const out = jpeg.decode(file, { useTArray: true, formatAsRGBA: true });
  const decoded = new Float32Array(width * height);
  for (let i = 0; i < decoded.length; i++) decoded[i] = (out.data[i * 4] + out.data[i * 4 + 1] + out.data[i * 4 + 2]) / (3 * 255);
  return { file, decoded };
}

/** Mean scan bytes, file bytes and MSE of n images [n, w·h] at one quality. */
export function jpegPoint(images: Float32Array, width: number, height: number, quality: number): JpegPoint {
  const size = width * height;
  const n = images.length / size;
  let bytes = 0, fileBytes = 0, se = 0;
  for (let k = 0; k < n; k++) {
    const img = images.subarray(k * size, (k + 1) * size);
    const { file, decoded } = jpegRoundTrip(img, width, height, quality);
    bytes += scanBytes(file);
    fileBytes += file.length;
    for (let i = 0; i < size; i++) se += (decoded[i] - img[i]) ** 2;
  }
  return { quality, bytes: bytes / n, fileBytes: fileBytes / n, mse: se / (n * size) };
}

/**
 * The highest quality (1…100) whose mean scan bytes fit the budget, by bisection (the rate grows
 * with the quality); null when even quality 1 needs more. Also returns every point it measured.
 */
export function jpegAtBytes(images: Float32Array, width: number, height: number, budget: number): { best: JpegPoint | null; points: JpegPoint[] } {
  const points = new Map<number, JpegPoint>();
  const at = (q: number) => {
    if (!points.has(q)) points.set(q, jpegPoint(images, width, height, q));
    return points.get(q)!;
  };
  let best: JpegPoint | null = null;
  if (at(1).bytes <= budget) {
    let lo = 1, hi = 100;
    if (at(hi).bytes <= budget) lo = hi;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (at(mid).bytes <= budget) lo = mid;
      else hi = mid;
    }
    best = at(lo);
  }
  return { best, points: [...points.values()].sort((a, b) => a.quality - b.quality) };
}
