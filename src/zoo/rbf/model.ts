/**
 * The radial basis function network (Broomhead & Lowe 1988; Moody & Darken 1989):
 *
 *     φₖ(x) = exp(−‖x − cₖ‖² / (2σₖ²))          k = 1 … K      centres c [K, d], widths σ [K]
 *     ŷ(x)  = W φ(x) + b                                       output: nn.Linear(K, outputs)
 *
 * Each hidden unit answers only near its centre: a local bump, where an MLP's tanh unit is a
 * global ridge. The classic recipe trains in stages: centres by k-means on the inputs (no
 * targets), widths by a rule from the distances between centres, and then the output layer,
 * which is linear in W and b, in closed form by least squares (linalg.ts). Everything is also
 * differentiable, so centres, widths and output can be trained (or refined) by gradient.
 *
 * Parameters: `centres` [K, d], `logWidths` [K] (σ = exp(logWidths) stays positive when learned),
 * `output.weight` [outputs, K], `output.bias` [outputs].
 */
import { noGrad } from "../../core/autograd.js";
import { tensor, zeros } from "../../core/ops/creation.js";
import { mm } from "../../core/ops/matmul.js";
import type { Tensor } from "../../core/tensor.js";
import { Linear } from "../../nn/linear.js";
import { Tanh } from "../../nn/activation.js";
import { Module, Sequential } from "../../nn/module.js";
import { squaredDistances } from "./kmeans.js";
import { ridgeLeastSquares } from "./linalg.js";

export type WidthRule = "nearest" | "global";

export class RBFNet extends Module {
  centres: Tensor;
  logWidths: Tensor;
  readonly output: Linear;

  constructor(readonly inputs: number, readonly units: number, readonly outputs: number) {
    super();
    this.centres = this.registerParameter("centres", zeros([units, inputs]));
    this.logWidths = this.registerParameter("logWidths", zeros([units]));
    this.output = this.registerModule("output", new Linear(units, outputs));
  }

  /** φ(x) [N, K] for x [N, d]; differentiable in the centres and widths. */
  features(x: Tensor): Tensor {
    const c = this.centres;
    const d2 = mm(x, c, false, true).mul(-2).add(x.square().sum(1, true)).add(c.square().sum(1)).clamp(0);
    const inv2var = this.logWidths.mul(-2).exp().mul(0.5); // 1 / (2σ²)
    return d2.mul(inv2var).neg().exp();
  }

  forward(x: Tensor): Tensor {
    return this.output.forward(this.features(x));
  }

  /** σ [K] as numbers. */
  widths(): Float32Array {
    return Float32Array.from(this.logWidths.data, Math.exp);
  }

  /** Sets the centres [K·d] and the widths [K] (numbers, e.g. from k-means and a width rule). */
  place(centres: Float32Array, widths: Float32Array): void {
    this.centres.data.set(centres);
    this.logWidths.data.set(widths.map(Math.log));
  }

  /**
   * Solves the output layer in closed form for inputs x [N, d] and targets y [N, outputs]:
   * ridge least squares on [φ(x), 1] with the bias unpenalised. Returns the training MSE.
   */
  solveOutput(x: Tensor, y: Tensor, lambda: number): number {
    return noGrad(() => {
      const phi = this.features(x);
      const N = phi.shape[0], K = this.units, m = this.outputs;
      const design = new Float64Array(N * (K + 1));
      const p = phi.data;
      for (let i = 0; i < N; i++) {
        for (let k = 0; k < K; k++) design[i * (K + 1) + k] = p[i * K + k];
        design[i * (K + 1) + K] = 1;
      }
      const w = ridgeLeastSquares(tensor(design, { shape: [N, K + 1] }), y, lambda, [K]); // [K + 1, m]
      const weight = this.output.weight.data, bias = this.output.bias!.data;
      for (let o = 0; o < m; o++) {
        for (let k = 0; k < K; k++) weight[o * K + k] = w[k * m + o];
        bias[o] = w[K * m + o];
      }
      return this.forward(x).sub(y).square().mean().item();
    });
  }
}

/**
 * Width rules from the centres [K, d]:
 * - "nearest": σₖ = the mean distance from cₖ to its p nearest other centres (Moody & Darken's
 *   p-nearest-neighbour heuristic, p = 2), so units overlap their neighbours;
 * - "global": one σ = d_max / √(2K) for all (Haykin), d_max the largest distance between centres.
 */
export function widthRule(rule: WidthRule, centres: Float32Array, K: number, d: number, p = 2): Float32Array {
  if (K === 1) return new Float32Array([1]);
  const d2 = squaredDistances(centres, K, centres, K, d);
  const widths = new Float32Array(K);
  if (rule === "global") {
    let max = 0;
    for (const v of d2) max = Math.max(max, v);
    return widths.fill(Math.max(Math.sqrt(max) / Math.sqrt(2 * K), 1e-3));
  }
  const q = Math.min(p, K - 1);
  for (let k = 0; k < K; k++) {
    const others = Array.from(d2.subarray(k * K, (k + 1) * K)).filter((_, j) => j !== k).sort((a, b) => a - b);
    let s = 0;
    for (let j = 0; j < q; j++) s += Math.sqrt(others[j]);
    widths[k] = Math.max(s / q, 1e-3);
  }
  return widths;
}

/** The two networks of a run: `rbf` and its same-size twin `mlp`. */
export class RBFPair extends Module {
  readonly rbf: RBFNet;
  readonly mlp: Sequential;
  readonly mlpHidden: number;
  constructor(inputs: number, units: number, outputs: number) {
    super();
    this.rbf = this.registerModule("rbf", new RBFNet(inputs, units, outputs));
    this.mlpHidden = mlpHiddenFor(countParams(this.rbf), inputs, outputs);
    this.mlp = this.registerModule("mlp", new Sequential(new Linear(inputs, this.mlpHidden), new Tanh(), new Linear(this.mlpHidden, outputs)));
  }

  forward(x: Tensor): Tensor {
    return this.rbf.forward(x);
  }
}

export function countParams(m: Module): number {
  return m.parameters().reduce((a, p) => a + p.numel(), 0);
}

/** Hidden units H of a one-hidden-layer MLP with about `params` parameters: H(d + 1 + o) + o. */
export function mlpHiddenFor(params: number, inputs: number, outputs: number): number {
  return Math.max(1, Math.round((params - outputs) / (inputs + 1 + outputs)));
}

