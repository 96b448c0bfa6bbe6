/**
 * Least squares for the RBF network's linear output layer, in closed form:
 *
 *     W = argmin ‖ΦW − Y‖² + λ‖W‖²   ⇔   (ΦᵀΦ + λI) W = ΦᵀY
 *
 * The normal equations are formed with nnzoo's matmul in float64 (ΦᵀΦ is one GEMM) and solved
 * by a Cholesky factorisation ΦᵀΦ + λI = LLᵀ, then two triangular solves. With λ > 0 the
 * matrix is symmetric positive definite, so Cholesky needs no pivoting.
 */
import { noGrad } from "../../core/autograd.js";
import { NNZooError } from "../../core/errors.js";
import { tensor } from "../../core/ops/creation.js";
import { mm } from "../../core/ops/matmul.js";
import type { Tensor } from "../../core/tensor.js";

/**
 * The lower-triangular L with A = LLᵀ, for a symmetric positive definite A [n, n] (row-major,
 * only its lower triangle is read). Throws when A is not positive definite.
 */
export function cholesky(a: ArrayLike<number>, n: number): Float64Array {
  if (a.length !== n * n) throw new RangeError(`cholesky: expected ${n}×${n} = ${n * n} values, got ${a.length}`);
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let diag = a[j * n + j];
    for (let k = 0; k < j; k++) diag -= L[j * n + k] ** 2;
    if (!(diag > 0)) throw new NNZooError(`cholesky: the matrix is not positive definite (pivot ${j} is ${diag}); add a ridge (λ > 0)`);
    const ljj = Math.sqrt(diag);
    L[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      L[i * n + j] = s / ljj;
    }
  }
  return L;
}

/** Solves LLᵀX = B for X [n, m] (B row-major [n, m]) by forward then backward substitution. */
export function choleskySolve(L: Float64Array, n: number, b: ArrayLike<number>, m: number): Float64Array {
  if (b.length !== n * m) throw new RangeError(`choleskySolve: B must have ${n}×${m} values, got ${b.length}`);
  const x = Float64Array.from(b);
  for (let c = 0; c < m; c++) {
    // L z = b
    for (let i = 0; i < n; i++) {
      let s = x[i * m + c];
      for (let k = 0; k < i; k++) s -= L[i * n + k] * x[k * m + c];
      x[i * m + c] = s / L[i * n + i];
    }
    // Lᵀ x = z
    for (let i = n - 1; i >= 0; i--) {
      let s = x[i * m + c];
      for (let k = i + 1; k < n; k++) s -= L[k * n + i] * x[k * m + c];
      x[i * m + c] = s / L[i * n + i];
    }
  }
  return x;
}

/**
 * Ridge least squares: W [K, m] minimising ‖ΦW − Y‖² + λ‖W‖² for Φ [N, K] and Y [N, m]
 * (any float dtype; computed in float64). `unpenalised` lists columns of Φ whose weights the
 * ridge leaves alone (e.g. a column of ones for the bias).
 */
export function ridgeLeastSquares(phi: Tensor, y: Tensor, lambda: number, unpenalised: readonly number[] = []): Float64Array {
  if (phi.ndim !== 2 || y.ndim !== 2 || phi.shape[0] !== y.shape[0]) {
    throw new RangeError(`ridgeLeastSquares: Φ must be [N, K] and Y [N, m] with the same N, got [${phi.shape}] and [${y.shape}]`);
  }
  if (!(lambda >= 0)) throw new RangeError(`ridgeLeastSquares: λ must be ≥ 0, got ${lambda}`);
  const K = phi.shape[1], m = y.shape[1];
  return noGrad(() => {
    const P = phi.to("float64"), Y = y.to("float64");
    const A = Float64Array.from(mm(P, P, true, false).data); // ΦᵀΦ [K, K]
    const rhs = mm(P, Y, true, false).data; // ΦᵀY [K, m]
    const free = new Set(unpenalised);
    for (let j = 0; j < K; j++) if (!free.has(j)) A[j * K + j] += lambda;
    return choleskySolve(cholesky(A, K), K, rhs, m);
  });
}

/** Convenience for tests and callers with plain arrays: Φ [N, K], Y [N, m]. */
export function ridgeLeastSquaresArrays(phi: ArrayLike<number>, N: number, K: number, y: ArrayLike<number>, m: number, lambda: number): Float64Array {
  return ridgeLeastSquares(tensor(Float64Array.from(phi), { shape: [N, K] }), tensor(Float64Array.from(y), { shape: [N, m] }), lambda);
}
