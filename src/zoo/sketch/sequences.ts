import { noGrad } from "../../core/autograd.js";
import { tensor } from "../../core/ops/creation.js";
import type { Generator } from "../../core/random.js";
import type { Tensor } from "../../core/tensor.js";
import { mixtureParams, reconstructionLoss, sampleStep } from "./mdn.js";
import { klLoss, type SketchRNN } from "./model.js";
import { type Stroke3, stroke3ToStroke5 } from "./strokes.js";

/**
 * SketchRNN's batches, losses and sampling, free of Node imports so the CLI (task.ts) and the
 * Lab's sketch page (a browser worker) run the same code.
 */
export interface SketchExample {
  label: string;
  /** Normalised stroke-3 (offsets divided by the training set's offset std). */
  sketch: Stroke3;
}

/** The decoder's first input S₀: pen down at the origin. */
export const S0 = [0, 0, 1, 0, 0];

/** A batch as tensors: encoder input S₁…S_Nmax, decoder input S₀…S_Nmax−1, targets S₁…S_Nmax, lengths and the offset mask. */
export function batchTensors(examples: readonly SketchExample[], maxLen: number) {
  const B = examples.length;
  const strokes = new Float32Array(B * maxLen * 5);
  const inputs = new Float32Array(B * maxLen * 5);
  const mask = new Float32Array(B * maxLen);
  const lengths = examples.map((e) => e.sketch.length);
  examples.forEach((e, b) => {
    const s5 = stroke3ToStroke5(e.sketch, maxLen);
    s5.forEach((row, t) => {
      strokes.set(row, (b * maxLen + t) * 5);
      if (t + 1 < maxLen) inputs.set(row, (b * maxLen + t + 1) * 5);
      if (t < e.sketch.length) mask[b * maxLen + t] = 1;
    });
    inputs.set(S0, b * maxLen * 5);
  });
  return {
    strokes: tensor(strokes, { shape: [B, maxLen, 5] }),
    inputs: tensor(inputs, { shape: [B, maxLen, 5] }),
    mask: tensor(mask, { shape: [B, maxLen] }),
    lengths,
  };
}

/** L_s, L_p and L_KL of a batch; z sampled (training) or μ (evaluation). */
export function sketchLosses(model: SketchRNN, examples: readonly SketchExample[], maxLen: number, sampleZ: boolean) {
  const { strokes, inputs, mask, lengths } = batchTensors(examples, maxLen);
  const { y, mu, presig } = model.forward(strokes, lengths, inputs, sampleZ);
  const { offsets, pen } = reconstructionLoss(mixtureParams(y, model.mixtures), strokes, mask);
  return { offsets, pen, kl: klLoss(mu, presig) };
}

/** The KL term's weight w_KL, floor KL_min and annealing η_step = 1 − (1 − η_min) · R^step (§3.3). */
export interface KLSchedule {
  weight: number;
  min: number;
  decay: number;
  etaMin: number;
}

/**
 * The training loss of a batch (§3.3), z sampled:  L = L_R + w_KL · η_step · max(L_KL, KL_min).
 * Also returns its parts as numbers: reconNll = L_R = L_s + L_p, kl = L_KL, eta = η_step.
 */
export function sketchObjective(model: SketchRNN, examples: readonly SketchExample[], maxLen: number, kl: KLSchedule, step: number) {
  const parts = sketchLosses(model, examples, maxLen, true);
  const eta = 1 - (1 - kl.etaMin) * kl.decay ** step;
  const klValue = parts.kl.item();
  // max(L_KL, KL_min): below the floor the KL term is a constant (no gradient pushes z towards the prior).
  const klTerm = klValue < kl.min ? tensor(kl.min) : parts.kl;
  const loss = parts.offsets.add(parts.pen).add(klTerm.mul(kl.weight * eta));
  return { loss, reconNll: parts.offsets.item() + parts.pen.item(), offsetNll: parts.offsets.item(), penNll: parts.pen.item(), kl: klValue, eta };
}

/**
 * Continues B drawings in parallel: the decoder reads S₀ and the `prefix` rows (stroke-5) given
 * z [B, Nz], then samples until each draws p₃ (end) or `maxSteps`. Returns the sampled stroke-3.
 */
export function continueSketches(model: SketchRNN, z: Tensor, prefix: readonly number[][], maxSteps: number, temperature: number, g: Generator): Stroke3[] {
  return noGrad(() => {
    const B = z.shape[0];
    const M = model.mixtures;
    const rows = [S0, ...prefix];
    const first = new Float32Array(B * rows.length * 5);
    for (let b = 0; b < B; b++) rows.forEach((r, t) => first.set(r, (b * rows.length + t) * 5));
    let [y, state] = model.decode(tensor(first, { shape: [B, rows.length, 5] }), z, model.initialState(z));
    let last = rows.length - 1;
    const out: Stroke3[] = Array.from({ length: B }, () => []);
    const done = new Array(B).fill(false);
    for (let step = 0; step < maxSteps && done.includes(false); step++) {
      const W = 6 * M + 3;
      const next = new Float32Array(B * 5);
      for (let b = 0; b < B; b++) {
        const row = sampleStep(y.data.subarray((b * (last + 1) + last) * W, (b * (last + 1) + last + 1) * W), M, temperature, g);
        next.set(row, b * 5);
        if (done[b]) continue;
        if (row[4] === 1) done[b] = true;
        else out[b].push([row[0], row[1], row[3]]);
      }
      [y, state] = model.decode(tensor(next, { shape: [B, 1, 5] }), z, state);
      last = 0;
    }
    return out;
  });
}

/** The encoder's μ for each example [B, Nz] (sequences padded to maxLen, or longer if an example is). */
export function encodeMu(model: SketchRNN, examples: readonly SketchExample[], maxLen: number): Tensor {
  return noGrad(() => {
    const { strokes, lengths } = batchTensors(examples, Math.max(maxLen, ...examples.map((e) => e.sketch.length)));
    return model.encode(strokes, lengths).mu;
  });
}

/**
 * Finishes a partial drawing (normalised stroke-3), as `nnzoo predict sketch` does: z is the
 * encoder's μ of the partial drawing unless one is given (e.g. a class's example), the decoder
 * reads the partial drawing as its prefix, then samples the rest. Returns one ending per row of z.
 */
export function completeSketch(model: SketchRNN, partial: Stroke3, maxSteps: number, temperature: number, g: Generator, z?: Tensor): Stroke3[] {
  const zz = z ?? encodeMu(model, [{ label: "", sketch: partial }], partial.length);
  const prefix = stroke3ToStroke5(partial).map((r) => [...r]);
  return continueSketches(model, zz, prefix, maxSteps, temperature, g);
}

/**
 * The decoder's raw output (6M+3 numbers, see mdn.ts) for the point after a partial drawing:
 * where, given z [1, Nz] (default: the encoder's μ of the drawing), the model puts the next
 * point — the distribution the first step of completeSketch samples from.
 */
export function nextPointOutput(model: SketchRNN, partial: Stroke3, z?: Tensor): number[] {
  return noGrad(() => {
    const zz = z ?? encodeMu(model, [{ label: "", sketch: partial }], partial.length);
    const rows = [S0, ...stroke3ToStroke5(partial)];
    const [y] = model.decode(tensor(Float32Array.from(rows.flat()), { shape: [1, rows.length, 5] }), zz, model.initialState(zz));
    const W = 6 * model.mixtures + 3;
    return Array.from(y.data.subarray((rows.length - 1) * W, rows.length * W));
  });
}
