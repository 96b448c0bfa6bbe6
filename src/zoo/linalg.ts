/**
 * Small dense linear algebra in float64 that several zoo tasks need on the CPU side (PCA's
 * Rayleigh–Ritz step, the Fréchet distance's matrix square roots): matrices of at most a few
 * hundred rows, where exactness matters more than speed, so plain loops rather than kernels.
 */
import { NNZooError } from "../core/errors.js";

/**
 * Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations (float64).
 * Returns eigenvalues in decreasing order and the eigenvectors as the rows of `vectors`.
 */
export function symmetricEigen(matrix: ArrayLike<number>, n: number, options: { tolerance?: number; maxSweeps?: number } = {}): { values: Float64Array; vectors: Float64Array } {
  if (matrix.length !== n * n) throw new NNZooError(`symmetricEigen: expected ${n}×${n} = ${n * n} values, got ${matrix.length}`);
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  const tol = options.tolerance ?? 1e-14;
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale += a[i] * a[i];
  for (let sweep = 0; sweep < (options.maxSweeps ?? 100); sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
    if (off <= tol * tol * scale || off === 0) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq === 0) continue;
        // The rotation angle that zeroes a[p][q] (Golub & Van Loan, Algorithm 8.4.1).
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p], akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k], aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vpk = v[p * n + k], vqk = v[q * n + k];
          v[p * n + k] = c * vpk - s * vqk;
          v[q * n + k] = s * vpk + c * vqk;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j * n + j] - a[i * n + i]);
  const values = Float64Array.from(order, (i) => a[i * n + i]);
  const vectors = new Float64Array(n * n);
  order.forEach((i, r) => vectors.set(v.subarray(i * n, (i + 1) * n), r * n));
  return { values, vectors };
}
