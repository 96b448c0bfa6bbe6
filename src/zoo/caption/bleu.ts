/**
 * BLEU (Papineni et al. 2002), corpus level, one reference per candidate, no smoothing:
 *
 *   p_n  = Σ_c Σ_{g ∈ n-grams(c)} min(count_c(g), count_ref(g)) / Σ_c |n-grams(c)|
 *   BP   = 1 if c > r else exp(1 − r / c)      (c, r: total candidate and reference lengths)
 *   BLEU = BP · exp(Σ_{n=1..N} (1/N) log p_n)   (0 if some p_n is 0)
 *
 * Sentences are token arrays; BLEU-4 is N = 4 (the captioning papers' number).
 */
export function corpusBleu(candidates: readonly (readonly string[])[], references: readonly (readonly string[])[], maxN = 4): number {
  if (candidates.length !== references.length) throw new Error(`corpusBleu: ${candidates.length} candidates but ${references.length} references`);
  const matches = new Array(maxN).fill(0);
  const totals = new Array(maxN).fill(0);
  let c = 0;
  let r = 0;
  candidates.forEach((cand, k) => {
    const ref = references[k];
    c += cand.length;
    r += ref.length;
    for (let n = 1; n <= maxN; n++) {
      const refCounts = ngramCounts(ref, n);
      for (const [g, count] of ngramCounts(cand, n)) matches[n - 1] += Math.min(count, refCounts.get(g) ?? 0);
      totals[n - 1] += Math.max(0, cand.length - n + 1);
    }
  });
  if (c === 0) return 0;
  let logP = 0;
  for (let n = 0; n < maxN; n++) {
    if (matches[n] === 0) return 0;
    logP += Math.log(matches[n] / totals[n]) / maxN;
  }
  const bp = c > r ? 1 : Math.exp(1 - r / c);
  return bp * Math.exp(logP);
}

/** n-grams of a token array with their counts. */
export function ngramCounts(tokens: readonly string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const g = tokens.slice(i, i + n).join("\u0000");
    counts.set(g, (counts.get(g) ?? 0) + 1);
  }
  return counts;
}
