/**
 * The timing protocol every workload uses (and bench/torch_bench.py mirrors): warm up,
 * then timed windows of at least `windowSeconds` each, and report the median window's
 * throughput. The JavaScript engines of one case take their windows in turn. A "step" is one unit of work (one GEMM, one training step, …) worth `work`
 * units (FLOPs, tokens, samples, iterations).
 */
export interface BenchOptions {
  /** Minimum length of one timed window, in seconds (3 by default; --quick uses 1). */
  windowSeconds: number;
  /** Number of timed windows; the median is reported (3). */
  windows: number;
  /** Minimum warm-up, in seconds (and at least two steps; one when 0, as --smoke). */
  warmupSeconds: number;
}

export interface Measurement {
  /** Median throughput in `unit` per second (scaled, e.g. GFLOP/s). */
  value: number;
  /** Every window's throughput. */
  windows: number[];
  /** Steps per window. */
  steps: number[];
}

/** A runnable case: `step` is timed; `scale` turns steps/s into the unit (e.g. 2MNK/1e9). */
export interface Timed {
  step(): void | Promise<void>;
  scale: number;
  /** Re-selects this engine's global settings (backend, threads) before its windows. */
  activate?(): void | Promise<void>;
  dispose?(): void;
  /** How this engine's model departs from the workload's definition (printed under the table). */
  note?: string;
}

export async function warmUp(t: Timed, o: BenchOptions): Promise<void> {
  await t.activate?.();
  const warmEnd = performance.now() + o.warmupSeconds * 1000;
  let n = 0;
  // At least two steps, or one for a smoke run (no warm-up time asked).
  while (n < (o.warmupSeconds > 0 ? 2 : 1) || performance.now() < warmEnd) {
    await t.step();
    n++;
  }
}

/** One timed window (after re-activating the engine and one untimed step); returns throughput and steps. */
export async function timeWindow(t: Timed, o: BenchOptions): Promise<[number, number]> {
  await t.activate?.();
  await t.step();
  const t0 = performance.now();
  const end = t0 + o.windowSeconds * 1000;
  let k = 0;
  do {
    await t.step();
    k++;
  } while (performance.now() < end);
  const seconds = (performance.now() - t0) / 1000;
  return [(k / seconds) * t.scale, k];
}

/**
 * Measures several engines on one case with their windows interleaved (A1 B1 C1 A2 B2 …), so
 * a burst of load from other processes hits every engine alike.
 */
export async function measureInterleaved(ts: Timed[], o: BenchOptions): Promise<Measurement[]> {
  for (const t of ts) await warmUp(t, o);
  const values: number[][] = ts.map(() => []);
  const steps: number[][] = ts.map(() => []);
  for (let w = 0; w < o.windows; w++)
    for (let i = 0; i < ts.length; i++) {
      const [v, k] = await timeWindow(ts[i], o);
      values[i].push(v);
      steps[i].push(k);
    }
  for (const t of ts) t.dispose?.();
  return ts.map((_, i) => ({ value: median(values[i]), windows: values[i], steps: steps[i] }));
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
