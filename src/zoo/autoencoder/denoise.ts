/**
 * denoise — a denoising autoencoder (Vincent et al. 2008): trained to map corrupted digits x̃
 * back to the clean x. Noise: Gaussian (σ = --sigma, clipped to [0, 1]) and salt-and-pepper
 * (a fraction --amount of pixels set to 0 or 1); with --noise both, each training image gets one
 * of the two at random. Scored by PSNR of the noisy and of the denoised held-out digits
 * against the clean ones, per noise kind (the test noise is fixed by its own seed). Writes
 * denoise.png: clean; then noisy and denoised for each kind.
 */
import { defaultGenerator, Generator } from "../../core/random.js";
import { randint, tensor } from "../../core/ops/creation.js";
import type { Config } from "../task.js";
import { digitRows, digits, mean, type Mode, round6, savePicture } from "./common.js";
import { gatherRows, PIXELS } from "./data.js";
import { type ImageAEState, reconstructAll, reconstructionLoss, setupImageAE } from "./images.js";
import { meanSquaredError, psnr } from "./metrics.js";
import { addNoise, NOISE_KINDS, type NoiseKind } from "./noise.js";

/** The test noise's seed: the same corrupted test set for every run. */
export const TEST_NOISE_SEED = 1_234_567;

export interface DenoiseState extends ImageAEState {
  kinds: NoiseKind[];
  sigma: number;
  amount: number;
}

function kindsOf(config: Config): NoiseKind[] {
  return config.noise === "both" ? [...NOISE_KINDS] : [config.noise as NoiseKind];
}

const levelOf = (state: Pick<DenoiseState, "sigma" | "amount">, kind: NoiseKind) => (kind === "gaussian" ? state.sigma : state.amount);

export const denoise: Mode<DenoiseState> = {
  defaults: { code: 64, hidden: 512, layers: 2, steps: 3000 },

  setup(config, ctx) {
    const base = setupImageAE("denoise", config, this.defaults, ctx);
    return { ...base, kinds: kindsOf(config), sigma: config.sigma as number, amount: config.amount as number };
  },

  loss(state) {
    const idx = randint(0, state.train.count, [Math.min(state.batch, state.train.count)]).data;
    const clean = gatherRows(state.train.x, PIXELS, idx);
    const noisy = new Float32Array(clean.length);
    for (let b = 0; b < idx.length; b++) {
      // The global generator, so a seeded run repeats.
      const kind = state.kinds[state.kinds.length === 1 ? 0 : defaultGenerator.randint(0, state.kinds.length)];
      noisy.set(addNoise(clean.subarray(b * PIXELS, (b + 1) * PIXELS), kind, levelOf(state, kind), defaultGenerator), b * PIXELS);
    }
    const x = tensor(noisy, { shape: [idx.length, PIXELS] });
    const target = tensor(clean, { shape: [idx.length, PIXELS] });
    return { loss: reconstructionLoss(state.lossKind, state.model.forward(x).logits, target) };
  },

  evaluate(state, _config, ctx) {
    const { model, test } = state;
    const metrics: Record<string, number> = {};
    const noisyPsnr: number[] = [], denoisedPsnr: number[] = [];
    const rows: Float32Array[][] = [digits(test.x, 0, 10)];
    for (const kind of state.kinds) {
      const gen = new Generator(TEST_NOISE_SEED);
      const noisy = addNoise(test.x, kind, levelOf(state, kind), gen);
      const denoised = reconstructAll(model, noisy);
      const pn = psnr(meanSquaredError(noisy, test.x)), pd = psnr(meanSquaredError(denoised, test.x));
      const key = kind === "gaussian" ? "gaussian" : "saltPepper";
      metrics[`${key}PsnrNoisy`] = round6(pn);
      metrics[`${key}PsnrDenoised`] = round6(pd);
      noisyPsnr.push(pn);
      denoisedPsnr.push(pd);
      rows.push(digits(noisy, 0, 10), digits(denoised, 0, 10));
    }
    const clean = psnr(meanSquaredError(reconstructAll(model, test.x), test.x));
    savePicture(ctx, "denoise.png", digitRows(rows));
    return {
      psnrNoisy: round6(mean(noisyPsnr)),
      psnrDenoised: round6(mean(denoisedPsnr)),
      ...metrics,
      psnrCleanInput: round6(clean),
      sigma: state.sigma,
      amount: state.amount,
      code: model.codeSize,
    };
  },
};
