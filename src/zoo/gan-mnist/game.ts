/**
 * The GAN game on MNIST, shared by the CLI task and the Lab's workers: data in [−1, 1], one
 * iteration = one D update (a real batch and G's fakes, detached) then one G update on the same
 * fakes (PyTorch's DCGAN example; DESIGN W4/W5). A conditional GAN draws its fakes' digits
 * uniformly and shows D each image with its digit (real images with their own).
 */
import { noGrad } from "../../core/autograd.js";
import { randint, randn, tensor } from "../../core/ops/creation.js";
import type { Generator } from "../../core/random.js";
import type { Tensor } from "../../core/tensor.js";
import type { TaskContext } from "../task.js";
import {
  discriminatorLoss, frozen, type GanLoss, GanPair, generatorLoss, PlayerOptimizers, type PlayerOptimizerOptions,
  playerOptimizer, realProbability, updatePlayer,
} from "../gan2d/gan.js";
import { buildPlayers, CLASSES, type GanArchitecture, type ImageDiscriminator, type ImageGenerator, PIXELS } from "./models.js";

export interface GanMnistSettings extends GanArchitecture {
  loss: GanLoss;
  batch: number;
  g: PlayerOptimizerOptions;
  d: PlayerOptimizerOptions;
}

/** Training images as floats in [−1, 1] ([count, 784], row-major) with their digits. */
export interface DigitData {
  images: Float32Array;
  labels: Int32Array;
  count: number;
}

export interface GanMnistLogs {
  loss: number;
  dLoss: number;
  gLoss: number;
  dReal: number;
  dFake: number;
}

export class GanMnist {
  readonly pair: GanPair<ImageGenerator, ImageDiscriminator>;
  readonly optimizers: PlayerOptimizers;
  iteration = 0;

  constructor(public data: DigitData, readonly settings: GanMnistSettings) {
    const { generator, discriminator } = buildPlayers(settings);
    this.pair = new GanPair(generator, discriminator);
    this.optimizers = new PlayerOptimizers(playerOptimizer(generator.parameters(), settings.g), playerOptimizer(discriminator.parameters(), settings.d));
  }

  get G(): ImageGenerator {
    return this.pair.generator;
  }

  get D(): ImageDiscriminator {
    return this.pair.discriminator;
  }

  get conditional(): boolean {
    return this.G.conditional;
  }

  /** A random real batch (global generator): images [n, 1, 28, 28] and digits. */
  realBatch(n: number): { x: Tensor; digits: Tensor } {
    const idx = randint(0, this.data.count, [n]).data;
    const x = new Float32Array(n * PIXELS);
    const digits = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      x.set(this.data.images.subarray(idx[i] * PIXELS, (idx[i] + 1) * PIXELS), i * PIXELS);
      digits[i] = this.data.labels[idx[i]];
    }
    return { x: tensor(x, { shape: [n, 1, 28, 28] }), digits: tensor(digits, { shape: [n] }) };
  }

  /** One D update then one G update. */
  iterate(step: number, assertFinite: TaskContext["assertFinite"]): GanMnistLogs {
    const { batch, loss: kind } = this.settings;
    const real = this.realBatch(batch);
    const z = randn([batch, this.G.zDim]);
    const digits = this.conditional ? randint(0, CLASSES, [batch]) : null;
    const fake = this.G.forward(z, digits);
    const sReal = this.D.forward(real.x, real.digits);
    const sFake = this.D.forward(fake.detach(), digits);
    const dLoss = updatePlayer(this.optimizers.discriminator, this.D, "discriminator", discriminatorLoss(kind, sReal, sFake), step, assertFinite);
    const gLoss = frozen(this.D, () =>
      updatePlayer(this.optimizers.generator, this.G, "generator", generatorLoss(kind, this.D.forward(fake, digits)), step, assertFinite));
    this.iteration = step;
    const belief = (s: Tensor) => {
      let sum = 0;
      for (const v of s.data) sum += realProbability(kind, v);
      return sum / s.data.length;
    };
    return { loss: dLoss + gLoss, dLoss, gLoss, dReal: belief(sReal), dFake: belief(sFake) };
  }

  /**
   * n generated images [n, 1, 28, 28] in [−1, 1] (no gradients; in whatever train/eval mode
   * the model is). Noise from `gen` (the global generator if omitted); conditional GANs draw
   * the given digits (one per image), or 0…9 in turn.
   */
  generate(n: number, gen?: Generator, digits?: ArrayLike<number>): Tensor {
    return noGrad(() => {
      const z = randn([n, this.G.zDim], { generator: gen });
      const d = this.conditional ? tensor(Int32Array.from({ length: n }, (_, i) => (digits ? digits[i] : i % CLASSES)), { shape: [n] }) : null;
      return this.G.forward(z, d);
    });
  }
}
