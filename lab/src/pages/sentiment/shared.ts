/** The sentiment page's params and frame payload, shared by its view and its trainer. */

export const KINDS = ["rnn", "lstm", "gru", "bilstm"] as const;
export type Kind = (typeof KINDS)[number];
export const KIND_NAMES: Record<Kind, string> = { rnn: "RNN", lstm: "LSTM", gru: "GRU", bilstm: "BiLSTM" };

export interface SentimentParams {
  /** The sentence to classify (live). */
  sentence: string;
  /** Adam's learning rate (live). */
  lr: number;
  /** Hidden units per direction (restarts). */
  hidden: number;
  /** The sentence vector: max over the steps, their mean, or the last state (restarts). */
  readout: "max" | "mean" | "last";
}

export interface SentimentPayload {
  /** The sentence's tokens (the task's tokenizer) and whether each is outside the vocabulary (<unk>). */
  tokens: string[];
  unknown: boolean[];
  /** p(positive) of the sentence per model, [4] (KINDS order). */
  probs: Float32Array;
  /** Each token's contribution per model: p − p with the token replaced by <unk> (occlusion), [4 · tokens]. */
  contributions: Float32Array;
  /** Held-out accuracy per model, [4] (NaN before the first measurement). */
  accuracy: Float32Array;
  /** How many updates each model had had when its accuracy was measured, [4] (models are measured in turn). */
  accuracyAtUpdate: Int32Array;
  /** The bag-of-words logistic regression's held-out accuracy (the baseline). */
  bowAccuracy: number;
  /** Each model's training loss, averaged over its recent batches, [4]. */
  losses: Float32Array;
  /** Updates each model has had, [4]. */
  updates: Int32Array;
  /** Epochs (passes over the training sentences) each model has done, [4]. */
  epochs: Float32Array;
  trainSize: number;
  testSize: number;
  vocab: number;
}
