import { cat } from "../../core/ops/slice.js";
import { zeros } from "../../core/ops/creation.js";
import type { Tensor } from "../../core/tensor.js";
import { Conv2d } from "../../nn/conv.js";
import { Embedding } from "../../nn/embedding.js";
import { Linear } from "../../nn/linear.js";
import { Module } from "../../nn/module.js";
import { LSTM } from "../../nn/recurrent.js";

/**
 * Show-and-tell style captioner (Vinyals et al. 2015), small:
 *
 *   f   = W_f · flatten(CNN(image)) + b_f         image feature     [batch, feature]
 *         CNN: 3 × (conv 3×3 stride 2, ReLU): 48² → 24² → 12² → 6², channels 16, 32, 32
 *   h₀  = tanh(W_h f + b_h), c₀ = 0               the image sets the decoder's initial state
 *   xₜ  = [E[wₜ₋₁]; f]                            and is fed again at every step
 *   hₜ  = LSTM(xₜ, hₜ₋₁)
 *   p(wₜ | w<ₜ, image) = softmax(W_o hₜ + b_o)    next word (index 0 ends the caption)
 *
 * The flattened (not pooled) conv map keeps where things are, which "left of" needs.
 */
export class Captioner extends Module {
  readonly conv1: Conv2d;
  readonly conv2: Conv2d;
  readonly conv3: Conv2d;
  readonly feature: Linear;
  readonly init: Linear;
  readonly embed: Embedding;
  readonly rnn: LSTM;
  readonly head: Linear;

  constructor(readonly vocab: number, readonly featureSize: number, embed: number, readonly hidden: number) {
    super();
    this.conv1 = this.registerModule("conv1", new Conv2d(3, 16, 3, { stride: 2, padding: 1 }));
    this.conv2 = this.registerModule("conv2", new Conv2d(16, 32, 3, { stride: 2, padding: 1 }));
    this.conv3 = this.registerModule("conv3", new Conv2d(32, 32, 3, { stride: 2, padding: 1 }));
    this.feature = this.registerModule("feature", new Linear(32 * 6 * 6, featureSize));
    this.init = this.registerModule("init", new Linear(featureSize, hidden));
    this.embed = this.registerModule("embed", new Embedding(vocab, embed));
    this.rnn = this.registerModule("rnn", new LSTM({ inputSize: embed + featureSize, hiddenSize: hidden, batchFirst: true }));
    this.head = this.registerModule("head", new Linear(hidden, vocab));
  }

  /** images [batch, 3, 48, 48] → feature [batch, featureSize]. */
  encode(images: Tensor): Tensor {
    const x = this.conv3.forward(this.conv2.forward(this.conv1.forward(images).relu()).relu()).relu();
    return this.feature.forward(x.flatten(1)).relu();
  }

  /** The decoder's initial state from the image feature: [h₀, c₀], each [1, batch, hidden]. */
  initialState(feature: Tensor): [Tensor, Tensor] {
    const h0 = this.init.forward(feature).tanh().unsqueeze(0);
    return [h0, zeros(h0.shape)];
  }

  /** One or more decoder steps: previous words [batch, time] → logits [batch, time, vocab] and the state. */
  decode(feature: Tensor, words: Tensor, state: [Tensor, Tensor]): [Tensor, [Tensor, Tensor]] {
    const [B, T] = words.shape;
    const f = feature.unsqueeze(1).expand([B, T, this.featureSize]);
    const [h, next] = this.rnn.forward(cat([this.embed.forward(words), f], 2), state);
    return [this.head.forward(h), next];
  }

  /** Teacher-forced logits for whole captions. */
  forward(images: Tensor, words: Tensor): Tensor {
    const feature = this.encode(images);
    return this.decode(feature, words, this.initialState(feature))[0];
  }
}
