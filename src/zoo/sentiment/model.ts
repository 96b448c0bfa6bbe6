import { isGradEnabled, noGrad, setGradEnabled } from "../../core/autograd.js";
import { rand, tensor, zeros } from "../../core/ops/creation.js";
import { cat } from "../../core/ops/slice.js";
import type { Tensor } from "../../core/tensor.js";
import { Dropout } from "../../nn/dropout.js";
import { Embedding } from "../../nn/embedding.js";
import { Linear } from "../../nn/linear.js";
import { bceWithLogits } from "../../nn/losses.js";
import { Module } from "../../nn/module.js";
import { Adam } from "../../optim/adam.js";
import { type AnyRecurrent, makeRecurrent, runRecurrent } from "../recurrent.js";
import { WordVocab } from "./tokenizer.js";

export type Readout = "last" | "max" | "mean";

/** A padded batch of token ids with each row's length. */
export interface TokenBatch {
  /** int32 [batch, time], padded with WordVocab.PAD (0). */
  tokens: Tensor;
  lengths: number[];
}

/** Pads id lists to the longest one: int32 [batch, time] and the lengths. */
export function padBatch(seqs: readonly (readonly number[])[]): TokenBatch {
  const T = Math.max(1, ...seqs.map((s) => s.length));
  const x = new Int32Array(seqs.length * T); // 0 = WordVocab.PAD
  seqs.forEach((s, b) => x.set(s, b * T));
  return { tokens: tensor(x, { shape: [seqs.length, T] }), lengths: seqs.map((s) => s.length) };
}

export interface SentimentRNNOptions {
  embed: number;
  hidden: number;
  layers: number;
  /** Dropout on the word vectors, between stacked layers and on the sentence vector. */
  dropout: number;
  readout: Readout;
  /** Probability of replacing a word by <unk> while training (default 0). */
  wordDropout?: number;
  /** Standard deviation of the initial word vectors (default 1, PyTorch's N(0, 1)). */
  embedStd?: number;
}

/**
 * A many-to-one recurrent sentence classifier. For a sentence x₁…x_L (L its own length in a
 * padded batch):
 *
 *   xₜ ← <unk> with probability p_w          word dropout, training only
 *   eₜ = dropout(E[xₜ])                       embedding, row 0 = padding   [batch, time, embed]
 *                                             (E ~ N(0, embedStd²) at the start)
 *   hₜ = RNN/LSTM/GRU(eₜ, hₜ₋₁),  t ≤ L        bilstm: hₜ = [h→ₜ ; h←ₜ]      [batch, time, dirs·hidden]
 *   r  = h_L                          (last: bilstm joins h→_L and h←₁, each direction's final state)
 *      | max_{t ≤ L} hₜ                (max: element-wise over the valid steps)
 *      | (1/L) Σ_{t ≤ L} hₜ            (mean)                                [batch, dirs·hidden]
 *   logits = W·dropout(r) + b          negative, positive                  [batch, 2]
 *
 * Padding never reaches the readout: the recurrent layers take the lengths (packed-sequence
 * semantics), so the last state is each row's own and pooling covers its valid steps only.
 */
export class SentimentRNN extends Module {
  readonly embed: Embedding;
  readonly rnn: AnyRecurrent;
  readonly drop: Dropout;
  readonly head: Linear;
  readonly directions: number;
  readonly readout: Readout;
  readonly wordDropout: number;

  constructor(readonly kind: string, vocab: number, o: SentimentRNNOptions) {
    super();
    this.wordDropout = o.wordDropout ?? 0;
    const bidirectional = kind === "bilstm";
    this.directions = bidirectional ? 2 : 1;
    this.readout = o.readout;
    this.embed = this.registerModule("embed", new Embedding(vocab, o.embed, { paddingIdx: WordVocab.PAD }));
    // E ~ N(0, embedStd²): PyTorch's N(0, 1) scaled, so a rare word's vector is not mostly its random start.
    if (o.embedStd !== undefined && o.embedStd !== 1) this.embed.weight.data.forEach((v, i, a) => { a[i] = v * o.embedStd!; });
    this.rnn = this.registerModule("rnn", makeRecurrent(bidirectional ? "lstm" : kind, {
      inputSize: o.embed, hiddenSize: o.hidden, numLayers: o.layers, bidirectional, dropout: o.layers > 1 ? o.dropout : 0,
    }));
    this.drop = this.registerModule("drop", new Dropout(o.dropout));
    this.head = this.registerModule("head", new Linear(this.directions * o.hidden, 2));
  }

