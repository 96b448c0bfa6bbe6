/**
 * gan2d's players and their game, shared by the CLI task and the Lab's worker:
 *
 *   G: z ∈ ℝ^zDim ~ N(0, I) → [Linear → LeakyReLU(0.2)] × layers → Linear → a point in ℝ²
 *   D: x ∈ ℝ²             → [Linear → LeakyReLU(0.2)] × layers → Linear → a score (logit)
 *
 * One iteration = dSteps updates of D (each on a fresh real batch and fresh fakes), then gSteps
 * updates of G (each on fresh z). The first G update reuses the last D update's fakes, as
 * PyTorch's DCGAN example does.
 */
import { noGrad } from "../../core/autograd.js";
import { randn, tensor } from "../../core/ops/creation.js";
import { defaultGenerator, Generator } from "../../core/random.js";
import type { Tensor } from "../../core/tensor.js";
import { LeakyReLU } from "../../nn/activation.js";
import { Linear } from "../../nn/linear.js";
import { Module, Sequential } from "../../nn/module.js";
import type { TaskContext } from "../task.js";
import {
  discriminatorLoss, frozen, type GanLoss, GanPair, generatorLoss, PlayerOptimizers, type PlayerOptimizerOptions,
  playerOptimizer, realProbability, updatePlayer,
} from "./gan.js";
import type { HistogramBox } from "./metrics.js";
import type { Target } from "./targets.js";

/** A multilayer perceptron: `layers` hidden layers of `hidden` units with LeakyReLU(0.2), then a linear output. */
export class Mlp extends Module {
  readonly net: Sequential;

  constructor(inputs: number, hidden: number, layers: number, outputs: number) {
    super();
    const mods: Module[] = [];
    let width = inputs;
    for (let l = 0; l < layers; l++) {
      mods.push(new Linear(width, hidden), new LeakyReLU(0.2));
      width = hidden;
    }
    mods.push(new Linear(width, outputs));
    this.net = this.registerModule("net", new Sequential(...mods));
  }

  forward(x: Tensor): Tensor {
    return this.net.forward(x);
  }
}

export interface Gan2dSettings {
  zDim: number;
  hidden: number;
  layers: number;
  loss: GanLoss;
  batch: number;
  dSteps: number;
  gSteps: number;
  g: PlayerOptimizerOptions;
  d: PlayerOptimizerOptions;
}

export interface Gan2dLogs {
  loss: number;
  dLoss: number;
  gLoss: number;
  /** D's mean belief that the real batch is real, and that the fakes are (last D update). */
  dReal: number;
  dFake: number;
}

/** What the Lab draws and the CLI exports per snapshot (see Gan2d.snapshot). */
export interface Gan2dSnapshot {
  /** The plotted box. */
  box: { x0: number; x1: number; y0: number; y1: number };
  /** Real points, interleaved x, y. */
  real: Float32Array;
  /** Generated points G(z) for the snapshot's fixed z, interleaved. */
  fake: Float32Array;
  /** For each generated point, −∂L_G/∂G(z): the direction G's loss pushes it (its gradient step, before G's weights spread it). */
  fakeGrad: Float32Array;
  /** D's belief "real" on a fieldSize × fieldSize grid over the box, rows from y0 up, x0 right. */
  field: Float32Array;
  fieldSize: number;
}

export class Gan2d {
  readonly pair: GanPair<Mlp, Mlp>;
  readonly optimizers: PlayerOptimizers;
  settings: Gan2dSettings;
  /** Iterations run (kept up to date by iterate(); the runner's step on resume). */
  iteration = 0;
  private pending: { z: Tensor; fake: Tensor } | null = null;

  constructor(public target: Target, settings: Gan2dSettings) {
    this.settings = settings;
    const G = new Mlp(settings.zDim, settings.hidden, settings.layers, 2);
    const D = new Mlp(2, settings.hidden, settings.layers, 1);
    this.pair = new GanPair(G, D);
    this.optimizers = new PlayerOptimizers(playerOptimizer(G.parameters(), settings.g), playerOptimizer(D.parameters(), settings.d));
  }

  get G(): Mlp {
    return this.pair.generator;
  }

  get D(): Mlp {
    return this.pair.discriminator;
  }

  /** A real batch from the target (the global generator: seeded, checkpointed). */
  realBatch(n = this.settings.batch): Tensor {
    return tensor(this.target.sample(n, defaultGenerator), { shape: [n, 2] });
  }

