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

/** A built-in target sampled on `grid(n)`. */
export function sampleTarget(name: TargetName, n: number): Float32Array {
  const f = TARGETS[name];
  if (!f) throw new RangeError(`approx: unknown target "${name}"; built-ins: ${Object.keys(TARGETS).join(", ")}`);
  return grid(n).map(f);
}
