/**
 * Principal component analysis with nnzoo: the covariance C = X̄ᵀX̄/n by one GEMM, its top-k
 * eigenvectors by subspace iteration (block power iteration: Q ← orth(C·Q), GEMMs too), and a
 * Rayleigh–Ritz step that solves the small p×p problem QᵀCQ exactly with Jacobi rotations.
 * The autoencoder task's linear baseline: the best rank-k linear code for squared error.
 */
import { NNZooError } from "../../core/errors.js";
import { Generator } from "../../core/random.js";
import { tensor } from "../../core/ops/creation.js";
import { mm } from "../../core/ops/matmul.js";
import { noGrad } from "../../core/autograd.js";
import { symmetricEigen } from "../linalg.js";

export interface Pca {
  /** Input size d. */
  dims: number;
  /** Number of components k. */
  k: number;
  /** The data mean, [d]. */
  mean: Float32Array;
  /** The components as rows, [k, d], orthonormal, by decreasing variance. */
  components: Float32Array;
  /** The variance along each component (eigenvalues of C), [k]. */
  variances: Float64Array;
  /** Total variance (trace of C): the share explained is Σ variances / totalVariance. */
  totalVariance: number;
}

/** Orthonormalises the p columns of q ([d, p], row-major) in place (modified Gram–Schmidt, float64). */
function orthonormalizeColumns(q: Float64Array, d: number, p: number, gen: Generator): void {
  for (let j = 0; j < p; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < j; i++) {
        let dot = 0;
        for (let r = 0; r < d; r++) dot += q[r * p + i] * q[r * p + j];
        for (let r = 0; r < d; r++) q[r * p + j] -= dot * q[r * p + i];
      }
    }
    let norm = 0;
    for (let r = 0; r < d; r++) norm += q[r * p + j] * q[r * p + j];
    norm = Math.sqrt(norm);
    if (norm < 1e-12) {
      // A column in the span of the others (C has rank < p): restart it at random.
      for (let r = 0; r < d; r++) q[r * p + j] = gen.normal();
      j--;
      continue;
    }
    for (let r = 0; r < d; r++) q[r * p + j] /= norm;
  }
}

/**
 * The top-k eigenpairs of a symmetric positive semi-definite d×d matrix (a covariance):
 * subspace iteration with p = k + oversample columns until the top-k Ritz values settle, then
 * Rayleigh–Ritz. Returns eigenvalues (decreasing) and eigenvectors as rows, [k, d].
 */
export function topEigen(cov: Float32Array, d: number, k: number, options: { oversample?: number; maxIterations?: number; tolerance?: number; seed?: number } = {}): { values: Float64Array; vectors: Float64Array } {
  if (cov.length !== d * d) throw new NNZooError(`topEigen: expected a ${d}×${d} matrix, got ${cov.length} values`);
  if (!(Number.isInteger(k) && k >= 1 && k <= d)) throw new NNZooError(`topEigen: k must be an integer in [1, ${d}], got ${k}`);
  const p = Math.min(d, k + (options.oversample ?? 10));
  const gen = new Generator(options.seed ?? 0);
  const q = new Float64Array(d * p);
  for (let i = 0; i < q.length; i++) q[i] = gen.normal();
  orthonormalizeColumns(q, d, p, gen);
  const C = tensor(cov, { shape: [d, d] });
  const maxIterations = options.maxIterations ?? 300;
  const tol = options.tolerance ?? 1e-9;
  let previous: Float64Array | null = null;
  let ritz: { values: Float64Array; vectors: Float64Array } = { values: new Float64Array(p), vectors: new Float64Array(p * p) };
  return noGrad(() => {
    for (let it = 1; it <= maxIterations; it++) {
      const cq = mm(C, tensor(Float32Array.from(q), { shape: [d, p] }), false, false).data; // [d, p]
      const check = it % 5 === 0 || it === maxIterations;
      if (check) {
        // Rayleigh–Ritz: T = Qᵀ(CQ), p×p, symmetric.
        const t = new Float64Array(p * p);
        for (let i = 0; i < p; i++) {
          for (let j = i; j < p; j++) {
            let s = 0;
            for (let r = 0; r < d; r++) s += q[r * p + i] * cq[r * p + j];
            t[i * p + j] = s;
            t[j * p + i] = s;
          }
        }
        ritz = symmetricEigen(t, p);
        const top = ritz.values.subarray(0, k);
        const settled = previous !== null && top.every((v, i) => Math.abs(v - previous![i]) <= tol * Math.max(Math.abs(top[0]), 1e-30));
        previous = top.slice();
        if (settled || it === maxIterations) break;
      }
      for (let i = 0; i < q.length; i++) q[i] = cq[i];
      orthonormalizeColumns(q, d, p, gen);
    }
    // Eigenvectors: the Ritz vectors Q·y for the top k, as rows.
    const vectors = new Float64Array(k * d);
    for (let c = 0; c < k; c++) {
      for (let r = 0; r < d; r++) {
        let s = 0;
        for (let j = 0; j < p; j++) s += q[r * p + j] * ritz.vectors[c * p + j];
        vectors[c * d + r] = s;
      }
    }
    return { values: ritz.values.slice(0, k), vectors };
  });
}

