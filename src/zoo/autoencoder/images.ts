/**
 * The MLP autoencoder on MNIST that the reduce, compress, denoise and features modes train:
 * setup, the reconstruction loss, and whole-set encode/decode.
 */
import type { Tensor } from "../../core/tensor.js";
import { bceWithLogits, mse } from "../../nn/losses.js";
import { Adam } from "../../optim/adam.js";
import type { Config, TaskContext } from "../task.js";
import { type AEState, type ModeDefaults, type ModeName, sizesOf } from "./common.js";
import { type Digits, mapRows, mnistDigits, PIXELS } from "./data.js";
import { Autoencoder } from "./model.js";
import { fitPca, type Pca } from "./pca.js";

export type ReconstructionLoss = "bce" | "mse";

export interface ImageAEState extends AEState {
  model: Autoencoder;
  train: Digits;
  test: Digits;
  batch: number;
  lossKind: ReconstructionLoss;
  /** PCA of the training images, fitted on first use, with as many components as the code. */
  pca?: Pca;
}

export function setupImageAE(mode: ModeName, config: Config, defaults: ModeDefaults, ctx: TaskContext): ImageAEState {
  const { train, test } = mnistDigits({ train: config.trainSize as number, test: config.testSize as number });
  const { code, widths } = sizesOf(config, defaults);
  const model = new Autoencoder({ input: PIXELS, hidden: widths, code });
  ctx.log(`autoencoder ${mode}: ${PIXELS}→${widths.join("→")}→${code}→${[...widths].reverse().join("→")}→${PIXELS}; ${train.count} training / ${test.count} test digits`);
  return {
    mode, model, train, test, batch: config.batch, lossKind: config.loss as ReconstructionLoss,
    optimizer: new Adam(model.parameters(), { lr: config.lr }),
  };
}

/** Reconstruction loss of decoder logits against targets in [0, 1]: BCE on logits, or MSE of σ(logits). */
export function reconstructionLoss(kind: ReconstructionLoss, logits: Tensor, target: Tensor): Tensor {
  return kind === "bce" ? bceWithLogits(logits, target) : mse(logits.sigmoid(), target);
}

/** Codes of every row of x, [n, code]. */
export function encodeAll(model: Autoencoder, x: Float32Array): Float32Array {
  return mapRows(x, PIXELS, model.codeSize, (b) => model.encode(b));
}

/** Reconstructions x̂ = σ(D(E(x))) of every row of x, [n, 784]. */
export function reconstructAll(model: Autoencoder, x: Float32Array): Float32Array {
  return mapRows(x, PIXELS, PIXELS, (b) => model.decode(model.encode(b)));
}

/** Decodes codes [n, code] to images [n, 784]. */
export function decodeAll(model: Autoencoder, codes: Float32Array): Float32Array {
  return mapRows(codes, model.codeSize, PIXELS, (z) => model.decode(z));
}

/** The state's PCA with k components (fitted on the training images once). */
export function pcaOf(state: ImageAEState, k: number): Pca {
  if (!state.pca || state.pca.k < k) state.pca = fitPca(state.train.x, PIXELS, k);
  return state.pca;
}
