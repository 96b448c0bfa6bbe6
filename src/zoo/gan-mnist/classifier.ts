/**
 * The small MNIST classifier that judges generated digits (the FID-style distance uses its
 * penultimate features; confidence and class accuracy use its softmax):
 *
 *   x [batch, 1, 28, 28] in [−1, 1] → Conv(1→8, 5, p2) ReLU MaxPool2 → Conv(8→16, 5, p2) ReLU MaxPool2
 *     → Linear(784 → 64) ReLU  (the features, 64-d) → Linear(64 → 10)  (logits)
 *
 * Trained with Adam (1e-3) on the training split only; scored on the held-out split.
 */
import { getRngState, manualSeed, setRngState } from "../../core/random.js";
import { isGradEnabled, noGrad, setGradEnabled } from "../../core/autograd.js";
import { randint, tensor } from "../../core/ops/creation.js";
import type { Tensor } from "../../core/tensor.js";
import { ReLU } from "../../nn/activation.js";
import { Conv2d } from "../../nn/conv.js";
import { Flatten, Linear } from "../../nn/linear.js";
import { crossEntropy } from "../../nn/losses.js";
import { Module, Sequential } from "../../nn/module.js";
import { MaxPool2d } from "../../nn/pool.js";
import { Adam } from "../../optim/adam.js";
import type { DigitData } from "./game.js";
import { PIXELS } from "./models.js";

export const FEATURES = 64;

export class DigitClassifier extends Module {
  readonly features: Sequential;
  readonly head: Linear;

  constructor() {
    super();
    this.features = this.registerModule("features", new Sequential(
      new Conv2d(1, 8, 5, { padding: 2 }), new ReLU(), new MaxPool2d(2),
      new Conv2d(8, 16, 5, { padding: 2 }), new ReLU(), new MaxPool2d(2),
      new Flatten(), new Linear(16 * 7 * 7, FEATURES), new ReLU(),
    ));
    this.head = this.registerModule("head", new Linear(FEATURES, 10));
  }

  /** images → logits [batch, 10]. */
  forward(x: Tensor): Tensor {
    return this.head.forward(this.features.forward(x));
  }
}

/** How the cached classifier is trained: every field goes into its cache key. */
export interface ClassifierSettings {
  steps: number;
  batch: number;
  lr: number;
  seed: number;
}

export const CLASSIFIER_DEFAULTS: ClassifierSettings = { steps: 1200, batch: 64, lr: 1e-3, seed: 0 };

/** Rows [from, to) of a data set as an image tensor. */
export function imagesOf(data: Pick<DigitData, "images">, from: number, to: number): Tensor {
  return tensor(data.images.subarray(from * PIXELS, to * PIXELS), { shape: [to - from, 1, 28, 28] });
}

/**
 * Trains the classifier on `train` (its own seed: the caller's random stream is left as it
 * was; gradients on even when called from an evaluation under noGrad), logging now and then.
 */
export function trainClassifier(train: DigitData, s: ClassifierSettings, log: (line: string) => void = () => {}): DigitClassifier {
  const saved = getRngState();
  const grad = isGradEnabled();
  manualSeed(s.seed);
  setGradEnabled(true);
  try {
    const model = new DigitClassifier();
    const opt = new Adam(model.parameters(), { lr: s.lr });
    model.train();
    let running = 0;
    for (let step = 1; step <= s.steps; step++) {
      const idx = randint(0, train.count, [s.batch]).data;
      const x = new Float32Array(s.batch * PIXELS);
      const y = new Int32Array(s.batch);
      for (let i = 0; i < s.batch; i++) {
        x.set(train.images.subarray(idx[i] * PIXELS, (idx[i] + 1) * PIXELS), i * PIXELS);
        y[i] = train.labels[idx[i]];
      }
      opt.zeroGrad();
      const loss = crossEntropy(model.forward(tensor(x, { shape: [s.batch, 1, 28, 28] })), tensor(y));
      loss.backward();
      opt.step();
      running = step === 1 ? loss.item() : 0.98 * running + 0.02 * loss.item();
      if (step % 200 === 0 || step === s.steps) log(`classifier step ${step}/${s.steps}: loss ${running.toFixed(3)}`);
    }
    model.eval();
    return model;
  } finally {
    setRngState(saved);
    setGradEnabled(grad);
  }
}

/** Features [n, 64], softmax probabilities [n, 10] of images [n, 1, 28, 28] (in chunks, no gradients). */
export function classify(model: DigitClassifier, images: Tensor): { features: Float32Array; probs: Float32Array } {
  const n = images.shape[0];
  const features = new Float32Array(n * FEATURES);
  const probs = new Float32Array(n * 10);
  noGrad(() => {
    for (let i = 0; i < n; i += 250) {
      const chunk = images.narrow(0, i, Math.min(250, n - i));
      const f = model.features.forward(chunk);
      features.set(f.data, i * FEATURES);
      probs.set(model.head.forward(f).softmax(-1).data, i * 10);
    }
  });
  return { features, probs };
}

/** Fraction of rows whose argmax is the label. */
export function accuracy(probs: Float32Array, labels: ArrayLike<number>): number {
  const n = labels.length;
  let right = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < 10; c++) if (probs[i * 10 + c] > probs[i * 10 + best]) best = c;
    if (best === labels[i]) right++;
  }
  return right / n;
}
