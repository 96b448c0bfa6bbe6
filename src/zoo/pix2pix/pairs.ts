/**
 * The pairs pix2pix learns to map, one builder per kind. Every builder returns a PairSet: a
 * sampler of random training batches, a fixed held-out test batch, pictures for sample grids,
 * and the kind's scores. Tensors are planar `[n, channels, size, size]` in [−1, 1] (the
 * generator's tanh range); scores are computed in [0, 1].
 *
 * - edges:    Canny-like (or Sobel) edges of a digit/garment → the digit/garment
 * - inpaint:  the digit with a rectangular hole (+ the hole's mask as a second channel) → the digit
 * - colorize: the luminance of a photo crop → its colour (chroma in YUV or Lab, or RGB)
 * - roads:    a synthetic aerial tile → its road mask
 *
 * Builders take data already in memory (no files), so the Lab's worker uses them as they are.
 */
import type { Generator as Rng } from "../../core/random.js";
import { Generator } from "../../core/random.js";
import type { ImageSet } from "../../data/mnist.js";
import type { Image } from "../../data/png.js";
import { type ColourSpace, decodeColour, encodeColour, meanChroma } from "./colour.js";
import { canny, sobelEdges } from "./edges.js";
import { iouF1, meanAbsError, psnr } from "./metrics.js";
import { type Photo, photoTiles, randomCrops } from "./photos.js";
import { randomTileSpec, renderTile } from "./roads.js";

export const PAIR_KINDS = ["edges", "inpaint", "colorize", "roads"] as const;
export type PairKind = (typeof PAIR_KINDS)[number];

/** n examples, planar: input [n, inChannels, size, size], target [n, outChannels, size, size], in [−1, 1]. */
export interface Batch {
  n: number;
  input: Float32Array;
  target: Float32Array;
}

/** A kind's scores of one generator on the test batch; `reference` holds figures with no ablation twin. */
export interface Scores {
  metrics: Record<string, number>;
  reference: Record<string, number>;
}

export type Picture = "input" | "output" | "target";

export interface PairSet {
  kind: PairKind;
  size: number;
  /** The side of the original images inside the size×size canvas (digits: 28; other kinds: size). */
  imageSide: number;
  inChannels: number;
  outChannels: number;
  /** One line about the data, for logs. */
  description: string;
  /** A random training batch (drawn from `gen`). */
  trainBatch(n: number, gen: Rng): Batch;
  /** The fixed held-out pairs. */
  test: Batch;
  /** Example k as an RGB picture: its input, an output for it (`values`: outputs of the batch), or its target. */
  picture(which: Picture, batch: Batch, k: number, values?: Float32Array): Image;
  /** Scores of outputs for every test example ([test.n, outChannels, size, size]). */
  score(outputs: Float32Array): Scores;
}

// ------------------------------------------------------------------ helpers

/** An RGB picture from one planar channel (grey) or three, mapping [−1, 1] to [0, 1]. */
export function planarToImage(values: Float32Array, offset: number, channels: 1 | 3, size: number, signed = true): Image {
  const n = size * size;
  const data = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < 3; c++) {
      const v = values[offset + (channels === 1 ? 0 : c) * n + i];
      data[i * 3 + c] = signed ? (v + 1) / 2 : v;
    }
  }
  return { width: size, height: size, channels: 3, data };
}

/** The smallest power of two ≥ max(n, 8). */
export function paddedSize(n: number): number {
  return Math.max(8, 2 ** Math.ceil(Math.log2(n)));
}

/** Image k of a set as [0, 1] floats, centred on a size×size black canvas. */
export function paddedImage(set: ImageSet, k: number, size: number): Float32Array {
  const out = new Float32Array(size * size);
  const ox = (size - set.width) >> 1, oy = (size - set.height) >> 1;
  const base = k * set.width * set.height;
  for (let y = 0; y < set.height; y++) {
    for (let x = 0; x < set.width; x++) out[(oy + y) * size + ox + x] = set.pixels[base + y * set.width + x] / 255;
  }
  return out;
}

/** The pixel indices of the original (unpadded) image inside the padded canvas. */
function innerPixels(set: ImageSet, size: number): Int32Array {
  const ox = (size - set.width) >> 1, oy = (size - set.height) >> 1;
  const out = new Int32Array(set.width * set.height);
  for (let y = 0; y < set.height; y++) for (let x = 0; x < set.width; x++) out[y * set.width + x] = (oy + y) * size + ox + x;
  return out;
}

