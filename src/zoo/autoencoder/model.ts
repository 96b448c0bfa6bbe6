/**
 * The autoencoder task's networks, each with its equations. Browser-safe (the Lab trains them too).
 *
 *   autoencoder   z = E(x),  x̂ = σ(D(z))                    E, D: MLPs (ReLU between layers)
 *   VAE           μ, log σ² = E(x);  z = μ + σ⊙ε, ε ~ N(0, I);  p(x|z) = Bernoulli(σ(D(z)))
 *                 ELBO = E_q[log p(x|z)] − KL(q(z|x) ‖ N(0, I))
 *   sequence AE   c = W·h_T(LSTM_enc(x₁…x_T));  h₀, c₀ = tanh(U·c);  x̂ₜ ~ softmax(V·LSTM_dec([e(xₜ₋₁), c]))
 *   AutoRec (I)   r̂ᵢ = W·σ(V·rᵢ + μ) + b      rᵢ: item i's ratings by every user, 0 where unobserved;
 *                 loss = Σ_observed (r − r̂)² / #observed  (unobserved entries: no loss, no gradient)
 */
import { noGrad } from "../../core/autograd.js";
import { NNZooError } from "../../core/errors.js";
import { tensor } from "../../core/ops/creation.js";
import { cat } from "../../core/ops/slice.js";
import type { Tensor } from "../../core/tensor.js";
import { Embedding } from "../../nn/embedding.js";
import { Linear } from "../../nn/linear.js";
import { Module } from "../../nn/module.js";
import { LSTM } from "../../nn/recurrent.js";

/** Linear layers of the given widths with ReLU between them (none after the last). */
export class MLP extends Module {
  readonly layers: Linear[];

  constructor(readonly widths: readonly number[]) {
    super();
    if (widths.length < 2) throw new NNZooError(`MLP: needs at least an input and an output width, got [${widths.join(", ")}]`);
    this.layers = widths.slice(1).map((w, i) => this.registerModule(String(i), new Linear(widths[i], w)));
  }

  forward(x: Tensor): Tensor {
    let h = x;
    this.layers.forEach((layer, i) => {
      h = layer.forward(h);
      if (i < this.layers.length - 1) h = h.relu();
    });
    return h;
  }
}

/** Hidden widths for `--hidden H --layers L`: H, H/2, H/4, … (L of them, at least the code size). */
export function hiddenWidths(hidden: number, layers: number, code: number): number[] {
  return Array.from({ length: layers }, (_, i) => Math.max(code, Math.round(hidden / 2 ** i)));
}

export interface AutoencoderOptions {
  /** Input size (784 for MNIST). */
  input: number;
  /** Hidden widths of the encoder, input side first (the decoder mirrors them). */
  hidden: readonly number[];
  /** Code (bottleneck) size. */
  code: number;
}

/** An MLP autoencoder: z = E(x), x̂ = σ(D(z)) (logits from decodeLogits, for BCE). */
export class Autoencoder extends Module {
  readonly encoder: MLP;
  readonly decoder: MLP;

  constructor(readonly options: AutoencoderOptions) {
    super();
    const { input, hidden, code } = options;
    this.encoder = this.registerModule("encoder", new MLP([input, ...hidden, code]));
    this.decoder = this.registerModule("decoder", new MLP([code, ...[...hidden].reverse(), input]));
  }

  get codeSize(): number {
    return this.options.code;
  }

  /** x [batch, input] → z [batch, code]. */
  encode(x: Tensor): Tensor {
    return this.encoder.forward(x);
  }

  /** z [batch, code] → logits of x̂ [batch, input]. */
  decodeLogits(z: Tensor): Tensor {
    return this.decoder.forward(z);
  }

  /** z → x̂ = σ(D(z)) in [0, 1]. */
  decode(z: Tensor): Tensor {
    return this.decodeLogits(z).sigmoid();
  }

  forward(x: Tensor): { code: Tensor; logits: Tensor } {
    const code = this.encode(x);
    return { code, logits: this.decodeLogits(code) };
  }
}

/** A VAE with a diagonal Gaussian posterior and a Bernoulli decoder. */
export class VAE extends Module {
  readonly encoder: MLP;
  readonly mu: Linear;
  readonly logvar: Linear;
  readonly decoder: MLP;

  constructor(readonly input: number, readonly hidden: readonly number[], readonly latent: number) {
    super();
    this.encoder = this.registerModule("encoder", new MLP([input, ...hidden]));
    const last = hidden[hidden.length - 1];
    this.mu = this.registerModule("mu", new Linear(last, latent));
    this.logvar = this.registerModule("logvar", new Linear(last, latent));
    this.decoder = this.registerModule("decoder", new MLP([latent, ...[...hidden].reverse(), input]));
  }

  /** x [batch, input] → μ, log σ² [batch, latent] of q(z|x). */
  encode(x: Tensor): [Tensor, Tensor] {
    const h = this.encoder.forward(x).relu();
    return [this.mu.forward(h), this.logvar.forward(h)];
  }

  /** z = μ + σ⊙ε with ε given ([batch, latent] standard normals): the reparameterisation trick. */
  reparameterise(mu: Tensor, logvar: Tensor, eps: Tensor): Tensor {
    return mu.add(logvar.mul(0.5).exp().mul(eps));
  }

  /** z → logits of p(x|z). */
  decodeLogits(z: Tensor): Tensor {
    return this.decoder.forward(z);
  }

