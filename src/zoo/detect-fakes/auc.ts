/**
 * ROC AUC: the probability that a random positive scores above a random negative (ties count
 * one half) — the Mann–Whitney U statistic over n₊·n₋, computed from average ranks in
 * O(n log n). 1 = perfect separation, 0.5 = chance, 0 = perfectly inverted.
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  if (labels.length !== n) throw new Error(`rocAuc: ${n} scores but ${labels.length} labels`);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0, rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
    const rank = (i + j) / 2 + 1; // average 1-based rank of the tie group
    for (let k = i; k <= j; k++) {
      if (labels[order[k]] === 1) {
        positives++;
        rankSum += rank;
      } else if (labels[order[k]] !== 0) throw new Error(`rocAuc: labels must be 0 or 1, got ${labels[order[k]]}`);
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) throw new Error(`rocAuc: needs both classes, got ${positives} positive and ${negatives} negative`);
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Fraction of scores on the right side of the threshold (score > threshold means positive). */
export function accuracyAt(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold = 0.5): number {
  let right = 0;
  for (let i = 0; i < scores.length; i++) if ((scores[i] > threshold ? 1 : 0) === labels[i]) right++;
  return right / scores.length;
}
