import { noGrad, record } from "../core/autograd.js";
import { isFloat } from "../core/dtype.js";
import { fail, fmtShape } from "../core/errors.js";
import { tensor } from "../core/ops/creation.js";
import { where } from "../core/ops/binary.js";
import type { Tensor } from "../core/tensor.js";
import { isTensor } from "./check.js";

/**
 * Loss functions with PyTorch's formulas, options and reductions (torch.nn.functional).
 * `reduction`: "mean" (default) averages, "sum" adds, "none" returns per-element losses.
 */
export type Reduction = "none" | "mean" | "sum";

function checkReduction(op: string, r: unknown): Reduction {
  const v = r ?? "mean";
  if (v !== "none" && v !== "mean" && v !== "sum") fail(op, `reduction must be "none", "mean" or "sum", got ${JSON.stringify(r)}`);
  return v;
}

function reduce(loss: Tensor, reduction: Reduction): Tensor {
  return reduction === "none" ? loss : reduction === "sum" ? loss.sum() : loss.mean();
}

function sameShape(op: string, input: Tensor, target: Tensor): void {
  if (input.ndim !== target.ndim || input.shape.some((s, i) => s !== target.shape[i])) {
    fail(op, `input ${fmtShape(input.shape)} and target ${fmtShape(target.shape)} must have the same shape`);
  }
}

function floatArg(op: string, arg: string, t: unknown): Tensor {
  const x = isTensor(op, arg, t);
  if (!isFloat(x.dtype)) fail(op, `${arg} must be a float tensor, got ${x.dtype}`);
  return x;
}

/** Options of the class-index losses (nllLoss, crossEntropy). */
export interface ClassLossOptions {
  /** A weight per class, [C]. */
  weight?: Tensor | null;
  /** Targets equal to this contribute nothing (default −100). */
  ignoreIndex?: number;
  reduction?: Reduction;
}

/**
 * Shared by nllLoss and crossEntropy: −w[y]·logp[n, y] per element (0 where ignored), the
 * per-element target weights, and the class dim's size. Input [N, C, d…] or [C]; target
 * int32 [N, d…] or [].
 */
function nllParts(op: string, logp: Tensor, target: Tensor, weight: Tensor | null, ignoreIndex: number): { loss: Tensor; w: Tensor; C: number; valid: Tensor } {
  const unbatched = logp.ndim === 1;
  const C = logp.shape[unbatched ? 0 : 1];
  const expected = unbatched ? [] : logp.shape.filter((_, i) => i !== 1);
  if (target.ndim !== expected.length || target.shape.some((s, i) => s !== expected[i])) {
    fail(op, `target must be ${fmtShape(expected)} (input ${fmtShape(logp.shape)} without its class dim), got ${fmtShape(target.shape)}`);
  }
  if (weight !== null && (weight.ndim !== 1 || weight.shape[0] !== C)) fail(op, `weight must be [${C}] (one per class), got ${fmtShape(weight.shape)}`);
  const t = target.data;
  const safe = new Int32Array(t.length);
  const valid = new Array<number>(t.length);
  for (let i = 0; i < t.length; i++) {
    if (t[i] === ignoreIndex) { safe[i] = 0; valid[i] = 0; continue; }
    if (t[i] < 0 || t[i] >= C) fail(op, `target ${t[i]} at flat position ${i} is out of range for ${C} classes (and is not ignoreIndex ${ignoreIndex})`);
    safe[i] = t[i];
    valid[i] = 1;
  }
  const idx = tensor(safe, { shape: target.shape });
  const validT = tensor(valid, { shape: target.shape, dtype: logp.dtype });
  const classDim = unbatched ? 0 : 1;
  const picked = logp.gather(classDim, idx.unsqueeze(classDim)).squeeze(classDim);
  const w = weight === null ? validT : weight.to(logp.dtype).indexSelect(0, idx.reshape([-1])).reshape(target.shape).mul(validT);
  return { loss: picked.mul(w).neg(), w, C, valid: validT };
}

