import { fail } from "../core/errors.js";
import type { Tensor } from "../core/tensor.js";
import { finiteNumber, isTensor } from "./check.js";
import { Module } from "./module.js";

/**
 * Element-wise activations as modules (the functions live on Tensor and in nn.functional).
 * Every one maps input `[...]` to output `[...]` of the same shape.
 */

/**
 * relu(x) = max(0, x).
 *
 * ```ts
 * const mlp = new nn.Sequential(new nn.Linear(784, 256), new nn.ReLU(), new nn.Linear(256, 10));
 * ```
 */
export class ReLU extends Module {
  forward(input: Tensor): Tensor {
    return isTensor("ReLU", "input", input).relu();
  }
}

/**
 * leakyRelu(x) = max(0, x) + negativeSlope·min(0, x).
 *
 * ```ts
 * const act = new nn.LeakyReLU(0.2);   // GAN discriminators
 * ```
 */
export class LeakyReLU extends Module {
  constructor(readonly negativeSlope = 0.01) {
    super();
    finiteNumber("LeakyReLU", "negativeSlope", negativeSlope);
  }

  forward(input: Tensor): Tensor {
    return isTensor("LeakyReLU", "input", input).leakyRelu(this.negativeSlope);
  }

  override extraRepr(): string {
    return `negativeSlope=${this.negativeSlope}`;
  }
}

/**
 * elu(x) = x for x > 0, α·(eˣ − 1) otherwise.
 *
 * ```ts
 * const act = new nn.ELU(1.0);
 * ```
 */
export class ELU extends Module {
  constructor(readonly alpha = 1) {
    super();
    finiteNumber("ELU", "alpha", alpha);
  }

  forward(input: Tensor): Tensor {
    return isTensor("ELU", "input", input).elu(this.alpha);
  }

  override extraRepr(): string {
    return `alpha=${this.alpha}`;
  }
}

/**
 * gelu(x) = x·Φ(x) (exact, approximate "none"), or
 * 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) with approximate "tanh".
 *
 * ```ts
 * const act = new nn.GELU();        // or new nn.GELU("tanh")
 * ```
 */
export class GELU extends Module {
  constructor(readonly approximate: "none" | "tanh" = "none") {
    super();
    if (approximate !== "none" && approximate !== "tanh") fail("GELU", `approximate must be "none" or "tanh", got ${JSON.stringify(approximate)}`);
  }

  forward(input: Tensor): Tensor {
    isTensor("GELU", "input", input);
    return gelu(input, this.approximate);
  }

  override extraRepr(): string {
    return this.approximate === "none" ? "" : `approximate="tanh"`;
  }
}

/**
 * GELU, exact (x·Φ(x)) or with the tanh approximation (torch.nn.functional.gelu).
 *
 * ```ts
 * const y = nn.functional.gelu(x, "tanh");
 * ```
 */
export function gelu(input: Tensor, approximate: "none" | "tanh" = "none"): Tensor {
  if (approximate === "none") return input.gelu();
  const inner = input.add(input.pow(3).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
  return input.mul(0.5).mul(inner.tanh().add(1));
}

/**
 * tanh(x).
 *
 * ```ts
 * const out = new nn.Tanh().forward(x);   // generator output in [−1, 1]
 * ```
 */
export class Tanh extends Module {
  forward(input: Tensor): Tensor {
    return isTensor("Tanh", "input", input).tanh();
  }
}

/**
 * σ(x) = 1/(1 + e⁻ˣ).
 *
 * ```ts
 * const p = new nn.Sigmoid().forward(logits);
 * ```
 */
export class Sigmoid extends Module {
  forward(input: Tensor): Tensor {
    return isTensor("Sigmoid", "input", input).sigmoid();
  }
}

/**
 * softplus(x) = log(1 + e^{βx})/β, and x where βx > threshold.
 *
 * ```ts
 * const sigma = new nn.Softplus().forward(raw);   // a positive scale
 * ```
 */
export class Softplus extends Module {
  constructor(readonly beta = 1, readonly threshold = 20) {
    super();
    finiteNumber("Softplus", "beta", beta);
    finiteNumber("Softplus", "threshold", threshold);
  }

  forward(input: Tensor): Tensor {
    return isTensor("Softplus", "input", input).softplus(this.beta, this.threshold);
  }

  override extraRepr(): string {
    return `beta=${this.beta}, threshold=${this.threshold}`;
  }
}

/**
 * softmax(x)_i = e^{x_i} / Σ_j e^{x_j} along `dim`.
 *
 * ```ts
 * const probs = new nn.Softmax(-1).forward(logits);   // [batch, classes], rows sum to 1
 * ```
 */
export class Softmax extends Module {
  constructor(readonly dim: number) {
    super();
    if (!Number.isInteger(dim)) fail("Softmax", `dim must be an integer, got ${dim}`);
  }

  forward(input: Tensor): Tensor {
    return isTensor("Softmax", "input", input).softmax(this.dim);
  }

  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/**
 * logSoftmax(x)_i = x_i − log Σ_j e^{x_j} along `dim`.
 *
 * ```ts
 * const logp = new nn.LogSoftmax(1).forward(logits);   // pairs with nn.functional.nllLoss
 * ```
 */
export class LogSoftmax extends Module {
  constructor(readonly dim: number) {
    super();
    if (!Number.isInteger(dim)) fail("LogSoftmax", `dim must be an integer, got ${dim}`);
  }

  forward(input: Tensor): Tensor {
    return isTensor("LogSoftmax", "input", input).logSoftmax(this.dim);
  }

  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}
