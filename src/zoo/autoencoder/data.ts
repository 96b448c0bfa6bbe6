/**
 * Data shared by the autoencoder modes: MNIST as float rows, batches, and encode/decode helpers
 * that run a network over a whole set in chunks.
 */
import { noGrad } from "../../core/autograd.js";
import { randint, tensor } from "../../core/ops/creation.js";
import type { Tensor } from "../../core/tensor.js";
import { mnistSplit, toFloat } from "../../data/mnist.js";

export const SIDE = 28;
export const PIXELS = SIDE * SIDE;
/** The MNIST split every run uses (the same images for every seed, so runs compare). */
export const SPLIT_SEED = 0;

export interface Digits {
  /** Pixels in [0, 1], [count, 784]. */
  x: Float32Array;
  labels: Int32Array;
  count: number;
}

/**
 * The package's 10,000 digits split 80/20 (stratified): 8,000 to train on, 2,000 held out.
 * `sizes` keeps only the first `train` / `test` digits of each (0 or undefined: all); the split
 * is shuffled, so these are random digits of every class.
 */
export function mnistDigits(sizes: { train?: number; test?: number } = {}): { train: Digits; test: Digits } {
  const { train, test } = mnistSplit(SPLIT_SEED);
  const digits = (set: typeof train, limit = 0): Digits => {
    const count = limit > 0 ? Math.min(limit, set.count) : set.count;
    return { x: toFloat(set, 0, count), labels: set.labels.slice(0, count), count };
  };
  return { train: digits(train, sizes.train), test: digits(test, sizes.test) };
}

/** Rows `indices` of a [n, dims] array, as a new array. */
export function gatherRows(x: Float32Array, dims: number, indices: ArrayLike<number>): Float32Array {
  const out = new Float32Array(indices.length * dims);
  for (let k = 0; k < indices.length; k++) out.set(x.subarray(indices[k] * dims, (indices[k] + 1) * dims), k * dims);
  return out;
}

/** A random training batch (indices from the global generator, so a seeded run repeats). */
export function randomBatch(x: Float32Array, dims: number, count: number, batch: number): { x: Tensor; indices: Int32Array } {
  const indices = randint(0, count, [Math.min(batch, count)]).data as Int32Array;
  return { x: tensor(gatherRows(x, dims, indices), { shape: [indices.length, dims] }), indices };
}

/** Runs f over the rows of x in chunks without gradients; concatenates the [chunk, outDims] results. */
export function mapRows(x: Float32Array, dims: number, outDims: number, f: (chunk: Tensor) => Tensor, chunk = 500): Float32Array {
  const n = x.length / dims;
  const out = new Float32Array(n * outDims);
  noGrad(() => {
    for (let i = 0; i < n; i += chunk) {
      const m = Math.min(chunk, n - i);
      out.set(f(tensor(x.subarray(i * dims, (i + m) * dims), { shape: [m, dims] })).data, i * outDims);
    }
  });
  return out;
}

/** Rows of `x` for the first `perClass` examples of each class (in order of appearance). */
export function firstPerClass(labels: ArrayLike<number>, perClass: number, classes = 10): number[] {
  const taken = new Array<number>(classes).fill(0);
  const out: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    if (taken[labels[i]] < perClass) {
      taken[labels[i]]++;
      out.push(i);
    }
  }
  return out;
}
