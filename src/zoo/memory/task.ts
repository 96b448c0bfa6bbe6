import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isGradEnabled, noGrad, setGradEnabled } from "../../core/autograd.js";
import { NNZooError } from "../../core/errors.js";
import { Generator } from "../../core/random.js";
import type { Tensor } from "../../core/tensor.js";
import { RNNTrace } from "../../nn/recurrent.js";
import { Adam } from "../../optim/adam.js";
import type { Config, Metrics, Task, TaskContext, TrainState } from "../task.js";
import {
  type AddingBatch, type CopyBatch, type CopyLayout, addingBatch, copyBatch, copyFeatures, copyTrivialAccuracy,
} from "./data.js";
import { memoryLoss } from "./loss.js";
import { MemoryNet, type RecurrentInit } from "./model.js";

/**
 * memory — the lesson's "issues with standard RNNs", measured: the adding problem and the
 * copy task at sequence length T, with ‖∂L/∂hₜ‖ for every t on a fixed test batch (the
 * vanishing/exploding picture), and the fraction of training steps whose gradient was clipped.
 *
 * Training batches are drawn from the global generator (seeded by the run, so a resumed run
 * continues bit for bit); the test set comes from its own Generator with a fixed seed, the
 * same for every run, so runs with different seeds, models and options are scored alike.
 */
export type Problem = "adding" | "copy";

export interface MemoryState extends TrainState {
  model: MemoryNet;
  problem: Problem;
  seqLen: number;
  layout: CopyLayout;
  batch: number;
  test: AddingBatch | CopyBatch;
  /** The first GRAD_BATCH test examples: where ‖∂L/∂hₜ‖ is measured. */
  gradBatch: AddingBatch | CopyBatch;
  /** The last training step seen by loss() (0 when none ran in this process). */
  step: number;
  out: string;
}

/** The test set's seed: one fixed set for every run. */
export const TEST_SEED = 2_718_281_828;
const GRAD_BATCH = 100;
const EVAL_CHUNK = 250;
export const GRAD_NORMS_FILE = "gradnorms.json";

/** Rows start…start+count−1 of a batch (views, no copies). */
function rows<B extends AddingBatch | CopyBatch>(b: B, start: number, count: number): B {
  const n = Math.min(count, b.targets.shape[0] - start);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(b)) out[k] = Array.isArray(v) ? v.slice(start, start + n) : (v as Tensor).narrow(0, start, n);
  return out as B;
}

function draw(state: Pick<MemoryState, "problem" | "seqLen" | "layout">, batch: number, gen?: Generator): AddingBatch | CopyBatch {
  return state.problem === "adding" ? addingBatch(batch, state.seqLen, gen) : copyBatch(batch, state.layout, gen);
}

/** The training loss of a batch: MSE of the sum, or cross-entropy of the recalled symbols. */
function lossOf(state: MemoryState, b: AddingBatch | CopyBatch, trace?: RNNTrace): { loss: Tensor; out: Tensor } {
  return memoryLoss(state.model, state.problem, state.layout.alphabet, b, trace);
}

/**
 * ‖∂L/∂hₜ‖ for t = 0…L−1 (last layer) on the gradient batch: one forward and backward with
 * grad enabled, leaving the parameters' gradients as they were.
 */
export function measureGradNorms(state: MemoryState): number[] {
  const params = state.model.parameters();
  const saved = params.map((p) => p.grad);
  const wasEnabled = isGradEnabled();
  setGradEnabled(true);
  try {
    for (const p of params) p.grad = null;
    const trace = new RNNTrace();
    lossOf(state, state.gradBatch, trace).loss.backward();
    return trace.gradNorms()!;
  } finally {
    params.forEach((p, i) => { p.grad = saved[i]; });
    setGradEnabled(wasEnabled);
  }
}

/** ‖∂L/∂h₀‖ / ‖∂L/∂h_{L−1}‖: ≪ 1 vanishing, ≫ 1 exploding; null if the last is 0. */
export function gradRatio(norms: readonly number[]): number | null {
  const last = norms[norms.length - 1];
  return last > 0 ? norms[0] / last : null;
}

