/**
 * reduce — dimensionality reduction: an autoencoder with a 2-D code maps each digit to a point;
 * PCA's first two components map it too. Scored by 5-NN accuracy in each 2-D space (test
 * points classified by their nearest training points) and by reconstruction MSE. Writes
 * latent.png (the two maps, test digits coloured by class) and latent.json (their points).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { NNZooError } from "../../core/errors.js";
import { asciiDigit, type Mode, parseNumbers, round6, savePicture } from "./common.js";
import { randomBatch, PIXELS } from "./data.js";
import { decodeAll, encodeAll, type ImageAEState, pcaOf, reconstructAll, reconstructionLoss, setupImageAE } from "./images.js";
import { knnAccuracy, meanSquaredError } from "./metrics.js";
import { pcaDecode, pcaEncode } from "./pca.js";
import { scatterImage, sideBySide } from "./plots.js";

export const KNN_K = 5;

export const reduce: Mode<ImageAEState> = {
  defaults: { code: 2, hidden: 512, layers: 2, steps: 3000 },

  setup(config, ctx) {
    return setupImageAE("reduce", config, this.defaults, ctx);
  },

  loss(state) {
    const { x } = randomBatch(state.train.x, PIXELS, state.train.count, state.batch);
    return { loss: reconstructionLoss(state.lossKind, state.model.forward(x).logits, x) };
  },

  evaluate(state, _config, ctx) {
    const { model, train, test } = state;
    const k = model.codeSize;
    const trainCodes = encodeAll(model, train.x), testCodes = encodeAll(model, test.x);
    const pca = pcaOf(state, k);
    const pcaTrain = pcaEncode(pca, train.x, k), pcaTest = pcaEncode(pca, test.x, k);
    const metrics = {
      knnAccuracy: round6(knnAccuracy(trainCodes, train.labels, testCodes, test.labels, k, KNN_K)),
      pcaKnnAccuracy: round6(knnAccuracy(pcaTrain, train.labels, pcaTest, test.labels, k, KNN_K)),
      mse: round6(meanSquaredError(reconstructAll(model, test.x), test.x)),
      pcaMse: round6(meanSquaredError(pcaDecode(pca, pcaTest, k), test.x)),
      pcaVarianceExplained: round6(pca.variances.subarray(0, k).reduce((a, b) => a + b, 0) / pca.totalVariance),
      code: k,
      knnK: KNN_K,
    };
    if (k === 2) {
      savePicture(ctx, "latent.png", sideBySide([scatterImage(testCodes, test.labels, "AE"), scatterImage(pcaTest, test.labels, "PCA")], 16));
      if (ctx.out) {
        const points = (p: Float32Array) => Array.from({ length: test.count }, (_, i) => [round6(p[i * 2]), round6(p[i * 2 + 1])]);
        writeFileSync(join(ctx.out, "latent.json"), JSON.stringify({
          what: "2-D codes of the held-out MNIST digits: the autoencoder's (ae) and PCA's first two components (pca)",
          labels: Array.from(test.labels), ae: points(testCodes), pca: points(pcaTest),
        }) + "\n");
      }
    }
    return metrics;
  },

  predict(state, _config, input) {
    // A point of the latent map → the digit the decoder draws there.
    const k = state.model.codeSize;
    let z: number[];
    try {
      z = parseNumbers(input, k, "predict");
    } catch {
      throw new NNZooError(`predict autoencoder (reduce): give a point of the ${k}-D code as ${k} comma-separated numbers, e.g. "0.5,-1.2"; got ${JSON.stringify(input)}`);
    }
    const pixels = decodeAll(state.model, Float32Array.from(z));
    return { text: asciiDigit(pixels), json: { code: z, pixels: Array.from(pixels, round6), width: 28, height: 28 } };
  },
};
