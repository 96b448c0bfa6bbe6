/**
 * How close generated 2-D points are to the target: a Jensen–Shannon divergence between 2-D
 * histograms, and a mode counter that detects mode collapse. Plain numbers (no tensors).
 */
import { Generator } from "../../core/random.js";
import type { Target } from "./targets.js";

/** A square-binned box over the plane: bins × bins cells plus one "outside" cell. */
export interface HistogramBox {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  bins: number;
}

/** The box around the real points (their bounding box, padded by `pad` of its size on each side). */
export function histogramBox(real: Float32Array, bins: number, pad = 0.1): HistogramBox {
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let i = 0; i < real.length; i += 2) {
    x0 = Math.min(x0, real[i]);
    x1 = Math.max(x1, real[i]);
    y0 = Math.min(y0, real[i + 1]);
    y1 = Math.max(y1, real[i + 1]);
  }
  const px = Math.max(x1 - x0, 1e-3) * pad, py = Math.max(y1 - y0, 1e-3) * pad;
  return { x0: x0 - px, x1: x1 + px, y0: y0 - py, y1: y1 + py, bins };
}

/**
 * The normalised histogram of points over the box: bins² cells (row-major, y then x) and,
 * last, the share of points outside it (so mass thrown far away still counts).
 */
export function histogram2d(points: Float32Array, box: HistogramBox): Float64Array {
  const { bins } = box;
  const h = new Float64Array(bins * bins + 1);
  const n = points.length / 2;
  const sx = bins / (box.x1 - box.x0), sy = bins / (box.y1 - box.y0);
  for (let i = 0; i < n; i++) {
    const bx = Math.floor((points[2 * i] - box.x0) * sx);
    const by = Math.floor((points[2 * i + 1] - box.y0) * sy);
    if (bx >= 0 && bx < bins && by >= 0 && by < bins) h[by * bins + bx]++;
    else h[bins * bins]++;
  }
  for (let i = 0; i < h.length; i++) h[i] /= n;
  return h;
}

/**
 * Jensen–Shannon divergence in bits, JS(P, Q) = ½ KL(P ‖ M) + ½ KL(Q ‖ M) with M = ½(P + Q):
 * 0 for equal histograms, 1 for disjoint ones. Finite without smoothing (M > 0 wherever P or Q is).
 */
export function jsDivergence(p: ArrayLike<number>, q: ArrayLike<number>): number {
  if (p.length !== q.length) throw new Error(`jsDivergence: histograms of ${p.length} and ${q.length} cells`);
  let js = 0;
  for (let i = 0; i < p.length; i++) {
    const m = (p[i] + q[i]) / 2;
    if (p[i] > 0) js += 0.5 * p[i] * Math.log2(p[i] / m);
    if (q[i] > 0) js += 0.5 * q[i] * Math.log2(q[i] / m);
  }
  return Math.max(0, js);
}

/** One mode of a target: a centre, the radius holding 95% of its real points, and its share of them. */
export interface Mode {
  x: number;
  y: number;
  radius: number;
  share: number;
}

/** Index of the nearest centre and the squared distance to it. */
function nearest(x: number, y: number, centres: ArrayLike<number>): [number, number] {
  let best = 0, bestD = Infinity;
  for (let k = 0; k < centres.length / 2; k++) {
    const d = (x - centres[2 * k]) ** 2 + (y - centres[2 * k + 1]) ** 2;
    if (d < bestD) {
      bestD = d;
      best = k;
    }
  }
  return [best, bestD];
}

