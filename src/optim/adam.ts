import { zerosLike } from "../core/ops/creation.js";
import type { Tensor } from "../core/tensor.js";
import { getBackend } from "../kernels/registry.js";
import {
  type FloatArray, Optimizer, type ParamGroup, type Params, type StateSpec,
  checkBoolean, checkInRange, checkNonNegative, show,
} from "./optimizer.js";

/** Adam's and AdamW's hyperparameters (torch.optim.Adam's, camelCased). */
export interface AdamHyperparams {
  /** Learning rate γ (default 1e-3). */
  lr: number;
  /** Decay rates (β1, β2) of the first and second moment estimates (default [0.9, 0.999]). */
  betas: [number, number];
  /** ε added to the denominator (default 1e-8). */
  eps: number;
  /** Weight decay λ: an L2 term in the gradient for Adam (default 0), decoupled for AdamW (default 0.01). */
  weightDecay: number;
  /** Use the maximum of past second moments (AMSGrad) (default false). */
  amsgrad: boolean;
  /** Maximize the objective instead of minimizing (default false). */
  maximize: boolean;
}
export type AdamOptions = Partial<AdamHyperparams>;

/** Adam's per-parameter state (torch's `step`, `exp_avg`, `exp_avg_sq`, `max_exp_avg_sq`). */
export interface AdamState {
  step: number;
  expAvg: Tensor;
  expAvgSq: Tensor;
  /** Present when amsgrad is on. */
  maxExpAvgSq?: Tensor;
}

/**
 * One Adam/AdamW step on one parameter, in place: torch.optim's single-tensor formulas (1.13).
 * `step` is the step number t ≥ 1 (already incremented).
 *
 *     g ← ±∇                              (− when maximize)
 *     θ ← θ(1 − γλ)                       (decoupled, AdamW)   or   g ← g + λθ   (Adam, if λ ≠ 0)
 *     m ← β1·m + (1 − β1)·g
 *     v ← β2·v + (1 − β2)·g²
 *     u ← max(u, v) and use u for v below  (amsgrad; u is the maxExpAvgSq buffer)
 *     θ ← θ − (γ / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε)
 */
export function adamUpdate(
  param: FloatArray, grad: FloatArray, expAvg: FloatArray, expAvgSq: FloatArray, maxExpAvgSq: FloatArray | null,
  step: number, h: AdamHyperparams, decoupled: boolean,
): void {
  const { lr, eps, weightDecay, amsgrad, maximize } = h;
  const [beta1, beta2] = h.betas;
  const stepSize = lr / (1 - beta1 ** step);
  const bc2Sqrt = Math.sqrt(1 - beta2 ** step);
  // The decay multiplies the whole parameter, so its rounding matters: PyTorch casts the
  // scalar to the tensor's dtype (float32 for float32 parameters) before multiplying.
  const decay = param instanceof Float32Array ? Math.fround(1 - lr * weightDecay) : 1 - lr * weightDecay;
  // A backend may run the same update as one kernel (wasm: four-wide float32); this loop is the reference.
  const fused = getBackend().adamStep?.({
    param, grad, expAvg, expAvgSq, maxExpAvgSq: amsgrad ? maxExpAvgSq : null, beta1, beta2, eps,
    weightDecay: decoupled ? 0 : weightDecay, decay: decoupled ? decay : 1, stepSize, bc2Sqrt, maximize,
  });
  if (fused) return;
  for (let i = 0; i < param.length; i++) {
    let g = maximize ? -grad[i] : grad[i];
    if (decoupled) param[i] *= decay;
    else if (weightDecay !== 0) g += weightDecay * param[i];
    expAvg[i] = beta1 * expAvg[i] + (1 - beta1) * g;
    expAvgSq[i] = beta2 * expAvgSq[i] + (1 - beta2) * g * g;
    let v = expAvgSq[i];
    if (amsgrad) {
      maxExpAvgSq![i] = Math.max(maxExpAvgSq![i], v);
      v = maxExpAvgSq![i];
    }
    param[i] -= (stepSize * expAvg[i]) / (Math.sqrt(v) / bc2Sqrt + eps);
  }
}

