import { noGrad } from "../../core/autograd.js";
import { tensor } from "../../core/ops/creation.js";
import type { Tensor } from "../../core/tensor.js";
import { crossEntropy } from "../../nn/losses.js";
import { type Entry, Symbols } from "./cmudict.js";
import { beamSearch, type DecodeState, type G2PModel, greedyDecode, type Hypothesis, modelDecoder } from "./model.js";

/**
 * Batches and decoding of the g2p task: pure (no file access), so the CLI's task and the
 * Lab's worker share them.
 */

/** The target of padding positions: crossEntropy's ignoreIndex. */
export const IGNORE = -100;
/** Words decoded (or scored) per batch. */
export const EVAL_BATCH = 256;

/** An encoded (letters, phonemes) pair: one pronunciation of one word. */
export interface Example {
  letters: number[];
  phones: number[];
}

/** One pronunciation of a word, encoded. */
export function encodeExample(symbols: Symbols, word: string, pron: readonly string[]): Example {
  return { letters: symbols.encodeWord(word), phones: symbols.encodePron(pron) };
}

/** Every (word, pronunciation) pair of the entries, encoded: a word with alternates gives one example each. */
export function pronunciationExamples(entries: readonly Entry[], symbols: Symbols): Example[] {
  return entries.flatMap((e) => e.prons.map((p) => encodeExample(symbols, e.word, p)));
}

/** A padded batch: letters [B, S] with lengths, decoder inputs ⟨s⟩ y₁…y_T and targets y₁…y_T ⟨s⟩, [B, T+1]. */
export function makeBatch(items: readonly Example[]): { letters: Tensor; lengths: number[]; inputs: Tensor; targets: Tensor } {
  const B = items.length;
  const S = Math.max(1, ...items.map((e) => e.letters.length));
  const T = Math.max(...items.map((e) => e.phones.length)) + 1;
  const letters = new Int32Array(B * S);
  const inputs = new Int32Array(B * T);
  const targets = new Int32Array(B * T).fill(IGNORE);
  items.forEach((e, b) => {
    letters.set(e.letters, b * S);
    inputs[b * T] = Symbols.BOUNDARY;
    inputs.set(e.phones, b * T + 1);
    targets.set(e.phones, b * T);
    targets[b * T + e.phones.length] = Symbols.BOUNDARY;
  });
  return {
    letters: tensor(letters, { shape: [B, S] }),
    lengths: items.map((e) => e.letters.length),
    inputs: tensor(inputs, { shape: [B, T] }),
    targets: tensor(targets, { shape: [B, T] }),
  };
}

/**
 * The teacher-forced cross-entropy of a batch, per phoneme (the end included): the mean (the
 * training loss) or the sum (for averaging over many batches).
 */
export function teacherForcedLoss(model: G2PModel, items: readonly Example[], reduction: "mean" | "sum" = "mean"): Tensor {
  const { letters, lengths, inputs, targets } = makeBatch(items);
  const { logits } = model.forward(letters, lengths, inputs);
  return crossEntropy(logits.reshape([-1, logits.shape[2]]), targets.reshape([-1]), { ignoreIndex: IGNORE, reduction });
}

/** Decodes words (each ≥ 1 letter) with beam width `beam` (1: greedy); n-best lists, best first. */
export function decodeWords(model: G2PModel, symbols: Symbols, words: readonly string[], beam: number): Hypothesis[][] {
  const out: Hypothesis[][] = [];
  noGrad(() => {
    for (let i = 0; i < words.length; i += EVAL_BATCH) {
      const chunk = words.slice(i, i + EVAL_BATCH).map((w) => symbols.encodeWord(w));
      const { letters, lengths } = makeBatch(chunk.map((l) => ({ letters: l, phones: [] })));
      const enc = model.encode(letters, lengths);
      const dec = modelDecoder(model, enc, symbols.phones.length);
      const state: DecodeState = { state: enc.state, source: Int32Array.from(chunk, (_, k) => k) };
      const o = { start: Symbols.BOUNDARY, end: Symbols.BOUNDARY, maxLen: lengths.map((L) => 2 * L + 3), banned: [Symbols.PAD] };
      if (beam === 1) out.push(...greedyDecode(dec, state, chunk.length, o).map((h) => [h]));
      else out.push(...beamSearch(dec, state, chunk.length, { ...o, beam }));
    }
  });
  return out;
}