/** k-means (Lloyd's algorithm, k-means++ start) on interleaved 2-D points; returns the centres. */
export function kmeans(points: Float32Array, k: number, gen: Generator, iterations = 50): Float32Array {
  const n = points.length / 2;
  if (k < 1 || k > n) throw new Error(`kmeans: k must be in [1, ${n}], got ${k}`);
  const centres = new Float32Array(2 * k);
  const first = gen.randint(0, n);
  centres[0] = points[2 * first];
  centres[1] = points[2 * first + 1];
  const d2 = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      d2[i] = nearest(points[2 * i], points[2 * i + 1], centres.subarray(0, 2 * c))[1];
      total += d2[i];
    }
    let r = gen.random() * total, pick = n - 1;
    for (let i = 0; i < n; i++) {
      r -= d2[i];
      if (r <= 0) {
        pick = i;
        break;
      }
    }
    centres[2 * c] = points[2 * pick];
    centres[2 * c + 1] = points[2 * pick + 1];
  }
  const assign = new Int32Array(n);
  for (let it = 0; it < iterations; it++) {
    let moved = false;
    for (let i = 0; i < n; i++) {
      const [c] = nearest(points[2 * i], points[2 * i + 1], centres);
      if (c !== assign[i] || it === 0) moved = true;
      assign[i] = c;
    }
    const sum = new Float64Array(2 * k), count = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      sum[2 * assign[i]] += points[2 * i];
      sum[2 * assign[i] + 1] += points[2 * i + 1];
      count[assign[i]]++;
    }
    for (let c = 0; c < k; c++) {
      if (count[c] === 0) continue; // an empty cluster keeps its centre
      centres[2 * c] = sum[2 * c] / count[c];
      centres[2 * c + 1] = sum[2 * c + 1] / count[c];
    }
    if (!moved) break;
  }
  return centres;
}

/**
 * A target's modes: the mixture's centres for Gaussian mixtures, or `target.segments` k-means
 * segments of a large real sample for continuous targets (a line, the moons, a spiral, drawn
 * points). Each mode's radius holds 95% of the real points nearest to it.
 */
export function findModes(target: Target, real: Float32Array, seed = 0): Mode[] {
  const centres = target.centres ?? kmeans(real, Math.min(target.segments, real.length / 2), new Generator(seed));
  const k = centres.length / 2;
  const dists: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < real.length; i += 2) {
    const [c, d] = nearest(real[i], real[i + 1], centres);
    dists[c].push(Math.sqrt(d));
  }
  const n = real.length / 2;
  return dists.map((ds, c) => {
    ds.sort((a, b) => a - b);
    const radius = ds.length ? ds[Math.min(ds.length - 1, Math.floor(0.95 * ds.length))] : 0;
    return { x: centres[2 * c], y: centres[2 * c + 1], radius: Math.max(radius, 1e-6), share: ds.length / n };
  });
}

/** What countModes reports. */
export interface ModeCount {
  /** Modes that received at least `threshold` of the share of generated points they should get. */
  covered: number;
  total: number;
  /** Fraction of generated points per mode (within its radius). */
  perMode: number[];
  /** Fraction of generated points within some mode's radius ("high-quality" samples). */
  onModes: number;
}

/**
 * Counts the modes the generated points cover. A point belongs to its nearest mode when it is
 * within that mode's radius; a mode is covered when it holds at least `threshold` (default
 * 0.2) of the share of points it holds in the real distribution. A collapsed generator puts
 * everything on a few modes: the others fall below the threshold.
 */
export function countModes(fake: Float32Array, modes: readonly Mode[], threshold = 0.2): ModeCount {
  const centres = new Float32Array(modes.flatMap((m) => [m.x, m.y]));
  const counts = new Float64Array(modes.length);
  const n = fake.length / 2;
  let on = 0;
  for (let i = 0; i < n; i++) {
    const [c, d] = nearest(fake[2 * i], fake[2 * i + 1], centres);
    if (Math.sqrt(d) <= modes[c].radius) {
      counts[c]++;
      on++;
    }
  }
  const perMode = Array.from(counts, (c) => c / n);
  const covered = modes.filter((m, k) => perMode[k] >= threshold * m.share && perMode[k] > 0).length;
  return { covered, total: modes.length, perMode, onModes: on / n };
}
