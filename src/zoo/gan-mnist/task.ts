import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { NNZooError } from "../../core/errors.js";
import { randn, tensor } from "../../core/ops/creation.js";
import { Generator, getRngState, manualSeed, setRngState } from "../../core/random.js";
import type { Tensor } from "../../core/tensor.js";
import { greyImage, imageGrid, writePng } from "../../data/png.js";
import { noGrad } from "../../core/autograd.js";
import type { Config, Metrics, Task, TaskContext, TrainState } from "../task.js";
import { GAN_LOSSES, type GanLoss, OPTIMIZERS, type OptimizerName } from "../gan2d/gan.js";
import { accuracy, classify, FEATURES } from "./classifier.js";
import { frechetDistance, gaussianStats } from "./frechet.js";
import { GanMnist } from "./game.js";
import { EVAL_SAMPLES, getJudge, type Judge, mnistDigits } from "./judge.js";
import { buildPlayers, CLASSES, defaultZDim, GAN_MODELS, type GanModel, type ImageGenerator } from "./models.js";

/**
 * gan-mnist — GANs that draw digits, trained on the 8,000 training digits of the `mnist`
 * package (2,000 held out): an MLP GAN, a DCGAN and a conditional GAN (see models.ts).
 *
 * Judged by a small CNN classifier trained once on the training digits and cached (judge.ts;
 * its held-out accuracy is `classifierAccuracy`): `fid` is the Fréchet distance between the
 * classifier's 64-d penultimate features of --eval-samples (2,000) generated digits and of as
 * many held-out digits (FID's formula on a small MNIST net, so its numbers are not comparable to
 * Inception FIDs); `fidReal` is the same distance for as many real training digits (the floor)
 * and `fidUntrained` for an untrained generator of the same architecture (the ceiling).
 * `confidence` is the classifier's mean max-probability on generated digits; the conditional
 * GAN's `classAccuracy` is how often the classifier reads the digit that was asked for.
 * Each evaluation during training writes samples/step-NNNNNN.png (the same 64 noise vectors
 * every time, so the grids show the generator improving).
 */
export interface GanMnistState extends TrainState {
  model: GanMnist["pair"];
  game: GanMnist;
  /** Fixed noise for the progress grids. */
  gridZ: Tensor;
  fidUntrained?: number;
}

const GRID = 64;
const CHUNK = 200;

/** Runs fn with the global generator seeded, restoring the caller's stream after. */
function seeded<T>(seed: number, fn: () => T): T {
  const saved = getRngState();
  manualSeed(seed);
  try {
    return fn();
  } finally {
    setRngState(saved);
  }
}

/** Digits for n conditional samples: 0…9 in turn, or all `digit`. */
export function digitsFor(n: number, digit: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => (digit >= 0 ? digit : i % CLASSES));
}

/** n generated images from generator G ([n·784] in [−1, 1]), in chunks, with noise from `gen`. */
export function generateWith(G: ImageGenerator, n: number, gen: Generator, digits: Int32Array | null): Float32Array {
  const out = new Float32Array(n * 784);
  noGrad(() => {
    for (let i = 0; i < n; i += CHUNK) {
      const m = Math.min(CHUNK, n - i);
      const z = randn([m, G.zDim], { generator: gen });
      const d = G.conditional && digits ? tensorOf(digits.subarray(i, i + m)) : null;
      out.set(G.forward(z, d).data, i * 784);
    }
  });
  return out;
}

const tensorOf = (d: Int32Array) => tensor(d, { shape: [d.length] });

/** fid, confidence (and classAccuracy) of generated images against the judge. */
export function judgeImages(judge: Judge, images: Float32Array, n: number, digits: Int32Array | null): Metrics {
  const { features, probs } = classify(judge.model, tensor(images, { shape: [n, 1, 28, 28] }));
  let conf = 0;
  for (let i = 0; i < n; i++) conf += Math.max(...probs.subarray(i * 10, i * 10 + 10));
  const m: Metrics = { fid: frechetDistance(gaussianStats(features, n, FEATURES), judge.heldOut), confidence: conf / n };
  if (digits) m.classAccuracy = accuracy(probs, digits);
  return m;
}

/** A PNG grid of images in [−1, 1]. */
export function writeDigitGrid(file: string, images: Float32Array, n: number, columns: number): void {
  const tiles = Array.from({ length: n }, (_, i) => greyImage(images.subarray(i * 784, (i + 1) * 784), 28, 28, true));
  mkdirSync(dirname(file), { recursive: true });
  writePng(file, imageGrid(tiles, columns));
}

function architecture(config: Config) {
  const model = config.model as GanModel;
  return { model, zDim: (config.zDim as number | undefined) ?? defaultZDim(model), hidden: config.hidden, layers: config.layers, channels: config.channels as number };
}