  /** One update of D on a fresh real batch and fresh fakes. */
  dStep(step: number, assertFinite: TaskContext["assertFinite"]): { dLoss: number; dReal: number; dFake: number } {
    const n = this.settings.batch;
    const real = this.realBatch(n);
    const z = randn([n, this.settings.zDim]);
    const fake = this.G.forward(z);
    const sReal = this.D.forward(real);
    const sFake = this.D.forward(fake.detach());
    const loss = discriminatorLoss(this.settings.loss, sReal, sFake);
    const dLoss = updatePlayer(this.optimizers.discriminator, this.D, "discriminator", loss, step, assertFinite);
    this.pending = { z, fake };
    return { dLoss, dReal: this.belief(sReal), dFake: this.belief(sFake) };
  }

  /** One update of G (on the last D update's fakes when they are fresh, else on new z). */
  gStep(step: number, assertFinite: TaskContext["assertFinite"]): number {
    const fake = this.pending?.fake ?? this.G.forward(randn([this.settings.batch, this.settings.zDim]));
    this.pending = null;
    return frozen(this.D, () => {
      const loss = generatorLoss(this.settings.loss, this.D.forward(fake));
      return updatePlayer(this.optimizers.generator, this.G, "generator", loss, step, assertFinite);
    });
  }

  /** One iteration: dSteps D updates, then gSteps G updates. */
  iterate(step: number, assertFinite: TaskContext["assertFinite"]): Gan2dLogs {
    let d = { dLoss: NaN, dReal: NaN, dFake: NaN };
    for (let k = 0; k < this.settings.dSteps; k++) d = this.dStep(step, assertFinite);
    let gLoss = NaN;
    for (let k = 0; k < this.settings.gSteps; k++) gLoss = this.gStep(step, assertFinite);
    this.iteration = step;
    return { loss: d.dLoss + gLoss, gLoss, ...d };
  }

  private belief(scores: Tensor): number {
    let s = 0;
    for (const v of scores.data) s += realProbability(this.settings.loss, v);
    return s / scores.data.length;
  }

  /** n generated points (interleaved), from z drawn with `gen` (the global generator if omitted). */
  generate(n: number, gen?: Generator): Float32Array {
    return noGrad(() => {
      const out = new Float32Array(2 * n);
      for (let i = 0; i < n; i += 4096) {
        const m = Math.min(4096, n - i);
        out.set(this.G.forward(randn([m, this.settings.zDim], { generator: gen })).data, 2 * i);
      }
      return out;
    });
  }

  /** D's belief "real" at each of the given points (interleaved). */
  beliefAt(points: Float32Array): Float32Array {
    return noGrad(() => {
      const s = this.D.forward(tensor(points, { shape: [points.length / 2, 2] })).data;
      return Float32Array.from(s, (v) => realProbability(this.settings.loss, v));
    });
  }

  /**
   * The picture of the game: real and generated points, each generated point's gradient
   * arrow, and D's field over the box. `z` fixes the generated points (so they move smoothly
   * between snapshots); `real` is the real sample to show.
   */
  snapshot(box: HistogramBox | Gan2dSnapshot["box"], real: Float32Array, z: Tensor, fieldSize = 40, field?: Float32Array): Gan2dSnapshot {
    const n = z.shape[0];
    const fakeT = noGrad(() => this.G.forward(z));
    const fake = Float32Array.from(fakeT.data);
    // −∂L_G/∂x at each generated point x (L_G summed, so each arrow is that point's own gradient).
    const x = tensor(fake, { shape: [n, 2], requiresGrad: true });
    frozen(this.D, () => generatorLoss(this.settings.loss, this.D.forward(x)).mul(n).backward());
    const fakeGrad = Float32Array.from(x.grad!.data, (v) => -v);
    // A caller that redraws often may pass the last field to reuse (D's belief on the grid is the costly part).
    if (field) {
      if (field.length !== fieldSize * fieldSize) throw new RangeError(`Gan2d.snapshot: field has ${field.length} values, not ${fieldSize}² = ${fieldSize * fieldSize}`);
      return { box: { x0: box.x0, x1: box.x1, y0: box.y0, y1: box.y1 }, real, fake, fakeGrad, field, fieldSize };
    }
    const grid = new Float32Array(2 * fieldSize * fieldSize);
    for (let r = 0; r < fieldSize; r++) for (let c = 0; c < fieldSize; c++) {
      grid[2 * (r * fieldSize + c)] = box.x0 + ((c + 0.5) / fieldSize) * (box.x1 - box.x0);
      grid[2 * (r * fieldSize + c) + 1] = box.y0 + ((r + 0.5) / fieldSize) * (box.y1 - box.y0);
    }
    return { box: { x0: box.x0, x1: box.x1, y0: box.y0, y1: box.y1 }, real, fake, fakeGrad, field: this.beliefAt(grid), fieldSize };
  }
}
