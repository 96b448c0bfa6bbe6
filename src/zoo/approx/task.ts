import { writeFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { NNZooError } from "../../core/errors.js";
import { tensor } from "../../core/ops/creation.js";
import type { Tensor } from "../../core/tensor.js";
import { Module } from "../../nn/module.js";
import { Adam } from "../../optim/adam.js";
import { CosineAnnealingLR } from "../../optim/schedule.js";
import type { Config, Metrics, Task, TrainState } from "../task.js";
import { compileExpression } from "./expression.js";
import { grid, grid2d, TARGETS, TARGETS_2D, type Target2DName, type TargetName } from "./functions.js";
import { ApproxMLP } from "./model.js";
import { type Points, readPoints } from "./points.js";

/**
 * approx — the universal approximator as a CLI task (Nielsen, "Neural Networks and Deep
 * Learning", ch. 4): one-hidden-layer tanh MLPs (src/zoo/approx/model.ts, the model the Lab's
 * approx page trains) fitted to a 1-D or 2-D function, one network per hidden-unit count in
 * --units, all trained side by side on the same points for the same steps (full batch, Adam,
 * cosine-annealed to lr/100). The score is the error-vs-units curve: `mse` maps each unit
 * count to its test MSE. Gradient descent from one random start can stall in a poor local
 * minimum (a 3-unit net doing worse than a 2-unit one); with --restarts R, R networks per unit
 * count train from different starts and the one with the lowest training error is scored.
 *
 * Targets: the built-ins (1-D: step, sin, abs, bumpy; 2-D: saddle, peak, ripple) on [−1, 1]
 * (or [−1, 1]²), an expression (--fn "sin(3*x) + x^2", in x or in x and y; parsed, never
 * evaluated as code), or a points file (--data FILE, lines "x y" or "x1 x2 z"). Functions are
 * trained on an evenly spaced grid (--points per axis) and tested on a denser one (1,001
 * points; 101 × 101 in 2-D), so the test error also counts what happens between the training
 * points. Points files are fitted and scored on their own points (inputs scaled to [−1, 1]).
 * Targets are standardised for training; errors are reported in the target's own units.
 *
 * Every evaluation writes contributions.json to the run directory: for each network, its
 * hidden units (aᵢ, bᵢ, wᵢ), and on a display grid the fit and each unit's contribution
 * wᵢ·tanh(aᵢ·x + bᵢ) (the bumps or ridges whose sum plus the bias c is the fit) — the
 * ApproxSnapshot layout the Lab's approx page draws.
 */
export interface ApproxState extends TrainState {
  model: ApproxSet;
  inputs: 1 | 2;
  /** What is fitted, for people ("bumpy", "sin(3*x)", "points.csv (200 points)"). */
  label: string;
  trainX: Tensor;
  /** Standardised targets [N, 1]. */
  trainY: Tensor;
  /** Test points [M, inputs] (model coordinates) and targets in the target's units. */
  testX: Float32Array;
  testY: Float32Array;
  /** Target standardisation: y = mean + std·ŷ. */
  yMean: number;
  yStd: number;
  /** Input scaling of a points file: model coordinate = (x − offset)·scale, per input. */
  offset: number[];
  scale: number[];
  /** The function itself when there is one (for the display grid's target values). */
  f: ((x: number, y: number) => number) | null;
  out: string;
}

/**
 * One ApproxMLP per unit count and random start, as children `mlp<units>` (e.g.
 * `mlp8.hidden.weight`), or `mlp<units>_<start>` with several starts.
 */
export class ApproxSet extends Module {
  readonly nets: ApproxMLP[] = [];
  constructor(readonly units: readonly number[], inputs: 1 | 2, readonly restarts = 1) {
    super();
    for (const u of units) {
      for (let r = 0; r < restarts; r++) this.nets.push(this.registerModule(restarts === 1 ? `mlp${u}` : `mlp${u}_${r}`, new ApproxMLP(u, inputs)));
    }
  }

  /** Predictions of every network: one [N, 1] tensor each. */
  forward(x: Tensor): Tensor[] {
    return this.nets.map((n) => n.forward(x));
  }
}

export const CONTRIBUTIONS_FILE = "contributions.json";
const TEST_POINTS_1D = 1001;
const TEST_POINTS_2D = 101;
const DISPLAY_1D = 201;
const DISPLAY_2D = 41;

/** "1,2,4,8" → [1, 2, 4, 8], checked. */
export function parseUnits(spec: string): number[] {
  const parts = spec.split(",").map((s) => s.trim()).filter((s) => s !== "");
  const units = parts.map(Number);
  if (parts.length === 0 || units.some((u) => !Number.isInteger(u) || u < 1 || u > 4096)) {
    throw new NNZooError(`--units must be a comma-separated list of integers from 1 to 4096, got ${JSON.stringify(spec)}`);
  }
  if (new Set(units).size !== units.length) throw new NNZooError(`--units lists a unit count twice: ${JSON.stringify(spec)}`);
  return units;
}

/** The target: a function of (x, y) on [−1, 1]^inputs, or points. */
function resolveTarget(config: Config): { label: string; inputs: 1 | 2; f: ((x: number, y: number) => number) | null; points: Points | null } {
  if (config.data) {
    if (config.fn) throw new NNZooError("give --fn or --data, not both");
    const points = readPoints(config.data);
    return { label: `${config.data} (${points.y.length} points)`, inputs: points.inputs, f: null, points };
  }
  if (config.fn) {
    const e = compileExpression(config.fn as string);
    return { label: e.source, inputs: e.variables.y ? 2 : 1, f: e.f, points: null };
  }
  const name = config.target as string;
  if (name in TARGETS) {
    const f = TARGETS[name as TargetName];
    return { label: name, inputs: 1, f: (x) => f(x), points: null };
  }
  return { label: name, inputs: 2, f: TARGETS_2D[name as Target2DName], points: null };
}

/** f on the points [n, inputs], checked finite (an expression may have a pole or leave its domain). */
function evaluateOn(f: (x: number, y: number) => number, x: Float32Array, inputs: 1 | 2, label: string): Float32Array {
  const n = x.length / inputs;
  const y = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    const a = x[k * inputs], b = inputs === 2 ? x[k * inputs + 1] : 0;
    const v = f(a, b);
    if (!Number.isFinite(v)) {
      const at = inputs === 2 ? `(x, y) = (${a.toFixed(3)}, ${b.toFixed(3)})` : `x = ${a.toFixed(3)}`;
      throw new NNZooError(`--fn ${JSON.stringify(label)} is ${v} at ${at}; it must be finite on all of [−1, 1]${inputs === 2 ? "²" : ""}`);
    }
    y[k] = v;
  }
  return y;
}