/** Appends one curve to gradnorms.json (dropping curves at or after its step, e.g. after a resume). */
function recordGradNorms(state: MemoryState, step: number, gradNorms: number[]): void {
  const file = join(state.out, GRAD_NORMS_FILE);
  let history: Array<{ step: number; gradNorms: number[] }> = [];
  if (existsSync(file)) {
    try {
      history = (JSON.parse(readFileSync(file, "utf8")) as { history?: typeof history }).history ?? [];
    } catch {
      history = [];
    }
  }
  history = history.filter((h) => h.step < step);
  history.push({ step, gradNorms });
  const doc = {
    task: "memory", problem: state.problem, model: state.model.options.kind, seqLen: state.seqLen, length: gradNorms.length,
    what: "‖∂L/∂h_t‖ (last layer, over batch and units) for t = 0…length−1, on the first test examples, at each step",
    batch: state.gradBatch.targets.shape[0], history,
  };
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, JSON.stringify(doc) + "\n");
  renameSync(tmp, file);
}

function testMetrics(state: MemoryState): Metrics {
  const n = state.test.targets.shape[0];
  if (state.problem === "adding") {
    let se = 0, base = 0;
    for (let i = 0; i < n; i += EVAL_CHUNK) {
      const b = rows(state.test, i, EVAL_CHUNK);
      const pred = lossOf(state, b).out.data;
      const y = b.targets.data;
      for (let k = 0; k < y.length; k++) {
        se += (pred[k] - y[k]) ** 2;
        base += (1 - y[k]) ** 2;
      }
    }
    return { mse: se / n, baselineMse: base / n };
  }
  const K = state.layout.symbols, A = state.layout.alphabet;
  let correct = 0, ce = 0;
  for (let i = 0; i < n; i += EVAL_CHUNK) {
    const b = rows(state.test, i, EVAL_CHUNK);
    const m = b.targets.shape[0];
    const { loss, out } = lossOf(state, b);
    ce += loss.item() * m * K;
    const pred = out.argmax(-1).data;
    const y = b.targets.data;
    for (let k = 0; k < y.length; k++) if (pred[k] === y[k]) correct++;
  }
  return { accuracy: correct / (n * K), baselineAccuracy: copyTrivialAccuracy(state.layout), crossEntropy: ce / (n * K), baselineCrossEntropy: Math.log(A) };
}

function problemOf(config: Config): Problem {
  return config.problem as Problem;
}

function layoutOf(config: Config): CopyLayout {
  return { symbols: config.symbols as number, gap: config.seqLen as number, alphabet: config.alphabet as number };
}

