/**
 * The fake detector: a small CNN that reads a 28×28 digit in [−1, 1] and says how likely it
 * is generated (a logit; σ(logit) = P(fake)).
 *
 *   x → Conv(1→16, 3, s2, p1) LeakyReLU(.2) → Conv(16→32, 3, s2, p1) LeakyReLU(.2)
 *     → Flatten → Linear(32·7·7 → 1)
 */
import { noGrad } from "../../core/autograd.js";
import { cat } from "../../core/ops/slice.js";
import { onesLike, tensor, zerosLike } from "../../core/ops/creation.js";
import type { Tensor } from "../../core/tensor.js";
import { LeakyReLU } from "../../nn/activation.js";
import { Conv2d } from "../../nn/conv.js";
import { Flatten, Linear } from "../../nn/linear.js";
import { bceWithLogits } from "../../nn/losses.js";
import { Module, Sequential } from "../../nn/module.js";

export class FakeDetector extends Module {
  readonly net: Sequential;

  constructor() {
    super();
    this.net = this.registerModule("net", new Sequential(
      new Conv2d(1, 16, 3, { stride: 2, padding: 1 }), new LeakyReLU(0.2),
      new Conv2d(16, 32, 3, { stride: 2, padding: 1 }), new LeakyReLU(0.2),
      new Flatten(), new Linear(32 * 7 * 7, 1),
    ));
  }

  /** images [batch, 1, 28, 28] → logits [batch, 1] (positive: generated). */
  forward(x: Tensor): Tensor {
    return this.net.forward(x);
  }
}

/** The detector's loss on a batch of real images (label 0) and generated ones (label 1). */
export function detectorLoss(model: FakeDetector, real: Tensor, fake: Tensor): Tensor {
  const sReal = model.forward(real), sFake = model.forward(fake);
  return bceWithLogits(cat([sReal, sFake], 0), cat([zerosLike(sReal), onesLike(sFake)], 0));
}

/** P(fake) for each of n images (rows of 784 floats in [−1, 1]), in chunks, without gradients. */
export function fakeProbability(model: FakeDetector, images: Float32Array, n = images.length / 784): Float32Array {
  const out = new Float32Array(n);
  noGrad(() => {
    for (let i = 0; i < n; i += 500) {
      const m = Math.min(500, n - i);
      const s = model.forward(tensor(images.subarray(i * 784, (i + m) * 784), { shape: [m, 1, 28, 28] })).data;
      for (let k = 0; k < m; k++) out[i + k] = 1 / (1 + Math.exp(-s[k]));
    }
  });
  return out;
}

/** Rounds images in [−1, 1] to 8-bit pixels and back, in place (what saving them as PNG does). */
export function quantise(images: Float32Array): Float32Array {
  for (let i = 0; i < images.length; i++) images[i] = Math.round((Math.min(1, Math.max(-1, images[i])) + 1) * 127.5) / 127.5 - 1;
  return images;
}