function gridFor(inputs: 1 | 2, n: number): Float32Array {
  return inputs === 1 ? grid(n) : grid2d(n);
}

/** Scales points-file inputs to [−1, 1] per coordinate. */
function inputScaling(p: Points): { offset: number[]; scale: number[] } {
  const offset: number[] = [], scale: number[] = [];
  for (let d = 0; d < p.inputs; d++) {
    let lo = Infinity, hi = -Infinity;
    for (let k = d; k < p.x.length; k += p.inputs) {
      lo = Math.min(lo, p.x[k]);
      hi = Math.max(hi, p.x[k]);
    }
    offset.push((lo + hi) / 2);
    scale.push(2 / (hi - lo));
  }
  return { offset, scale };
}

function scaleInputs(x: Float32Array, inputs: number, offset: number[], scale: number[]): Float32Array {
  return x.map((v, k) => (v - offset[k % inputs]) * scale[k % inputs]);
}

/** Test MSE and largest error of every network, in the target's units. */
function errors(state: ApproxState, x: Float32Array, y: Float32Array): Array<{ mse: number; maxError: number }> {
  const input = tensor(x, { shape: [y.length, state.inputs] });
  return state.model.forward(input).map((pred) => {
    let se = 0, max = 0;
    const p = pred.data;
    for (let k = 0; k < y.length; k++) {
      const err = Math.abs(state.yMean + state.yStd * p[k] - y[k]);
      se += err * err;
      max = Math.max(max, err);
    }
    return { mse: se / y.length, maxError: max };
  });
}

