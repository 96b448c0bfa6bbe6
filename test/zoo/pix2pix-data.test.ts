import { describe, expect, it } from "vitest";
import { Generator } from "../../src/core/random.js";
import type { ImageSet } from "../../src/data/mnist.js";
import { decodeColour, encodeColour, labToRgb, meanChroma, rgbToLab, rgbToYuv, yuvToRgb } from "../../src/zoo/pix2pix/colour.js";
import { canny, sobelEdges } from "../../src/zoo/pix2pix/edges.js";
import { iouF1, meanAbsError, psnr } from "../../src/zoo/pix2pix/metrics.js";
import { edgePairs, inpaintPairs, paddedImage, paddedSize, randomHole, roadPairs } from "../../src/zoo/pix2pix/pairs.js";
import { type Photo, photoTiles, randomCrops, splitPhotos } from "../../src/zoo/pix2pix/photos.js";
import { preparePicture, resample } from "../../src/zoo/pix2pix/picture.js";
import { randomTileSpec, renderTile, strokeCurve } from "../../src/zoo/pix2pix/roads.js";

/** A w×h image with a filled rectangle [x0, x1) × [y0, y1) of value 1 on 0. */
function square(w: number, h: number, x0: number, x1: number, y0: number, y1: number): Float32Array {
  const img = new Float32Array(w * h);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) img[y * w + x] = 1;
  return img;
}

/** A tiny image set of n 28×28 images: a bar whose position depends on the index. */
function tinySet(n: number): ImageSet {
  const pixels = new Uint8Array(n * 784);
  for (let k = 0; k < n; k++) for (let y = 6; y < 22; y++) for (let x = 10 + (k % 5); x < 14 + (k % 5); x++) pixels[k * 784 + y * 28 + x] = 255;
  return { pixels, labels: new Int32Array(n), count: n, height: 28, width: 28 };
}

describe("edge pair builder", () => {
  it("Sobel: zero on flat images, strongest on the border of a square", () => {
    expect(Math.max(...sobelEdges(new Float32Array(64).fill(0.7), 8, 8))).toBe(0);
    const e = sobelEdges(square(16, 16, 4, 12, 4, 12), 16, 16);
    expect(Math.max(...e)).toBe(1);
    expect(e[8 * 16 + 8]).toBe(0); // inside
    expect(e[1 * 16 + 1]).toBe(0); // outside
    expect(e[8 * 16 + 4]).toBeGreaterThan(0.5); // on the left side
  });

  it("Canny: thin binary lines on the outline only", () => {
    const e = canny(square(20, 20, 5, 15, 5, 15), 20, 20);
    expect(new Set(e)).toEqual(new Set([0, 1]));
    // Every row through the middle of the square crosses exactly two edge lines, one pixel each.
    for (let y = 8; y < 12; y++) {
      const row = Array.from(e.subarray(y * 20, (y + 1) * 20));
      expect(row.reduce((a, b) => a + b, 0), `row ${y}`).toBe(2);
      expect(row.slice(7, 13).every((v) => v === 0)).toBe(true);
    }
    expect(Math.max(...canny(new Float32Array(100), 10, 10))).toBe(0);
  });

  it("pairs a digit's edges with the digit, padded 28 → 32, in [−1, 1]", () => {
    const set = tinySet(6);
    const pairs = edgePairs(set, set, { testCount: 4, detector: "canny" });
    expect(paddedSize(28)).toBe(32);
    expect(pairs).toMatchObject({ size: 32, imageSide: 28, inChannels: 1, outChannels: 1 });
    expect(pairs.test.n).toBe(4);
    const img = paddedImage(set, 0, 32);
    expect(Array.from(pairs.test.target.subarray(0, 1024))).toEqual(Array.from(img, (v) => 2 * v - 1));
    const edges = pairs.test.input.subarray(0, 1024);
    expect(new Set(edges)).toEqual(new Set([-1, 1]));
    expect(edges[14 * 32 + 14]).toBe(-1); // inside the bar
    const b = pairs.trainBatch(3, new Generator(1));
    expect(b.input).toHaveLength(3 * 1024);
    // Perfect outputs score L1 0 and the PSNR cap; all-black outputs do not.
    expect(pairs.score(pairs.test.target).metrics).toEqual({ l1: 0, psnr: 100 });
    expect(pairs.score(new Float32Array(4 * 1024).fill(-1)).metrics.l1).toBeGreaterThan(0);
  });
});

