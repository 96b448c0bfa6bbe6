/**
 * The rbm page's worker side: src/zoo/rbm's RBM trained by CD-k or PCD on binarised digits
 * (one SGD update per `step()`), while 16 display chains run Gibbs sampling from the current
 * model: the filters and the samples change as it learns.
 */
import { Generator, randint, tensor, type Tensor } from "../../../../src/index.ts";
import { bernoulli, RBM } from "../../../../src/zoo/rbm/model.ts";
import { mse, rbmOptimizer, rbmStep } from "../../../../src/zoo/rbm/train.ts";
import { defineTrainer, type Persistable } from "../../protocol.ts";
import { DIGITS_PER_CLASS } from "./digits-format.ts";
import { loadDigits } from "./digits.ts";
import { MAX_FILTERS, PER_CLASS, PIXELS, RECON_DIGITS, type RBMParams, type RBMPayload, SAMPLE_CHAINS } from "./shared.ts";

const BATCH = 20;
const MOMENTUM = 0.9;
const WEIGHT_DECAY = 1e-4;
/** Digits whose (mean-field) reconstruction error is the loss before the first step. */
const PROBE = 100;
/** The shortest time between two refreshes of the costly pictures (ms). */
const PICTURE_MS = 150;

interface Data {
  train: Tensor;
  count: number;
  /** One held-out digit per class (shown with its reconstruction; the display chains start there). */
  heldOut: Tensor;
  probe: Tensor;
}

let data: Promise<Data> | undefined;