function reduceWeighted(loss: Tensor, w: Tensor, reduction: Reduction): Tensor {
  return reduction === "none" ? loss : reduction === "sum" ? loss.sum() : loss.sum().div(w.sum());
}

/**
 * Negative log-likelihood of class indices: ℓ_n = −w[y_n]·input[n, y_n]; "mean" divides by
 * Σ w[y_n] over the targets not ignored (PyTorch's weighted mean).
 *
 * - input (log-probabilities) `[batch, classes]` or `[batch, classes, d1, …]`; target int32
 *   `[batch]` or `[batch, d1, …]`; options `{ weight, ignoreIndex = −100, reduction = "mean" }`
 * - output: a scalar, or `[batch, d1, …]` with reduction "none"
 *
 * ```ts
 * const loss = nn.functional.nllLoss(logits.logSoftmax(1), labels);
 * ```
 */
export function nllLoss(input: Tensor, target: Tensor, options: ClassLossOptions = {}): Tensor {
  const op = "nllLoss";
  floatArg(op, "input", input);
  isTensor(op, "target", target);
  if (target.dtype !== "int32") fail(op, `target must hold int32 class indices, got ${target.dtype}`);
  const { loss, w } = nllParts(op, input, target, options.weight ?? null, options.ignoreIndex ?? -100);
  return reduceWeighted(loss, w, checkReduction(op, options.reduction));
}

/** crossEntropy's options. */
export interface CrossEntropyOptions extends ClassLossOptions {
  /** ε: mix the target with the uniform distribution, (1 − ε)·target + ε/C (default 0). */
  labelSmoothing?: number;
}

/**
 * Cross-entropy of logits against class indices (or class probabilities), as
 * torch.nn.functional.cross_entropy:
 * ℓ_n = −w[y_n]·log softmax(x_n)[y_n], with label smoothing ε
 * ℓ = (1 − ε)·ℓ_nll + (ε/C)·Σ_c −w_c·log softmax(x_n)_c, ignored targets contributing 0.
 * "mean" divides by Σ w[y_n] over non-ignored targets (the count without weights). With
 * float probability targets (the input's shape), ℓ_n = −Σ_c w_c·p_c·log softmax(x_n)_c
 * and "mean" divides by the number of samples.
 *
 * - input logits `[batch, classes]`, `[batch, classes, d1, …]` or `[classes]`
 * - target int32 `[batch]` / `[batch, d1, …]` / `[]`, or float probabilities like input
 * - options `{ weight, ignoreIndex = −100, reduction = "mean", labelSmoothing = 0 }`
 * - output: a scalar, or `[batch, d1, …]` with reduction "none"
 *
 * ```ts
 * const loss = nn.functional.crossEntropy(logits.reshape([-1, 65]), targets.reshape([-1]));
 * ```
 */