describe("mask pair builder (inpainting)", () => {
  it("holes are 8–14 px rectangles inside the image", () => {
    const gen = new Generator(3);
    for (let i = 0; i < 200; i++) {
      const h = randomHole(gen, 28, 28);
      expect(h.w).toBeGreaterThanOrEqual(8);
      expect(h.w).toBeLessThanOrEqual(14);
      expect(h.x).toBeGreaterThanOrEqual(0);
      expect(h.x + h.w).toBeLessThanOrEqual(28);
      expect(h.y + h.h).toBeLessThanOrEqual(28);
    }
  });

  it("input = the image with the hole at 0 + the mask channel; target = the whole image; hole scores", () => {
    const set = tinySet(5);
    const pairs = inpaintPairs(set, set, { testCount: 5, testSeed: 7 });
    expect(pairs).toMatchObject({ size: 32, inChannels: 2, outChannels: 1 });
    const n2 = 1024;
    for (let k = 0; k < 5; k++) {
      const img = pairs.test.input.subarray(k * 2 * n2, k * 2 * n2 + n2);
      const mask = pairs.test.input.subarray(k * 2 * n2 + n2, (k + 1) * 2 * n2);
      const target = pairs.test.target.subarray(k * n2, (k + 1) * n2);
      const holes = Array.from(mask).filter((v) => v === 1).length;
      expect(holes).toBeGreaterThanOrEqual(64);
      expect(holes).toBeLessThanOrEqual(196);
      let wrong = 0;
      for (let i = 0; i < n2; i++) {
        if (mask[i] === 1 ? img[i] !== 0 : mask[i] !== -1 || img[i] !== target[i]) wrong++;
      }
      expect(wrong).toBe(0);
    }
    // The same seed gives the same test holes.
    expect(inpaintPairs(set, set, { testCount: 5, testSeed: 7 }).test.input).toEqual(pairs.test.input);
    // Copying the input outside the hole and guessing black inside: exact outside, not inside.
    const guess = new Float32Array(5 * n2);
    for (let k = 0; k < 5; k++) for (let i = 0; i < n2; i++) guess[k * n2 + i] = pairs.test.input[k * 2 * n2 + n2 + i] > 0 ? -1 : pairs.test.input[k * 2 * n2 + i];
    const s = pairs.score(guess).metrics;
    expect(s.l1Hole).toBeGreaterThan(s.l1);
    expect(s.psnrHole).toBeLessThan(s.psnr);
  });
});

describe("colour spaces", () => {
  it("RGB → YUV → RGB and RGB → Lab → RGB round trips within 1e-5", () => {
    const gen = new Generator(0);
    let worstYuv = 0, worstLab = 0;
    for (let i = 0; i < 20000; i++) {
      const rgb = [gen.random(), gen.random(), gen.random()] as const;
      const a = yuvToRgb(...rgbToYuv(...rgb));
      const b = labToRgb(...rgbToLab(...rgb));
      for (let c = 0; c < 3; c++) {
        worstYuv = Math.max(worstYuv, Math.abs(a[c] - rgb[c]));
        worstLab = Math.max(worstLab, Math.abs(b[c] - rgb[c]));
      }
    }
    expect(worstYuv).toBeLessThan(1e-5);
    expect(worstLab).toBeLessThan(1e-5);
  });

  it("matches reference values (white, black, pure red in CIELAB D65)", () => {
    const white = rgbToLab(1, 1, 1);
    expect(white[0]).toBeCloseTo(100, 4);
    expect(Math.hypot(white[1], white[2])).toBeLessThan(1e-4);
    expect(rgbToLab(0, 0, 0)[0]).toBeCloseTo(0, 6);
    const red = rgbToLab(1, 0, 0);
    expect(red[0]).toBeCloseTo(53.24, 1);
    expect(red[1]).toBeCloseTo(80.09, 1);
    expect(red[2]).toBeCloseTo(67.2, 1);
    expect(rgbToYuv(1, 1, 1)).toEqual([1, 0, 0].map((v, i) => (i === 0 ? expect.closeTo(v, 12) : expect.closeTo(v, 12))));
  });

  it("the network's encoding round trips through float32 within 1e-5, for every space", () => {
    const gen = new Generator(5);
    const n = 4, pixels = 64;
    const rgb = Float32Array.from({ length: n * 3 * pixels }, () => gen.random());
    for (const space of ["yuv", "lab", "rgb"] as const) {
      const { input, target } = encodeColour(rgb, n, pixels, space);
      expect(target).toHaveLength(n * pixels * (space === "rgb" ? 3 : 2));
      for (const v of [...input, ...target]) expect(Math.abs(v)).toBeLessThanOrEqual(1 + 1e-6);
      const back = decodeColour(input, target, n, pixels, space);
      expect(meanAbsError(back, rgb), space).toBeLessThan(1e-5);
      let worst = 0;
      for (let i = 0; i < rgb.length; i++) worst = Math.max(worst, Math.abs(back[i] - rgb[i]));
      expect(worst, space).toBeLessThan(1e-5);
    }
  });

  it("mean chroma: 0 for greys, large for saturated colours", () => {
    expect(meanChroma(Float32Array.from([0.2, 0.7, 0.2, 0.7, 0.2, 0.7]), 1, 2)).toBeLessThan(1e-3);
    expect(meanChroma(Float32Array.from([1, 0, 0]), 1, 1)).toBeGreaterThan(100);
  });
});