const ADAM_DEFAULTS: AdamOptions = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false };
const ADAM_STATE: StateSpec = { numbers: ["step"], tensors: ["expAvg", "expAvgSq", "maxExpAvgSq"], required: ["step", "expAvg", "expAvgSq"] };

/** Adam and AdamW differ only in their name, default weight decay and where the decay acts. */
abstract class AdamBase extends Optimizer<AdamHyperparams, AdamState> {
  protected readonly stateSpec = ADAM_STATE;
  protected abstract readonly decoupled: boolean;

  protected validate(g: AdamOptions, at: string): void {
    const n = this.name;
    checkNonNegative(n, `${at}lr`, g.lr);
    if (!Array.isArray(g.betas) || g.betas.length !== 2) this.fail(`${at}betas must be a pair [beta1, beta2], got ${show(g.betas)}`);
    checkInRange(n, `${at}betas[0]`, g.betas[0], 0, 1);
    checkInRange(n, `${at}betas[1]`, g.betas[1], 0, 1);
    checkNonNegative(n, `${at}eps`, g.eps);
    checkNonNegative(n, `${at}weightDecay`, g.weightDecay);
    checkBoolean(n, `${at}amsgrad`, g.amsgrad);
    checkBoolean(n, `${at}maximize`, g.maximize);
  }

  protected initState(p: Tensor, group: ParamGroup<AdamHyperparams>): AdamState {
    const s: AdamState = { step: 0, expAvg: zerosLike(p), expAvgSq: zerosLike(p) };
    if (group.amsgrad) s.maxExpAvgSq = zerosLike(p);
    return s;
  }

  protected update(p: Tensor, grad: Tensor, s: AdamState, group: ParamGroup<AdamHyperparams>): void {
    if (group.amsgrad && s.maxExpAvgSq === undefined) s.maxExpAvgSq = zerosLike(p); // amsgrad switched on later
    s.step += 1;
    const max = group.amsgrad ? (s.maxExpAvgSq!.data as FloatArray) : null;
    adamUpdate(p.data as FloatArray, grad.data as FloatArray, s.expAvg.data as FloatArray, s.expAvgSq.data as FloatArray, max, s.step, group, this.decoupled);
  }
}

/**
 * Adam (Kingma & Ba, 2015) as torch.optim.Adam, with weight decay as an L2 term in the gradient:
 *
 *     g_t = ∇f(θ_{t−1}) + λθ_{t−1}
 *     m_t = β1 m_{t−1} + (1 − β1) g_t
 *     v_t = β2 v_{t−1} + (1 − β2) g_t²
 *     θ_t = θ_{t−1} − γ/(1 − β1ᵗ) · m_t / (√(v_t/(1 − β2ᵗ)) + ε)
 *
 * with amsgrad, v_t is replaced by max(v_1 … v_t). State per parameter: step, expAvg (m),
 * expAvgSq (v), maxExpAvgSq.
 *
 * @example
 * const opt = new optim.Adam(model.parameters(), { lr: 1e-3, betas: [0.9, 0.999] });
 * opt.zeroGrad(); loss.backward(); opt.step();
 */
export class Adam extends AdamBase {
  protected readonly decoupled = false;

  constructor(params: Params<AdamOptions>, options: AdamOptions = {}) {
    super("Adam", params, options, ADAM_DEFAULTS);
  }
}

/**
 * AdamW (Loshchilov & Hutter, 2019) as torch.optim.AdamW: Adam with decoupled weight decay
 * (default λ = 0.01, as PyTorch):
 *
 *     θ ← θ_{t−1}(1 − γλ)
 *     m_t = β1 m_{t−1} + (1 − β1) g_t,   v_t = β2 v_{t−1} + (1 − β2) g_t²
 *     θ_t = θ − γ/(1 − β1ᵗ) · m_t / (√(v_t/(1 − β2ᵗ)) + ε)
 *
 * @example
 * const opt = new optim.AdamW(model.parameters(), { lr: 5e-4, weightDecay: 0.01 });
 */
export class AdamW extends AdamBase {
  protected readonly decoupled = true;

  constructor(params: Params<AdamOptions>, options: AdamOptions = {}) {
    super("AdamW", params, options, { ...ADAM_DEFAULTS, weightDecay: 1e-2 });
  }
}
