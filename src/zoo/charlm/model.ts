import type { Tensor } from "../../core/tensor.js";
import { Embedding } from "../../nn/embedding.js";
import { Linear } from "../../nn/linear.js";
import { Module } from "../../nn/module.js";
import type { RNNTrace } from "../../nn/recurrent.js";
import { type AnyRecurrent, makeRecurrent, type RecurrentState, runRecurrent } from "../recurrent.js";

/**
 * A character language model:
 *
 *   eₜ = E[xₜ]                      embedding      [batch, time, embed]
 *   hₜ = RNN/LSTM/GRU(eₜ, hₜ₋₁)      recurrence     [batch, time, hidden]
 *   p(xₜ₊₁ | x≤ₜ) = softmax(W hₜ + b) next char   [batch, time, vocab]
 */
export class CharLM extends Module {
  readonly embed: Embedding;
  readonly rnn: AnyRecurrent;
  readonly head: Linear;

  constructor(readonly kind: string, vocab: number, embed: number, hidden: number, layers: number) {
    super();
    this.embed = this.registerModule("embed", new Embedding(vocab, embed));
    this.rnn = this.registerModule("rnn", makeRecurrent(kind, { inputSize: embed, hiddenSize: hidden, numLayers: layers }));
    this.head = this.registerModule("head", new Linear(hidden, vocab));
  }

  /** tokens int32 [batch, time] → logits [batch, time, vocab] and the final state. */
  forward(tokens: Tensor, state: RecurrentState | null = null, trace?: RNNTrace): [Tensor, RecurrentState] {
    const [h, next] = runRecurrent(this.rnn, this.embed.forward(tokens), state, { trace });
    return [this.head.forward(h), next];
  }
}
