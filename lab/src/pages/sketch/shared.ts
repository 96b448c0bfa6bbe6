/** The sketch page's params and frame payload, shared by its view and its trainer. */
import type { MixtureStep } from "../../../../src/zoo/sketch/mdn.ts";

export interface SketchParams {
  /** Sampling temperature τ of completions and samples (live). */
  temperature: number;
  /** Where a completion's latent z comes from: "" = the drawing itself (the encoder's μ), or a class's held-out sketch (live). */
  label: string;
  /**
   * The partial drawing to finish: stroke-3 rows [Δx, Δy, pen lifted] flattened, in the data's
   * units (a sketch spans about 100); the first row is the first point, [0, 0, p]. Empty: nothing to finish.
   */
  prefix: Float32Array;
  /** Bumped by "finish it": a fresh random draw (and the next held-out sketch of the class for z). */
  request: number;
}

/** Sketches as stroke-3 rows in the data's units, packed: sketch i is rows starts[i] … starts[i+1] − 1. */
export interface SketchList {
  rows: Float32Array;
  starts: Int32Array;
}

export interface Completion {
  /** The request it answers (params.request). */
  request: number;
  /** Counts completions: each redraw while training is a new one (same random draws, newer weights). */
  seq: number;
  /** The step whose weights drew it. */
  step: number;
  temperature: number;
  /** Where z came from: "your drawing" or "a held-out <class>". */
  source: string;
  /** The rows of the partial drawing it continues. */
  prefixRows: number;
  /** The continuation: stroke-3 rows in the data's units, from the partial drawing's last point. */
  rows: Float32Array;
  /** Whether the model ended the sketch (p₃) before the step limit. */
  ended: boolean;
  /** The distribution its first point was drawn from (at τ; means and deviations in the data's units). */
  next: MixtureStep;
}

export interface SketchPayload {
  /** Class names, in the gallery's column order. */
  labels: string[];
  /** N_max: the longest training sketch, in points. */
  maxLen: number;
  /** The newest completion of the partial drawing, or null (nothing drawn yet). */
  completion: Completion | null;
  /**
   * The gallery, redrawn every so often with the same random draws: one held-out sketch per
   * class, its reconstruction (z = μ, drawn from scratch), and a sample from the prior z ~ N(0, I)
   * per column — 3 × labels.length sketches in that order.
   */
  gallery: SketchList;
  gallerySeq: number;
  galleryStep: number;
}

/** Gallery rows: held-out sketch, its reconstruction, a sample from the prior. */
export const GALLERY_ROWS = 3;
/** Points the view keeps of a drawing (after simplification): more would make a slow prefix. */
export const MAX_PREFIX_ROWS = 120;

/**
 * The model and data, smaller than the CLI's defaults (BiLSTM 64, LSTM 128, Nz 32, M 20, batch
 * 64, 1,000 sketches per class): a step takes 25–50 ms on one wasm thread of a 2-core machine
 * (several times that when the machine is busy), and the generated sketches are short (N_max 28).
 */
export const ENC_HIDDEN = 32;
export const DEC_HIDDEN = 64;
export const LATENT = 16;
export const MIXTURES = 5;
export const BATCH = 16;
/** Generated training sketches per class (a tenth as many held out, as the CLI). */
export const PER_CLASS = 200;