export const ganMnist: Task<GanMnistState> = {
  name: "gan-mnist",
  summary: "GANs drawing MNIST digits (MLP, DCGAN, conditional); FID-style distance and confidence from a cached classifier",
  models: GAN_MODELS,
  options: {
    steps: { default: 5000, help: "training iterations (one D and one G update each)" },
    batch: { default: 64 },
    lr: { default: 2e-4, help: "learning rate of both players (unless --g-lr / --d-lr)" },
    hidden: { default: 256, help: "MLP width (mlp, conditional)" },
    layers: { default: 2, max: 4, help: "MLP hidden layers (mlp, conditional)" },
    evalEvery: { default: 1000, help: "evaluate and write a sample grid every N iterations (0: only at the end)" },
    data: { commands: [] },
    channels: { type: "int", help: "DCGAN base channels c (DESIGN W5: 64)", default: 64, min: 1, max: 256 },
    zDim: { type: "int", help: "noise dimensions (default: 64 for mlp and conditional, 100 for dcgan)", min: 1, max: 512 },
    loss: { type: "string", help: "nonsaturating (log loss) or lsgan (least squares)", default: "nonsaturating", choices: GAN_LOSSES },
    gOptimizer: { type: "string", help: "the generator's optimizer", default: "adam", choices: OPTIMIZERS },
    dOptimizer: { type: "string", help: "the discriminator's optimizer", default: "adam", choices: OPTIMIZERS },
    gLr: { type: "number", help: "the generator's learning rate (default: --lr)", min: 0 },
    dLr: { type: "number", help: "the discriminator's learning rate (default: --lr)", min: 0 },
    beta1: { type: "number", help: "Adam's β1 (SGD's momentum) for both players", default: 0.5, min: 0, max: 0.999 },
    evalSamples: { type: "int", help: "generated (and held-out real) digits compared by the Fréchet distance", default: EVAL_SAMPLES, min: 10, max: 2000, commands: ["train", "eval"] },
    classifierSteps: { type: "int", help: "training steps of the judging classifier (trained once per setting, cached)", default: 1200, min: 1, commands: ["train", "eval"] },
    count: { type: "int", help: "digits in the grid", default: 64, min: 1, max: 1000, commands: ["sample"] },
    digit: { type: "int", help: "conditional: draw only this digit (default: 0…9 in turn, one per column)", default: -1, min: -1, max: 9, commands: ["sample"] },
    columns: { type: "int", help: "grid columns (default: 10 for conditional, else 8)", min: 1, max: 100, commands: ["sample"] },
    out: { type: "string", help: "the PNG to write (default: sample.png in the run directory)", commands: ["sample"] },
  },

  setup(config) {
    const game = new GanMnist(mnistDigits().train, {
      ...architecture(config),
      loss: config.loss as GanLoss,
      batch: config.batch,
      g: { optimizer: config.gOptimizer as OptimizerName, lr: (config.gLr as number | undefined) ?? config.lr, beta1: config.beta1 as number },
      d: { optimizer: config.dOptimizer as OptimizerName, lr: (config.dLr as number | undefined) ?? config.lr, beta1: config.beta1 as number },
    });
    const gridZ = randn([GRID, game.G.zDim], { generator: new Generator(config.seed + 4242) });
    return { model: game.pair, optimizer: game.optimizers.asOptimizer(), game, gridZ };
  },

  step(state, step, ctx) {
    return { ...state.game.iterate(step, ctx.assertFinite) };
  },

  async evaluate(state, config, ctx) {
    const n = config.evalSamples as number;
    const judge = await getJudge({ steps: config.classifierSteps as number }, ctx.log, n);
    const digits = state.game.conditional ? digitsFor(n, -1) : null;
    const fakes = generateWith(state.game.G, n, new Generator(config.seed + 9001), digits);
    const metrics = judgeImages(judge, fakes, n, digits);
    if (state.fidUntrained === undefined) {
      // The ceiling: an untrained generator of the same architecture (fixed init seed), in eval mode like the trained one.
      const G = seeded(config.seed + 1, () => buildPlayers(architecture(config)).generator).eval();
      state.fidUntrained = judgeImages(judge, generateWith(G, n, new Generator(config.seed + 9001), digits), n, digits).fid as number;
    }
    if (state.game.iteration > 0) {
      const grid = noGrad(() => state.game.G.forward(state.gridZ, state.game.conditional ? tensorOf(digitsFor(GRID, -1)) : null)).data;
      writeDigitGrid(join(ctx.out, "samples", `step-${String(state.game.iteration).padStart(6, "0")}.png`), Float32Array.from(grid), GRID, state.game.conditional ? 10 : 8);
    }
    return { ...metrics, fidReal: judge.fidReal, fidUntrained: state.fidUntrained, classifierAccuracy: judge.accuracy };
  },

  sample(state, config, ctx: TaskContext) {
    const n = config.count as number;
    const digit = config.digit as number;
    if (digit >= 0 && !state.game.conditional) throw new NNZooError(`--digit needs a conditional GAN; this run's model is ${config.model}`);
    const digits = state.game.conditional ? digitsFor(n, digit) : null;
    const images = generateWith(state.game.G, n, new Generator(config.seed), digits);
    const columns = (config.columns as number | undefined) ?? (state.game.conditional && digit < 0 ? 10 : 8);
    const file = resolve(typeof config.out === "string" ? config.out : join(ctx.out, "sample.png"));
    if (!file.endsWith(".png")) throw new NNZooError(`--out must name a .png file, got ${JSON.stringify(config.out)}`);
    writeDigitGrid(file, images, n, columns);
    return `wrote ${file} (${n} digits${digits ? (digit >= 0 ? `, all ${digit}s` : ", digits 0–9 in turn") : ""}, seed ${config.seed})`;
  },
};
