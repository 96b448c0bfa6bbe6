/**
 * Scores of grapheme-to-phoneme conversion on held-out words, with CMUdict's alternate
 * pronunciations: a prediction is judged against the closest of its word's references.
 *
 *   d(h, r)  Levenshtein distance: fewest insertions, deletions, substitutions turning h into r
 *   r*       argmin_r d(h, r) over the word's pronunciations (ties: the longer reference)
 *   PER      Σ_words d(h, r*) / Σ_words |r*|          phoneme error rate
 *   WER      #{words with h ∉ refs} / #words            word error rate (exact match with any)
 */

/** Levenshtein distance between two sequences (unit costs), O(|a|·|b|) time, O(|b|) memory. */
export function editDistance<T>(a: readonly T[], b: readonly T[]): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let row = new Array<number>(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const sub = prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      row[j] = Math.min(sub, prev[j] + 1, row[j - 1] + 1);
    }
    [prev, row] = [row, prev];
  }
  return prev[b.length];
}

/** One word's score: edit distance to the closest reference, that reference's length, exact match with any. */
export function scoreWord(hyp: readonly string[], refs: readonly (readonly string[])[]): { errors: number; length: number; correct: boolean } {
  if (refs.length === 0) throw new Error("scoreWord: a word needs at least one reference pronunciation");
  let errors = Infinity;
  let length = 0;
  for (const r of refs) {
    const d = editDistance(hyp, r);
    if (d < errors || (d === errors && r.length > length)) {
      errors = d;
      length = r.length;
    }
  }
  return { errors, length, correct: errors === 0 };
}

/** PER and WER over a list of words (hyps[i] judged against refs[i]). */
export function errorRates(hyps: readonly (readonly string[])[], refs: readonly (readonly (readonly string[])[])[]): { per: number; wer: number } {
  if (hyps.length !== refs.length) throw new Error(`errorRates: ${hyps.length} hypotheses for ${refs.length} words`);
  if (hyps.length === 0) throw new Error("errorRates: no words to score");
  let errors = 0, length = 0, wrong = 0;
  hyps.forEach((h, i) => {
    const s = scoreWord(h, refs[i]);
    errors += s.errors;
    length += s.length;
    if (!s.correct) wrong++;
  });
  return { per: errors / Math.max(length, 1), wer: wrong / hyps.length };
}
