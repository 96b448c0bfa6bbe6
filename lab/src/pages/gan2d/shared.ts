/** The gan2d page's params and frame payload, shared by its view and its trainer. */
import type { GanLoss, OptimizerName } from "../../../../src/zoo/gan2d/gan.ts";
import type { TargetName } from "../../../../src/zoo/gan2d/targets.ts";

export interface Gan2dParams {
  /** A built-in target, or "drawn": the points the learner drew. */
  target: TargetName | "drawn";
  /** Drawn points, interleaved x, y, in the display box's coordinates. */
  points: Float32Array;
  loss: GanLoss;
  gLr: number;
  dLr: number;
  gOptimizer: OptimizerName;
  dOptimizer: OptimizerName;
  /** Updates per player per iteration. */
  dSteps: number;
  gSteps: number;
  /** Units per hidden layer (changing it restarts training). */
  hidden: number;
  /** Noise dimensions (changing it restarts training). */
  zDim: number;
  /** Bumped by the "Step D" / "Step G" buttons: one update of that player now. */
  stepD: number;
  stepG: number;
}

export interface Gan2dPayload {
  /** Real points shown (interleaved), generated points G(z) for fixed z, and −∂L_G/∂G(z) at each. */
  real: Float32Array;
  fake: Float32Array;
  fakeGrad: Float32Array;
  /** D's belief "real" on a FIELD × FIELD grid over the display box, rows from the bottom. */
  field: Float32Array;
  /** Modes as [x, y, radius] triples and whether each is covered (1/0). */
  modes: Float32Array;
  covered: Uint8Array;
  dUpdates: number;
  gUpdates: number;
}

/** The plotted square: every built-in target fits in it, and drawn points are made in it. */
export const BOX = { x0: -2.8, x1: 2.8, y0: -2.8, y1: 2.8 };
export const FIELD = 40;
/** Generated points shown (with their arrows). */
export const SHOWN = 400;
