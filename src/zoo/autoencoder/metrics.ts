/**
 * The autoencoder task's scores, on plain typed arrays (browser-safe: the Lab uses them too).
 */
import { NNZooError } from "../../core/errors.js";

type Floats = ArrayLike<number>;

/** Mean squared error between two equally long arrays. */
export function meanSquaredError(a: Floats, b: Floats): number {
  if (a.length !== b.length) throw new NNZooError(`meanSquaredError: lengths differ (${a.length} and ${b.length})`);
  if (a.length === 0) throw new NNZooError("meanSquaredError: empty input");
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    s += d * d;
  }
  return s / a.length;
}

/**
 * Peak signal-to-noise ratio in dB for signals in [0, peak]: PSNR = 10·log10(peak² / MSE).
 * Over a set of images this task takes the MSE over all their pixels (one number per set),
 * the same way for the autoencoder, PCA and JPEG. An exact copy (MSE 0) is +Infinity.
 */
export function psnr(mse: number, peak = 1): number {
  if (!(mse >= 0)) throw new NNZooError(`psnr: the MSE must be ≥ 0, got ${mse}`);
  return 10 * Math.log10((peak * peak) / mse);
}

/**
 * k-nearest-neighbour accuracy: each query point takes the majority label of its k nearest
 * reference points (Euclidean; a tie goes to the label whose nearest member is closest).
 * Points are rows of `dims` numbers.
 */
export function knnAccuracy(reference: Floats, referenceLabels: ArrayLike<number>, query: Floats, queryLabels: ArrayLike<number>, dims: number, k = 5): number {
  const pred = knnPredict(reference, referenceLabels, query, dims, k);
  let correct = 0;
  for (let i = 0; i < pred.length; i++) if (pred[i] === queryLabels[i]) correct++;
  return correct / pred.length;
}

/** The k-NN vote for each query row (see knnAccuracy). */
export function knnPredict(reference: Floats, referenceLabels: ArrayLike<number>, query: Floats, dims: number, k = 5): Int32Array {
  const n = reference.length / dims, m = query.length / dims;
  if (!Number.isInteger(n) || !Number.isInteger(m)) throw new NNZooError(`knn: point arrays must hold whole rows of ${dims} numbers`);
  if (referenceLabels.length !== n) throw new NNZooError(`knn: ${n} reference points but ${referenceLabels.length} labels`);
  if (!(k >= 1 && k <= n)) throw new NNZooError(`knn: k must be in [1, ${n}], got ${k}`);
  const out = new Int32Array(m);
  const bestD = new Float64Array(k);
  const bestL = new Int32Array(k);
  for (let q = 0; q < m; q++) {
    bestD.fill(Infinity);
    for (let r = 0; r < n; r++) {
      let d = 0;
      for (let j = 0; j < dims; j++) {
        const t = query[q * dims + j] - reference[r * dims + j];
        d += t * t;
      }
      if (d >= bestD[k - 1]) continue;
      // Insertion into the sorted list of the k best so far.
      let i = k - 1;
      while (i > 0 && bestD[i - 1] > d) {
        bestD[i] = bestD[i - 1];
        bestL[i] = bestL[i - 1];
        i--;
      }
      bestD[i] = d;
      bestL[i] = referenceLabels[r];
    }
    const votes = new Map<number, number>();
    let winner = bestL[0], top = 0;
    for (let i = 0; i < k; i++) {
      const v = (votes.get(bestL[i]) ?? 0) + 1;
      votes.set(bestL[i], v);
      if (v > top) { top = v; winner = bestL[i]; }
    }
    // Among labels with the top count, the first to reach it in distance order is the one whose
    // members are nearest; re-scan so a later label reaching the same count does not win.
    for (let i = 0; i < k; i++) if (votes.get(bestL[i]) === top) { winner = bestL[i]; break; }
    out[q] = winner;
  }
  return out;
}

/**
 * Area under the ROC curve: the probability that a random positive scores above a random
 * negative, ties counting one half (the Mann–Whitney U statistic over n₊·n₋).
 */
export function rocAuc(scores: Floats, labels: ArrayLike<number>): number {
  if (scores.length !== labels.length) throw new NNZooError(`rocAuc: ${scores.length} scores but ${labels.length} labels`);
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0, rankSum = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]] === scores[order[i]]) j++;
    const midRank = (i + j) / 2 + 1; // average 1-based rank of the tied group
    for (let t = i; t <= j; t++) {
      if (labels[order[t]] === 1) { positives++; rankSum += midRank; }
      else if (labels[order[t]] !== 0) throw new NNZooError(`rocAuc: labels must be 0 or 1, got ${labels[order[t]]} at ${order[t]}`);
    }
    i = j + 1;
  }
  const negatives = scores.length - positives;
  if (positives === 0 || negatives === 0) throw new NNZooError(`rocAuc: needs positives and negatives (got ${positives} and ${negatives})`);
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Fraction of equal entries. */
export function accuracyOf(predicted: ArrayLike<number>, labels: ArrayLike<number>): number {
  let c = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) c++;
  return c / labels.length;
}