export function crossEntropy(input: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor {
  const op = "crossEntropy";
  floatArg(op, "input", input);
  isTensor(op, "target", target);
  if (input.ndim === 0) fail(op, `input must be [batch, classes, ...] or [classes], got ${fmtShape(input.shape)}`);
  const reduction = checkReduction(op, options.reduction);
  const eps = options.labelSmoothing ?? 0;
  if (typeof eps !== "number" || !(eps >= 0 && eps <= 1)) fail(op, `labelSmoothing must be in [0, 1], got ${eps}`);
  const weight = options.weight ?? null;
  const classDim = input.ndim === 1 ? 0 : 1;
  const C = input.shape[classDim];
  if (weight !== null && (weight.ndim !== 1 || weight.shape[0] !== C)) fail(op, `weight must be [${C}] (one per class), got ${fmtShape(weight.shape)}`);
  const logp = input.logSoftmax(classDim);
  const wBroadcast = weight === null ? null : weight.to(input.dtype).reshape(input.shape.map((s, i) => (i === classDim ? s : 1)));

  if (isFloat(target.dtype)) {
    sameShape(op, input, target);
    let p = target.to(input.dtype);
    if (eps > 0) p = p.mul(1 - eps).add(eps / C);
    let prod = logp.mul(p);
    if (wBroadcast) prod = prod.mul(wBroadcast);
    const loss = prod.sum(classDim).neg();
    return reduction === "none" ? loss : reduction === "sum" ? loss.sum() : loss.sum().div(input.numel() / C);
  }
  if (target.dtype !== "int32") fail(op, `target must be int32 class indices or float probabilities, got ${target.dtype}`);
  const { loss: nll, w, valid } = nllParts(op, logp, target, weight, options.ignoreIndex ?? -100);
  const nllReduced = reduceWeighted(nll, w, reduction);
  if (eps === 0) return nllReduced;
  const smooth = (wBroadcast ? logp.mul(wBroadcast) : logp).sum(classDim).neg().mul(valid);
  const smoothReduced = reduction === "none" ? smooth : reduction === "sum" ? smooth.sum() : smooth.sum().div(w.sum());
  return nllReduced.mul(1 - eps).add(smoothReduced.mul(eps / C));
}

/** Options of the binary losses (bceWithLogits, binaryCrossEntropy). */
export interface BinaryLossOptions {
  /** Rescales each element's loss (broadcast to the input). */
  weight?: Tensor | null;
  reduction?: Reduction;
}

/**
 * Binary cross-entropy on logits, numerically stable (torch's binary_cross_entropy_with_logits):
 * ℓ = w·[(1 − y)·x + (1 + (p_w − 1)·y)·log(1 + e^{−x})], with log(1 + e^{−x}) = softplus(−x)
 * computed without overflow. posWeight p_w (one per class, broadcast over the last dim)
 * weighs the positive examples.
 *
 * - input logits and target (probabilities in [0, 1]) of the same shape `[batch, ...]`
 * - options `{ weight, posWeight, reduction = "mean" }`
 * - output: a scalar, or the input's shape with reduction "none"
 *
 * ```ts
 * const dLoss = nn.functional.bceWithLogits(D.forward(real), onesLike(realScores));
 * ```
 */
export function bceWithLogits(input: Tensor, target: Tensor, options: BinaryLossOptions & { posWeight?: Tensor | null } = {}): Tensor {
  const op = "bceWithLogits";
  floatArg(op, "input", input);
  floatArg(op, "target", target);
  sameShape(op, input, target);
  const reduction = checkReduction(op, options.reduction);
  const y = target.to(input.dtype);
  const logSigmoidNeg = input.neg().softplus(); // log(1 + e^{−x})
  const logWeight = options.posWeight ? options.posWeight.to(input.dtype).sub(1).mul(y).add(1) : null;
  let loss = y.neg().add(1).mul(input).add(logWeight ? logWeight.mul(logSigmoidNeg) : logSigmoidNeg);
  if (options.weight) loss = loss.mul(options.weight);
  return reduce(loss, reduction);
}

/**
 * Binary cross-entropy on probabilities: ℓ = −w·[y·log p + (1 − y)·log(1 − p)], each log
 * clamped at −100 as PyTorch does (so p = 0 or 1 gives a finite loss); its gradient is
 * PyTorch's (p − y)/max(p(1 − p), 1e−12). Prefer bceWithLogits on logits.
 *
 * - input p and target y of the same shape; options `{ weight, reduction = "mean" }`
 * - output: a scalar, or the input's shape with reduction "none"
 *
 * ```ts
 * const loss = nn.functional.binaryCrossEntropy(decoder.forward(z).sigmoid(), images);
 * ```
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, options: BinaryLossOptions = {}): Tensor {
  const op = "binaryCrossEntropy";
  floatArg(op, "input", input);
  floatArg(op, "target", target);
  sameShape(op, input, target);
  const reduction = checkReduction(op, options.reduction);
  const p = input, y = target.to(input.dtype);
  const [logP, log1mP, out] = noGrad(() => {
    const lp = p.log().clamp(-100), l1p = p.neg().add(1).log().clamp(-100);
    return [lp, l1p, y.mul(lp).add(y.neg().add(1).mul(l1p)).neg()];
  });
  let loss = record("binaryCrossEntropy", out, [p, y], (g) => [
    p.requiresGrad ? g.mul(p.sub(y)).div(p.neg().add(1).mul(p).clamp(1e-12)) : null,
    y.requiresGrad ? g.mul(log1mP.sub(logP)) : null,
  ]);
  if (options.weight) loss = loss.mul(options.weight);
  return reduce(loss, reduction);
}

function regressionArgs(op: string, input: Tensor, target: Tensor): Tensor {
  floatArg(op, "input", input);
  floatArg(op, "target", target);
  sameShape(op, input, target);
  return input.sub(target);
}

/**
 * Mean squared error: ℓ = (x − y)².
 *
 * - input and target of the same shape; options `{ reduction = "mean" }`
 *
 * ```ts
 * const loss = nn.functional.mse(model.forward(x), y);
 * ```
 */
export function mse(input: Tensor, target: Tensor, options: { reduction?: Reduction } = {}): Tensor {
  return reduce(regressionArgs("mse", input, target).square(), checkReduction("mse", options.reduction));
}

/**
 * Mean absolute error: ℓ = |x − y|.
 *
 * - input and target of the same shape; options `{ reduction = "mean" }`
 *
 * ```ts
 * const loss = nn.functional.l1(recon, images);
 * ```
 */
export function l1(input: Tensor, target: Tensor, options: { reduction?: Reduction } = {}): Tensor {
  return reduce(regressionArgs("l1", input, target).abs(), checkReduction("l1", options.reduction));
}

/**
 * Smooth L1: ℓ = 0.5·d²/β where |d| < β, |d| − 0.5·β elsewhere (d = x − y; β = 0 is L1).
 *
 * - input and target of the same shape; options `{ beta = 1, reduction = "mean" }`
 *
 * ```ts
 * const loss = nn.functional.smoothL1(pred, target, { beta: 0.5 });
 * ```
 */
export function smoothL1(input: Tensor, target: Tensor, options: { beta?: number; reduction?: Reduction } = {}): Tensor {
  const d = regressionArgs("smoothL1", input, target);
  const beta = options.beta ?? 1;
  if (typeof beta !== "number" || !(beta >= 0)) fail("smoothL1", `beta must be a non-negative number, got ${beta}`);
  const loss = beta === 0 ? absWithTies(input, target, d) : where(d.abs().lt(beta), d.square().mul(0.5 / beta), d.abs().sub(0.5 * beta));
  return reduce(loss, checkReduction("smoothL1", options.reduction));
}

/**
 * |x − y| with PyTorch's smooth-L1 subgradient at β = 0: where x = y both x and y get −1
 * (its kernel's d ≤ −β branch, applied to x − y and to y − x).
 */
function absWithTies(x: Tensor, y: Tensor, d: Tensor): Tensor {
  const out = noGrad(() => d.abs());
  const slope = (a: Tensor) => a.le(0).mul(-2).add(1); // −1 where a ≤ 0, else 1
  return record("smoothL1", out, [x, y], (g) => [
    x.requiresGrad ? g.mul(slope(d)) : null,
    y.requiresGrad ? g.mul(slope(d.neg())) : null,
  ]);
}

/**
 * Huber: ℓ = 0.5·d² where |d| < δ, δ·(|d| − 0.5·δ) elsewhere (= δ·smoothL1 with β = δ).
 *
 * - input and target of the same shape; options `{ delta = 1, reduction = "mean" }`
 *
 * ```ts
 * const loss = nn.functional.huber(pred, target);
 * ```
 */
export function huber(input: Tensor, target: Tensor, options: { delta?: number; reduction?: Reduction } = {}): Tensor {
  const d = regressionArgs("huber", input, target);
  const delta = options.delta ?? 1;
  if (typeof delta !== "number" || !(delta > 0)) fail("huber", `delta must be a positive number, got ${delta}`);
  const ad = d.abs();
  const loss = where(ad.lt(delta), d.square().mul(0.5), ad.sub(0.5 * delta).mul(delta));
  return reduce(loss, checkReduction("huber", options.reduction));
}

/** PyTorch's name for mse. */
export const mseLoss = mse;
/** PyTorch's name for l1. */
export const l1Loss = l1;
/** PyTorch's name for smoothL1. */
export const smoothL1Loss = smoothL1;
/** PyTorch's name for huber. */
export const huberLoss = huber;

/**
 * KL divergence of a diagonal Gaussian from the standard normal, the VAE regulariser:
 * KL(N(μ, e^{logvar}) ‖ N(0, I)) = −½·Σ_j (1 + logvar_j − μ_j² − e^{logvar_j}), summed over
 * each sample's latent dims. Reduction: "mean" (default) averages the per-sample sums over
 * the batch (not over latent dims), "sum" adds everything, "none" gives one value per sample.
 *
 * - mu, logvar `[batch, latent]` (or `[batch, ...]`); output a scalar or `[batch]`
 *
 * ```ts
 * const [mu, logvar] = encoder.forward(x);
 * const loss = nn.functional.mse(recon, x, { reduction: "sum" }).div(batch)
 *   .add(nn.functional.klDivergence(mu, logvar));
 * ```
 */
export function klDivergence(mu: Tensor, logvar: Tensor, options: { reduction?: Reduction } = {}): Tensor {
  const op = "klDivergence";
  floatArg(op, "mu", mu);
  floatArg(op, "logvar", logvar);
  if (mu.ndim !== logvar.ndim || mu.shape.some((s, i) => s !== logvar.shape[i])) fail(op, `mu ${fmtShape(mu.shape)} and logvar ${fmtShape(logvar.shape)} must have the same shape`);
  if (mu.ndim < 1) fail(op, `mu must be [batch, latent], got ${fmtShape(mu.shape)}`);
  const reduction = checkReduction(op, options.reduction);
  const terms = logvar.add(1).sub(mu.square()).sub(logvar.exp()).mul(-0.5);
  const perSample = mu.ndim === 1 ? terms : terms.sum(mu.shape.map((_, i) => i).slice(1));
  return reduction === "none" ? perSample : reduction === "sum" ? perSample.sum() : perSample.mean();
}

/**
 * torch.nn.functional.kl_div: input holds log-probabilities, target probabilities (or
 * log-probabilities with logTarget): ℓ = y·(log y − x), 0 where y = 0. Reduction
 * "batchmean" (Σ/batch) is the true KL divergence; "mean" divides by every element.
 *
 * - input, target of the same shape `[batch, classes]`; options `{ reduction = "mean", logTarget = false }`
 *
 * ```ts
 * const loss = nn.functional.klDiv(student.logSoftmax(1), teacher.softmax(1), { reduction: "batchmean" });
 * ```
 */
export function klDiv(input: Tensor, target: Tensor, options: { reduction?: Reduction | "batchmean"; logTarget?: boolean } = {}): Tensor {
  const op = "klDiv";
  floatArg(op, "input", input);
  floatArg(op, "target", target);
  sameShape(op, input, target);
  const r = options.reduction ?? "mean";
  const y = target.to(input.dtype);
  const loss = options.logTarget
    ? y.exp().mul(y.sub(input))
    : where(y.gt(0), y.mul(where(y.gt(0), y, 1).log().sub(input)), 0);
  if (r === "batchmean") return input.ndim === 0 ? loss.sum() : loss.sum().div(input.shape[0]);
  return reduce(loss, checkReduction(op, r));
}
