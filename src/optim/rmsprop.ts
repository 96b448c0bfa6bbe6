import { zerosLike } from "../core/ops/creation.js";
import type { Tensor } from "../core/tensor.js";
import {
  type FloatArray, Optimizer, type ParamGroup, type Params, type StateSpec,
  checkBoolean, checkInRange, checkNonNegative,
} from "./optimizer.js";

/** RMSprop's hyperparameters (torch.optim.RMSprop's, camelCased). */
export interface RMSpropHyperparams {
  /** Learning rate γ (default 1e-2). */
  lr: number;
  /** Smoothing constant α of the squared-gradient average, in [0, 1] (default 0.99). */
  alpha: number;
  /** ε added to the denominator (default 1e-8). */
  eps: number;
  /** L2 penalty λ added to the gradient (default 0). */
  weightDecay: number;
  /** Momentum factor μ (default 0). */
  momentum: number;
  /** Normalise by the estimated variance of the gradient instead of its second moment (default false). */
  centered: boolean;
  /** Maximize the objective instead of minimizing (default false). */
  maximize: boolean;
}
export type RMSpropOptions = Partial<RMSpropHyperparams>;

/** RMSprop's per-parameter state (torch's `step`, `square_avg`, `momentum_buffer`, `grad_avg`). */
export interface RMSpropState {
  step: number;
  squareAvg: Tensor;
  /** Present when momentum > 0. */
  momentumBuffer?: Tensor;
  /** Present when centered. */
  gradAvg?: Tensor;
}

/**
 * One RMSprop step on one parameter, in place: torch.optim's single-tensor formula (1.13).
 *
 *     g ← ±∇ + λθ
 *     s ← αs + (1 − α)g²
 *     a ← αa + (1 − α)g,  d ← √(s − a²) + ε      (centered)   or   d ← √s + ε
 *     b ← μb + g/d,  θ ← θ − γb                  (μ > 0)      or   θ ← θ − γ g/d
 */
export function rmspropUpdate(
  param: FloatArray, grad: FloatArray, squareAvg: FloatArray, gradAvg: FloatArray | null, momentumBuffer: FloatArray | null,
  h: RMSpropHyperparams,
): void {
  const { lr, alpha, eps, weightDecay, momentum, maximize } = h;
  for (let i = 0; i < param.length; i++) {
    let g = maximize ? -grad[i] : grad[i];
    if (weightDecay !== 0) g += weightDecay * param[i];
    squareAvg[i] = alpha * squareAvg[i] + (1 - alpha) * g * g;
    let avg: number;
    if (gradAvg !== null) {
      gradAvg[i] = alpha * gradAvg[i] + (1 - alpha) * g;
      avg = Math.sqrt(squareAvg[i] - gradAvg[i] * gradAvg[i]) + eps;
    } else {
      avg = Math.sqrt(squareAvg[i]) + eps;
    }
    if (momentumBuffer !== null) {
      momentumBuffer[i] = momentum * momentumBuffer[i] + g / avg;
      param[i] -= lr * momentumBuffer[i];
    } else {
      param[i] -= (lr * g) / avg;
    }
  }
}

const RMSPROP_DEFAULTS: RMSpropOptions = { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false };

/**
 * RMSprop (Hinton's lecture 6e; Graves 2013 for the centered form) as torch.optim.RMSprop:
 *
 *     g_t = ∇f(θ_{t−1}) + λθ_{t−1}
 *     v_t = α v_{t−1} + (1 − α) g_t²
 *     centered:  ḡ_t = α ḡ_{t−1} + (1 − α) g_t,  ṽ_t = v_t − ḡ_t²   (else ṽ_t = v_t)
 *     b_t = μ b_{t−1} + g_t / (√ṽ_t + ε),  θ_t = θ_{t−1} − γ b_t     (μ > 0)
 *     θ_t = θ_{t−1} − γ g_t / (√ṽ_t + ε)                              (μ = 0)
 *
 * @example
 * const opt = new optim.RMSprop(model.parameters(), { lr: 1e-3, alpha: 0.9 });
 */
export class RMSprop extends Optimizer<RMSpropHyperparams, RMSpropState> {
  protected readonly stateSpec: StateSpec = {
    numbers: ["step"], tensors: ["squareAvg", "momentumBuffer", "gradAvg"], required: ["step", "squareAvg"],
  };

  constructor(params: Params<RMSpropOptions>, options: RMSpropOptions = {}) {
    super("RMSprop", params, options, RMSPROP_DEFAULTS);
  }

  protected validate(g: RMSpropOptions, at: string): void {
    const n = this.name;
    checkNonNegative(n, `${at}lr`, g.lr);
    checkInRange(n, `${at}alpha`, g.alpha, 0, 1, true);
    checkNonNegative(n, `${at}eps`, g.eps);
    checkNonNegative(n, `${at}weightDecay`, g.weightDecay);
    checkNonNegative(n, `${at}momentum`, g.momentum);
    checkBoolean(n, `${at}centered`, g.centered);
    checkBoolean(n, `${at}maximize`, g.maximize);
  }

  protected initState(p: Tensor): RMSpropState {
    return { step: 0, squareAvg: zerosLike(p) };
  }

  protected update(p: Tensor, grad: Tensor, s: RMSpropState, group: ParamGroup<RMSpropHyperparams>): void {
    // Buffers appear when their option is first on (PyTorch creates them with the state).
    if (group.momentum > 0 && s.momentumBuffer === undefined) s.momentumBuffer = zerosLike(p);
    if (group.centered && s.gradAvg === undefined) s.gradAvg = zerosLike(p);
    s.step += 1;
    rmspropUpdate(
      p.data as FloatArray, grad.data as FloatArray, s.squareAvg.data as FloatArray,
      group.centered ? (s.gradAvg!.data as FloatArray) : null,
      group.momentum > 0 ? (s.momentumBuffer!.data as FloatArray) : null,
      group,
    );
  }
}
