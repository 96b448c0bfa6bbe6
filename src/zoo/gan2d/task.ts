import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isGradEnabled, setGradEnabled } from "../../core/autograd.js";
import { NNZooError } from "../../core/errors.js";
import { randn } from "../../core/ops/creation.js";
import { Generator } from "../../core/random.js";
import type { Tensor } from "../../core/tensor.js";
import { readTextFile } from "../../data/files.js";
import type { Config, Metrics, Task, TrainState } from "../task.js";
import { GAN_LOSSES, type GanLoss, OPTIMIZERS, type OptimizerName } from "./gan.js";
import { countModes, findModes, histogram2d, histogramBox, type HistogramBox, jsDivergence, type Mode } from "./metrics.js";
import { Gan2d, type Gan2dSnapshot } from "./model.js";
import { builtinTarget, normalisePoints, parsePoints, PointsError, pointsTarget, type Target, TARGET_NAMES, type TargetName } from "./targets.js";

/**
 * gan2d — GAN Lab's 2-D toy on the command line: a generator MLP learns to turn Gaussian
 * noise into points of a target distribution (ring, grid of Gaussians, line, two moons,
 * spiral, or your points file) while a discriminator MLP learns to tell them apart.
 *
 * Scores, on EVAL_SAMPLES generated vs EVAL_SAMPLES real points (fixed noise, so curves over
 * time are comparable): `jsDivergence`, the Jensen–Shannon divergence in bits between their
 * HIST_BINS × HIST_BINS histograms over the real points' box (0 = same, 1 = disjoint;
 * `jsDivergenceFloor` is real vs another real sample, the best a perfect generator can show);
 * `modesCovered` of `modesTotal` (mixture components, or k-means segments of continuous
 * targets; see metrics.ts) — fewer covered modes is mode collapse. Every evaluation during
 * training also writes snapshots/step-NNNNNN.json: real and generated points, each generated
 * point's gradient arrow −∂L_G/∂G(z), and D's belief on a grid (what the Lab draws).
 */
export interface Gan2dState extends TrainState {
  model: Gan2d["pair"];
  game: Gan2d;
  target: Target;
  /** Fixed real sample and modes for evaluation. */
  evalReal: Float32Array;
  evalRealFloor: Float32Array;
  modes: Mode[];
  box: HistogramBox;
  /** Fixed noise for the snapshot's generated points. */
  snapshotZ: Tensor;
  /** The user's points file mapping (normalised = (x − offset)·scale), when --data was given. */
  normalisation: { offset: [number, number]; scale: number } | null;
}

export const EVAL_SAMPLES = 10_000;
export const HIST_BINS = 32;
const SNAPSHOT_POINTS = 512;
export const SNAPSHOT_DIR = "snapshots";

/** The target of a run: a points file (--data) or a built-in one. */
export function loadTarget(config: Config, file = config.data): { target: Target; normalisation: Gan2dState["normalisation"] } {
  if (file) {
    let points: Float32Array;
    try {
      points = parsePoints(readTextFile(file, "points file"), file);
    } catch (e) {
      if (e instanceof PointsError) throw new NNZooError(e.message);
      throw e;
    }
    const n = normalisePoints(points);
    return { target: pointsTarget(n.points, file), normalisation: { offset: n.offset, scale: n.scale } };
  }
  return { target: builtinTarget(config.target as TargetName), normalisation: null };
}

/** The distance and mode metrics of generated points against a fixed real sample. */
export function scorePoints(fake: Float32Array, state: Pick<Gan2dState, "evalReal" | "evalRealFloor" | "modes" | "box">): Metrics {
  const real = histogram2d(state.evalReal, state.box);
  const modes = countModes(fake, state.modes);
  return {
    modesCovered: modes.covered,
    modesTotal: modes.total,
    jsDivergence: jsDivergence(histogram2d(fake, state.box), real),
    jsDivergenceFloor: jsDivergence(histogram2d(state.evalRealFloor, state.box), real),
    samplesOnModes: modes.onModes,
    perMode: modes.perMode.map((v) => Math.round(v * 1e4) / 1e4),
  };
}

/** Evaluation fixtures from the target alone (own generators: the training stream is untouched). */
function evalFixtures(target: Target, seed: number) {
  const evalReal = target.sample(EVAL_SAMPLES, new Generator(seed + 104_729));
  const evalRealFloor = target.sample(EVAL_SAMPLES, new Generator(seed + 130_363));
  const modes = findModes(target, target.sample(20_000, new Generator(seed + 15_485_863)), seed);
  return { evalReal, evalRealFloor, modes, box: histogramBox(evalReal, HIST_BINS) };
}

function withGrad<T>(fn: () => T): T {
  const prev = isGradEnabled();
  setGradEnabled(true);
  try {
    return fn();
  } finally {
    setGradEnabled(prev);
  }
}

const round = (a: Float32Array, digits = 4) => Array.from(a, (v) => Math.round(v * 10 ** digits) / 10 ** digits);

/** A snapshot as JSON: plain arrays, 4 decimals. */
export function snapshotJson(step: number, snap: Gan2dSnapshot, metrics: Metrics, state: Gan2dState) {
  return {
    step,
    target: state.target.name,
    loss: state.game.settings.loss,
    metrics,
    box: snap.box,
    real: round(snap.real),
    fake: round(snap.fake),
    fakeGrad: round(snap.fakeGrad),
    fieldSize: snap.fieldSize,
    field: round(snap.field, 3),
    modes: state.modes.map((m) => ({ x: m.x, y: m.y, radius: m.radius, share: m.share })),
    normalisation: state.normalisation,
  };
}

