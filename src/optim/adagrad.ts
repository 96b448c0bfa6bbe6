import { fullLike } from "../core/ops/creation.js";
import type { Tensor } from "../core/tensor.js";
import {
  type FloatArray, Optimizer, type ParamGroup, type Params, type StateSpec,
  checkBoolean, checkNonNegative,
} from "./optimizer.js";

/** Adagrad's hyperparameters (torch.optim.Adagrad's, camelCased). */
export interface AdagradHyperparams {
  /** Learning rate γ (default 1e-2). */
  lr: number;
  /** Learning-rate decay η: step t uses γ / (1 + (t − 1)η) (default 0). */
  lrDecay: number;
  /** L2 penalty λ added to the gradient (default 0). */
  weightDecay: number;
  /** Starting value of the sum of squared gradients (default 0). */
  initialAccumulatorValue: number;
  /** ε added to the denominator (default 1e-10). */
  eps: number;
  /** Maximize the objective instead of minimizing (default false). */
  maximize: boolean;
}
export type AdagradOptions = Partial<AdagradHyperparams>;

/** Adagrad's per-parameter state (torch's `step`, `sum`). */
export interface AdagradState {
  step: number;
  sum: Tensor;
}

/**
 * One Adagrad step on one parameter, in place: torch.optim's single-tensor formula (1.13).
 * `step` is the step number t ≥ 1 (already incremented).
 *
 *     g ← ±∇ + λθ
 *     γ_t = γ / (1 + (t − 1)η)
 *     s ← s + g²
 *     θ ← θ − γ_t g / (√s + ε)
 */
export function adagradUpdate(param: FloatArray, grad: FloatArray, sum: FloatArray, step: number, h: AdagradHyperparams): void {
  const { lr, lrDecay, weightDecay, eps, maximize } = h;
  const clr = lr / (1 + (step - 1) * lrDecay);
  for (let i = 0; i < param.length; i++) {
    let g = maximize ? -grad[i] : grad[i];
    if (weightDecay !== 0) g += weightDecay * param[i];
    sum[i] += g * g;
    param[i] -= (clr * g) / (Math.sqrt(sum[i]) + eps);
  }
}

const ADAGRAD_DEFAULTS: AdagradOptions = { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false };

/**
 * Adagrad (Duchi et al., 2011) as torch.optim.Adagrad:
 *
 *     g_t = ∇f(θ_{t−1}) + λθ_{t−1}
 *     γ_t = γ / (1 + (t − 1)η)
 *     s_t = s_{t−1} + g_t²          (s_0 = initialAccumulatorValue)
 *     θ_t = θ_{t−1} − γ_t g_t / (√s_t + ε)
 *
 * PyTorch creates Adagrad's state in the constructor; here it is created on a parameter's
 * first step, with the same values, so trajectories are identical (a stateDict taken before
 * any step has no entries).
 *
 * @example
 * const opt = new optim.Adagrad(model.parameters(), { lr: 0.1 });
 */
export class Adagrad extends Optimizer<AdagradHyperparams, AdagradState> {
  protected readonly stateSpec: StateSpec = { numbers: ["step"], tensors: ["sum"], required: ["step", "sum"] };

  constructor(params: Params<AdagradOptions>, options: AdagradOptions = {}) {
    super("Adagrad", params, options, ADAGRAD_DEFAULTS);
  }

  protected validate(g: AdagradOptions, at: string): void {
    const n = this.name;
    checkNonNegative(n, `${at}lr`, g.lr);
    checkNonNegative(n, `${at}lrDecay`, g.lrDecay);
    checkNonNegative(n, `${at}weightDecay`, g.weightDecay);
    checkNonNegative(n, `${at}initialAccumulatorValue`, g.initialAccumulatorValue);
    checkNonNegative(n, `${at}eps`, g.eps);
    checkBoolean(n, `${at}maximize`, g.maximize);
  }

  protected initState(p: Tensor, group: ParamGroup<AdagradHyperparams>): AdagradState {
    return { step: 0, sum: fullLike(p, group.initialAccumulatorValue) };
  }

  protected update(p: Tensor, grad: Tensor, s: AdagradState, group: ParamGroup<AdagradHyperparams>): void {
    s.step += 1;
    adagradUpdate(p.data as FloatArray, grad.data as FloatArray, s.sum.data as FloatArray, s.step, group);
  }
}
