import { NNZooError } from "../core/errors.js";
import type { Generator } from "../core/random.js";

/**
 * Draws an index from softmax(logits / temperature), keeping only the topK largest logits
 * (0: all). Temperature 0 means greedy (argmax).
 */
export function sampleLogits(logits: ArrayLike<number>, temperature: number, topK: number, gen: Generator): number {
  if (!(temperature >= 0)) throw new NNZooError(`temperature must be ≥ 0, got ${temperature}`);
  const n = logits.length;
  let order = Array.from({ length: n }, (_, i) => i);
  if (topK > 0 && topK < n) order = order.sort((a, b) => logits[b] - logits[a]).slice(0, topK);
  if (temperature === 0) return order.reduce((best, i) => (logits[i] > logits[best] ? i : best), order[0]);
  let max = -Infinity;
  for (const i of order) max = Math.max(max, logits[i]);
  const weights = order.map((i) => Math.exp((logits[i] - max) / temperature));
  const total = weights.reduce((a, b) => a + b, 0);
  let r = gen.random() * total;
  for (let k = 0; k < order.length; k++) {
    r -= weights[k];
    if (r <= 0) return order[k];
  }
  return order[order.length - 1];
}

/** The k most likely entries of a probability row, as [index, probability]. */
export function topEntries(probs: ArrayLike<number>, k: number): Array<[number, number]> {
  return Array.from({ length: probs.length }, (_, i) => [i, probs[i]] as [number, number]).sort((a, b) => b[1] - a[1]).slice(0, k);
}