  /** tokens int32 [batch, time] with each row's length → logits [batch, 2]. */
  forward({ tokens, lengths }: TokenBatch): Tensor {
    const [B, T] = tokens.shape;
    if (this.training && this.wordDropout > 0) {
      const x = Int32Array.from(tokens.data);
      const u = rand([B, T]).data;
      for (let i = 0; i < x.length; i++) if (x[i] !== WordVocab.PAD && u[i] < this.wordDropout) x[i] = WordVocab.UNK;
      tokens = tensor(x, { shape: [B, T] });
    }
    const [h, state] = runRecurrent(this.rnn, this.drop.forward(this.embed.forward(tokens)), null, { lengths });
    let r: Tensor;
    if (this.readout === "last") {
      const hN = Array.isArray(state) ? state[0] : state; // [layers·dirs, batch, hidden]
      const top = hN.shape[0] - this.directions;
      r = this.directions === 1 ? hN.select(0, top) : cat([hN.select(0, top), hN.select(0, top + 1)], 1);
    } else if (this.readout === "max") {
      const pad = new Float32Array(B * T);
      lengths.forEach((L, b) => pad.fill(-1e9, b * T + L, (b + 1) * T));
      r = h.add(tensor(pad, { shape: [B, T, 1] })).amax(1);
    } else {
      // Outputs past a row's length are zero, so the sum covers the valid steps only.
      r = h.sum(1).div(tensor(Float32Array.from(lengths, (L) => Math.max(L, 1)), { shape: [B, 1] }));
    }
    return this.head.forward(this.drop.forward(r));
  }
}

/** Sentences as one bag of tokens: every token id (int32 [tokens]), the sentence it belongs to, and the sentence count. */
export interface Bag {
  ids: Tensor;
  rows: Tensor;
  size: number;
}

export function bagOf(seqs: readonly (readonly number[])[]): Bag {
  const n = seqs.reduce((a, s) => a + s.length, 0);
  const ids = new Int32Array(n);
  const rows = new Int32Array(n);
  let k = 0;
  seqs.forEach((s, i) => {
    ids.set(s, k);
    rows.fill(i, k, k + s.length);
    k += s.length;
  });
  return { ids: tensor(ids, { shape: [n] }), rows: tensor(rows, { shape: [n] }), size: seqs.length };
}

/**
 * The bag-of-words baseline: logistic regression on word counts,
 *
 *   p(positive | x) = σ(w·c(x) + b),   c(x)ᵥ = how often word v occurs in x,
 *
 * a Linear(vocab, 1) on the count vector, fitted by full-batch Adam on the mean log-loss +
 * (λ/2)‖w‖² (L2 as Adam's weight decay, the bias undecayed, as scikit-learn), from zeros, so
 * it is deterministic. The count vectors are sparse, so w·c(x) is computed as Σₜ w[xₜ] (a
 * gather of the Linear's weight and a scatter-add per sentence: the same number, without the
 * [sentences, vocab] matrix). It reads a sentence as an unordered bag of words — what a
 * recurrent model must beat by using the order.
 */
export class BowClassifier extends Module {
  readonly linear: Linear;

  constructor(readonly vocab: number) {
    super();
    this.linear = this.registerModule("linear", new Linear(vocab, 1));
    this.linear.weight.data.fill(0);
    this.linear.bias!.data.fill(0);
  }

  /** Sentences as a bag (see bagOf) → logit of "positive" [sentences] = w·c(x) + b. */
  forward({ ids, rows, size }: Bag): Tensor {
    const w = this.linear.weight.reshape([this.vocab]); // one weight per word
    return zeros([size]).scatterAdd(0, rows, w.gather(0, ids)).add(this.linear.bias!);
  }

  fit(bag: Bag, labels: readonly number[], o: { l2: number; steps: number; lr: number }): this {
    const y = tensor(Float32Array.from(labels), { shape: [labels.length] });
    const opt = new Adam([{ params: [this.linear.weight], weightDecay: o.l2 }, { params: [this.linear.bias!], weightDecay: 0 }], { lr: o.lr });
    // Fitting needs gradients even when called from an evaluation (which runs under noGrad).
    const enabled = isGradEnabled();
    setGradEnabled(true);
    try {
      for (let i = 0; i < o.steps; i++) {
        opt.zeroGrad();
        bceWithLogits(this.forward(bag), y).backward();
        opt.step();
      }
    } finally {
      setGradEnabled(enabled);
    }
    return this;
  }

  /** p(positive) of each row. */
  probabilities(bag: Bag): Float32Array {
    return noGrad(() => this.forward(bag).sigmoid()).data as Float32Array;
  }
}

/** p(positive) of one sentence and of each occlusion (token t replaced by <unk>), for one network. */
export function occlusion(net: SentimentRNN, ids: number[]): { p: number; occluded: number[] } {
  const rows = [ids, ...ids.map((_, t) => ids.map((id, k) => (k === t ? WordVocab.UNK : id)))];
  const probs = noGrad(() => net.forward(padBatch(rows)).softmax(1)).data;
  return { p: probs[1], occluded: ids.map((_, t) => probs[(t + 1) * 2 + 1]) };
}
