/**
 * The gan-mnist page's worker side: src/zoo/gan-mnist's game (the CLI's code) on the page's
 * 1,000 training digits, one iteration (a D update, then a G update) per `step()`.
 *
 * The loss the page shows is a distance between generated and real digits that needs no
 * trained judge: the Fréchet distance between diagonal Gaussians fitted to the pixels,
 * Σᵢ (μ_fake,i − μ_real,i)² + (σ_fake,i − σ_real,i)² over the 784 pixels (pixels in [−1, 1]),
 * for 256 generated digits (fixed noise) against the training digits. It falls fast as the
 * generator learns the black background and the rough strokes, then slowly.
 */
import { noGrad } from "../../../../src/core/autograd.ts";
import { randn, tensor } from "../../../../src/core/ops/creation.ts";
import { Generator } from "../../../../src/core/random.ts";
import type { Tensor } from "../../../../src/core/tensor.ts";
import { throwIfNotFinite } from "../../../../src/zoo/gan2d/gan.ts";
import { GanMnist } from "../../../../src/zoo/gan-mnist/game.ts";
import { defineTrainer } from "../../protocol.ts";
import { loadDigits } from "./digits.ts";
import { GRID, GRID_COLUMNS, type GanMnistParams, type GanMnistPayload, REAL_SHOWN } from "./shared.ts";

const BATCH = 32;
const MEASURE = 256;
const MEASURE_EVERY = 10;
const Z_DIM = 64;

/** Per-pixel mean and standard deviation of n digits. */
export function pixelStats(images: ArrayLike<number>, n: number): { mean: Float64Array; std: Float64Array } {
  const mean = new Float64Array(784), sq = new Float64Array(784);
  for (let k = 0; k < n; k++) for (let i = 0; i < 784; i++) {
    const v = images[k * 784 + i];
    mean[i] += v;
    sq[i] += v * v;
  }
  const std = new Float64Array(784);
  for (let i = 0; i < 784; i++) {
    mean[i] /= n;
    std[i] = Math.sqrt(Math.max(0, sq[i] / n - mean[i] ** 2));
  }
  return { mean, std };
}

/** Σᵢ (μ₁ᵢ − μ₂ᵢ)² + (σ₁ᵢ − σ₂ᵢ)²: the Fréchet distance of diagonal Gaussians. */
export function pixelDistance(a: ReturnType<typeof pixelStats>, b: ReturnType<typeof pixelStats>): number {
  let d = 0;
  for (let i = 0; i < 784; i++) d += (a.mean[i] - b.mean[i]) ** 2 + (a.std[i] - b.std[i]) ** 2;
  return d;
}

const digitsTensor = (d: Int32Array) => tensor(d, { shape: [d.length] });

export default defineTrainer<GanMnistParams, GanMnistPayload>({
  async create(initial, seed) {
    const params = { ...initial };
    const { train } = await loadDigits();
    const game = new GanMnist(train, {
      model: params.model, zDim: Z_DIM, hidden: params.hidden, layers: 2, channels: 0, loss: "nonsaturating", batch: BATCH,
      g: { optimizer: "adam", lr: params.lr, beta1: 0.5 }, d: { optimizer: "adam", lr: params.lr, beta1: 0.5 },
    });
    const conditional = params.model === "conditional";
    const realStats = pixelStats(train.images, train.count);
    const measureZ = randn([MEASURE, Z_DIM], { generator: new Generator(seed + 1) });
    const measureDigits = digitsTensor(Int32Array.from({ length: MEASURE }, (_, i) => i % 10));
    const gridZ = randn([GRID, Z_DIM], { generator: new Generator(seed + 2) });
    let freshZ = randn([1, Z_DIM], { generator: new Generator(seed + 3) });
    const real = new Float32Array(REAL_SHOWN * 784);
    for (let c = 0; c < REAL_SHOWN; c++) {
      const row = train.labels.indexOf(c % 10) + Math.floor(c / 10);
      real.set(train.images.subarray(row * 784, (row + 1) * 784), c * 784);
    }
    let iteration = 0, since = 0, distance = NaN;
    let logs = { dReal: NaN, dFake: NaN, dLoss: NaN, gLoss: NaN };

    const generate = (z: Tensor, digits: Tensor | null) => noGrad(() => {
      game.G.eval(); // the MLP has no batch norm or dropout: eval only marks intent
      const out = game.G.forward(z, digits);
      game.G.train();
      return Float32Array.from(out.data);
    });
    const measure = () => {
      distance = pixelDistance(pixelStats(generate(measureZ, conditional ? measureDigits : null), MEASURE), realStats);
      since = 0;
      return distance;
    };
    const gridDigits = () => Int32Array.from({ length: GRID }, (_, i) => (params.digit >= 0 ? params.digit : i % GRID_COLUMNS));
    const freshDigit = () => (!conditional ? -1 : params.digit >= 0 ? params.digit : params.fresh % 10);

    return {
      modules: () => ({ gan: game.pair }),
      step() {
        iteration++;
        logs = game.iterate(iteration, throwIfNotFinite);
        return ++since >= MEASURE_EVERY ? measure() : distance;
      },
      loss: measure,
      frame() {
        const gd = conditional ? gridDigits() : new Int32Array(0);
        const fd = freshDigit();
        const payload: GanMnistPayload = {
          grid: generate(gridZ, conditional ? digitsTensor(gd) : null),
          gridDigits: gd,
          fresh: generate(freshZ, conditional ? digitsTensor(Int32Array.of(fd)) : null),
          freshDigit: fd,
          real: real.slice(),
        };
        return {
          payload,
          metrics: { pixelDistance: distance, dReal: logs.dReal, dFake: logs.dFake, dLoss: logs.dLoss, gLoss: logs.gLoss },
          transfer: [payload.grid.buffer, payload.gridDigits.buffer, payload.fresh.buffer, payload.real.buffer],
        };
      },
      update(change) {
        if (change.model !== undefined && change.model !== params.model) return false;
        if (change.hidden !== undefined && change.hidden !== params.hidden) return false;
        Object.assign(params, change);
        for (const opt of [game.optimizers.generator, game.optimizers.discriminator]) opt.paramGroups[0].lr = params.lr;
        if (change.fresh !== undefined) freshZ = randn([1, Z_DIM], { generator: new Generator(seed + 1000 + params.fresh) });
        return true;
      },
    };
  },
});
