/**
 * generate — a variational autoencoder (Kingma & Welling 2014) on binarised digits.
 *
 *   loss = −ELBO = −E_q[log p(x|z)] + KL(q(z|x) ‖ N(0, I))   nats per image, one z sample
 *
 * Training images are binarised afresh each step (pixel ~ Bernoulli(intensity), "dynamic
 * binarisation"); the held-out ELBO is on one fixed binarisation of the test digits with fixed
 * ε (their own seeds), so runs compare. Writes samples.png (decoder means of z ~ N(0, I)),
 * interpolation.png (decoded straight lines between the posterior means of pairs of test digits)
 * and, for a 2-D latent space, manifold.png (the decoder over a grid of normal quantiles).
 */
import { Generator } from "../../core/random.js";
import { rand, randn, tensor } from "../../core/ops/creation.js";
import { noGrad } from "../../core/autograd.js";
import type { Tensor } from "../../core/tensor.js";
import { Adam } from "../../optim/adam.js";
import { bceWithLogits, klDivergence } from "../../nn/losses.js";
import type { Config, TaskContext } from "../task.js";
import { type AEState, digitRows, digits, type Mode, round6, savePicture, sizesOf } from "./common.js";
import { type Digits, gatherRows, mnistDigits, PIXELS, randomBatch } from "./data.js";
import { VAE } from "./model.js";

export const TEST_BINARISATION_SEED = 7_654_321;

export interface GenerateState extends AEState {
  model: VAE;
  train: Digits;
  test: Digits;
  /** The fixed binarisation of the test digits. */
  testBinary: Float32Array;
  batch: number;
}

/** Pixels drawn as Bernoulli(intensity) with a given generator. */
export function binarise(x: Float32Array, gen: Generator): Float32Array {
  return Float32Array.from(x, (v) => (gen.random24() < v ? 1 : 0));
}

/** −ELBO per image of a batch of binary images: reconstruction (BCE summed over pixels) + KL, both batch means. */
export function negativeElbo(model: VAE, x: Tensor, eps: Tensor): { loss: Tensor; recon: Tensor; kl: Tensor } {
  const { mu, logvar, logits } = model.forward(x, eps);
  const recon = bceWithLogits(logits, x, { reduction: "sum" }).div(x.shape[0]);
  const kl = klDivergence(mu, logvar);
  return { loss: recon.add(kl), recon, kl };
}

/** Decoder means σ(D(z)) of codes z [n, latent]. */
function decodeMeans(model: VAE, z: Float32Array, n: number): Float32Array {
  return noGrad(() => model.decodeLogits(tensor(z, { shape: [n, model.latent] })).sigmoid().data as Float32Array);
}

