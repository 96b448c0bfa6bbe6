import { dropout } from "../core/ops/dropout.js";
import type { Generator } from "../core/random.js";
import type { Tensor } from "../core/tensor.js";
import { isTensor, probability } from "./check.js";
import { Module } from "./module.js";

/**
 * While training, zeroes each element with probability p and scales the survivors by
 * 1/(1 − p), so the expected value is unchanged; in eval mode, y = x.
 *
 * - `p`: drop probability (default 0.5); options `{ generator }` for a private random stream
 * - input `[...]` → output `[...]`
 *
 * ```ts
 * const drop = new nn.Dropout(0.5);
 * drop.forward(h);          // training: about half the units zeroed
 * drop.eval().forward(h);   // h unchanged
 * ```
 */
export class Dropout extends Module {
  readonly p: number;
  readonly generator: Generator | undefined;

  constructor(p = 0.5, options: { generator?: Generator } = {}) {
    super();
    this.p = probability("Dropout", "p", p);
    this.generator = options.generator;
  }

  forward(input: Tensor): Tensor {
    isTensor("Dropout", "input", input);
    return dropout(input, this.p, this.training, this.generator);
  }

  override extraRepr(): string {
    return `p=${this.p}`;
  }
}
