/**
 * features — the encoder as a feature extractor for few labels. The autoencoder trains on all
 * 8,000 training digits without labels; then one small classifier — multinomial logistic
 * regression, p(y|f) = softmax(W·f + b), L2-regularised, full-batch Adam — learns from only
 * the first 100 or 1,000 labelled digits (10 or 100 per class), once on the codes and once on
 * the raw pixels (and once on PCA codes of the same size). Accuracy on the 2,000 held-out digits.
 */
import { isGradEnabled, noGrad, setGradEnabled } from "../../core/autograd.js";
import { tensor, zeros } from "../../core/ops/creation.js";
import { crossEntropy } from "../../nn/losses.js";
import { Adam } from "../../optim/adam.js";
import { type Mode, round6 } from "./common.js";
import { firstPerClass, gatherRows, PIXELS, randomBatch } from "./data.js";
import { encodeAll, type ImageAEState, pcaOf, reconstructionLoss, setupImageAE } from "./images.js";
import { accuracyOf } from "./metrics.js";
import { pcaEncode } from "./pca.js";

export const LABEL_COUNTS = [100, 1000] as const;

export interface SoftmaxOptions {
  /** λ in λ/2·‖W‖² (per example: the loss is the mean cross-entropy plus this). */
  l2?: number;
  steps?: number;
  lr?: number;
}

/**
 * Features standardised with statistics of a reference set (all training rows, labelled or
 * not): centred, then divided by one scalar — the root mean feature variance — so both pixels
 * and codes enter the classifier on the same overall scale and keep their relative sizes.
 */
export function standardiser(reference: Float32Array, dims: number): (x: Float32Array) => Float32Array {
  const n = reference.length / dims;
  const mu = new Float64Array(dims);
  for (let i = 0; i < n; i++) for (let j = 0; j < dims; j++) mu[j] += reference[i * dims + j] / n;
  let v = 0;
  for (let i = 0; i < reference.length; i++) v += (reference[i] - mu[i % dims]) ** 2;
  const scale = Math.sqrt(v / reference.length) || 1;
  return (x) => Float32Array.from(x, (value, i) => (value - mu[i % dims]) / scale);
}

/** Trains softmax regression on rows of x [n, dims]; returns a predictor of classes. */
export function trainSoftmax(x: Float32Array, dims: number, labels: ArrayLike<number>, classes: number, options: SoftmaxOptions = {}): (x: Float32Array) => Int32Array {
  const n = labels.length;
  const l2 = options.l2 ?? 1e-2, steps = options.steps ?? 500;
  const w = zeros([dims, classes], { requiresGrad: true });
  const b = zeros([classes], { requiresGrad: true });
  const opt = new Adam([w, b], { lr: options.lr ?? 0.01 });
  const X = tensor(x, { shape: [n, dims] });
  const Y = tensor(Int32Array.from(labels), { shape: [n] });
  const was = isGradEnabled();
  setGradEnabled(true);
  try {
    for (let s = 0; s < steps; s++) {
      opt.zeroGrad();
      const loss = crossEntropy(X.matmul(w).add(b), Y).add(w.square().sum().mul(l2 / 2));
      loss.backward();
      opt.step();
    }
  } finally {
    setGradEnabled(was);
  }
  return (q) => noGrad(() => tensor(q, { shape: [q.length / dims, dims] }).matmul(w).add(b).argmax(1).data as Int32Array);
}

/** Test accuracy of the classifier trained on the labelled rows of one feature set. */
function fewLabelAccuracy(train: Float32Array, test: Float32Array, dims: number, trainLabels: Int32Array, testLabels: Int32Array, labelled: number[]): number {
  const std = standardiser(train, dims);
  const predict = trainSoftmax(std(gatherRows(train, dims, labelled)), dims, labelled.map((i) => trainLabels[i]), 10);
  return accuracyOf(predict(std(test)), testLabels);
}

export const features: Mode<ImageAEState> = {
  defaults: { code: 32, hidden: 512, layers: 2, steps: 3000 },

  setup(config, ctx) {
    return setupImageAE("features", config, this.defaults, ctx);
  },

  loss(state) {
    const { x } = randomBatch(state.train.x, PIXELS, state.train.count, state.batch);
    return { loss: reconstructionLoss(state.lossKind, state.model.forward(x).logits, x) };
  },

  evaluate(state, config) {
    const { model, train, test } = state;
    const k = model.codeSize;
    const codes = { train: encodeAll(model, train.x), test: encodeAll(model, test.x) };
    const pca = pcaOf(state, k);
    const pcaCodes = { train: pcaEncode(pca, train.x, k), test: pcaEncode(pca, test.x, k) };
    const head: Record<string, number> = {}, metrics: Record<string, number> = {};
    const counts = [...new Set([config.labels as number, ...LABEL_COUNTS])].sort((a, b) => a - b);
    for (const count of counts) {
      const labelled = firstPerClass(train.labels, Math.max(1, Math.round(count / 10)));
      const score = (tr: Float32Array, te: Float32Array, dims: number) => round6(fewLabelAccuracy(tr, te, dims, train.labels, test.labels, labelled));
      const acc = score(codes.train, codes.test, k), raw = score(train.x, test.x, PIXELS), pcaAcc = score(pcaCodes.train, pcaCodes.test, k);
      if (count === config.labels) Object.assign(head, { accuracy: acc, rawAccuracy: raw, pcaAccuracy: pcaAcc });
      Object.assign(metrics, { [`accuracy${count}`]: acc, [`rawAccuracy${count}`]: raw, [`pcaAccuracy${count}`]: pcaAcc });
    }
    return { ...head, ...metrics, labels: config.labels as number, code: k };
  },
};