export const gan2d: Task<Gan2dState> = {
  name: "gan2d",
  summary: "GAN Lab's 2-D toy: MLP generator vs discriminator on a ring, grid, line, moons, spiral or your points; JS divergence, modes covered",
  models: ["mlp"],
  options: {
    steps: { default: 3000, help: "training iterations (each: --d-steps D updates, then --g-steps G updates)" },
    hidden: { default: 64, help: "units per hidden layer (G and D)" },
    layers: { default: 2, help: "hidden layers (G and D)" },
    batch: { default: 256 },
    lr: { default: 1e-3, help: "learning rate of both players (unless --g-lr / --d-lr)" },
    evalEvery: { default: 500, help: "evaluate and write a snapshot every N iterations (0: only at the end)" },
    data: { help: "a points file (CSV x,y per line; # comments and an x,y header allowed) instead of --target", commands: ["train", "eval"] },
    target: { type: "string", help: "the built-in target distribution", default: "ring", choices: TARGET_NAMES },
    loss: { type: "string", help: "nonsaturating (log loss, G maximises log D(G(z))) or lsgan (least squares)", default: "nonsaturating", choices: GAN_LOSSES },
    zDim: { type: "int", help: "noise dimensions", default: 2, min: 1, max: 256 },
    gOptimizer: { type: "string", help: "the generator's optimizer", default: "adam", choices: OPTIMIZERS },
    dOptimizer: { type: "string", help: "the discriminator's optimizer", default: "adam", choices: OPTIMIZERS },
    gLr: { type: "number", help: "the generator's learning rate (default: --lr)", min: 0 },
    dLr: { type: "number", help: "the discriminator's learning rate (default: --lr)", min: 0 },
    beta1: { type: "number", help: "Adam's β1 (SGD's momentum) for both players", default: 0.5, min: 0, max: 0.999 },
    dSteps: { type: "int", help: "discriminator updates per iteration", default: 1, min: 1, max: 100 },
    gSteps: { type: "int", help: "generator updates per iteration", default: 1, min: 1, max: 100 },
    count: { type: "int", help: "how many generated points to print (x,y lines)", default: 1000, min: 1, commands: ["sample"] },
  },

  setup(config) {
    const { target, normalisation } = loadTarget(config);
    const game = new Gan2d(target, {
      zDim: config.zDim as number,
      hidden: config.hidden,
      layers: config.layers,
      loss: config.loss as GanLoss,
      batch: config.batch,
      dSteps: config.dSteps as number,
      gSteps: config.gSteps as number,
      g: { optimizer: config.gOptimizer as OptimizerName, lr: (config.gLr as number | undefined) ?? config.lr, beta1: config.beta1 as number },
      d: { optimizer: config.dOptimizer as OptimizerName, lr: (config.dLr as number | undefined) ?? config.lr, beta1: config.beta1 as number },
    });
    const snapshotZ = randn([SNAPSHOT_POINTS, config.zDim as number], { generator: new Generator(config.seed + 7919) });
    return { model: game.pair, optimizer: game.optimizers.asOptimizer(), game, target, normalisation, snapshotZ, ...evalFixtures(target, config.seed) };
  },

  step(state, step, ctx) {
    return { ...state.game.iterate(step, ctx.assertFinite) };
  },

  evaluate(state, config, ctx) {
    let scoring: Pick<Gan2dState, "evalReal" | "evalRealFloor" | "modes" | "box"> = state;
    if (typeof config.evalData === "string") scoring = evalFixtures(loadTarget(config, config.evalData).target, config.seed);
    const fake = state.game.generate(EVAL_SAMPLES, new Generator(config.seed + 31_337));
    const metrics = scorePoints(fake, scoring);
    // During training, each evaluation also leaves a snapshot for the Lab (eval/sample leave the run as it is).
    const step = state.game.iteration;
    if (step > 0) {
      const snap = withGrad(() => state.game.snapshot(state.box, state.evalReal.slice(0, 2 * SNAPSHOT_POINTS), state.snapshotZ));
      const dir = join(ctx.out, SNAPSHOT_DIR);
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `step-${String(step).padStart(6, "0")}.json`);
      writeFileSync(file + ".tmp", JSON.stringify(snapshotJson(step, snap, metrics, state)));
      renameSync(file + ".tmp", file);
    }
    return metrics;
  },

  sample(state, config) {
    const n = config.count as number;
    const pts = state.game.generate(n, new Generator(config.seed));
    const lines: string[] = [];
    const norm = state.normalisation;
    for (let i = 0; i < n; i++) {
      // Back in the points file's own units when the run trained on one.
      const x = norm ? pts[2 * i] / norm.scale + norm.offset[0] : pts[2 * i];
      const y = norm ? pts[2 * i + 1] / norm.scale + norm.offset[1] : pts[2 * i + 1];
      lines.push(`${x.toFixed(4)},${y.toFixed(4)}`);
    }
    return lines.join("\n");
  },

  predict(state, _config, input) {
    // D's belief that a point "x,y" is real.
    let pts: Float32Array;
    try {
      pts = parsePoints(Array(10).fill(input).join("\n"), "input");
    } catch {
      throw new NNZooError(`predict gan2d takes one point "x,y", got ${JSON.stringify(input)}`);
    }
    const norm = state.normalisation;
    const p = pts.slice(0, 2);
    if (norm) {
      p[0] = (p[0] - norm.offset[0]) * norm.scale;
      p[1] = (p[1] - norm.offset[1]) * norm.scale;
    }
    const belief = state.game.beliefAt(p)[0];
    return { text: `D(${input}) = ${belief.toFixed(4)} (belief that the point is real)`, json: { point: [pts[0], pts[1]], real: belief } };
  },
};