/** Loads once per worker: PER_CLASS digits per class to train on, the next one of each class held out. */
function digits(): Promise<Data> {
  data ??= loadDigits().then((binary) => {
    const perFile = DIGITS_PER_CLASS; // PER_CLASS to train on, then held-out ones
    // Shuffle the training digits (they come class by class) with a fixed generator.
    const order: number[] = [];
    for (let c = 0; c < 10; c++) for (let i = 0; i < PER_CLASS; i++) order.push(c * perFile + i);
    const g = new Generator(1234);
    for (let i = order.length - 1; i > 0; i--) {
      const j = g.randint(0, i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    const count = order.length;
    const trainPixels = new Float32Array(count * PIXELS);
    order.forEach((src, k) => trainPixels.set(binary.subarray(src * PIXELS, (src + 1) * PIXELS), k * PIXELS));
    const held = new Float32Array(10 * PIXELS);
    for (let c = 0; c < 10; c++) held.set(binary.subarray((c * perFile + PER_CLASS) * PIXELS, (c * perFile + PER_CLASS + 1) * PIXELS), c * PIXELS);
    const train = tensor(trainPixels, { shape: [count, PIXELS] });
    return { train, count, heldOut: tensor(held, { shape: [10, PIXELS] }), probe: train.narrow(0, 0, PROBE) };
  });
  return data;
}

export default defineTrainer<RBMParams, RBMPayload>({
  async create(params, seed) {
    const d = await digits();
    // Zero visible biases (not the CLI's log-odds start): the first updates learn the average
    // digit out of grey fog, then the filters learn strokes — the whole story on screen.
    const rbm = new RBM(PIXELS, params.hidden);
    const optimizer = rbmOptimizer(rbm, { lr: params.lr, momentum: MOMENTUM, weightDecay: WEIGHT_DECAY });
    // The deep belief network's second layer, once stacked: an RBM on p(h | v) of the first, which is then frozen.
    let top: { rbm: RBM; optimizer: ReturnType<typeof rbmOptimizer>; chains: Tensor | null } | null = null;
    const pcdStart = (width: number) => bernoulli(tensor(new Float32Array(BATCH * width).fill(0.5), { shape: [BATCH, width] }));
    let chains: Tensor | null = params.method === "pcd" ? pcdStart(PIXELS) : null;
    let gibbsPerFrame = params.gibbsPerFrame;
    // The display chains draw from their own generator, so watching does not change training.
    const display = new Generator(seed + 1);
    // The display chains' state: pixels (one RBM) or the first hidden layer (the DBN's top RBM runs the chain).
    let sample: Tensor = d.heldOut;
    let mean: Float32Array = Float32Array.from(d.heldOut.data);
    let gibbsSteps = 0;
    const restartChains = () => {
      const starts = Array.from({ length: SAMPLE_CHAINS }, (_, i) => i % 10);
      const v = d.heldOut.indexSelect(0, tensor(Int32Array.from(starts), { shape: [SAMPLE_CHAINS] }));
      sample = top ? bernoulli(rbm.hiddenProbs(v), display) : v;
      mean = Float32Array.from(v.data);
      gibbsSteps = 0;
    };
    restartChains();
    const probeError = () => mse(d.probe.data, rbm.reconstruct(d.probe).data);
    const batch = () => d.train.indexSelect(0, randint(0, d.count, [BATCH]));
    const filterCount = Math.min(MAX_FILTERS, params.hidden);
    const digitsShown = Float32Array.from(d.heldOut.data.subarray(0, RECON_DIGITS * PIXELS));
    let reconstructions = new Float32Array(RECON_DIGITS * PIXELS);
    let topFilters = new Float32Array(0);
    let picturesAt = -Infinity;
    let pictureSeq = 0;
    /** Layer 2's loss: how well it reconstructs the first layer's hidden probabilities. */
    const topError = (v: Tensor) => {
      const h1 = rbm.hiddenProbs(v);
      return mse(h1.data, top!.rbm.reconstruct(h1).data);
    };

    return {
      modules: (): Record<string, Persistable> => (top ? { rbm, top: top.rbm } : { rbm }),
      step() {
        const v0 = batch();
        if (top) {
          const h1 = rbm.hiddenProbs(v0);
          const r = rbmStep(top.rbm, top.optimizer, h1, { k: params.k, chains: top.chains, step: 0 });
          if (top.chains) top.chains = r.chains;
          return r.reconError;
        }
        // The loss: the batch's one-step reconstruction error E[v | h₀ ~ p(h|v)] (what CD computes anyway).
        const r = rbmStep(rbm, optimizer, v0, { k: params.k, chains, step: 0 });
        if (chains) chains = r.chains;
        return r.reconError;
      },
      loss: () => (top ? topError(d.probe) : probeError()),
      frame() {
        // The pictures that cost model passes (Gibbs steps, reconstructions, W₂W₁) refresh at most
        // every PICTURE_MS; frames in between carry the last ones, so training keeps the worker.
        const now = performance.now();
        if (now - picturesAt >= PICTURE_MS) {
          picturesAt = now;
          pictureSeq++;
          if (gibbsPerFrame > 0) {
            if (top) {
              // Gibbs sampling in the top RBM, then one down-pass to pixels: p(v | h₁).
              const g = top.rbm.gibbs(sample, gibbsPerFrame, display);
              sample = g.sample;
              mean = Float32Array.from(rbm.visibleMean(g.mean).data);
            } else {
              const g = rbm.gibbs(sample, gibbsPerFrame, display);
              sample = g.sample;
              mean = Float32Array.from(g.mean.data);
            }
            gibbsSteps += gibbsPerFrame;
          }
          reconstructions = Float32Array.from(rbm.reconstruct(d.heldOut).data.subarray(0, RECON_DIGITS * PIXELS));
          // A layer-2 unit seen in pixel space: its weights on the layer-1 units times their filters, W₂W₁.
          topFilters = top ? Float32Array.from(top.rbm.weight.narrow(0, 0, filterCount).matmul(rbm.weight).data) : new Float32Array(0);
        }
        const filters = Float32Array.from(rbm.weight.data.subarray(0, filterCount * PIXELS));
        const payload: RBMPayload = {
          filters, filterCount, topFilters: topFilters.slice(), layer: top ? 2 : 1, samples: mean.slice(), gibbsSteps, pictureSeq,
          digits: digitsShown.slice(), reconstructions: reconstructions.slice(),
        };
        return {
          payload,
          metrics: { gibbsSteps },
          transfer: [payload.filters.buffer, payload.topFilters.buffer, payload.samples.buffer, payload.digits.buffer, payload.reconstructions.buffer],
        };
      },
      update(change) {
        if (change.hidden !== undefined && change.hidden !== params.hidden) return false;
        if (change.method !== undefined && change.method !== params.method) return false;
        if (change.k !== undefined && change.k !== params.k) return false;
        // Unstacking goes back to one fresh RBM; stacking is live (greedy: layer 1 freezes as it is).
        if (change.stacked === false && top) return false;
        if (change.stacked && !top) {
          const second = new RBM(params.hidden, params.hidden);
          top = { rbm: second, optimizer: rbmOptimizer(second, { lr: params.lr, momentum: MOMENTUM, weightDecay: WEIGHT_DECAY }), chains: params.method === "pcd" ? pcdStart(params.hidden) : null };
          restartChains();
          picturesAt = -Infinity;
        }
        if (change.lr !== undefined) {
          params.lr = change.lr;
          for (const group of [...optimizer.paramGroups, ...(top?.optimizer.paramGroups ?? [])]) group.lr = change.lr;
        }
        if (change.gibbsPerFrame !== undefined) gibbsPerFrame = params.gibbsPerFrame = change.gibbsPerFrame;
        if (change.chainRestarts !== undefined && change.chainRestarts !== params.chainRestarts) {
          params.chainRestarts = change.chainRestarts;
          restartChains();
        }
        return true;
      },
    };
  },
});
