/**
 * k-means (Lloyd's algorithm) with k-means++ seeding (Arthur & Vassilvitskii 2007): the RBF
 * network's centres. Squared distances to all centres come from one matrix product,
 * ‖x − c‖² = ‖x‖² − 2x·c + ‖c‖², so large data sets (MNIST) cost a GEMM per iteration.
 */
import { noGrad } from "../../core/autograd.js";
import { tensor } from "../../core/ops/creation.js";
import { mm } from "../../core/ops/matmul.js";
import type { Generator } from "../../core/random.js";

export interface KMeansOptions {
  /** At most this many Lloyd iterations (default 100); it stops when no assignment changes. */
  maxIterations?: number;
  /** The generator of the k-means++ draws (default: a fresh one with seed 0). */
  generator: Generator;
  /** Initial centres [k, d] instead of k-means++ (e.g. to test Lloyd's step alone). */
  init?: Float32Array;
}

export interface KMeansResult {
  /** [k, d] row-major. */
  centres: Float32Array;
  /** The centre of each point [n]. */
  assignments: Int32Array;
  /** Σ over points of the squared distance to its assigned centre (the returned ones). */
  inertia: number;
  iterations: number;
  /** True when an iteration changed no assignment (a fixed point of Lloyd's algorithm). */
  converged: boolean;
}

/** Squared distances [n, k] between the rows of x [n, d] and c [k, d] (clamped at 0 against rounding). */
export function squaredDistances(x: Float32Array, n: number, c: Float32Array, k: number, d: number): Float32Array {
  return noGrad(() => {
    const X = tensor(x, { shape: [n, d] }), C = tensor(c, { shape: [k, d] });
    const cross = mm(X, C, false, true); // [n, k]
    return cross.mul(-2).add(X.square().sum(1, true)).add(C.square().sum(1)).clamp(0).data as Float32Array;
  });
}

/** Indices of k-means++ seeds: the first uniform, each next with probability ∝ squared distance to the nearest seed so far. */
function plusPlus(x: Float32Array, n: number, d: number, k: number, g: Generator): Float32Array {
  const centres = new Float32Array(k * d);
  const first = g.randint(0, n);
  centres.set(x.subarray(first * d, (first + 1) * d), 0);
  const nearest = new Float64Array(n).fill(Infinity);
  for (let j = 1; j < k; j++) {
    const prev = centres.subarray((j - 1) * d, j * d);
    let total = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let t = 0; t < d; t++) s += (x[i * d + t] - prev[t]) ** 2;
      if (s < nearest[i]) nearest[i] = s;
      total += nearest[i];
    }
    let pick = n - 1;
    if (total > 0) {
      let r = g.random() * total;
      for (let i = 0; i < n; i++) {
        r -= nearest[i];
        if (r < 0) { pick = i; break; }
      }
    } else {
      pick = g.randint(0, n); // every point coincides with a seed: any will do
    }
    centres.set(x.subarray(pick * d, (pick + 1) * d), j * d);
  }
  return centres;
}

/**
 * Clusters the rows of x [n, d] into k groups. An emptied cluster is re-seeded at the point
 * farthest from its centre, so there are always k distinct clusters when n ≥ k.
 */
export function kmeans(x: Float32Array, n: number, d: number, k: number, options: KMeansOptions): KMeansResult {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`kmeans: k must be a positive integer, got ${k}`);
  if (x.length !== n * d) throw new RangeError(`kmeans: x has ${x.length} values, expected n·d = ${n}·${d}`);
  if (n < k) throw new RangeError(`kmeans: ${n} points cannot make ${k} clusters`);
  const g = options.generator;
  const maxIterations = options.maxIterations ?? 100;
  const centres = options.init ? Float32Array.from(options.init) : plusPlus(x, n, d, k, g);
  const assignments = new Int32Array(n).fill(-1);
  let iterations = 0, converged = false;
  while (iterations < maxIterations) {
    iterations++;
    // Assignment step.
    const dist = squaredDistances(x, n, centres, k, d);
    let changed = 0;
    const best = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let a = 0, m = dist[i * k];
      for (let j = 1; j < k; j++) if (dist[i * k + j] < m) { m = dist[i * k + j]; a = j; }
      if (assignments[i] !== a) changed++;
      assignments[i] = a;
      best[i] = m;
    }
    // Update step: each centre moves to the mean of its points.
    const sums = new Float64Array(k * d), counts = new Int32Array(k);
    for (let i = 0; i < n; i++) {
      const a = assignments[i];
      counts[a]++;
      for (let t = 0; t < d; t++) sums[a * d + t] += x[i * d + t];
    }
    for (let j = 0; j < k; j++) {
      if (counts[j] === 0) {
        // Re-seed an empty cluster at the worst-served point.
        let far = 0;
        for (let i = 1; i < n; i++) if (best[i] > best[far]) far = i;
        centres.set(x.subarray(far * d, (far + 1) * d), j * d);
        best[far] = 0;
        changed++;
        continue;
      }
      for (let t = 0; t < d; t++) centres[j * d + t] = sums[j * d + t] / counts[j];
    }
    if (changed === 0) {
      converged = true;
      break;
    }
  }
  let inertia = 0;
  for (let i = 0; i < n; i++) for (let t = 0; t < d; t++) inertia += (x[i * d + t] - centres[assignments[i] * d + t]) ** 2;
  return { centres, assignments, inertia, iterations, converged };
}
