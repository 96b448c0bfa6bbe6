import { join } from "node:path";
import { NNZooError } from "../../core/errors.js";
import { rand, randint, tensor, zeros } from "../../core/ops/creation.js";
import { Generator } from "../../core/random.js";
import type { Tensor } from "../../core/tensor.js";
import { writePng } from "../../data/png.js";
import type { SGD } from "../../optim/sgd.js";
import type { Metrics, StepLogs, Task, TrainState } from "../task.js";
import { mnistDigits, PIXELS } from "./data.js";
import { digitGrid, filterGrid } from "./images.js";
import { bernoulli, type RBM, type VisibleType } from "./model.js";
import { buildRBM, mse, rbmOptimizer, rbmStep } from "./train.js";

/**
 * rbm — a restricted Boltzmann machine (model.ts) learns MNIST digits without labels, by
 * contrastive divergence (CD-k, --method cd) or persistent CD (--method pcd, chains kept in the
 * checkpoint), with SGD + momentum and weight decay on W (Hinton's "practical guide" settings).
 *
 * --model bernoulli: binary visible units on binarised digits (grey ≥ 0.5). --model gaussian:
 * unit-variance Gaussian visible units on grey digits standardised per pixel (the guide's
 * recipe: noise-free reconstructions in CD; it wants a smaller --lr, e.g. 0.005).
 *
 * Scores on the 2,000 held-out digits (data.ts's fixed split): `reconError`, the mean squared
 * pixel error of the mean-field reconstruction E[v | h = p(h|v)] (in pixel units, [0, 1]); and
 * for binary units `pseudoLogLikelihood`, Σᵢ log p(vᵢ | v₋ᵢ) per digit in nats, exactly (all 784
 * conditionals) on the first --pll-images test digits; `freeEnergyGap` = mean F(test) − mean
 * F(train) watches for overfitting. Every evaluation writes filters.png (the first 100 hidden
 * units' weights); `nnzoo sample rbm --from DIR` runs Gibbs chains and writes samples.png.
 * The loss logged while training is each batch's one-step reconstruction error E[v | h₀],
 * h₀ ~ p(h | v) (what CD computes anyway).
 */
export interface RBMState extends TrainState {
  model: RBM;
  optimizer: SGD;
  /** Training and test visible values (binary, or standardised greys) [n, 784]. */
  train: Tensor;
  test: Tensor;
  /** Gaussian: per-pixel mean and std of the training greys (pixel = mean + std·v). */
  pixelMean: Float32Array | null;
  pixelStd: Float32Array | null;
  /** Test pixels in [0, 1] (the binary digits, or the greys): what reconError compares with. */
  testPixels: Float32Array;
  method: "cd" | "pcd";
  k: number;
  batch: number;
  out: string;
}

export const FILTERS_FILE = "filters.png";
export const SAMPLES_FILE = "samples.png";

/** Visible values → pixels in [0, 1] (Gaussian: de-standardised and clipped). */
function toPixels(state: Pick<RBMState, "pixelMean" | "pixelStd">, v: Float32Array): Float32Array {
  const { pixelMean: m, pixelStd: s } = state;
  if (!m || !s) return Float32Array.from(v);
  return v.map((x, k) => Math.min(1, Math.max(0, m[k % PIXELS] + s[k % PIXELS] * x)));
}

function standardise(x: Float32Array, mean: Float32Array, std: Float32Array): Float32Array {
  return x.map((v, k) => (v - mean[k % PIXELS]) / std[k % PIXELS]);
}

