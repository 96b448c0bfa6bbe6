/** The approx page's params and frame payload, shared by its view and its trainer. */
import type { ApproxSnapshot } from "../../../../src/zoo/approx/model.ts";

export interface ApproxParams {
  /** Hidden units H (changing it restarts training). */
  units: number;
  /** Adam's learning rate. */
  lr: number;
  /** The target y on the training grid: POINTS values for x from −1 to 1. */
  target: Float32Array;
}

/** The fit and every unit's contribution on the display grid (see ApproxSnapshot). */
export type ApproxPayload = ApproxSnapshot;

/** Points of the training grid (the drawable target). */
export const POINTS = 128;
/** Points of the display grid the fit and the bumps are drawn on. */
export const DISPLAY_POINTS = 301;
export const MAX_UNITS = 64;
