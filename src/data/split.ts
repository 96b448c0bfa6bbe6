import { NNZooError } from "../core/errors.js";
import { Generator } from "../core/random.js";

/** Fisher–Yates shuffle with a seeded generator (a copy; the input is left alone). */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const g = new Generator(seed);
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = g.randint(0, i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * makemore's protocol: shuffle with the seed, hold out min(maxTest, fraction·n) items for
 * test, train on the rest.
 */
export function trainTestSplit<T>(items: readonly T[], seed: number, options: { maxTest?: number; fraction?: number } = {}): { train: T[]; test: T[] } {
  const n = items.length;
  const nTest = Math.min(options.maxTest ?? 1000, Math.floor(n * (options.fraction ?? 0.1)));
  if (nTest < 1 || n - nTest < 1) throw new NNZooError(`need at least ${Math.ceil(1 / (options.fraction ?? 0.1))} items to hold out a test set, got ${n}`);
  const s = shuffled(items, seed);
  return { train: s.slice(nTest), test: s.slice(0, nTest) };
}

/** k folds of indices 0..n−1 after a seeded shuffle: fold i is the test set of round i. */
export function kFolds(n: number, k: number, seed: number): number[][] {
  if (!Number.isInteger(k) || k < 2 || k > n) throw new NNZooError(`folds must be an integer in [2, ${n}], got ${k}`);
  const order = shuffled(Array.from({ length: n }, (_, i) => i), seed);
  return Array.from({ length: k }, (_, f) => order.filter((_, i) => i % k === f));
}