const toUnit = (v: number) => (v + 1) / 2;

/** Mean over examples of L1 and PSNR on the given pixel indices (values in [−1, 1], compared in [0, 1]). */
function pixelScores(outputs: Float32Array, targets: Float32Array, n: number, pixels: number, pick: (k: number) => ArrayLike<number>): { l1: number; psnr: number } {
  let l1 = 0, p = 0, counted = 0;
  for (let k = 0; k < n; k++) {
    const idx = pick(k);
    if (idx.length === 0) continue;
    const a = new Float32Array(idx.length), b = new Float32Array(idx.length);
    for (let j = 0; j < idx.length; j++) {
      a[j] = toUnit(outputs[k * pixels + idx[j]]);
      b[j] = toUnit(targets[k * pixels + idx[j]]);
    }
    l1 += meanAbsError(a, b);
    p += psnr(a, b);
    counted++;
  }
  return { l1: l1 / counted, psnr: p / counted };
}

// ------------------------------------------------------------------ edges → image

export interface DigitPairOptions {
  /** Held-out examples scored (the first ones of the test set). */
  testCount: number;
}

/** The edge map used as input: Canny-like thin lines (default) or the Sobel magnitude. */
export type EdgeDetector = "canny" | "sobel";

export function edgeMap(image01: Float32Array, size: number, detector: EdgeDetector): Float32Array {
  return detector === "canny" ? canny(image01, size, size) : sobelEdges(image01, size, size);
}

/** Edges of MNIST digits (or Fashion-MNIST garments) → the images themselves. */
export function edgePairs(train: ImageSet, test: ImageSet, options: DigitPairOptions & { detector: EdgeDetector }): PairSet {
  const size = paddedSize(Math.max(train.width, train.height));
  const n2 = size * size;
  const build = (set: ImageSet, ids: ArrayLike<number>): Batch => {
    const input = new Float32Array(ids.length * n2), target = new Float32Array(ids.length * n2);
    for (let k = 0; k < ids.length; k++) {
      const img = paddedImage(set, ids[k], size);
      const edges = edgeMap(img, size, options.detector);
      for (let i = 0; i < n2; i++) {
        input[k * n2 + i] = 2 * edges[i] - 1;
        target[k * n2 + i] = 2 * img[i] - 1;
      }
    }
    return { n: ids.length, input, target };
  };
  const testBatch = build(test, Array.from({ length: Math.min(options.testCount, test.count) }, (_, i) => i));
  const inner = innerPixels(test, size);
  return {
    kind: "edges", size, imageSide: train.width, inChannels: 1, outChannels: 1,
    description: `${options.detector} edges → image, ${train.width}×${train.height} padded to ${size}×${size}; ${train.count} training images, ${testBatch.n} held out`,
    trainBatch: (n, gen) => build(train, Array.from({ length: n }, () => gen.randint(0, train.count))),
    test: testBatch,
    picture: (which, batch, k, values) => planarToImage(which === "input" ? batch.input : which === "target" ? batch.target : values!, k * n2, 1, size),
    score: (outputs) => ({ metrics: pixelScores(outputs, testBatch.target, testBatch.n, n2, () => inner), reference: {} }),
  };
}

// ------------------------------------------------------------------ inpainting

