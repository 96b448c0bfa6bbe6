/** The g2p page's params and frame payload, shared by its view and its trainer. */

export interface G2PParams {
  /** The word to pronounce, as typed (live). */
  word: string;
  /** Beam width of the decoding (live; 1 = greedy). */
  beam: number;
  /** Adam's learning rate (live). */
  lr: number;
  /** Encoder and decoder cell (restarts). */
  kind: "lstm" | "gru";
  /** Hidden units per direction (restarts). */
  hidden: number;
}

/** One held-out word as the model reads it, next to CMUdict. */
export interface HeldOutSample {
  word: string;
  phonemes: string[];
  dictionary: string[][];
  correct: boolean;
}

export interface G2PPayload {
  /** The typed text, one entry per character, and whether the model reads it (false: outside its alphabet, dropped). */
  typed: string[];
  kept: boolean[];
  /** True when the word was longer than MAX_LETTERS letters and cut there. */
  truncated: boolean;
  /** The letters the model read (lower case, in its alphabet); "" when none. */
  word: string;
  /** The best decoding: its phonemes, and its attention rows (the phonemes, then "</s>" when the decoder ended). */
  phonemes: string[];
  rows: string[];
  /** α [rows · letters]: how much each output step looked at each letter (each row sums to 1). */
  attention: Float32Array;
  logProb: number;
  /** False when the decoding hit the length limit without ending. */
  finished: boolean;
  /** The beam's other hypotheses, best first. */
  alternatives: Array<{ phonemes: string[]; logProb: number }>;
  /** The word's CMUdict pronunciations (null when it is not in CMUdict), and on which side of the split it is. */
  dictionary: string[][] | null;
  split: "train" | "test" | null;
  /** Whether the prediction is one of the word's CMUdict pronunciations (null when there are none). */
  correct: boolean | null;
  /** The letters the model knows, in order. */
  alphabet: string;
  /** Held-out phoneme and word error rates of the last full pass (NaN before), the step it began at, and the words scored. */
  per: number;
  wer: number;
  scoredAtStep: number;
  scoredWords: number;
  /** A few held-out words from that pass, spread over the lengths. */
  samples: HeldOutSample[];
  trainWords: number;
  trainPronunciations: number;
  testWords: number;
  /** Passes over the training pronunciations so far. */
  epochs: number;
  /** Counts refreshes of the word's decoding (frames in between repeat it). */
  pictureSeq: number;
}

/** Longest word the page decodes; longer input is cut (and says so). */
export const MAX_LETTERS = 20;

/**
 * What the model reads of the typed text: lower case (spelling, not capitals, sets the sound),
 * characters outside the alphabet dropped and flagged, at most MAX_LETTERS letters.
 */
export function readWord(text: string, alphabet: string): { typed: string[]; kept: boolean[]; word: string; truncated: boolean } {
  const typed = [...text];
  const kept = typed.map((c) => alphabet.includes(c.toLowerCase()) && c.toLowerCase().length === 1);
  const letters = typed.filter((_, i) => kept[i]).map((c) => c.toLowerCase());
  return { typed, kept, word: letters.slice(0, MAX_LETTERS).join(""), truncated: letters.length > MAX_LETTERS };
}

/** The alphabet in words: "a–z and '" for CMUdict's plain words. */
export function alphabetText(alphabet: string): string {
  const chars = [...alphabet];
  const letters = chars.filter((c) => c >= "a" && c <= "z");
  const others = chars.filter((c) => !(c >= "a" && c <= "z"));
  const run = letters.length === 26 ? "a–z" : letters.join("");
  return others.length > 0 ? `${run} and ${others.join(" ")}` : run;
}