/** contributions.json: every network's units and, on a display grid, its fit and each unit's contribution (target units). */
function exportContributions(state: ApproxState): string {
  const n = state.inputs === 1 ? DISPLAY_1D : DISPLAY_2D;
  const modelX = gridFor(state.inputs, n);
  // Display coordinates in the data's own units (identity for functions on [−1, 1]).
  const x = modelX.map((v, k) => v / state.scale[k % state.inputs] + state.offset[k % state.inputs]);
  const round = (a: ArrayLike<number>) => Array.from(a, (v) => Math.round(v * 1e6) / 1e6);
  const nets = bestNets(state).map((k) => state.model.nets[k]).map((net) => {
    const { fit, contributions, bias } = net.contributionsAt(modelX);
    const a = net.hidden.weight.data, b = net.hidden.bias!.data, w = net.output.weight.data;
    return {
      units: net.units,
      // ŷ = bias + Σᵢ contributions[i]; a unit is w·tanh(a·x' + b) in model coordinates x' (see inputScale).
      bias: state.yMean + state.yStd * bias,
      hidden: Array.from({ length: net.units }, (_, i) => ({
        a: state.inputs === 1 ? a[i] : [a[2 * i], a[2 * i + 1]],
        b: b[i],
        w: state.yStd * w[i],
      })),
      fit: round(fit.map((v) => state.yMean + state.yStd * v)),
      contributions: round(contributions.map((v) => state.yStd * v)),
    };
  });
  const doc = {
    task: "approx",
    inputs: state.inputs,
    what: state.inputs === 1
      ? "fit[j] = bias + Σᵢ contributions[i·n + j] at x[j]; unit i contributes w·tanh(a·x' + b), x' = (x − inputOffset)·inputScale"
      : "grid of n×n points, k = j·n + i at (x[2k], x[2k+1]); fit[k] = bias + Σᵢ contributions[i·n² + k]; unit i contributes w·tanh(a·x' + b), x' = (x − inputOffset)·inputScale",
    n,
    inputOffset: state.offset,
    inputScale: state.scale,
    x: round(x),
    target: state.f ? round(evaluateOn(state.f, modelX, state.inputs, state.label)) : null,
    targetName: state.label,
    nets,
  };
  const file = join(state.out, CONTRIBUTIONS_FILE);
  writeFileSync(file + ".tmp", JSON.stringify(doc) + "\n");
  renameSync(file + ".tmp", file);
  return file;
}

