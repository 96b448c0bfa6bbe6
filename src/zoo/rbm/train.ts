/**
 * Training an RBM, shared by the rbm and dbn tasks and the Lab's rbm page (no Node imports):
 * Hinton's initialisation, the SGD optimizer with weight decay on W only, and one CD/PCD update.
 */
import type { Tensor } from "../../core/tensor.js";
import { SGD } from "../../optim/sgd.js";
import type { TaskContext } from "../task.js";
import { RBM, type VisibleType } from "./model.js";

/** Mean squared error between two equally long arrays. */
export function mse(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s / a.length;
}

/** An RBM for data [nTrain, V]; binary units get Hinton's visible biases log(p/(1 − p)) from the data. */
export function buildRBM(visibleType: VisibleType, hidden: number, train: Float32Array, nTrain: number): RBM {
  const PIXELS = train.length / nTrain;
  const rbm = new RBM(PIXELS, hidden, { visibleType });
  if (visibleType === "bernoulli") {
    // Hinton's guide: visible biases log(p/(1 − p)) of each pixel's rate of being on.
    const on = new Float64Array(PIXELS);
    for (let n = 0; n < nTrain; n++) for (let i = 0; i < PIXELS; i++) on[i] += train[n * PIXELS + i];
    rbm.vbias.data.set(Array.from(on, (c) => {
      const p = Math.min(0.999, Math.max(0.001, c / nTrain));
      return Math.log(p / (1 - p));
    }));
  }
  return rbm;
}

/** One CD-k or PCD-k update with SGD; the loss is the batch's one-step reconstruction error. */
export function rbmStep(rbm: RBM, optimizer: SGD, v0: Tensor, options: { k: number; chains?: Tensor | null; step: number; ctx?: Pick<TaskContext, "assertFinite"> }): { reconError: number; chains: Tensor } {
  const cd = rbm.contrastiveDivergence(v0, {
    k: options.k,
    chains: options.chains ?? undefined,
    // Gaussian units in CD use noise-free reconstructions; PCD's chains must sample to mix.
    sampleVisible: rbm.visibleType === "bernoulli" || !!options.chains,
  });
  for (const [name, g] of Object.entries(cd.grads)) {
    options.ctx?.assertFinite(options.step, `the CD estimate for ${name}`, g);
    // The optimizer descends: its gradient is minus the log-likelihood ascent direction.
    (rbm as unknown as Record<string, Tensor>)[name].grad = g.neg();
  }
  optimizer.step();
  return { reconError: mse(v0.data, cd.reconstruction.data), chains: cd.chains };
}

/** SGD with momentum; the L2 weight decay applies to W only (Hinton's guide), not to the biases. */
export function rbmOptimizer(rbm: RBM, options: { lr: number; momentum: number; weightDecay: number }): SGD {
  return new SGD([
    { params: [rbm.weight], weightDecay: options.weightDecay },
    { params: [rbm.vbias, rbm.hbias], weightDecay: 0 },
  ], { lr: options.lr, momentum: options.momentum });
}

