/**
 * autoencoder — the lesson's autoencoder applications as one task with --mode:
 *
 *   reduce     2-D latent map of MNIST digits vs PCA's; k-NN accuracy in each          reduce.ts
 *   compress   8-bit codes of N bytes vs PCA (N components) and JPEG at N bytes; PSNR  compress.ts
 *   denoise    Gaussian and salt-and-pepper noise removed; PSNR noisy vs denoised      denoise.ts
 *   features   codes as features for a classifier with 100 / 1,000 labels vs pixels   features.ts
 *   generate   VAE: samples, interpolations, held-out ELBO                             generate.ts
 *   sequence   LSTM sequence autoencoder on names: reconstruction accuracy            sequence.ts
 *   recommend  AutoRec on a ratings matrix: held-out RMSE vs a bias baseline          recommend.ts
 *   anomaly    reconstruction error as an anomaly score on sensor data: ROC AUC       anomaly.ts
 *
 * The networks and their equations are in model.ts; PCA in pca.ts; scores in metrics.ts.
 */
import { NNZooError } from "../../core/errors.js";
import type { Task } from "../task.js";
import { anomaly } from "./anomaly.js";
import { type AEState, type Mode, MODES, type ModeName } from "./common.js";
import { compress } from "./compress.js";
import { denoise } from "./denoise.js";
import { features } from "./features.js";
import { generate } from "./generate.js";
import { recommend } from "./recommend.js";
import { reduce } from "./reduce.js";
import { sequence } from "./sequence.js";

// Each mode has its own state type; the task dispatches on state.mode.
const IMPLS: Record<ModeName, Mode<any>> = { reduce, compress, denoise, features, generate, sequence, recommend, anomaly };

/** Modes that read --data FILE. */
const DATA_MODES: Partial<Record<ModeName, string>> = {
  sequence: "names, one per line",
  recommend: "MovieLens ratings.csv (userId,movieId,rating,timestamp) or u.data (tab-separated)",
};

/** "reduce 2, compress 32, …" for an option's help (modes that do not use the option are left out). */
const defaultsText = (key: "code" | "hidden" | "layers" | "steps") => MODES.filter((m) => IMPLS[m].defaults[key] > 0).map((m) => `${m} ${IMPLS[m].defaults[key]}`).join(", ");

const impl = (state: AEState) => IMPLS[state.mode];

export const autoencoder: Task<AEState> = {
  name: "autoencoder",
  summary: "autoencoders: 2-D maps, compression vs PCA/JPEG, denoising, few-label features, VAE, LSTM sequence AE, AutoRec, anomaly AUC",
  models: ["mlp"],
  options: {
    mode: { type: "string", help: "the application", default: "reduce", choices: MODES },
    code: { type: "int", help: `code (bottleneck) size; 0: the mode's default (${defaultsText("code")})`, default: 0, min: 0 },
    hidden: { default: 0, min: 0, help: `width of the first hidden layer (each further layer halves it); 0: the mode's default (${defaultsText("hidden")})` },
    layers: { default: 0, min: 0, max: 4, help: `hidden layers in the encoder (the decoder mirrors them); 0: the mode's default (${defaultsText("layers")})` },
    steps: { default: 0, min: 0, help: `training steps; 0: the mode's default (${defaultsText("steps")})` },
    batch: { default: 128, help: "batch size (images, names, items or windows)" },
    loss: { type: "string", help: "image modes: reconstruction loss (BCE on logits, or MSE of the sigmoid output)", default: "bce", choices: ["bce", "mse"] },
    noise: { type: "string", help: "denoise: the noise to train and test on", default: "both", choices: ["both", "gaussian", "salt-pepper"] },
    sigma: { type: "number", help: "denoise: Gaussian noise standard deviation (pixels in [0, 1])", default: 0.4, min: 0, max: 2 },
    amount: { type: "number", help: "denoise: share of pixels salt-and-pepper noise flips to 0 or 1", default: 0.2, min: 0, max: 1 },
    labels: { type: "int", help: "features: labelled training digits for the classifier (scored at 100 and 1,000 too)", default: 100, min: 10, max: 8000 },
    trainSize: { type: "int", help: "image modes: training digits to use, the first N of the 8,000 (0: all)", default: 0, min: 0 },
    testSize: { type: "int", help: "image modes: held-out digits to score, the first N of the 2,000 (0: all)", default: 0, min: 0 },
    jpegImages: { type: "int", help: "compress: held-out digits JPEG is measured on", default: 500, min: 1 },
    embed: { type: "int", help: "sequence: character embedding size", default: 32, min: 1 },
    lambda: { type: "number", help: "recommend: AutoRec's weight penalty λ (the loss adds λ/(2·ratings)·(‖W‖² + ‖V‖²))", default: 100, min: 0 },
    window: { type: "int", help: "anomaly: readings per window", default: 6, min: 1, max: 100 },
  },

  setup(config, ctx) {
    const mode = config.mode as ModeName;
    if (config.data && !DATA_MODES[mode]) throw new NNZooError(`--data: mode ${mode} uses built-in data; --data is for ${Object.entries(DATA_MODES).map(([m, what]) => `${m} (${what})`).join(" and ")}`);
    if (config.evalData) throw new NNZooError("eval --data: the autoencoder task evaluates on its own held-out data (train with --data FILE instead)");
    return IMPLS[mode].setup(config, ctx);
  },

  totalSteps(state, config) {
    return config.steps || impl(state).defaults.steps;
  },

  loss(state, step) {
    return impl(state).loss(state, step);
  },

  evaluate(state, config, ctx) {
    return impl(state).evaluate(state, config, ctx);
  },

  sample(state, config, ctx) {
    const m = impl(state);
    if (!m.sample) throw new NNZooError(`sample: mode ${state.mode} has no samples (generate does)`);
    return m.sample(state, config, ctx);
  },

  predict(state, config, input, ctx) {
    const m = impl(state);
    if (!m.predict) throw new NNZooError(`predict: mode ${state.mode} has no predict (reduce decodes a code point, sequence reconstructs a name, recommend lists a user's top items)`);
    return m.predict(state, config, input, ctx);
  },
};
