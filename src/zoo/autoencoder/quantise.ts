/**
 * 8-bit codes: each code dimension quantised uniformly over its range (browser-safe; the Lab's
 * code-size slider uses it too).
 */

/** Bits per code value (the autoencoder's and PCA's). */
export const BITS = 8;
export const CODE_LEVELS = 2 ** BITS;

/** Per-column minimum and maximum of codes [n, k]: the quantiser's ranges. */
export function columnRanges(codes: Float32Array, k: number): { lo: Float32Array; hi: Float32Array } {
  const lo = new Float32Array(k).fill(Infinity), hi = new Float32Array(k).fill(-Infinity);
  codes.forEach((v, i) => {
    const j = i % k;
    if (v < lo[j]) lo[j] = v;
    if (v > hi[j]) hi[j] = v;
  });
  return { lo, hi };
}

/** Quantises each column of codes [n, k] to 2^bits levels over [lo_j, hi_j] (clamped). */
export function quantiseColumns(codes: Float32Array, k: number, lo: Float32Array, hi: Float32Array, levels = CODE_LEVELS): Float32Array {
  const out = new Float32Array(codes.length);
  const L = levels - 1;
  for (let i = 0; i < codes.length; i++) {
    const j = i % k, span = hi[j] - lo[j] || 1;
    const u = Math.min(1, Math.max(0, (codes[i] - lo[j]) / span));
    out[i] = lo[j] + (Math.round(u * L) / L) * span;
  }
  return out;
}

/**
 * The empirical entropy of each code column's symbols (its quantisation levels over [lo, hi]),
 * summed, in bytes: about what an entropy coder would need instead of 8 bits per value.
 */
export function codeEntropyBytes(codes: Float32Array, k: number, lo: Float32Array, hi: Float32Array, levels = CODE_LEVELS): number {
  const n = codes.length / k;
  let bits = 0;
  for (let j = 0; j < k; j++) {
    const counts = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const u = Math.min(1, Math.max(0, (codes[i * k + j] - lo[j]) / (hi[j] - lo[j] || 1)));
      const s = Math.round(u * (levels - 1));
      counts.set(s, (counts.get(s) ?? 0) + 1);
    }
    for (const c of counts.values()) bits -= (c / n) * Math.log2(c / n);
  }
  return bits / 8;
}
