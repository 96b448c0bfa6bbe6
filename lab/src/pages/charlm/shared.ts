/** The charlm page's params and frame payload, shared by its view and its trainer. */

export interface CharLMParams {
  /** The recurrent cell (restarts). */
  kind: "lstm" | "gru";
  /** Hidden units (restarts). */
  hidden: number;
  /** AdamW's learning rate (live). */
  lr: number;
  /** Sampling temperature of the invented names (live; 0 = always the likeliest character). */
  temperature: number;
  /** The name whose gates and states are shown, character by character (live). */
  probe: string;
}

/** One batch of invented names, sampled at `step`. */
export interface SampleLine {
  step: number;
  temperature: number;
  names: string[];
  /** Whether each name is in the training list (recalled, not invented). */
  known: boolean[];
}

export interface CharLMPayload {
  kind: "lstm" | "gru";
  /** The probe as the model read it (lower-cased, unknown characters dropped). */
  probe: string;
  /** The input at each step: "." (the start) then the probe's characters, [T]. */
  inputs: string[];
  /** The character each step should predict: the probe's characters then "." (the end), [T]. */
  targets: string[];
  /** The model's probability of that character at each step, [T]. */
  targetProbs: Float32Array;
  /** Its likeliest next character at each step, [T]. */
  guesses: string[];
  /** Gate names in storage order: LSTM i, f, g, o; GRU r, z, n. */
  gateNames: string[];
  /** Gate activations [gate, T, units]. */
  gates: Float32Array;
  /** LSTM: the cell state cₜ [T, units]; GRU: empty. */
  cell: Float32Array;
  /** The hidden state hₜ [T, units]. */
  hidden: Float32Array;
  units: number;
  /** Invented names, newest last (up to SAMPLE_LINES). */
  samples: SampleLine[];
  /** Mean NLL (nats per character) on held-out names, last measured; NaN before. */
  testNll: number;
  /** Counts refreshes of the probe's pictures (frames in between repeat them). */
  pictureSeq: number;
}

export const SAMPLE_LINES = 8;
export const NAMES_PER_LINE = 8;
export const MAX_PROBE = 16;