  forward(x: Tensor, eps: Tensor): { mu: Tensor; logvar: Tensor; logits: Tensor } {
    const [mu, logvar] = this.encode(x);
    return { mu, logvar, logits: this.decodeLogits(this.reparameterise(mu, logvar, eps)) };
  }
}

export interface SequenceAutoencoderOptions {
  vocab: number;
  embed: number;
  hidden: number;
  code: number;
}

/**
 * An LSTM sequence autoencoder: the encoder reads the characters, its last state becomes the
 * code c; the decoder starts from a state made of c and sees c again at every step beside the
 * previous character (teacher forcing in training, its own greedy output when reconstructing).
 */
export class SequenceAutoencoder extends Module {
  readonly embed: Embedding;
  readonly encoder: LSTM;
  readonly toCode: Linear;
  readonly fromCode: Linear;
  readonly decoder: LSTM;
  readonly head: Linear;

  constructor(readonly options: SequenceAutoencoderOptions) {
    super();
    const { vocab, embed, hidden, code } = options;
    this.embed = this.registerModule("embed", new Embedding(vocab, embed));
    this.encoder = this.registerModule("encoder", new LSTM({ inputSize: embed, hiddenSize: hidden, batchFirst: true }));
    this.toCode = this.registerModule("toCode", new Linear(hidden, code));
    this.fromCode = this.registerModule("fromCode", new Linear(code, 2 * hidden));
    this.decoder = this.registerModule("decoder", new LSTM({ inputSize: embed + code, hiddenSize: hidden, batchFirst: true }));
    this.head = this.registerModule("head", new Linear(hidden, vocab));
  }

  /** tokens int32 [batch, time] (padded), lengths [batch] → code [batch, code]. */
  encode(tokens: Tensor, lengths: readonly number[]): Tensor {
    const [, [hN]] = this.encoder.forward(this.embed.forward(tokens), null, { lengths });
    return this.toCode.forward(hN.squeeze(0));
  }

  /** The decoder's initial state [h₀, c₀], each [1, batch, hidden]. */
  initialState(code: Tensor): [Tensor, Tensor] {
    const [h, c] = this.fromCode.forward(code).tanh().chunk(2, 1);
    return [h.unsqueeze(0), c.unsqueeze(0)];
  }

  /** One decoder pass over inputs int32 [batch, time] from `state` → logits [batch, time, vocab] and the state after. */
  decodeSteps(code: Tensor, inputs: Tensor, state: [Tensor, Tensor]): [Tensor, [Tensor, Tensor]] {
    const [B, T] = inputs.shape;
    const codes = code.unsqueeze(1).expand([B, T, this.options.code]);
    const [out, next] = this.decoder.forward(cat([this.embed.forward(inputs), codes], 2), state);
    return [this.head.forward(out), next];
  }

  /** Teacher-forced logits [batch, time, vocab] for decoder inputs [batch, time] (boundary first). */
  forward(tokens: Tensor, lengths: readonly number[], decoderInputs: Tensor): Tensor {
    const code = this.encode(tokens, lengths);
    return this.decodeSteps(code, decoderInputs, this.initialState(code))[0];
  }

  /** Greedy reconstruction from codes [batch, code]: token lists, each stopped at the boundary token (0). */
  greedy(code: Tensor, maxLength: number): number[][] {
    const B = code.shape[0];
    const out: number[][] = Array.from({ length: B }, () => []);
    const done = new Uint8Array(B);
    noGrad(() => {
      let state = this.initialState(code);
      let prev = new Int32Array(B);
      for (let t = 0; t < maxLength && done.some((d) => d === 0); t++) {
        const [logits, next] = this.decodeSteps(code, tensor(prev, { shape: [B, 1] }), state);
        state = next;
        const pick = logits.reshape([B, -1]).argmax(1).data;
        prev = Int32Array.from(pick);
        for (let b = 0; b < B; b++) {
          if (done[b]) continue;
          if (pick[b] === 0) done[b] = 1;
          else out[b].push(pick[b]);
        }
      }
    });
    return out;
  }
}

/** Item-based AutoRec (Sedhain et al. 2015): r̂ = W·σ(V·r + μ) + b. */
export class AutoRec extends Module {
  readonly encoder: Linear;
  readonly decoder: Linear;

  constructor(readonly users: number, readonly hidden: number) {
    super();
    this.encoder = this.registerModule("encoder", new Linear(users, hidden));
    this.decoder = this.registerModule("decoder", new Linear(hidden, users));
  }

  /** Item rating vectors [items, users] (0 = unobserved) → predictions [items, users]. */
  forward(ratings: Tensor): Tensor {
    return this.decoder.forward(this.encoder.forward(ratings).sigmoid());
  }

  /**
   * The masked loss Σ m⊙(r − r̂)² / Σ m, with the input r⊙m: an unobserved entry (m = 0) adds
   * no loss, and, being 0 at the input too, no gradient reaches the weights through it —
   * whatever number the matrix holds there.
   */
  maskedLoss(ratings: Tensor, mask: Tensor): Tensor {
    const observed = ratings.mul(mask);
    const count = Math.max(1, mask.sum().item());
    return this.forward(observed).sub(observed).square().mul(mask).sum().div(count);
  }

  /** ‖V‖² + ‖W‖²: the weight penalty of the paper's objective (λ/2 times this). */
  weightNorm(): Tensor {
    return this.encoder.weight.square().sum().add(this.decoder.weight.square().sum());
  }
}
