import { describe, expect, it } from "vitest";
import { Generator } from "../../src/core/random.js";
import { frechetDistance, type GaussianStats, gaussianStats, sqrtPsd } from "../../src/zoo/gan-mnist/frechet.js";
import { symmetricEigen } from "../../src/zoo/linalg.js";

const stats = (mean: number[], cov: number[][]): GaussianStats => ({
  mean: Float64Array.from(mean), cov: Float64Array.from(cov.flat()), dim: mean.length, count: 1000,
});

/** n samples of N(μ, LLᵀ) (L lower-triangular), row-major. */
function sample(mean: number[], L: number[][], n: number, gen: Generator): Float64Array {
  const d = mean.length;
  const out = new Float64Array(n * d);
  const e = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) e[j] = gen.normal();
    for (let r = 0; r < d; r++) {
      let v = mean[r];
      for (let c = 0; c <= r; c++) v += L[r][c] * e[c];
      out[i * d + r] = v;
    }
  }
  return out;
}

describe("Fréchet distance (FID's formula)", () => {
  it("matches the closed form for Gaussians", () => {
    const a = stats([0, 0, 0], [[1, 0, 0], [0, 4, 0], [0, 0, 9]]);
    expect(frechetDistance(a, a)).toBeCloseTo(0, 9);
    // Diagonal covariances: ‖Δμ‖² + Σ(σ₁ − σ₂)² = 5 + (1 − 2)² + (2 − 1)² = 7.
    const b = stats([1, 2, 0], [[4, 0, 0], [0, 1, 0], [0, 0, 9]]);
    expect(frechetDistance(a, b)).toBeCloseTo(7, 9);
    expect(frechetDistance(b, a)).toBeCloseTo(7, 9);
    // Covariances that do not commute: for 2×2, tr (Σ₁Σ₂)^½ = √(tr Σ₁Σ₂ + 2√det Σ₁Σ₂).
    // Σ₁Σ₂ = [[2, 3], [1, 6]]: trace 8, det 9, so d² = 4 + 4 − 2√14.
    const c = stats([0, 0], [[2, 1], [1, 2]]);
    const d = stats([0, 0], [[1, 0], [0, 3]]);
    expect(frechetDistance(c, d)).toBeCloseTo(8 - 2 * Math.sqrt(14), 9);
    expect(frechetDistance(d, c)).toBeCloseTo(8 - 2 * Math.sqrt(14), 9);
    // Scaled identity: Σ₁ = s²I, Σ₂ = t²I in k dims give k(s − t)².
    expect(frechetDistance(stats([0, 0, 0, 0], [[4, 0, 0, 0], [0, 4, 0, 0], [0, 0, 4, 0], [0, 0, 0, 4]]), stats([0, 0, 0, 0], [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]))).toBeCloseTo(4, 9);
  });

  it("estimated from samples, approaches the closed form", () => {
    const gen = new Generator(7);
    const n = 40_000;
    // N((0,0), [[2,1],[1,2]]) (L = chol) vs N((1,−1), diag(1, 3)).
    const L1 = [[Math.SQRT2, 0], [1 / Math.SQRT2, Math.sqrt(1.5)]];
    const L2 = [[1, 0], [0, Math.sqrt(3)]];
    const x = gaussianStats(sample([0, 0], L1, n, gen), n, 2);
    const y = gaussianStats(sample([1, -1], L2, n, gen), n, 2);
    expect(x.cov[1]).toBeCloseTo(1, 1);
    expect(frechetDistance(x, y)).toBeCloseTo(2 + 8 - 2 * Math.sqrt(14), 1);
  });

  it("fits means and unbiased covariances; square roots and eigenvectors reconstruct", () => {
    const s = gaussianStats([1, 2, 3, 4, 5, 9], 3, 2);
    expect(Array.from(s.mean)).toEqual([3, 5]);
    expect(Array.from(s.cov)).toEqual([4, 7, 7, 13]); // (n − 1) = 2 in the denominator
    expect(() => gaussianStats([1, 2, 3], 2, 2)).toThrow(/3 values are not 2 × 2/);

    const gen = new Generator(1);
    const d = 12;
    const m = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) m[i * d + j] = m[j * d + i] = gen.normal();
    const { values, vectors: v } = symmetricEigen(m, d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
      let r = 0;
      for (let k = 0; k < d; k++) r += v[k * d + i] * values[k] * v[k * d + j]; // eigenvectors are rows
      expect(r).toBeCloseTo(m[i * d + j], 9);
    }
    // A PSD matrix's square root squares back to it.
    const psd = new Float64Array(d * d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) psd[i * d + j] += m[i * d + k] * m[j * d + k];
    const r = sqrtPsd(psd, d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) {
      let sq = 0;
      for (let k = 0; k < d; k++) sq += r[i * d + k] * r[k * d + j];
      expect(sq).toBeCloseTo(psd[i * d + j], 8);
    }
  });
});
