/**
 * The target functions of the universal-approximator task, on x ∈ [−1, 1].
 * Plain numbers only (no tensors), so the Lab's main thread can draw them without the engine.
 */

/** The built-in targets: name → y(x) for x in [−1, 1], values within about [−1, 1]. */
export const TARGETS = {
  /** A jump at 0: the hardest shape for smooth units, fitted by one steep tanh. */
  step: (x: number) => (x < 0 ? -0.6 : 0.6),
  /** One period of a sine: two bumps of opposite sign. */
  sin: (x: number) => 0.8 * Math.sin(Math.PI * x),
  /** A kink: two tanh units, one rising and one falling, make the V. */
  abs: (x: number) => 1.6 * Math.abs(x) - 0.8,
  /**
   * Nielsen's bumpy sum ("Neural Networks and Deep Learning", ch. 4),
   * f(u) = 0.2 + 0.4u² + 0.3u·sin(15u) + 0.05·cos(50u) on u ∈ [0, 1], stretched to x ∈ [−1, 1]
   * and to about [−0.8, 0.8]: the more units, the more of its wiggles the fit follows.
   */
  bumpy: (x: number) => {
    const u = (x + 1) / 2;
    const f = 0.2 + 0.4 * u * u + 0.3 * u * Math.sin(15 * u) + 0.05 * Math.cos(50 * u);
    return 2.4 * f - 1.1;
  },
} satisfies Record<string, (x: number) => number>;

export type TargetName = keyof typeof TARGETS;

/** The input grid: n evenly spaced points from −1 to 1 (both ends included). */
export function grid(n: number): Float32Array {
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`approx grid: n must be an integer ≥ 2, got ${n}`);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = -1 + (2 * i) / (n - 1);
  return x;
}

/**
 * The built-in 2-D targets: name → z(x, y) on [−1, 1]², values within about [−1, 1]. One
 * hidden layer still approximates them, but a tanh unit is now a ridge (a smooth step along
 * the direction (aᵢ₁, aᵢ₂)), and it takes many ridges to build a localised bump.
 */
export const TARGETS_2D = {
  /** A saddle: z = x·y. Smooth, but no sum of a few ridges is exactly it. */
  saddle: (x: number, y: number) => x * y,
  /** A Gaussian peak at the origin: the 2-D "bump", which ridges make only approximately. */
  peak: (x: number, y: number) => 1.6 * Math.exp(-4 * (x * x + y * y)) - 0.8,
  /** Circular ripples, damped outwards: z = 0.8·cos(3πr)·exp(−r²). */
  ripple: (x: number, y: number) => {
    const r2 = x * x + y * y;
    return 0.8 * Math.cos(3 * Math.PI * Math.sqrt(r2)) * Math.exp(-r2);
  },
} satisfies Record<string, (x: number, y: number) => number>;

export type Target2DName = keyof typeof TARGETS_2D;

/** An n × n grid of [−1, 1]², row-major over y then x: point k = (x[k % n], y[⌊k / n⌋]); [n·n, 2] as a flat array. */
export function grid2d(n: number): Float32Array {
  const g = grid(n);
  const out = new Float32Array(n * n * 2);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      out[(j * n + i) * 2] = g[i];
      out[(j * n + i) * 2 + 1] = g[j];
    }
  }
  return out;
}

/** A built-in target sampled on `grid(n)`. */
export function sampleTarget(name: TargetName, n: number): Float32Array {
  const f = TARGETS[name];
  if (!f) throw new RangeError(`approx: unknown target "${name}"; built-ins: ${Object.keys(TARGETS).join(", ")}`);
  return grid(n).map(f);
}
