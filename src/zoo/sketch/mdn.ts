import type { Generator } from "../../core/random.js";
import type { Tensor } from "../../core/tensor.js";

/**
 * SketchRNN's output distribution (Ha & Eck 2017, §3.2–3.3). The decoder emits
 * y = [(π̂, μx, μy, σ̂x, σ̂y, ρ̂)×M, q̂₁, q̂₂, q̂₃] ∈ R^{6M+3} per step; the layout here is by
 * field, [π̂×M, μx×M, μy×M, σ̂x×M, σ̂y×M, ρ̂×M, q̂×3]:
 *
 *   π = softmax(π̂),  σ = exp(σ̂),  ρ = tanh(ρ̂),  q = softmax(q̂)
 *   p(Δx, Δy) = Σⱼ πⱼ N(Δx, Δy | μxⱼ, μyⱼ, σxⱼ, σyⱼ, ρⱼ)
 *   log N = −log(2π σx σy √(1−ρ²)) − Z / (2(1−ρ²)),
 *           Z = zx² + zy² − 2ρ zx zy,  zx = (Δx − μx)/σx,  zy = (Δy − μy)/σy
 *
 * Losses, over N_max steps (the paper divides both by N_max, not by the sketch's length):
 *
 *   L_s = −(1/N_max) Σ_{i ≤ N_s} log p(Δxᵢ, Δyᵢ)           offsets, only where the sketch has points
 *   L_p = −(1/N_max) Σ_{i ≤ N_max} Σₖ pₖ,ᵢ log qₖ,ᵢ          pen state, every step (so it learns to stop)
 *   L_R = L_s + L_p,  averaged over the batch.
 */
export interface MixtureParams {
  /** log πⱼ [batch, time, M] */
  logPi: Tensor;
  muX: Tensor;
  muY: Tensor;
  /** log σ (σ̂ itself) */
  logSigmaX: Tensor;
  logSigmaY: Tensor;
  rho: Tensor;
  /** log qₖ [batch, time, 3] */
  logQ: Tensor;
}

/** Splits the decoder's raw output [batch, time, 6M+3] into the mixture's parameters. */
export function mixtureParams(y: Tensor, M: number): MixtureParams {
  const [pi, muX, muY, sx, sy, rho, q] = y.split([M, M, M, M, M, M, 3], 2);
  return { logPi: pi.logSoftmax(2), muX, muY, logSigmaX: sx, logSigmaY: sy, rho: rho.tanh(), logQ: q.logSoftmax(2) };
}

/** log Σⱼ πⱼ N(Δx, Δy | …ⱼ) for targets dx, dy [batch, time] → [batch, time]. */
export function mixtureLogDensity(p: MixtureParams, dx: Tensor, dy: Tensor): Tensor {
  const zx = dx.unsqueeze(2).sub(p.muX).div(p.logSigmaX.exp());
  const zy = dy.unsqueeze(2).sub(p.muY).div(p.logSigmaY.exp());
  // 1 − ρ² is kept ≥ 1e-5: tanh rounds to ±1 in float32 for large ρ̂.
  const oneMinusRho2 = p.rho.square().neg().add(1).clamp(1e-5);
  const z = zx.square().add(zy.square()).sub(p.rho.mul(zx).mul(zy).mul(2));
  const logN = z
    .div(oneMinusRho2.mul(2))
    .neg()
    .sub(p.logSigmaX)
    .sub(p.logSigmaY)
    .sub(oneMinusRho2.log().mul(0.5))
    .sub(Math.log(2 * Math.PI));
  return p.logPi.add(logN).logsumexp(2);
}

/**
 * L_s and L_p for stroke-5 targets [batch, time, 5] (time = N_max) and a mask [batch, time]
 * that is 1 where the target is a point of the sketch (i ≤ N_s).
 */
export function reconstructionLoss(p: MixtureParams, target: Tensor, mask: Tensor): { offsets: Tensor; pen: Tensor } {
  const [B, T] = target.shape;
  const [dx, dy, pen] = target.split([1, 1, 3], 2);
  const logDensity = mixtureLogDensity(p, dx.squeeze(2), dy.squeeze(2));
  const offsets = logDensity.mul(mask).sum().neg().div(B * T);
  const penLoss = pen.mul(p.logQ).sum().neg().div(B * T);
  return { offsets, pen: penLoss };
}

/**
 * Draws one step from a row of raw decoder output (6M+3 numbers) at temperature τ (§3.4):
 * π̂/τ and q̂/τ before the softmax, σ² scaled by τ. Returns [Δx, Δy, p₁, p₂, p₃] (one-hot pen).
 */
export function sampleStep(y: ArrayLike<number>, M: number, temperature: number, g: Generator): [number, number, number, number, number] {
  const tau = Math.max(temperature, 1e-3);
  const at = (field: number, j: number) => y[field * M + j];
  const pick = (logits: number[]) => {
    const max = Math.max(...logits);
    const w = logits.map((l) => Math.exp((l - max) / tau));
    let r = g.random() * w.reduce((a, b) => a + b, 0);
    for (let k = 0; k < w.length; k++) if ((r -= w[k]) <= 0) return k;
    return w.length - 1;
  };
  const j = pick(Array.from({ length: M }, (_, k) => at(0, k)));
  const sx = Math.exp(at(3, j)) * Math.sqrt(tau);
  const sy = Math.exp(at(4, j)) * Math.sqrt(tau);
  const rho = Math.tanh(at(5, j));
  const [n1, n2] = [g.normal(), g.normal()];
  const dx = at(1, j) + sx * n1;
  const dy = at(2, j) + sy * (rho * n1 + Math.sqrt(Math.max(1 - rho * rho, 0)) * n2);
  const k = pick([y[6 * M], y[6 * M + 1], y[6 * M + 2]]);
  return [dx, dy, k === 0 ? 1 : 0, k === 1 ? 1 : 0, k === 2 ? 1 : 0];
}

/** The next point's distribution as plain numbers, at temperature τ (as sampleStep draws from it). */
export interface MixtureStep {
  /** πⱼ (softmax of π̂/τ), the Gaussians' means, standard deviations (σ·√τ) and correlations. */
  pi: number[];
  muX: number[];
  muY: number[];
  sigmaX: number[];
  sigmaY: number[];
  rho: number[];
  /** The pen state's probabilities (softmax of q̂/τ): down, lifted, end. */
  q: [number, number, number];
}

/** Reads one row of raw decoder output (6M+3 numbers) as the distribution sampleStep draws from at τ. */
export function mixtureStep(y: ArrayLike<number>, M: number, temperature: number): MixtureStep {
  const tau = Math.max(temperature, 1e-3);
  const field = (f: number) => Array.from({ length: M }, (_, j) => y[f * M + j]);
  const softmax = (logits: number[]) => {
    const max = Math.max(...logits);
    const w = logits.map((l) => Math.exp((l - max) / tau));
    const sum = w.reduce((a, b) => a + b, 0);
    return w.map((v) => v / sum);
  };
  const q = softmax([y[6 * M], y[6 * M + 1], y[6 * M + 2]]);
  return {
    pi: softmax(field(0)),
    muX: field(1),
    muY: field(2),
    sigmaX: field(3).map((s) => Math.exp(s) * Math.sqrt(tau)),
    sigmaY: field(4).map((s) => Math.exp(s) * Math.sqrt(tau)),
    rho: field(5).map(Math.tanh),
    q: [q[0], q[1], q[2]],
  };
}
