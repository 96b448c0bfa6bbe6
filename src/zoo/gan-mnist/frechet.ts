/**
 * The Fréchet distance between two Gaussians fitted to feature vectors (FID's formula, here on
 * a small MNIST classifier's features instead of Inception's):
 *
 *   d² = ‖μ₁ − μ₂‖² + tr(Σ₁ + Σ₂ − 2 (Σ₁^½ Σ₂ Σ₁^½)^½)
 *
 * (tr (Σ₁Σ₂)^½ = tr (Σ₁^½ Σ₂ Σ₁^½)^½, and the right-hand matrix is symmetric positive
 * semi-definite, so both square roots come from symmetric eigendecompositions.) float64 throughout.
 */
import { symmetricEigen } from "../linalg.js";

/** Mean and covariance (n − 1 in the denominator) of n feature vectors of size d. */
export interface GaussianStats {
  mean: Float64Array;
  /** d × d, row-major. */
  cov: Float64Array;
  dim: number;
  count: number;
}

/** Fits a Gaussian to rows of `features` ([n, d] row-major). */
export function gaussianStats(features: ArrayLike<number>, n: number, d: number): GaussianStats {
  if (features.length !== n * d) throw new Error(`gaussianStats: ${features.length} values are not ${n} × ${d}`);
  if (n < 2) throw new Error(`gaussianStats: needs at least 2 vectors, got ${n}`);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += features[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const cov = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = features[i * d + j] - mean[j];
    for (let a = 0; a < d; a++) {
      const ra = row[a];
      if (ra === 0) continue;
      for (let b = a; b < d; b++) cov[a * d + b] += ra * row[b];
    }
  }
  for (let a = 0; a < d; a++) for (let b = a; b < d; b++) {
    cov[a * d + b] /= n - 1;
    cov[b * d + a] = cov[a * d + b];
  }
  return { mean, cov, dim: d, count: n };
}

/** The symmetric PSD square root V·diag(√max(λ, 0))·Vᵀ of a symmetric matrix. */
export function sqrtPsd(matrix: ArrayLike<number>, d: number): Float64Array {
  const { values, vectors: v } = symmetricEigen(matrix, d);
  const out = new Float64Array(d * d);
  for (let k = 0; k < d; k++) {
    const r = Math.sqrt(Math.max(values[k], 0));
    if (r === 0) continue;
    for (let i = 0; i < d; i++) {
      const vki = v[k * d + i] * r; // eigenvectors are the rows of v
      if (vki === 0) continue;
      for (let j = 0; j < d; j++) out[i * d + j] += vki * v[k * d + j];
    }
  }
  return out;
}

function matmulSquare(a: Float64Array, b: Float64Array, d: number): Float64Array {
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let k = 0; k < d; k++) {
    const aik = a[i * d + k];
    if (aik === 0) continue;
    for (let j = 0; j < d; j++) out[i * d + j] += aik * b[k * d + j];
  }
  return out;
}

/** The Fréchet distance d² between two fitted Gaussians (see the file's comment). */
export function frechetDistance(x: GaussianStats, y: GaussianStats): number {
  const d = x.dim;
  if (y.dim !== d) throw new Error(`frechetDistance: ${x.dim}-d and ${y.dim}-d statistics`);
  let meanTerm = 0, trace = 0;
  for (let i = 0; i < d; i++) {
    meanTerm += (x.mean[i] - y.mean[i]) ** 2;
    trace += x.cov[i * d + i] + y.cov[i * d + i];
  }
  const s1 = sqrtPsd(x.cov, d);
  const m = matmulSquare(matmulSquare(s1, y.cov, d), s1, d);
  for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) m[i * d + j] = m[j * d + i] = (m[i * d + j] + m[j * d + i]) / 2;
  const { values } = symmetricEigen(m, d);
  let trSqrt = 0;
  for (const v of values) trSqrt += Math.sqrt(Math.max(v, 0));
  return Math.max(0, meanTerm + trace - 2 * trSqrt);
}