describe("photo crop sampler", () => {
  const photo = (name: string, w: number, h: number, value: number): Photo => ({ name, width: w, height: h, rgb: new Float32Array(3 * w * h).fill(value) });
  const photos = [photo("a", 40, 40, 0.1), photo("b", 64, 50, 0.2), photo("c", 33, 70, 0.3), photo("d", 50, 40, 0.4)];

  it("splits by photo: training crops and test tiles never share a photo", () => {
    const { train, test } = splitPhotos(photos, ["b", "d"]);
    expect(train.map((p) => p.name)).toEqual(["a", "c"]);
    const crops = randomCrops(train, 200, 32, new Generator(2));
    expect(new Set(crops.sources)).toEqual(new Set(["a", "c"]));
    // Each crop's pixels come from its own photo (each photo has one value).
    crops.sources.forEach((s, k) => expect(crops.rgb[k * 3 * 1024]).toBeCloseTo(s === "a" ? 0.1 : 0.3, 6));
    const tiles = photoTiles(test, 32, 16);
    expect(new Set(tiles.sources)).toEqual(new Set(["b", "d"]));
    expect(tiles.count).toBe(3 * 2 + 2 * 1); // b: 3×2 half-overlapping tiles, d: 2×1
    for (const s of crops.sources) expect(tiles.sources).not.toContain(s);
    expect(() => splitPhotos(photos, ["zz"])).toThrow(/test photo "zz" is not among the photos/);
    expect(() => splitPhotos(photos, ["a", "b", "c", "d"])).toThrow(/at least one training and one test photo/);
  });

  it("crops are the photo's pixels, flipped or not", () => {
    const w = 40, h = 36;
    const p: Photo = { name: "ramp", width: w, height: h, rgb: Float32Array.from({ length: 3 * w * h }, (_, i) => (i % w) / w) };
    const { rgb } = randomCrops([p], 50, 32, new Generator(9));
    for (let k = 0; k < 50; k++) {
      const row = rgb.subarray(k * 3 * 1024, k * 3 * 1024 + 32);
      const step = row[1] - row[0];
      expect(Math.abs(Math.abs(step) - 1 / w)).toBeLessThan(1e-6);
    }
  });
});