export const rbm: Task<RBMState> = {
  name: "rbm",
  summary: "restricted Boltzmann machine on MNIST by CD-k / persistent CD: reconstruction error, pseudo-log-likelihood, filters, Gibbs samples",
  models: ["bernoulli", "gaussian"],
  options: {
    hidden: { default: 256, help: "hidden units", max: 10_000 },
    layers: { help: "not used: one RBM (see the dbn task for stacks)", max: 1 },
    steps: { default: 3000 },
    batch: { default: 32 },
    lr: { default: 0.05 },
    logEvery: { default: 100 },
    data: { help: "not used: MNIST from the mnist package" },
    method: { type: "string", help: "cd: chains start at the data; pcd: persistent chains (Tieleman 2008)", default: "cd", choices: ["cd", "pcd"] },
    k: { type: "int", help: "Gibbs steps per update (CD-k)", default: 1, min: 1, max: 1000 },
    momentum: { type: "number", help: "SGD momentum", default: 0.5, min: 0, max: 0.999 },
    weightDecay: { type: "number", help: "L2 weight decay on W", default: 1e-4, min: 0 },
    pllImages: { type: "int", help: "test digits for the exact pseudo-log-likelihood (0: all 2,000)", default: 500, min: 0, commands: ["train", "eval"] },
    chains: { type: "int", help: "Gibbs chains (rows of samples.png)", default: 10, min: 1, max: 100, commands: ["sample"] },
    gibbsSteps: { type: "int", help: "Gibbs steps per chain", default: 1000, min: 1, commands: ["sample"] },
    every: { type: "int", help: "a column of samples.png every N Gibbs steps", default: 100, min: 1, commands: ["sample"] },
    start: { type: "string", help: "start the chains at test digits (one per class) or at random pixels", default: "data", choices: ["data", "noise"], commands: ["sample"] },
  },

  setup(config, ctx) {
    if (config.data !== undefined) throw new NNZooError("--data: the rbm task trains on MNIST from the mnist package; there is no data file to give");
    const visibleType = config.model as VisibleType;
    const digits = mnistDigits(visibleType === "bernoulli");
    let train = digits.train, test = digits.test;
    let pixelMean: Float32Array | null = null, pixelStd: Float32Array | null = null;
    if (visibleType === "gaussian") {
      pixelMean = new Float32Array(PIXELS);
      pixelStd = new Float32Array(PIXELS);
      for (let n = 0; n < digits.nTrain; n++) for (let i = 0; i < PIXELS; i++) pixelMean[i] += train[n * PIXELS + i] / digits.nTrain;
      for (let n = 0; n < digits.nTrain; n++) for (let i = 0; i < PIXELS; i++) pixelStd[i] += (train[n * PIXELS + i] - pixelMean[i]) ** 2 / digits.nTrain;
      // Pixels that barely vary (the border) would blow up; floor their std.
      for (let i = 0; i < PIXELS; i++) pixelStd[i] = Math.max(Math.sqrt(pixelStd[i]), 0.1);
      train = standardise(train, pixelMean, pixelStd);
      test = standardise(test, pixelMean, pixelStd);
    }
    const model = buildRBM(visibleType, config.hidden, train, digits.nTrain);
    const method = config.method as "cd" | "pcd";
    if (method === "pcd") {
      // The persistent chains are model state (a buffer), so a resumed run continues them.
      const start = visibleType === "bernoulli" ? bernoulli(zeros([config.batch, PIXELS]).add(0.5)) : rand([config.batch, PIXELS]).sub(0.5);
      (model as RBM & { chains?: Tensor }).chains = model.registerBuffer("chains", start);
    }
    ctx.log(`rbm: ${visibleType} visible, ${config.hidden} hidden, ${method.toUpperCase()}-${config.k}, ${digits.nTrain} training digits`);
    return {
      model, optimizer: rbmOptimizer(model, { lr: config.lr, momentum: config.momentum as number, weightDecay: config.weightDecay as number }),
      train: tensor(train, { shape: [digits.nTrain, PIXELS] }),
      test: tensor(test, { shape: [digits.nTest, PIXELS] }),
      testPixels: digits.test, pixelMean, pixelStd, method, k: config.k as number, batch: config.batch, out: ctx.out,
    };
  },

  step(state, step, ctx): StepLogs {
    const v0 = state.train.indexSelect(0, randint(0, state.train.shape[0], [state.batch]));
    const model = state.model as RBM & { chains?: Tensor };
    const { reconError, chains } = rbmStep(model, state.optimizer, v0, { k: state.k, chains: state.method === "pcd" ? model.chains : null, step, ctx });
    if (state.method === "pcd") model.chains!.data.set(chains.data);
    return { loss: reconError };
  },

  evaluate(state, config) {
    const rbm = state.model;
    const recon = toPixels(state, rbm.reconstruct(state.test).data as Float32Array);
    const metrics: Metrics = { reconError: mse(recon, state.testPixels) };
    if (rbm.visibleType === "bernoulli") {
      const n = (config.pllImages as number) || state.test.shape[0];
      const pll = rbm.pseudoLogLikelihood(state.test.narrow(0, 0, Math.min(n, state.test.shape[0])));
      metrics.pseudoLogLikelihood = pll.reduce((a, b) => a + b, 0) / pll.length;
      metrics.pllImages = pll.length;
    }
    const m = Math.min(state.train.shape[0], state.test.shape[0]);
    metrics.freeEnergyGap = rbm.freeEnergy(state.test.narrow(0, 0, m)).mean().item() - rbm.freeEnergy(state.train.narrow(0, 0, m)).mean().item();
    const file = join(state.out, FILTERS_FILE);
    writePng(file, filterGrid(rbm.weight, 100, 10));
    metrics.filters = file;
    return metrics;
  },

  sample(state, config) {
    const rbm = state.model;
    const gen = new Generator(config.seed);
    const chains = config.chains as number, steps = config.gibbsSteps as number, every = config.every as number;
    let v: Tensor;
    if (config.start === "data") {
      // One test digit per class (0, 1, 2, …), as many as there are chains.
      const labels = mnistDigits(true).testLabels;
      const picks: number[] = [];
      for (let c = 0; picks.length < chains; c++) {
        const digit = c % 10, nth = Math.floor(c / 10);
        let seen = 0;
        for (let i = 0; i < labels.length; i++) if (labels[i] === digit && seen++ === nth) { picks.push(i); break; }
      }
      v = state.test.indexSelect(0, tensor(Int32Array.from(picks), { shape: [chains] }));
    } else {
      v = rbm.visibleType === "bernoulli" ? bernoulli(zeros([chains, PIXELS]).add(0.5), gen) : rand([chains, PIXELS], { generator: gen }).sub(0.5);
    }
    const columns = [toPixels(state, v.data as Float32Array)];
    let sample = v;
    for (let done = 0; done < steps; done += every) {
      const n = Math.min(every, steps - done);
      const r = rbm.gibbs(sample, n, gen);
      sample = r.sample;
      columns.push(toPixels(state, r.mean.data as Float32Array));
    }
    // Rows are chains, columns are snapshots: interleave.
    const cols = columns.length;
    const grid = new Float32Array(chains * cols * PIXELS);
    for (let c = 0; c < chains; c++) for (let t = 0; t < cols; t++) grid.set(columns[t].subarray(c * PIXELS, (c + 1) * PIXELS), (c * cols + t) * PIXELS);
    const file = join(state.out, SAMPLES_FILE);
    writePng(file, digitGrid(grid, cols));
    return `wrote ${file}: ${chains} Gibbs chains (rows) from ${config.start === "data" ? "test digits" : "random pixels"}, E[v | h] every ${every} of ${steps} steps (columns; the first is the start)`;
  },
};
