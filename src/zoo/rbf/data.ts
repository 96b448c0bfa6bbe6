/** Data of the rbf task: two moons (classification in 2-D) and random samples of a function (regression). */
import type { Generator } from "../../core/random.js";

export interface Labelled2D {
  /** [n, 2] row-major. */
  x: Float32Array;
  /** 0 or 1 [n]. */
  y: Int32Array;
}

/**
 * scikit-learn's make_moons: two interleaving half circles, class 0 the upper one
 * (cos t, sin t) and class 1 the lower (1 − cos t, ½ − sin t), t uniform on [0, π], plus
 * Gaussian noise of standard deviation `noise`. Classes alternate, so any n is balanced.
 */
export function twoMoons(n: number, noise: number, g: Generator): Labelled2D {
  const x = new Float32Array(n * 2), y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 2, t = Math.PI * g.random();
    const [a, b] = c === 0 ? [Math.cos(t), Math.sin(t)] : [1 - Math.cos(t), 0.5 - Math.sin(t)];
    x[2 * i] = a + noise * g.normal();
    x[2 * i + 1] = b + noise * g.normal();
    y[i] = c;
  }
  return { x, y };
}

/** n points uniform on [−1, 1]^d (row-major [n, d]). */
export function uniformPoints(n: number, d: number, g: Generator): Float32Array {
  return Float32Array.from({ length: n * d }, () => 2 * g.random() - 1);
}

/** Two concentric rings (class 0 inside, radius 0.5; class 1 outside, radius 1), with radial noise. */
export function twoCircles(n: number, noise: number, g: Generator): Labelled2D {
  const x = new Float32Array(n * 2), y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 2, t = 2 * Math.PI * g.random(), r = (c === 0 ? 0.5 : 1) + noise * g.normal();
    x[2 * i] = r * Math.cos(t);
    x[2 * i + 1] = r * Math.sin(t);
    y[i] = c;
  }
  return { x, y };
}

/** XOR: four Gaussian blobs at (±1, ±1), class 1 where the signs differ. */
export function xorBlobs(n: number, noise: number, g: Generator): Labelled2D {
  const x = new Float32Array(n * 2), y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const sx = i % 2 === 0 ? 1 : -1, sy = Math.floor(i / 2) % 2 === 0 ? 1 : -1;
    x[2 * i] = sx + noise * g.normal();
    x[2 * i + 1] = sy + noise * g.normal();
    y[i] = sx === sy ? 0 : 1;
  }
  return { x, y };
}