describe("aerial tile generator", () => {
  it("the mask is exactly where the roads were painted", () => {
    const gen = new Generator(11);
    for (let t = 0; t < 12; t++) {
      const spec = randomTileSpec(64, gen);
      const withRoads = renderTile(spec);
      const without = renderTile(spec, { roads: false });
      expect(withRoads.mask).toEqual(without.mask);
      const n = 64 * 64;
      let roadPixels = 0, mismatched = 0;
      for (let i = 0; i < n; i++) {
        const changed = withRoads.rgb[i] !== without.rgb[i] || withRoads.rgb[n + i] !== without.rgb[n + i] || withRoads.rgb[2 * n + i] !== without.rgb[2 * n + i];
        if (changed !== (withRoads.mask[i] === 1)) mismatched++;
        roadPixels += withRoads.mask[i];
      }
      expect(mismatched, `tile ${t}`).toBe(0);
      expect(roadPixels).toBeGreaterThan(20);
      expect(roadPixels).toBeLessThan(n / 2);
      expect(withRoads.rgb.every((v) => v >= 0 && v <= 1)).toBe(true);
    }
  });

  it("a straight road of width w covers a band w pixels wide", () => {
    const mask = new Uint8Array(32 * 32);
    // Along y = 16.5 (the centre of pixel row 16): rows 15, 16, 17 are within 1.5 px.
    strokeCurve(mask, 32, [[-2, 16.5], [10, 16.5], [22, 16.5], [34, 16.5]], 3);
    for (let x = 0; x < 32; x++) {
      const col = Array.from({ length: 32 }, (_, y) => mask[y * 32 + x]);
      expect(col.reduce((a, b) => a + b, 0)).toBe(3);
      expect([col[15], col[16], col[17]]).toEqual([1, 1, 1]);
    }
  });

  it("road pairs: tiles in [−1, 1], masks ±1, a fixed test set", () => {
    const a = roadPairs({ size: 32, testCount: 3, testSeed: 5 });
    const b = roadPairs({ size: 32, testCount: 3, testSeed: 5 });
    expect(a).toMatchObject({ inChannels: 3, outChannels: 1, size: 32 });
    expect(a.test.input).toEqual(b.test.input);
    expect(new Set(a.test.target)).toEqual(new Set([-1, 1]));
    expect(a.score(a.test.target).metrics).toMatchObject({ iou: 1, f1: 1 });
  });
});

describe("metrics", () => {
  it("IoU and F1 from counted pixels", () => {
    // truth 1 1 1 0 0, predicted 1 1 0 1 0: tp 2, fp 1, fn 1.
    const r = iouF1([0.9, 0.6, 0.2, 0.7, 0.1], [1, 1, 1, 0, 0]);
    expect(r).toMatchObject({ tp: 2, fp: 1, fn: 1 });
    expect(r.iou).toBeCloseTo(2 / 4, 12);
    expect(r.f1).toBeCloseTo(4 / 6, 12);
    expect(iouF1([0, 0], [0, 0])).toMatchObject({ iou: 1, f1: 1 });
    expect(iouF1([1, 1], [0, 0])).toMatchObject({ iou: 0, f1: 0 });
  });

  it("PSNR: 10·log10(1/MSE), capped at 100 dB", () => {
    expect(psnr([0, 0, 0, 0], [0.1, 0.1, 0.1, 0.1])).toBeCloseTo(20, 10);
    expect(psnr([0.5, 0.5], [0.5, 0.5])).toBe(100);
    expect(psnr([0, 1], [1, 0])).toBeCloseTo(0, 10);
    expect(meanAbsError([0, 1], [0.5, 0.5])).toBe(0.5);
  });
});

describe("pictures for predict", () => {
  it("resamples by box averaging down and bilinear up", () => {
    const src = Float32Array.from({ length: 16 }, (_, i) => i);
    expect(Array.from(resample(src, 4, 4, 2, 2))).toEqual([2.5, 4.5, 10.5, 12.5]);
    const up = resample(Float32Array.from([0, 1]), 2, 1, 4, 1);
    expect(Array.from(up)).toEqual([0, 0.25, 0.75, 1]);
  });

  it("reads an inpainting picture: red is the hole, dark-on-light is inverted, the output keeps the known pixels", () => {
    const w = 56, n = w * w;
    const data = new Float32Array(3 * n).fill(1); // white
    for (let y = 10; y < 46; y++) for (let x = 24; x < 32; x++) data.set([0, 0, 0], (y * w + x) * 3); // a black bar
    for (let y = 20; y < 30; y++) for (let x = 20; x < 36; x++) data.set([1, 0, 0], (y * w + x) * 3); // a red hole over it
    const prepared = preparePicture({ width: w, height: w, channels: 3, data }, {
      kind: "inpaint", size: 32, imageSide: 28, multiple: 16, space: "lab", detector: "canny", extract: false,
    });
    expect(prepared.note).toMatch(/inverted.*hole: 160 red pixels/);
    expect(prepared.channels).toBe(2);
    const mask = prepared.input.subarray(1024);
    expect(mask.filter((v) => v === 1).length).toBeGreaterThan(20);
    // The "network" answers all white (+1 → the bar colour after inverting back: black).
    const out = prepared.finish(new Float32Array(1024).fill(1));
    expect(out.width).toBe(w);
    expect(out.data[(25 * w + 28) * 3]).toBe(0); // the hole, filled
    expect(out.data[(5 * w + 5) * 3]).toBe(1); // known white background, kept
  });
});
