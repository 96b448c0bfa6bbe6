/** The gan-mnist page's params and frame payload, shared by its view and its trainer. */

export interface GanMnistParams {
  /** The GAN (a DCGAN is too slow to train live here; the CLI trains one). Changing it restarts. */
  model: "mlp" | "conditional";
  /** Adam's learning rate for both players (β1 = 0.5). */
  lr: number;
  /** MLP width (changing it restarts). */
  hidden: number;
  /** Conditional GAN: the digit to draw, or −1 for 0…9 in turn. */
  digit: number;
  /** Bumped by "another one": a fresh noise vector for "this digit does not exist". */
  fresh: number;
}

export interface GanMnistPayload {
  /** GRID generated digits for fixed noise, [GRID, 784] in [−1, 1]. */
  grid: Float32Array;
  /** The digit each grid tile was asked to be (conditional), else empty. */
  gridDigits: Int32Array;
  /** One fresh sample, [784] in [−1, 1], and its digit (−1 if unconditional). */
  fresh: Float32Array;
  freshDigit: number;
  /** Real digits for comparison, [REAL_SHOWN, 784]. */
  real: Float32Array;
}

export const GRID = 60;
export const GRID_COLUMNS = 10;
export const REAL_SHOWN = 10;
