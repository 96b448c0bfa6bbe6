/** The rbf page's params and frame payload, shared by its view and its trainer. */

export type Dataset = "moons" | "circles" | "xor";

export interface RBFParams {
  dataset: Dataset;
  /** RBF units K (restarts training); the MLP gets as many parameters. */
  units: number;
  /** Train the centres and widths by gradient too (live), or keep k-means' centres and the width rule's widths. */
  learnCentres: boolean;
  /** Adam's learning rate, both networks (live). */
  lr: number;
}

export interface RBFPayload {
  /** The view box [xMin, xMax, yMin, yMax]. */
  bounds: Float32Array;
  /** P(class 1) on a FIELD × FIELD grid (row 0 at the top) for the RBF network and the MLP. */
  rbfField: Float32Array;
  mlpField: Float32Array;
  /** Centres [K, 2] and widths σ [K]. */
  centres: Float32Array;
  widths: Float32Array;
  /** Training points [N, 2] and their classes. */
  points: Float32Array;
  labels: Int32Array;
  mlpHidden: number;
  params: number;
}

export const FIELD = 48;
export const POINTS = 300;
export const MAX_UNITS = 40;
