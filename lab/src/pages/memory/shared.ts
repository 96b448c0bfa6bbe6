/** The memory page's params and frame payload, shared by its view and its trainer. */
import type { RecurrentInit } from "../../../../src/zoo/memory/model.ts";

export const KINDS = ["rnn", "lstm", "gru"] as const;
export type Kind = (typeof KINDS)[number];
export const KIND_NAMES: Record<Kind, string> = { rnn: "RNN (tanh)", lstm: "LSTM", gru: "GRU" };

export interface MemoryParams {
  /** adding: the sum of two marked values (MSE); copy: recall COPY_SYMBOLS symbols after a gap (restarts). */
  problem: "adding" | "copy";
  /** T: the adding problem's length, or the copy task's blank gap (restarts). */
  seqLen: number;
  /** The recurrent weights W_hh: PyTorch's uniform, orthogonal or identity per gate block (restarts). */
  init: RecurrentInit;
  /** W_hh is multiplied by this after the init: the recurrent scale (restarts). */
  gain: number;
  /** Clip each model's gradient to this global norm before the update; 0 = no clipping (live). */
  clip: number;
  /** Adam's learning rate (live). */
  lr: number;
  /** Hidden units of every model (restarts). */
  hidden: number;
}

export interface MemoryPayload {
  problem: "adding" | "copy";
  /** Steps per sequence L (adding: T; copy: 2K + T + 1). */
  length: number;
  /** Copy task: symbols K (the first K steps hold them, step K + T is the delimiter). */
  symbols: number;
  /**
   * log₁₀ ‖∂L/∂hₜ‖ per model (rows in KINDS order) and step t = 0…L−1, [3·L]: measured on each
   * training batch by the step that trains the model and averaged over its recent updates.
   */
  logGradNorms: Float32Array;
  /** Each model's training loss, averaged over its recent updates, [3]. */
  losses: Float32Array;
  /** Share of each model's recent updates whose gradient norm exceeded the clip, [3] (0 without clipping). */
  clipped: Float32Array;
  /** Updates each model has had, [3]. */
  updates: Int32Array;
  /** What a model that remembers nothing scores: MSE 1/6 (adding) or ln(alphabet) (copy). */
  baseline: number;
}

export const COPY_SYMBOLS = 5;
export const COPY_ALPHABET = 8;
export const BATCH = 32;