export interface Hole {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** A random rectangular hole of 8–14 pixels a side, inside the central part of a w×h image. */
export function randomHole(gen: Rng, width: number, height: number): Hole {
  const w = gen.randint(8, 15), h = gen.randint(8, 15);
  const mx = Math.round(width / 7), my = Math.round(height / 7);
  return { w, h, x: gen.randint(mx, Math.max(mx + 1, width - mx - w + 1)), y: gen.randint(my, Math.max(my + 1, height - my - h + 1)) };
}

/**
 * The inpainting input for one image (values in [0, 1], side `size`): channel 0 is the image
 * with the hole set to 0 (mid-grey in [−1, 1]), channel 1 the mask (+1 in the hole, −1 outside),
 * written into `out` at `offset` (2·size² values, in [−1, 1]).
 */
export function maskImage(image01: ArrayLike<number>, hole: (i: number) => boolean, size: number, out: Float32Array, offset: number): void {
  const n2 = size * size;
  for (let i = 0; i < n2; i++) {
    const inHole = hole(i);
    out[offset + i] = inHole ? 0 : 2 * image01[i] - 1;
    out[offset + n2 + i] = inHole ? 1 : -1;
  }
}

/** Digits with a rectangular hole (and the hole's mask) → the whole digits. Test holes are fixed by `testSeed`. */
export function inpaintPairs(train: ImageSet, test: ImageSet, options: DigitPairOptions & { testSeed: number }): PairSet {
  const size = paddedSize(Math.max(train.width, train.height));
  const n2 = size * size;
  const ox = (size - train.width) >> 1, oy = (size - train.height) >> 1;
  const build = (set: ImageSet, ids: ArrayLike<number>, gen: Rng): Batch => {
    const input = new Float32Array(ids.length * 2 * n2), target = new Float32Array(ids.length * n2);
    for (let k = 0; k < ids.length; k++) {
      const img = paddedImage(set, ids[k], size);
      const h = randomHole(gen, set.width, set.height);
      maskImage(img, (i) => {
        const x = (i % size) - ox, y = Math.floor(i / size) - oy;
        return x >= h.x && x < h.x + h.w && y >= h.y && y < h.y + h.h;
      }, size, input, k * 2 * n2);
      for (let i = 0; i < n2; i++) target[k * n2 + i] = 2 * img[i] - 1;
    }
    return { n: ids.length, input, target };
  };
  const testBatch = build(test, Array.from({ length: Math.min(options.testCount, test.count) }, (_, i) => i), new Generator(options.testSeed));
  const inner = innerPixels(test, size);
  const holeOf = (k: number) => {
    const idx: number[] = [];
    for (let i = 0; i < n2; i++) if (testBatch.input[k * 2 * n2 + n2 + i] > 0) idx.push(i);
    return idx;
  };
  return {
    kind: "inpaint", size, imageSide: train.width, inChannels: 2, outChannels: 1,
    description: `inpainting: ${train.width}×${train.height} images with an 8–14 px rectangular hole (+ its mask) → the image; ${train.count} training images, ${testBatch.n} held out`,
    trainBatch: (n, gen) => build(train, Array.from({ length: n }, () => gen.randint(0, train.count)), gen),
    test: testBatch,
    picture(which, batch, k, values) {
      if (which !== "input") return planarToImage(which === "target" ? batch.target : values!, k * n2, 1, size);
      // The masked image, with the hole in red.
      const img = planarToImage(batch.input, k * 2 * n2, 1, size);
      for (let i = 0; i < n2; i++) if (batch.input[k * 2 * n2 + n2 + i] > 0) img.data.set([0.9, 0.1, 0.1], i * 3);
      return img;
    },
    score(outputs) {
      const all = pixelScores(outputs, testBatch.target, testBatch.n, n2, () => inner);
      const hole = pixelScores(outputs, testBatch.target, testBatch.n, n2, holeOf);
      return { metrics: { l1: all.l1, psnr: all.psnr, l1Hole: hole.l1, psnrHole: hole.psnr }, reference: {} };
    },
  };
}

// ------------------------------------------------------------------ colourisation

export interface ColorizeOptions {
  /** Crop side (a power of two). */
  size: number;
  space: ColourSpace;
}

/** Luminance of photo crops → their colour. Train on random crops of the training photos; test on every half-overlapping tile of the test photos. */
export function colorizePairs(trainPhotos: readonly Photo[], testPhotos: readonly Photo[], options: ColorizeOptions): PairSet {
  const { size, space } = options;
  const n2 = size * size;
  const outChannels = space === "rgb" ? 3 : 2;
  const tiles = photoTiles(testPhotos, size, size / 2);
  if (tiles.count === 0) throw new Error(`colorize: no test photo is at least ${size}×${size} pixels`);
  const testBatch = { n: tiles.count, ...encodeColour(tiles.rgb, tiles.count, n2, space) };
  /** Example k's picture from its luminance and one image's colour channels. */
  const decodeOne = (batch: Batch, colour: Float32Array, k: number) => decodeColour(batch.input.subarray(k * n2, (k + 1) * n2), colour, 1, n2, space);
  const decode = (batch: Batch, values: Float32Array, k: number) => decodeOne(batch, values.subarray(k * outChannels * n2, (k + 1) * outChannels * n2), k);
  // Zero chroma is grey; its array holds one image, whichever example k is.
  const grey = (batch: Batch, k: number) => decodeOne(batch, new Float32Array(outChannels * n2), k);
  return {
    kind: "colorize", size, imageSide: size, inChannels: 1, outChannels,
    description: `colourisation in ${space.toUpperCase()}: ${size}×${size} crops of ${trainPhotos.map((p) => p.name).join(", ")}; tested on ${tiles.count} tiles of ${testPhotos.map((p) => p.name).join(", ")}`,
    trainBatch(n, gen) {
      const { rgb } = randomCrops(trainPhotos, n, size, gen);
      return { n, ...encodeColour(rgb, n, n2, space) };
    },
    test: testBatch,
    picture(which, batch, k, values) {
      if (which === "input") {
        if (space !== "rgb") return planarToImage(grey(batch, k), 0, 3, size, false);
        return planarToImage(batch.input, k * n2, 1, size);
      }
      return planarToImage(decode(batch, which === "target" ? batch.target : values!, k), 0, 3, size, false);
    },
    score(outputs) {
      const rgb = decodeColour(testBatch.input, outputs, testBatch.n, n2, space);
      let p = 0, pGrey = 0;
      for (let k = 0; k < testBatch.n; k++) {
        const truth = tiles.rgb.subarray(k * 3 * n2, (k + 1) * 3 * n2);
        p += psnr(rgb.subarray(k * 3 * n2, (k + 1) * 3 * n2), truth);
        // The no-colour baseline: the luminance alone, as grey.
        const y = new Float32Array(3 * n2);
        for (let i = 0; i < n2; i++) {
          const l = 0.299 * truth[i] + 0.587 * truth[n2 + i] + 0.114 * truth[2 * n2 + i];
          y[i] = y[n2 + i] = y[2 * n2 + i] = l;
        }
        pGrey += psnr(y, truth);
      }
      return {
        metrics: { psnr: p / testBatch.n, chroma: meanChroma(rgb, testBatch.n, n2) },
        reference: { chromaTarget: meanChroma(tiles.rgb, testBatch.n, n2), psnrGrey: pGrey / testBatch.n },
      };
    },
  };
}

// ------------------------------------------------------------------ map → roads

export interface RoadOptions {
  size: number;
  testCount: number;
  testSeed: number;
}

/** Fills `input` (RGB in [−1, 1]) and `target` (mask ±1) with tile k. */
function tileInto(gen: Rng, size: number, batch: Batch, k: number): void {
  const n2 = size * size;
  const { rgb, mask } = renderTile(randomTileSpec(size, gen));
  for (let i = 0; i < 3 * n2; i++) batch.input[k * 3 * n2 + i] = 2 * rgb[i] - 1;
  for (let i = 0; i < n2; i++) batch.target[k * n2 + i] = 2 * mask[i] - 1;
}

/** Synthetic aerial tiles → road masks; the test tiles come from their own seed. */
export function roadPairs(options: RoadOptions): PairSet {
  const { size } = options;
  const n2 = size * size;
  const make = (n: number, gen: Rng): Batch => {
    const batch = { n, input: new Float32Array(n * 3 * n2), target: new Float32Array(n * n2) };
    for (let k = 0; k < n; k++) tileInto(gen, size, batch, k);
    return batch;
  };
  const testBatch = make(options.testCount, new Generator(options.testSeed));
  return {
    kind: "roads", size, imageSide: size, inChannels: 3, outChannels: 1,
    description: `map → roads: synthetic ${size}×${size} aerial tiles (terrain, fields, water, trees, houses, roads 1.2–4.5 px wide); ${testBatch.n} held-out tiles`,
    trainBatch: make,
    test: testBatch,
    picture: (which, batch, k, values) => (which === "input" ? planarToImage(batch.input, k * 3 * n2, 3, size) : planarToImage(which === "target" ? batch.target : values!, k * n2, 1, size)),
    score(outputs) {
      const prob = Float32Array.from(outputs, toUnit);
      const truth = Float32Array.from(testBatch.target, toUnit);
      const { iou, f1 } = iouF1(prob, truth);
      let p = 0;
      for (let k = 0; k < testBatch.n; k++) p += psnr(prob.subarray(k * n2, (k + 1) * n2), truth.subarray(k * n2, (k + 1) * n2));
      return { metrics: { iou, f1, psnr: p / testBatch.n }, reference: {} };
    },
  };
}
