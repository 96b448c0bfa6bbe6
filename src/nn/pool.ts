import { avgPool2d, maxPool2d, upsampleNearest2d, type AvgPool2dOptions, type MaxPool2dOptions } from "../core/ops/pool.js";
import { fail } from "../core/errors.js";
import type { Tensor } from "../core/tensor.js";
import { isTensor } from "./check.js";
import { Module } from "./module.js";

/**
 * Max over each kernelSize window.
 *
 * - options `{ stride = kernelSize, padding = 0, dilation = 1, ceilMode = false }`
 * - input `[batch, C, H, W]` → output `[batch, C, H', W']`
 *
 * ```ts
 * const pool = new nn.MaxPool2d(2);   // [64, 32, 28, 28] → [64, 32, 14, 14]
 * ```
 */
export class MaxPool2d extends Module {
  constructor(readonly kernelSize: number | [number, number], readonly options: MaxPool2dOptions = {}) {
    super();
  }

  forward(input: Tensor): Tensor {
    return maxPool2d(isTensor("MaxPool2d", "input", input), this.kernelSize, this.options);
  }

  override extraRepr(): string {
    return `kernelSize=${JSON.stringify(this.kernelSize)}`;
  }
}

/**
 * Mean over each kernelSize window.
 *
 * - options `{ stride = kernelSize, padding = 0, ceilMode = false, countIncludePad = true }`
 * - input `[batch, C, H, W]` → output `[batch, C, H', W']`
 *
 * ```ts
 * const pool = new nn.AvgPool2d(2);
 * ```
 */
export class AvgPool2d extends Module {
  constructor(readonly kernelSize: number | [number, number], readonly options: AvgPool2dOptions = {}) {
    super();
  }

  forward(input: Tensor): Tensor {
    return avgPool2d(isTensor("AvgPool2d", "input", input), this.kernelSize, this.options);
  }

  override extraRepr(): string {
    return `kernelSize=${JSON.stringify(this.kernelSize)}`;
  }
}

/**
 * Nearest-neighbour upsampling of the last two dims, to `size` or by `scaleFactor`.
 *
 * - input `[batch, C, H, W]` → output `[batch, C, H·s, W·s]`
 *
 * ```ts
 * const up = new nn.Upsample({ scaleFactor: 2 });   // [8, 16, 7, 7] → [8, 16, 14, 14]
 * ```
 */
export class Upsample extends Module {
  constructor(readonly options: { size?: [number, number]; scaleFactor?: number | [number, number]; mode?: "nearest" }) {
    super();
    if ((options.mode ?? "nearest") !== "nearest") fail("Upsample", `only mode "nearest" is supported, got ${JSON.stringify(options.mode)}`);
  }

  forward(input: Tensor): Tensor {
    return upsampleNearest2d(isTensor("Upsample", "input", input), { size: this.options.size, scaleFactor: this.options.scaleFactor });
  }
}
