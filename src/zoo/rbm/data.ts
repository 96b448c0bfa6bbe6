/**
 * MNIST for the energy-based models (rbm, dbn): the `mnist` package's 10,000 digits, split
 * once with seed 0 into 8,000 training and 2,000 test images (the same split for every run,
 * so runs are scored on the same digits), as binary pixels (grey ≥ 0.5 → 1) or as greys.
 */
import { type ImageSet, mnistSplit, toFloat } from "../../data/mnist.js";

export const SPLIT_SEED = 0;
export const PIXELS = 784;

export interface DigitSplit {
  /** [n, 784] values, row-major. */
  train: Float32Array;
  test: Float32Array;
  trainLabels: Int32Array;
  testLabels: Int32Array;
  nTrain: number;
  nTest: number;
}

function binarise(x: Float32Array): Float32Array {
  return x.map((v) => (v >= 0.5 ? 1 : 0));
}

/** The fixed split as binary pixels (binarise = true) or greys in [0, 1]. */
export function mnistDigits(binary: boolean): DigitSplit {
  const { train, test } = mnistSplit(SPLIT_SEED);
  const px = (s: ImageSet) => (binary ? binarise(toFloat(s)) : toFloat(s));
  return { train: px(train), test: px(test), trainLabels: train.labels, testLabels: test.labels, nTrain: train.count, nTest: test.count };
}

/**
 * `count` training indices with the same number per class (count/10 each, the first ones of the
 * seeded split): the labelled subset of a few-label experiment.
 */
export function balancedIndices(labels: Int32Array, count: number): number[] {
  const per = Math.floor(count / 10);
  const extra = count - per * 10;
  const taken = new Array(10).fill(0);
  const out: number[] = [];
  for (let i = 0; i < labels.length && out.length < count; i++) {
    const c = labels[i];
    if (taken[c] < per + (c < extra ? 1 : 0)) {
      taken[c]++;
      out.push(i);
    }
  }
  return out;
}
