import { zerosLike } from "../core/ops/creation.js";
import type { Tensor } from "../core/tensor.js";
import {
  type FloatArray, Optimizer, type ParamGroup, type Params, type StateSpec,
  checkBoolean, checkNonNegative, checkNumber, show,
} from "./optimizer.js";

/** SGD's hyperparameters (torch.optim.SGD's, camelCased). */
export interface SGDHyperparams {
  /** Learning rate γ; required (as in PyTorch 1.13), in the options or in every group. */
  lr: number;
  /** Momentum factor μ (default 0). */
  momentum: number;
  /** Dampening τ for momentum (default 0). */
  dampening: number;
  /** L2 penalty λ added to the gradient (default 0). */
  weightDecay: number;
  /** Nesterov momentum (default false; needs momentum > 0 and dampening 0). */
  nesterov: boolean;
  /** Maximize the objective instead of minimizing (default false). */
  maximize: boolean;
}
export type SGDOptions = Partial<SGDHyperparams>;

/** SGD's state: the momentum buffer, present once a step ran with momentum ≠ 0. */
export interface SGDState {
  momentumBuffer?: Tensor;
}

/**
 * One SGD step on one parameter, in place: torch.optim's single-tensor formula (1.13).
 *
 *     g ← ±∇           (− when maximize)
 *     g ← g + λθ       (if λ ≠ 0)
 *     b ← g                        on the first step with momentum (b is null: pass a fresh buffer and fresh = true)
 *     b ← μb + (1 − τ)g            afterwards
 *     g ← g + μb  (nesterov)  or  g ← b
 *     θ ← θ − γg
 *
 * @param buf the momentum buffer (ignored when momentum is 0).
 * @param fresh true when buf was just allocated and must be initialised to g.
 */
export function sgdUpdate(param: FloatArray, grad: FloatArray, buf: FloatArray | null, fresh: boolean, h: SGDHyperparams): void {
  const { lr, momentum, dampening, weightDecay, nesterov, maximize } = h;
  const useMomentum = momentum !== 0 && buf !== null;
  for (let i = 0; i < param.length; i++) {
    let d = maximize ? -grad[i] : grad[i];
    if (weightDecay !== 0) d += weightDecay * param[i];
    if (useMomentum) {
      const b = fresh ? d : momentum * buf[i] + (1 - dampening) * d;
      buf[i] = b;
      d = nesterov ? d + momentum * buf[i] : buf[i];
    }
    param[i] -= lr * d;
  }
}

const SGD_DEFAULTS: SGDOptions = { lr: undefined, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false };

/**
 * Stochastic gradient descent, optionally with momentum (PyTorch's torch.optim.SGD):
 *
 *     g_t = ∇f(θ_{t−1}) + λθ_{t−1}
 *     b_1 = g_1,  b_t = μ b_{t−1} + (1 − τ) g_t
 *     θ_t = θ_{t−1} − γ (g_t + μ b_t)   (nesterov)   or   θ_{t−1} − γ b_t
 *
 * Note PyTorch's form of momentum: the learning rate multiplies the buffer, not the gradient
 * inside it (unlike Sutskever et al.). With maximize, g_t starts from −∇f.
 *
 * @example
 * const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * opt.zeroGrad(); loss.backward(); opt.step();
 */
export class SGD extends Optimizer<SGDHyperparams, SGDState> {
  protected readonly stateSpec: StateSpec = { numbers: [], tensors: ["momentumBuffer"], required: [] };

  constructor(params: Params<SGDOptions>, options: SGDOptions = {}) {
    super("SGD", params, options, SGD_DEFAULTS);
  }

  protected validate(g: SGDOptions, at: string, complete: boolean): void {
    const n = this.name;
    if (g.lr !== undefined || complete) {
      if (g.lr === undefined) this.fail(`${at}lr is required (give it in the options or in every parameter group)`);
      checkNonNegative(n, `${at}lr`, g.lr);
    }
    checkNonNegative(n, `${at}momentum`, g.momentum);
    checkNumber(n, `${at}dampening`, g.dampening);
    checkNonNegative(n, `${at}weightDecay`, g.weightDecay);
    checkBoolean(n, `${at}nesterov`, g.nesterov);
    checkBoolean(n, `${at}maximize`, g.maximize);
    if (g.nesterov && (g.momentum! <= 0 || g.dampening !== 0)) {
      this.fail(`${at}nesterov requires momentum > 0 and dampening 0, got momentum ${show(g.momentum)} and dampening ${show(g.dampening)}`);
    }
  }

  protected initState(): SGDState {
    return {};
  }

  protected update(p: Tensor, grad: Tensor, state: SGDState, group: ParamGroup<SGDHyperparams>): void {
    let fresh = false;
    if (group.momentum !== 0 && state.momentumBuffer === undefined) {
      state.momentumBuffer = zerosLike(p);
      fresh = true;
    }
    const buf = group.momentum !== 0 ? (state.momentumBuffer!.data as FloatArray) : null;
    sgdUpdate(p.data as FloatArray, grad.data as FloatArray, buf, fresh, group);
  }
}
