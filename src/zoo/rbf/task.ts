import { renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { NNZooError } from "../../core/errors.js";
import { randint, tensor } from "../../core/ops/creation.js";
import { Generator } from "../../core/random.js";
import type { Tensor } from "../../core/tensor.js";
import { writePng } from "../../data/png.js";
import { crossEntropy } from "../../nn/losses.js";
import type { Module } from "../../nn/module.js";
import { Adam } from "../../optim/adam.js";
import type { Metrics, StepLogs, Task, TrainState } from "../task.js";
import { compileExpression } from "../approx/expression.js";
import { grid, grid2d, TARGETS, TARGETS_2D, type Target2DName, type TargetName } from "../approx/functions.js";
import { mnistDigits, PIXELS } from "../rbm/data.js";
import { twoMoons, uniformPoints } from "./data.js";
import { kmeans } from "./kmeans.js";
import { countParams, RBFPair, type WidthRule, widthRule } from "./model.js";
import { fieldPicture } from "./picture.js";

/**
 * rbf — a radial basis function network (model.ts) next to an MLP with the same number of
 * parameters, on a regression and a classification problem.
 *
 * The RBF network is built the classic way at step 1: centres by k-means (k-means++ seeding)
 * on the training inputs, widths by a rule (--widths nearest: mean distance to the 2 nearest
 * other centres; global: d_max/√(2K)), and the linear output by ridge least squares in closed
 * form (--solver lstsq; one-hot targets for classes). With --solver gd the output layer is
 * trained by Adam instead (cross-entropy for classes); with --widths learned, centres, widths
 * and output are all refined by Adam from that start. The MLP twin is x → tanh(H units) →
 * outputs with H chosen so its parameter count matches the RBF network's (every stored
 * parameter counts: K·d centres, K widths, K·outputs + outputs in the output layer), trained
 * with Adam (--lr) for --steps steps.
 *
 * --problem regression: a function of approx (--target, or --fn "expression" in x or x and y)
 * sampled at --points uniform random points on [−1, 1] (or [−1, 1]²), plus optional --noise;
 * tested on a dense grid (1,001 points; 101 × 101). Scores `mse` and `mlpMse`, in the target's
 * units. --problem moons: two moons (noise 0.2) with --points training points and 2,000 test
 * points; --problem mnist: the first --points (default 2,000) training digits of the fixed
 * split (greys), tested on the 2,000 held-out digits. Scores `accuracy` and `mlpAccuracy`.
 * Data come from fixed generators (the same for every run); --seed changes only the
 * initialisation, the k-means++ draws and the batches.
 */
export type Problem = "regression" | "moons" | "mnist";

export interface RBFState extends TrainState {
  model: RBFPair;
  problem: Problem;
  classes: number;
  trainX: Tensor;
  /** Regression: standardised targets [N, 1]; classification: one-hot [N, classes]. */
  trainY: Tensor;
  trainLabels: Tensor | null;
  testX: Tensor;
  /** Regression: targets in their units; classification: labels. */
  testY: Float32Array | Int32Array;
  yMean: number;
  yStd: number;
  widths: WidthRule | "learned";
  solver: "lstsq" | "gd";
  ridge: number;
  batch: number;
  kmeansSeed: number;
  label: string;
  out: string;
}

const DATA_SEED = 20_240_601;
const TEST_SEED = 31_415_926;
const MOONS_NOISE = 0.2;

function targetFunction(config: Record<string, unknown>): { label: string; inputs: 1 | 2; f: (x: number, y: number) => number } {
  if (config.fn) {
    const e = compileExpression(config.fn as string);
    return { label: e.source, inputs: e.variables.y ? 2 : 1, f: e.f };
  }
  const name = config.target as string;
  if (name in TARGETS) {
    const f = TARGETS[name as TargetName];
    return { label: name, inputs: 1, f: (x) => f(x) };
  }
  return { label: name, inputs: 2, f: TARGETS_2D[name as Target2DName] };
}

function oneHot(labels: Int32Array, classes: number): Float32Array {
  const out = new Float32Array(labels.length * classes);
  labels.forEach((c, i) => { out[i * classes + c] = 1; });
  return out;
}

function evaluateFn(f: (x: number, y: number) => number, x: Float32Array, d: number, label: string): Float32Array {
  const n = x.length / d;
  return Float32Array.from({ length: n }, (_, k) => {
    const v = f(x[k * d], d === 2 ? x[k * d + 1] : 0);
    if (!Number.isFinite(v)) throw new NNZooError(`--fn ${JSON.stringify(label)} is ${v} at x = ${x[k * d].toFixed(3)}${d === 2 ? `, y = ${x[k * d + 1].toFixed(3)}` : ""}; it must be finite on [−1, 1]${d === 2 ? "²" : ""}`);
    return v;
  });
}

/** Builds the RBF network the classic way: k-means centres, a width rule, and (lstsq) the closed-form output. */
function fitRBF(state: RBFState): { kmeansIterations: number; trainMse: number | null } {
  const rbf = state.model.rbf;
  const [n, d] = state.trainX.shape;
  const km = kmeans(state.trainX.data as Float32Array, n, d, rbf.units, { generator: new Generator(state.kmeansSeed) });
  rbf.place(km.centres, widthRule(state.widths === "global" ? "global" : "nearest", km.centres, rbf.units, d));
  const trainMse = state.solver === "lstsq" ? rbf.solveOutput(state.trainX, state.trainY, state.ridge * n) : null;
  return { kmeansIterations: km.iterations, trainMse };
}

/** Rows of a training batch: all of them (full batch), or --batch random ones. */
function batchRows(state: RBFState): Tensor | null {
  const n = state.trainX.shape[0];
  return state.batch > 0 && state.batch < n ? randint(0, n, [state.batch]) : null;
}

function lossOf(state: RBFState, out: Tensor, rows: Tensor | null): Tensor {
  if (state.problem === "regression") {
    const y = rows ? state.trainY.indexSelect(0, rows) : state.trainY;
    return out.sub(y).square().mean();
  }
  const labels = rows ? state.trainLabels!.indexSelect(0, rows) : state.trainLabels!;
  return crossEntropy(out, labels);
}

function score(state: RBFState, net: Module): number {
  const out = net.forward(state.testX);
  if (state.problem === "regression") {
    const y = state.testY as Float32Array, p = out.data;
    let se = 0;
    for (let i = 0; i < y.length; i++) se += (state.yMean + state.yStd * p[i] - y[i]) ** 2;
    return se / y.length;
  }
  const pred = out.argmax(-1).data, y = state.testY as Int32Array;
  let correct = 0;
  for (let i = 0; i < y.length; i++) if (pred[i] === y[i]) correct++;
  return correct / y.length;
}

export const rbf: Task<RBFState> = {
  name: "rbf",
  summary: "RBF network (k-means centres, width rule, least-squares output) vs an MLP with as many parameters; regression and classification",
  models: ["rbf"],
  options: {
    hidden: { default: 32, help: "RBF units K (centres); the MLP twin gets as many parameters" },
    layers: { help: "not used: one hidden layer each", max: 1 },
    steps: { default: 2000, help: "Adam steps of the MLP twin (and of the RBF network with --solver gd or --widths learned)" },
    lr: { default: 0.01 },
    batch: { default: 0, help: "batch size (0: full batch)", min: 0 },
    logEvery: { default: 100 },
    data: { help: "not used: generated data or MNIST" },
    problem: { type: "string", help: "regression (an approx function), moons (2-D classes) or mnist (digits)", default: "regression", choices: ["regression", "moons", "mnist"] },
    target: { type: "string", help: "regression target: 1-D step, sin, abs, bumpy; 2-D saddle, peak, ripple", default: "bumpy", choices: [...Object.keys(TARGETS), ...Object.keys(TARGETS_2D)] },
    fn: { type: "string", help: "regression target as an expression in x (or x and y) instead" },
    points: { type: "int", help: "training points (0: 200 for regression, 1,000 for moons, 2,000 for mnist)", default: 0, min: 0, max: 8000 },
    noise: { type: "number", help: "regression: Gaussian noise added to the training targets", default: 0, min: 0 },
    widths: { type: "string", help: "widths by a rule (nearest, global) or learned by gradient (with the centres)", default: "nearest", choices: ["nearest", "global", "learned"] },
    solver: { type: "string", help: "output layer: lstsq (closed form) or gd (Adam)", default: "lstsq", choices: ["lstsq", "gd"] },
    ridge: { type: "number", help: "least-squares ridge λ per training point (λ·N is added to ΦᵀΦ)", default: 1e-6, min: 0 },
  },

  setup(config, ctx) {
    if (config.data !== undefined) throw new NNZooError("--data: the rbf task generates its data (or uses MNIST); there is no data file to give");
    const problem = config.problem as Problem;
    let trainX: Float32Array, testX: Float32Array, d: number, classes = 0, label: string;
    let trainY: Float32Array, testY: Float32Array | Int32Array, trainLabels: Int32Array | null = null;
    let yMean = 0, yStd = 1;
    const data = new Generator(DATA_SEED);
    if (problem === "regression") {
      const t = targetFunction(config);
      d = t.inputs;
      label = t.label;
      const n = (config.points as number) || 200;
      trainX = uniformPoints(n, d, data);
      const clean = evaluateFn(t.f, trainX, d, label);
      const noisy = clean.map((v) => v + (config.noise as number) * data.normal());
      yMean = noisy.reduce((a, b) => a + b, 0) / n;
      const variance = noisy.reduce((a, b) => a + (b - yMean) ** 2, 0) / n;
      yStd = variance > 1e-12 ? Math.sqrt(variance) : 1;
      trainY = noisy.map((v) => (v - yMean) / yStd);
      testX = d === 1 ? grid(1001) : grid2d(101);
      testY = evaluateFn(t.f, testX, d, label);
    } else if (problem === "moons") {
      d = 2;
      classes = 2;
      label = "two moons";
      const train = twoMoons((config.points as number) || 1000, MOONS_NOISE, data);
      const test = twoMoons(2000, MOONS_NOISE, new Generator(TEST_SEED));
      trainX = train.x;
      trainLabels = train.y;
      trainY = oneHot(train.y, 2);
      testX = test.x;
      testY = test.y;
    } else {
      d = PIXELS;
      classes = 10;
      const digits = mnistDigits(false);
      const n = Math.min((config.points as number) || 2000, digits.nTrain);
      label = `MNIST (${n} training digits)`;
      trainX = digits.train.subarray(0, n * PIXELS);
      trainLabels = digits.trainLabels.subarray(0, n);
      trainY = oneHot(trainLabels, 10);
      testX = digits.test;
      testY = digits.testLabels;
    }
    const n = trainX.length / d;
    if (config.hidden > n) throw new NNZooError(`--hidden ${config.hidden}: k-means cannot place more centres than the ${n} training points`);
    const outputs = problem === "regression" ? 1 : classes;
    const model = new RBFPair(d, config.hidden, outputs);
    const widths = config.widths as RBFState["widths"], solver = config.solver as RBFState["solver"];
    const trained = [...model.mlp.parameters()];
    if (widths === "learned") trained.push(...model.rbf.parameters());
    else if (solver === "gd") trained.push(...model.rbf.output.parameters());
    ctx.log(`rbf: ${label}, ${config.hidden} RBF units (${countParams(model.rbf)} parameters) vs an MLP with ${model.mlpHidden} tanh units (${countParams(model.mlp)})`);
    return {
      model, optimizer: new Adam(trained, { lr: config.lr }), problem, classes, label,
      trainX: tensor(trainX, { shape: [n, d] }),
      trainY: tensor(trainY, { shape: [n, outputs] }),
      trainLabels: trainLabels ? tensor(Int32Array.from(trainLabels), { shape: [n] }) : null,
      testX: tensor(testX, { shape: [testX.length / d, d] }),
      testY, yMean, yStd, widths, solver, ridge: config.ridge as number, batch: config.batch,
      kmeansSeed: config.seed * 7919 + 1, out: ctx.out,
    };
  },

  step(state, step, ctx): StepLogs {
    const logs: StepLogs = { loss: 0 };
    if (step === 1) {
      const fit = fitRBF(state);
      logs.kmeansIterations = fit.kmeansIterations;
      if (fit.trainMse !== null) logs.rbfLeastSquaresMse = fit.trainMse;
    }
    state.optimizer.zeroGrad();
    const rows = batchRows(state);
    const x = rows ? state.trainX.indexSelect(0, rows) : state.trainX;
    const mlpLoss = lossOf(state, state.model.mlp.forward(x), rows);
    ctx.assertFinite(step, "the MLP's loss", mlpLoss);
    let total = mlpLoss;
    logs.mlpLoss = mlpLoss.item();
    if (state.widths === "learned" || state.solver === "gd") {
      const rbfLoss = lossOf(state, state.model.rbf.forward(x), rows);
      ctx.assertFinite(step, "the RBF network's loss", rbfLoss);
      logs.rbfLoss = rbfLoss.item();
      total = total.add(rbfLoss);
    }
    total.backward();
    state.optimizer.step();
    logs.loss = total.item();
    return logs;
  },

  evaluate(state) {
    const { rbf, mlp } = state.model;
    const rbfScore = score(state, rbf), mlpScore = score(state, mlp);
    const metrics: Metrics = state.problem === "regression" ? { mse: rbfScore, mlpMse: mlpScore } : { accuracy: rbfScore, mlpAccuracy: mlpScore };
    Object.assign(metrics, {
      params: countParams(rbf), mlpParams: countParams(mlp), units: rbf.units, mlpHidden: state.model.mlpHidden,
      problem: state.problem, data: state.label, widths: state.widths, solver: state.solver,
    });
    const w = rbf.widths();
    metrics.meanWidth = w.reduce((a, b) => a + b, 0) / w.length;
    // centres.json: where the units sit and how wide they are (for plots and the Lab).
    const file = join(state.out, "centres.json");
    writeFileSync(file + ".tmp", JSON.stringify({ inputs: rbf.inputs, units: rbf.units, centres: rbf.inputs <= 2 ? Array.from(rbf.centres.data) : null, widths: Array.from(w) }) + "\n");
    renameSync(file + ".tmp", file);
    if (state.problem === "moons") {
      const png = join(state.out, "field.png");
      writePng(png, fieldPicture(state.model, state.trainX, state.trainLabels!));
      metrics.picture = png;
    }
    return metrics;
  },
};
