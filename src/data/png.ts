import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { PNG } from "pngjs";
import { NNZooError } from "../core/errors.js";

/** An image as floats: `channels` = 1 (grey) or 3 (RGB), values in [0, 1], row-major HWC. */
export interface Image {
  width: number;
  height: number;
  channels: 1 | 3;
  data: Float32Array;
}

/** Encodes an image (values clamped to [0, 1]) as PNG bytes. */
export function encodePng(img: Image): Uint8Array {
  const { width, height, channels, data } = img;
  if (data.length !== width * height * channels) throw new NNZooError(`encodePng: ${width}×${height}×${channels} needs ${width * height * channels} values, got ${data.length}`);
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) {
    for (let c = 0; c < 3; c++) png.data[i * 4 + c] = Math.round(255 * Math.min(1, Math.max(0, data[i * channels + (channels === 1 ? 0 : c)] || 0)));
    png.data[i * 4 + 3] = 255;
  }
  return PNG.sync.write(png);
}

/** Writes a PNG atomically (temp file, then rename). */
export function writePng(path: string, img: Image): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, encodePng(img));
  renameSync(tmp, path);
}

/** Reads a PNG file (or bytes) as grey or RGB floats in [0, 1]; alpha is composited on white. */
export function readPng(source: string | Uint8Array, channels: 1 | 3 = 3): Image {
  const name = typeof source === "string" ? source : "PNG bytes";
  let png: PNG;
  try {
    png = PNG.sync.read(Buffer.from(typeof source === "string" ? readFileSync(source) : source));
  } catch (e) {
    throw new NNZooError(`${name} is not a readable PNG: ${(e as Error).message}`);
  }
  const { width, height } = png;
  const data = new Float32Array(width * height * channels);
  for (let i = 0; i < width * height; i++) {
    const a = png.data[i * 4 + 3] / 255;
    const rgb = [0, 1, 2].map((c) => (png.data[i * 4 + c] / 255) * a + (1 - a));
    if (channels === 1) data[i] = 0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2];
    else data.set(rgb, i * 3);
  }
  return { width, height, channels, data };
}

/**
 * Tiles equally sized images into a grid (row-major), with `gap` pixels of `background`
 * between them: the sample grids of generative models.
 */
export function imageGrid(images: readonly Image[], columns: number, gap = 2, background = 1): Image {
  if (images.length === 0) throw new NNZooError("imageGrid: no images");
  const { width: w, height: h, channels } = images[0];
  for (const [i, im] of images.entries()) {
    if (im.width !== w || im.height !== h || im.channels !== channels) throw new NNZooError(`imageGrid: image ${i} is ${im.width}×${im.height}×${im.channels}, expected ${w}×${h}×${channels}`);
  }
  const rows = Math.ceil(images.length / columns);
  const W = columns * w + (columns + 1) * gap;
  const H = rows * h + (rows + 1) * gap;
  const data = new Float32Array(W * H * channels).fill(background);
  images.forEach((im, k) => {
    const x0 = gap + (k % columns) * (w + gap);
    const y0 = gap + Math.floor(k / columns) * (h + gap);
    for (let y = 0; y < h; y++) data.set(im.data.subarray(y * w * channels, (y + 1) * w * channels), ((y0 + y) * W + x0) * channels);
  });
  return { width: W, height: H, channels, data };
}

/** A grey image from a row of floats (e.g. one MNIST digit); `signed` maps [−1, 1] to [0, 1]. */
export function greyImage(values: ArrayLike<number>, width: number, height: number, signed = false): Image {
  const data = new Float32Array(width * height);
  for (let i = 0; i < data.length; i++) data[i] = signed ? (values[i] + 1) / 2 : values[i];
  return { width, height, channels: 1, data };
}