export const memory: Task<MemoryState> = {
  name: "memory",
  summary: "long memory: adding problem and copy task at length T; RNN vs LSTM vs GRU, ‖∂L/∂h_t‖ for every t, clipping",
  models: ["lstm", "gru", "rnn"],
  options: {
    // The reference setting (DESIGN.md §4): hidden 128, batch 50, Adam 1e-3, clip 1.
    hidden: { default: 128 },
    batch: { default: 50 },
    lr: { default: 1e-3 },
    clip: { default: 1 },
    steps: { default: 2000 },
    layers: { max: 3 },
    data: { help: "not used: memory generates its data" },
    problem: { type: "string", help: "adding: sum of two marked values (MSE); copy: recall K symbols after T blanks (accuracy)", default: "adding", choices: ["adding", "copy"] },
    seqLen: { type: "int", help: "T: the adding problem's length, or the copy task's blank gap", default: 100, min: 1, max: 100_000 },
    symbols: { type: "int", help: "copy: K symbols to remember", default: 10, min: 1 },
    alphabet: { type: "int", help: "copy: alphabet size (trivial accuracy 1/alphabet)", default: 8, min: 2 },
    init: { type: "string", help: "recurrent weights W_hh: PyTorch's uniform, orthogonal, or identity (per gate block)", default: "default", choices: ["default", "orthogonal", "identity"] },
    gain: { type: "number", help: "multiply W_hh by this after --init (the recurrent scale)", default: 1, min: 0 },
    nonlinearity: { type: "string", help: "the plain RNN's nonlinearity", default: "tanh", choices: ["tanh", "relu"] },
    testSize: { type: "int", help: "held-out examples (a fixed set, the same for every run)", default: 1000, min: 1 },
  },

  setup(config, ctx: TaskContext) {
    if (config.data !== undefined) throw new NNZooError("--data: the memory task generates its data; there is no data file to give");
    const problem = problemOf(config);
    const seqLen = config.seqLen as number;
    if (problem === "adding" && seqLen < 2) throw new NNZooError(`--seq-len must be ≥ 2 for the adding problem (one marker in each half), got ${seqLen}`);
    const layout = layoutOf(config);
    const shape = { problem, seqLen, layout };
    const model = new MemoryNet({
      kind: config.model,
      inputSize: problem === "adding" ? 2 : copyFeatures(layout),
      hidden: config.hidden,
      layers: config.layers,
      outputs: problem === "adding" ? 1 : layout.alphabet,
      readout: problem === "adding" ? 1 : layout.symbols,
      nonlinearity: config.nonlinearity as "tanh" | "relu",
      init: config.init as RecurrentInit,
      gain: config.gain as number,
    });
    const test = draw(shape, config.testSize as number, new Generator(TEST_SEED));
    return {
      ...shape, model, optimizer: new Adam(model.parameters(), { lr: config.lr }), batch: config.batch,
      test, gradBatch: rows(test, 0, GRAD_BATCH), step: 0, out: ctx.out,
    };
  },

  loss(state, step) {
    // The curve at initialisation (step 0), before the first update of a fresh run.
    if (step === 1) recordGradNorms(state, 0, measureGradNorms(state));
    state.step = step;
    const b = draw(state, state.batch);
    return { loss: lossOf(state, b).loss };
  },

  evaluate(state, config, ctx) {
    const metrics = testMetrics(state);
    const gradNorms = measureGradNorms(state);
    const clip = ctx.clipping?.() ?? null;
    const clippedFraction = clip === null ? null : clip.steps > 0 ? clip.clipped / clip.steps : 0;
    if (state.step > 0) recordGradNorms(state, state.step, gradNorms);
    return {
      ...metrics,
      seqLen: state.seqLen,
      length: gradNorms.length,
      gradRatio: gradRatio(gradNorms),
      clippedFraction,
      gradNorms,
    };
  },

  predict(state, config, input) {
    // The input names an example: an integer seeds its generator; for copy, a list of K symbols is used as is.
    const text = input.trim();
    const parts = text.split(/[\s,]+/).filter(Boolean);
    let b: AddingBatch | CopyBatch;
    if (state.problem === "copy" && parts.length > 1) {
      const { symbols: K, alphabet: A } = state.layout;
      const symbols = parts.map(Number);
      if (symbols.length !== K || !symbols.every((s) => Number.isInteger(s) && s >= 1 && s <= A)) {
        throw new NNZooError(`predict: give an example number, or ${K} symbols in 1…${A} separated by spaces, got ${JSON.stringify(input)}`);
      }
      b = copyBatch(1, state.layout, new Generator(0));
      const F = copyFeatures(state.layout);
      const tok = b.tokens.data, x = b.inputs.data, y = b.targets.data;
      symbols.forEach((s, i) => {
        x[i * F + tok[i]] = 0;
        tok[i] = s;
        x[i * F + s] = 1;
        y[i] = s - 1;
      });
    } else {
      const n = Number(text === "" ? 0 : text);
      if (!Number.isInteger(n) || n < 0) throw new NNZooError(`predict: give an example number (an integer ≥ 0)${state.problem === "copy" ? " or the symbols to copy" : ""}, got ${JSON.stringify(input)}`);
      b = draw(state, 1, new Generator(n));
    }
    const out = noGrad(() => lossOf(state, b).out);
    if (state.problem === "adding") {
      const a = b as AddingBatch;
      const [i, j] = a.markers[0];
      const x = a.inputs.data;
      const target = a.targets.data[0];
      const prediction = out.data[0];
      return {
        text: [
          `adding problem, T = ${state.seqLen}: marked values ${x[2 * i].toFixed(4)} (t = ${i}) + ${x[2 * j].toFixed(4)} (t = ${j})`,
          `target ${target.toFixed(4)}, prediction ${prediction.toFixed(4)} (error ${(prediction - target).toFixed(4)})`,
        ].join("\n"),
        json: { problem: "adding", seqLen: state.seqLen, markers: [i, j], values: [x[2 * i], x[2 * j]], target, prediction },
      };
    }
    const c = b as CopyBatch;
    const target = Array.from(c.targets.data, (s) => s + 1);
    const recalled = Array.from(out.argmax(-1).data, (s) => s + 1);
    const correct = recalled.filter((s, k) => s === target[k]).length;
    return {
      text: [
        `copy task, gap T = ${state.seqLen}: ${target.join(" ")}  _ × ${state.seqLen}  :  → ${recalled.join(" ")}`,
        `${correct}/${target.length} symbols recalled (chance ${(100 / state.layout.alphabet).toFixed(1)}%)`,
      ].join("\n"),
      json: { problem: "copy", seqLen: state.seqLen, symbols: target, recalled, correct },
    };
  },
};