/** Fits PCA with k components to n rows of `dims` values. */
export function fitPca(x: Float32Array, dims: number, k: number, options: { seed?: number; maxIterations?: number } = {}): Pca {
  const n = x.length / dims;
  if (!Number.isInteger(n) || n < 2) throw new NNZooError(`fitPca: need at least 2 rows of ${dims} values, got ${x.length} values`);
  const mean64 = new Float64Array(dims);
  for (let i = 0; i < n; i++) for (let j = 0; j < dims; j++) mean64[j] += x[i * dims + j];
  for (let j = 0; j < dims; j++) mean64[j] /= n;
  const mean = Float32Array.from(mean64);
  const centred = new Float32Array(x.length);
  for (let i = 0; i < n; i++) for (let j = 0; j < dims; j++) centred[i * dims + j] = x[i * dims + j] - mean[j];
  const cov = noGrad(() => {
    const xc = tensor(centred, { shape: [n, dims] });
    return mm(xc, xc, true, false).div(n).data as Float32Array;
  });
  let totalVariance = 0;
  for (let j = 0; j < dims; j++) totalVariance += cov[j * dims + j];
  const { values, vectors } = topEigen(cov, dims, k, options);
  return { dims, k, mean, components: Float32Array.from(vectors), variances: values, totalVariance };
}

function checkRows(op: string, x: Float32Array, width: number): number {
  const n = x.length / width;
  if (!Number.isInteger(n)) throw new NNZooError(`${op}: ${x.length} values are not whole rows of ${width}`);
  return n;
}

/** Codes of n rows: (x − mean)·Wᵀ, [n, k] (the first `k` components, default all). */
export function pcaEncode(pca: Pca, x: Float32Array, k = pca.k): Float32Array {
  const n = checkRows("pcaEncode", x, pca.dims);
  const centred = new Float32Array(x.length);
  for (let i = 0; i < n; i++) for (let j = 0; j < pca.dims; j++) centred[i * pca.dims + j] = x[i * pca.dims + j] - pca.mean[j];
  const w = tensor(pca.components.subarray(0, k * pca.dims), { shape: [k, pca.dims] });
  return noGrad(() => mm(tensor(centred, { shape: [n, pca.dims] }), w, false, true).data as Float32Array);
}

/** Reconstructions from codes [n, k]: mean + code·W, [n, d]. */
export function pcaDecode(pca: Pca, codes: Float32Array, k = pca.k): Float32Array {
  const n = checkRows("pcaDecode", codes, k);
  const w = tensor(pca.components.subarray(0, k * pca.dims), { shape: [k, pca.dims] });
  const out = noGrad(() => mm(tensor(codes, { shape: [n, k] }), w, false, false).data as Float32Array);
  for (let i = 0; i < n; i++) for (let j = 0; j < pca.dims; j++) out[i * pca.dims + j] += pca.mean[j];
  return out;
}