export const approx: Task<ApproxState> = {
  name: "approx",
  summary: "universal approximator: one-hidden-layer MLPs fit a 1-D/2-D function; error vs hidden units, each unit's bump",
  models: ["mlp"],
  options: {
    steps: { default: 3000 },
    lr: { default: 0.02 },
    hidden: { help: "not used: see --units" },
    layers: { help: "not used: one hidden layer (that is the point)", max: 1 },
    batch: { help: "not used: full batch" },
    logEvery: { default: 100 },
    data: { help: "a points file to fit: lines \"x y\" (1-D) or \"x1 x2 z\" (2-D)" },
    target: {
      type: "string", help: "built-in target: 1-D step, sin, abs, bumpy; 2-D saddle, peak, ripple", default: "bumpy",
      choices: [...Object.keys(TARGETS), ...Object.keys(TARGETS_2D)],
    },
    fn: { type: "string", help: "fit this expression in x (or x and y) on [−1, 1] instead, e.g. \"sin(3*x) + abs(x)\"" },
    units: { type: "string", help: "hidden-unit counts, one network each (comma-separated)", default: "1,2,4,8,16,32" },
    restarts: { type: "int", help: "random starts per unit count; the lowest training error is scored", default: 1, min: 1, max: 100 },
    points: { type: "int", help: "training grid points per axis (0: 201 in 1-D, 41 per axis in 2-D)", default: 0, min: 0, max: 100_000 },
  },

  setup(config, ctx) {
    const units = parseUnits(config.units as string);
    const { label, inputs, f, points } = resolveTarget(config);
    let trainX: Float32Array, trainYRaw: Float32Array, testX: Float32Array, testY: Float32Array;
    let offset = Array(inputs).fill(0), scale = Array(inputs).fill(1);
    if (points) {
      ({ offset, scale } = inputScaling(points));
      trainX = testX = scaleInputs(points.x, inputs, offset, scale);
      trainYRaw = testY = points.y;
    } else {
      const per = (config.points as number) || (inputs === 1 ? 201 : 41);
      if (per < 2) throw new NNZooError(`--points must be ≥ 2, got ${per}`);
      if (inputs === 2 && per * per > 1_000_000) throw new NNZooError(`--points ${per} makes ${per * per} points in 2-D; at most 1,000 per axis`);
      trainX = gridFor(inputs, per);
      trainYRaw = evaluateOn(f!, trainX, inputs, label);
      testX = gridFor(inputs, inputs === 1 ? TEST_POINTS_1D : TEST_POINTS_2D);
      testY = evaluateOn(f!, testX, inputs, label);
    }
    const n = trainYRaw.length;
    const yMean = trainYRaw.reduce((a, b) => a + b, 0) / n;
    const variance = trainYRaw.reduce((a, b) => a + (b - yMean) ** 2, 0) / n;
    const yStd = variance > 1e-12 ? Math.sqrt(variance) : 1;
    const model = new ApproxSet(units, inputs, config.restarts as number);
    const optimizer = new Adam(model.parameters(), { lr: config.lr });
    const scheduler = new CosineAnnealingLR(optimizer, { tMax: config.steps, etaMin: config.lr / 100 });
    ctx.log(`approx: fitting ${label} (${inputs}-D, ${n} training points) with ${units.join(", ")} hidden units`);
    return {
      model, optimizer, scheduler, inputs, label, f, offset, scale, yMean, yStd, testX, testY, out: ctx.out,
      trainX: tensor(trainX, { shape: [n, inputs] }),
      trainY: tensor(trainYRaw.map((v) => (v - yMean) / yStd), { shape: [n, 1] }),
    };
  },

  // The networks share no parameters, so the gradient of the summed losses is each network's own
  // gradient, and Adam (per parameter) trains each exactly as if it were alone.
  loss(state) {
    const losses = state.model.forward(state.trainX).map((pred) => pred.sub(state.trainY).square().mean());
    const logs: Record<string, number> = {};
    const R = state.model.restarts;
    state.model.units.forEach((u, i) => {
      logs[`mse${u}`] = Math.min(...losses.slice(i * R, (i + 1) * R).map((l) => l.item())) * state.yStd ** 2;
    });
    return { loss: losses.reduce((a, b) => a.add(b)), logs };
  },

  evaluate(state, config) {
    let x = state.testX, y = state.testY;
    if (config.evalData) {
      const p = readPoints(config.evalData as string);
      if (p.inputs !== state.inputs) throw new NNZooError(`${config.evalData} has ${p.inputs}-D points; this run fits a ${state.inputs}-D function`);
      x = scaleInputs(p.x, p.inputs, state.offset, state.scale);
      y = p.y;
    }
    const errs = errors(state, x, y);
    const best = bestNets(state);
    const mse: Record<string, number> = {}, maxError: Record<string, number> = {};
    state.model.units.forEach((u, i) => {
      mse[u] = errs[best[i]].mse;
      maxError[u] = errs[best[i]].maxError;
    });
    const file = exportContributions(state);
    const metrics: Metrics = {
      mse, maxError, units: [...state.model.units], target: state.label, inputs: state.inputs,
      testPoints: y.length, targetVariance: variance(y), contributions: file,
    };
    return metrics;
  },
};

/** Index (into model.nets) of each unit count's network with the lowest training error. */
function bestNets(state: ApproxState): number[] {
  const R = state.model.restarts;
  if (R === 1) return state.model.units.map((_, i) => i);
  const train = errors(state, state.trainX.data as Float32Array, state.trainY.data.map((v) => state.yMean + state.yStd * v) as Float32Array);
  return state.model.units.map((_, i) => {
    let k = i * R;
    for (let r = 1; r < R; r++) if (train[i * R + r].mse < train[k].mse) k = i * R + r;
    return k;
  });
}

function variance(y: Float32Array): number {
  const m = y.reduce((a, b) => a + b, 0) / y.length;
  return y.reduce((a, b) => a + (b - m) ** 2, 0) / y.length;
}
