/** The rbm page's params and frame payload, shared by its view and its trainer. */

export interface RBMParams {
  /** Hidden units (changing it restarts training). */
  hidden: number;
  /** CD-k (chains start at the data) or persistent CD (restarts training). */
  method: "cd" | "pcd";
  /** Gibbs steps per update (restarts training). */
  k: number;
  /** SGD's learning rate (live). */
  lr: number;
  /** Gibbs steps the display chains take per frame (live). */
  gibbsPerFrame: number;
  /** Bumped by "restart the chains" (live): the display chains start again from test digits. */
  chainRestarts: number;
  /**
   * A deep belief network: freeze this RBM and train a second one (as many hidden units) on its
   * hidden probabilities — greedy layer-wise pretraining (live; turning it off starts over).
   */
  stacked: boolean;
}

export interface RBMPayload {
  /** The first `filterCount` rows of W [filterCount, 784]. */
  filters: Float32Array;
  filterCount: number;
  /** Stacked: the first `filterCount` layer-2 units in pixel space, rows of W₂W₁ [filterCount, 784]; else empty. */
  topFilters: Float32Array;
  /** The layer being trained. */
  layer: 1 | 2;
  /** E[v | h] of the display chains [SAMPLE_CHAINS, 784] (stacked: Gibbs in the top RBM, then p(v | h₁)). */
  samples: Float32Array;
  /** Counts refreshes of samples, reconstructions and layer-2 filters (frames in between repeat them). */
  pictureSeq: number;
  /** Gibbs steps the display chains have taken since they (re)started. */
  gibbsSteps: number;
  /** Held-out digits [RECON_DIGITS, 784] and their mean-field reconstructions. */
  digits: Float32Array;
  reconstructions: Float32Array;
}

export const PIXELS = 784;
export const SAMPLE_CHAINS = 16;
export const RECON_DIGITS = 10;
export const MAX_FILTERS = 64;
/** Digits per class to train on (2,000 in all); the next one of each class is held out. */
export const PER_CLASS = 200;
