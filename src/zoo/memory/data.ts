import { NNZooError } from "../../core/errors.js";
import { tensor } from "../../core/ops/creation.js";
import { defaultGenerator, type Generator } from "../../core/random.js";
import type { Tensor } from "../../core/tensor.js";

/**
 * The two long-memory problems of Hochreiter & Schmidhuber (1997), in the form most papers
 * since use (Le et al. 2015; Arjovsky et al. 2016). Both are generated on the fly from a
 * Generator (the global one while training, so a seeded run resumes bit for bit).
 */

/**
 * Adding problem: two channels per step, a value U(0, 1) and a marker (0 or 1). Exactly two
 * steps are marked, one uniformly in the first half [0, ⌊T/2⌋) and one in the second half
 * [⌊T/2⌋, T); the target is the sum of the two marked values.
 *
 * - inputs `[batch, T, 2]` (channel 0 values, channel 1 markers), targets `[batch]`
 * - `markers[b]` = the two marked positions of row b (for tests and `predict`)
 *
 * The target lies in [0, 2] with mean 1 and variance 2·(1/12) = 1/6, so the best constant
 * prediction (1) has MSE 1/6 ≈ 0.167: a model that cannot remember scores about that.
 */
export interface AddingBatch {
  inputs: Tensor;
  targets: Tensor;
  markers: Array<[number, number]>;
}

/** MSE of always predicting 1 (the variance of the target): 1/6. */
export const ADDING_TRIVIAL_MSE = 1 / 6;

export function addingBatch(batch: number, seqLen: number, gen: Generator = defaultGenerator): AddingBatch {
  if (!Number.isInteger(seqLen) || seqLen < 2) throw new NNZooError(`adding problem: sequence length must be an integer ≥ 2, got ${seqLen}`);
  const T = seqLen;
  const half = Math.floor(T / 2);
  const x = new Float32Array(batch * T * 2);
  const y = new Float32Array(batch);
  const markers: Array<[number, number]> = [];
  for (let b = 0; b < batch; b++) {
    const row = b * T * 2;
    // random24(): every value is exactly a float32, so the target is computed from what the model sees.
    for (let t = 0; t < T; t++) x[row + 2 * t] = gen.random24();
    const first = gen.randint(0, half);
    const second = gen.randint(half, T);
    x[row + 2 * first + 1] = 1;
    x[row + 2 * second + 1] = 1;
    y[b] = x[row + 2 * first] + x[row + 2 * second];
    markers.push([first, second]);
  }
  return { inputs: tensor(x, { shape: [batch, T, 2] }), targets: tensor(y, { shape: [batch] }), markers };
}

/**
 * Copy task: remember K symbols across a gap of T blanks, then write them back.
 *
 * Token ids: 0 = blank, 1…alphabet = the symbols, alphabet + 1 = the delimiter ("go").
 * One sequence has L = 2K + T + 1 steps:
 *
 *     s₁ … s_K   _ × T   :   _ × K          (input)
 *     · · · · · · · · · · ·  s₁ … s_K       (read out at the last K steps)
 *
 * The model reads the symbols, waits T blank steps, sees the delimiter, and then outputs
 * the K symbols in order, one per step, while the input is blank. Symbol sᵢ is seen at step
 * i−1 and recalled at step K+T+i: a lag of K+T+1 steps for every symbol. Only the last K
 * outputs are scored (cross-entropy / accuracy), so a model that remembers nothing scores
 * 1/alphabet, the trivial baseline.
 *
 * - tokens int32 `[batch, L]`, inputs one-hot `[batch, L, alphabet + 2]`, targets int32
 *   `[batch, K]` (symbol ids 0…alphabet−1, i.e. token − 1)
 */
export interface CopyBatch {
  tokens: Tensor;
  inputs: Tensor;
  targets: Tensor;
}

export interface CopyLayout {
  /** Symbols to remember (K). */
  symbols: number;
  /** Blank steps between the symbols and the delimiter (T). */
  gap: number;
  /** Alphabet size (symbols are 1…alphabet). */
  alphabet: number;
}

export const BLANK = 0;

/** Steps per copy sequence: 2K + T + 1. */
export function copyLength(layout: CopyLayout): number {
  return 2 * layout.symbols + layout.gap + 1;
}

/** Input features of the copy task: one-hot over blank, the symbols and the delimiter. */
export function copyFeatures(layout: CopyLayout): number {
  return layout.alphabet + 2;
}

/** Accuracy of guessing (or of always outputting one symbol): 1/alphabet. */
export function copyTrivialAccuracy(layout: CopyLayout): number {
  return 1 / layout.alphabet;
}

export function copyBatch(batch: number, layout: CopyLayout, gen: Generator = defaultGenerator): CopyBatch {
  const { symbols: K, gap: T, alphabet: A } = layout;
  if (!Number.isInteger(K) || K < 1) throw new NNZooError(`copy task: symbols must be an integer ≥ 1, got ${K}`);
  if (!Number.isInteger(T) || T < 0) throw new NNZooError(`copy task: gap must be an integer ≥ 0, got ${T}`);
  if (!Number.isInteger(A) || A < 2) throw new NNZooError(`copy task: alphabet must be an integer ≥ 2, got ${A}`);
  const L = copyLength(layout);
  const F = copyFeatures(layout);
  const delimiter = A + 1;
  const tok = new Int32Array(batch * L);
  const oneHot = new Float32Array(batch * L * F);
  const y = new Int32Array(batch * K);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < K; i++) {
      const s = gen.randint(1, A + 1);
      tok[b * L + i] = s;
      y[b * K + i] = s - 1;
    }
    tok[b * L + K + T] = delimiter;
    for (let t = 0; t < L; t++) oneHot[(b * L + t) * F + tok[b * L + t]] = 1;
  }
  return {
    tokens: tensor(tok, { shape: [batch, L] }),
    inputs: tensor(oneHot, { shape: [batch, L, F] }),
    targets: tensor(y, { shape: [batch, K] }),
  };
}
