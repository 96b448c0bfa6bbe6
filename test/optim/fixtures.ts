import { readFileSync } from "node:fs";
import { Tensor, tensor } from "../../src/core/index.js";
import * as optim from "../../src/optim/index.js";

/** One optimizer trajectory from tools/gen_optim_fixtures.py (torch 1.13, single-tensor path). */
export interface OptimCase {
  name: string;
  optimizer: "SGD" | "Adam" | "AdamW" | "RMSprop" | "Adagrad";
  options: Record<string, unknown>;
  /** Per-group options; group i holds parameter i. Absent: one group with all parameters. */
  groups?: Array<Record<string, unknown>>;
  shapes: number[][];
  initial: number[][];
  /** grads[step][param]: flat values, or null for "no gradient at this step". */
  grads: Array<Array<number[] | null>>;
  /** expected[step][param]: the parameters after step + 1 updates. */
  expected: number[][][];
}

export interface SchedCase {
  name: string;
  scheduler: "StepLR" | "ExponentialLR" | "CosineAnnealingLR" | "OneCycleLR" | "LinearLR" | "LambdaLR";
  options: Record<string, unknown>;
  optimizer: OptimCase["optimizer"];
  optimizerOptions: Record<string, unknown>;
  groupLrs: number[];
  lambdas?: string[];
  /** lrs[k]: getLastLr() after construction (k = 0) and after k steps. */
  lrs: number[][];
  /** momenta[k]: each group's momentum (SGD/RMSprop) or beta1 (Adam), 0 if none. */
  momenta: number[][];
}

export function loadFixture<T>(file: string): { torch: string; cases: T[] } {
  return JSON.parse(readFileSync(new URL(`../fixtures/optim/${file}`, import.meta.url), "utf8"));
}

export const OPTIMIZERS = {
  SGD: optim.SGD, Adam: optim.Adam, AdamW: optim.AdamW, RMSprop: optim.RMSprop, Adagrad: optim.Adagrad,
} as const;

export function makeParams(c: OptimCase): Tensor[] {
  return c.initial.map((v, i) => tensor(Float32Array.from(v), { shape: c.shapes[i], requiresGrad: true }));
}

export function makeOptimizer(c: OptimCase, params: Tensor[]): optim.Optimizer {
  const Ctor = OPTIMIZERS[c.optimizer] as unknown as new (p: unknown, o: unknown) => optim.Optimizer;
  const spec = c.groups === undefined ? params : c.groups.map((g, i) => ({ params: [params[i]], ...g }));
  return new Ctor(spec, c.options);
}

/** Sets each parameter's gradient from the fixture's step (null: no gradient). */
export function setGrads(c: OptimCase, params: Tensor[], step: number): void {
  params.forEach((p, i) => {
    const g = c.grads[step][i];
    p.grad = g === null ? null : tensor(Float32Array.from(g), { shape: c.shapes[i] });
  });
}

/** ‖a − b‖₂ / ‖b‖₂ (absolute when b = 0). */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return den === 0 ? Math.sqrt(num) : Math.sqrt(num / den);
}