/** Φ⁻¹(p), the standard normal quantile (Acklam's rational approximation, |error| < 1.2e−9). */
export function normalQuantile(p: number): number {
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const lowTail = (q: number) => (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  if (p < 0.02425) return lowTail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -lowTail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5, r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/** A grid of `count` samples from the prior, decoded, with a generator seeded by `seed`. */
export function priorSamples(model: VAE, count: number, seed: number): Float32Array {
  const gen = new Generator(seed);
  const z = Float32Array.from({ length: count * model.latent }, () => gen.normal());
  return decodeMeans(model, z, count);
}

/** Decoded straight lines in z (posterior means) between pairs of images: `steps` images per pair. */
export function interpolations(model: VAE, from: Float32Array, to: Float32Array, steps: number): Float32Array[][] {
  const n = from.length / PIXELS;
  const [muA] = noGrad(() => model.encode(tensor(from, { shape: [n, PIXELS] })));
  const [muB] = noGrad(() => model.encode(tensor(to, { shape: [n, PIXELS] })));
  const L = model.latent;
  return Array.from({ length: n }, (_, p) => {
    const z = new Float32Array(steps * L);
    for (let s = 0; s < steps; s++) {
      const t = s / (steps - 1);
      for (let j = 0; j < L; j++) z[s * L + j] = (1 - t) * muA.data[p * L + j] + t * muB.data[p * L + j];
    }
    return digits(decodeMeans(model, z, steps), 0, steps);
  });
}

/** Pairs of test digits of different classes for interpolation.png: (0→1, 2→3, …). */
function pairs(test: Digits, count: number): { from: Float32Array; to: Float32Array } {
  const firstOf = (c: number) => test.labels.findIndex((l) => l === c);
  const a: number[] = [], b: number[] = [];
  for (let p = 0; p < count; p++) {
    a.push(firstOf((2 * p) % 10));
    b.push(firstOf((2 * p + 1) % 10));
  }
  return { from: gatherRows(test.x, PIXELS, a), to: gatherRows(test.x, PIXELS, b) };
}

function writePictures(state: GenerateState, ctx: TaskContext, seed: number, samplesName = "samples.png"): string | null {
  const { model } = state;
  const grid = priorSamples(model, 100, seed);
  const path = savePicture(ctx, samplesName, digitRows(Array.from({ length: 10 }, (_, r) => digits(grid, r * 10, r * 10 + 10))));
  const { from, to } = pairs(state.test, 5);
  savePicture(ctx, "interpolation.png", digitRows(interpolations(model, from, to, 10)));
  if (model.latent === 2) {
    const side = 15;
    const z = new Float32Array(side * side * 2);
    for (let r = 0; r < side; r++) {
      for (let c = 0; c < side; c++) {
        z[(r * side + c) * 2] = normalQuantile((c + 0.5) / side);
        z[(r * side + c) * 2 + 1] = normalQuantile(1 - (r + 0.5) / side);
      }
    }
    const imgs = decodeMeans(model, z, side * side);
    savePicture(ctx, "manifold.png", digitRows(Array.from({ length: side }, (_, r) => digits(imgs, r * side, r * side + side)), 0));
  }
  return path;
}

export const generate: Mode<GenerateState> = {
  defaults: { code: 16, hidden: 512, layers: 2, steps: 4000 },

  setup(config: Config, ctx: TaskContext) {
    const { train, test } = mnistDigits({ train: config.trainSize as number, test: config.testSize as number });
    const { code, widths } = sizesOf(config, this.defaults);
    const model = new VAE(PIXELS, widths, code);
    ctx.log(`autoencoder generate: VAE ${PIXELS}→${widths.join("→")}→(μ, log σ²)·${code}, Bernoulli decoder; ${train.count} training / ${test.count} test digits`);
    return {
      mode: "generate" as const, model, train, test, batch: config.batch,
      testBinary: binarise(test.x, new Generator(TEST_BINARISATION_SEED)),
      optimizer: new Adam(model.parameters(), { lr: config.lr }),
    };
  },

  loss(state) {
    const { x } = randomBatch(state.train.x, PIXELS, state.train.count, state.batch);
    const binary = rand(x.shape).lt(x); // dynamic binarisation, from the global generator
    const eps = randn([x.shape[0], state.model.latent]);
    const { loss, recon, kl } = negativeElbo(state.model, binary, eps);
    return { loss, logs: { recon: recon.item(), kl: kl.item() } };
  },

  evaluate(state, config, ctx) {
    const { model, test } = state;
    const gen = new Generator(TEST_BINARISATION_SEED + 1);
    let recon = 0, kl = 0;
    const chunk = 500;
    for (let i = 0; i < test.count; i += chunk) {
      const m = Math.min(chunk, test.count - i);
      const x = tensor(state.testBinary.subarray(i * PIXELS, (i + m) * PIXELS), { shape: [m, PIXELS] });
      const eps = tensor(Float32Array.from({ length: m * model.latent }, () => gen.normal()), { shape: [m, model.latent] });
      const r = negativeElbo(model, x, eps);
      recon += r.recon.item() * m;
      kl += r.kl.item() * m;
    }
    recon /= test.count;
    kl /= test.count;
    writePictures(state, ctx, config.seed);
    return { elbo: round6(-(recon + kl)), reconstruction: round6(-recon), kl: round6(kl), latent: model.latent };
  },

  sample(state, config, ctx) {
    const name = `samples-seed${config.seed}.png`;
    const path = writePictures(state, ctx, config.seed, name);
    return path ? `wrote ${path} (100 samples from N(0, I), decoder means) and interpolation.png` : "no run directory to write to";
  },
};
