import { randn } from "../../core/ops/creation.js";
import { cat } from "../../core/ops/slice.js";
import type { Generator } from "../../core/random.js";
import type { Tensor } from "../../core/tensor.js";
import { Linear } from "../../nn/linear.js";
import { Module } from "../../nn/module.js";
import { LSTM } from "../../nn/recurrent.js";

/**
 * SketchRNN (Ha & Eck 2017, §3.2), a sequence-to-sequence VAE on stroke-5 sketches:
 *
 *   encoder   h = [h→; h←] = BiLSTM(S₁…S_Ns)                   final states of both directions [batch, 2·He]
 *             μ = W_μ h + b_μ,  σ̂ = W_σ h + b_σ,  σ = exp(σ̂/2)
 *             z = μ + σ ⊙ N(0, I)                              [batch, Nz]
 *   decoder   [h₀; c₀] = tanh(W_z z + b_z)
 *             xᵢ = [Sᵢ₋₁; z]  (S₀ = [0, 0, 1, 0, 0])
 *             hᵢ, cᵢ = LSTM(xᵢ, [hᵢ₋₁; cᵢ₋₁])
 *             yᵢ = W_y hᵢ + b_y ∈ R^{6M+3}                     the mixture's parameters (mdn.ts)
 *   KL loss   L_KL = −(1/(2Nz)) Σ (1 + σ̂ − μ² − exp(σ̂))
 */
export class SketchRNN extends Module {
  readonly encoder: LSTM;
  readonly mu: Linear;
  readonly presig: Linear;
  readonly init: Linear;
  readonly decoder: LSTM;
  readonly output: Linear;

  constructor(readonly encHidden: number, readonly decHidden: number, readonly latent: number, readonly mixtures: number) {
    super();
    this.encoder = this.registerModule("encoder", new LSTM({ inputSize: 5, hiddenSize: encHidden, batchFirst: true, bidirectional: true }));
    this.mu = this.registerModule("mu", new Linear(2 * encHidden, latent));
    this.presig = this.registerModule("presig", new Linear(2 * encHidden, latent));
    this.init = this.registerModule("init", new Linear(latent, 2 * decHidden));
    this.decoder = this.registerModule("decoder", new LSTM({ inputSize: 5 + latent, hiddenSize: decHidden, batchFirst: true }));
    this.output = this.registerModule("output", new Linear(decHidden, 6 * mixtures + 3));
  }

  /** Sketches S₁…S_Nmax [batch, time, 5] with their lengths N_s → μ and σ̂ [batch, Nz]. */
  encode(strokes: Tensor, lengths: readonly number[]): { mu: Tensor; presig: Tensor } {
    const [, [hN]] = this.encoder.forward(strokes, null, { lengths });
    const h = cat([hN.select(0, 0), hN.select(0, 1)], 1);
    return { mu: this.mu.forward(h), presig: this.presig.forward(h) };
  }

  /** z = μ + exp(σ̂/2) ⊙ ε, ε ~ N(0, I) (the reparameterisation trick). */
  reparameterise(mu: Tensor, presig: Tensor, generator?: Generator): Tensor {
    return mu.add(presig.mul(0.5).exp().mul(randn(mu.shape, { generator })));
  }

  /** [h₀, c₀] = tanh(W_z z + b_z), each [1, batch, Hd]. */
  initialState(z: Tensor): [Tensor, Tensor] {
    const [h, c] = this.init.forward(z).tanh().chunk(2, 1);
    return [h.unsqueeze(0), c.unsqueeze(0)];
  }

  /** The whole VAE pass: encode, draw z (or take μ), decode the teacher-forced inputs → raw outputs y, μ, σ̂. */
  forward(strokes: Tensor, lengths: readonly number[], inputs: Tensor, sampleZ = true): { y: Tensor; mu: Tensor; presig: Tensor } {
    const { mu, presig } = this.encode(strokes, lengths);
    const z = sampleZ ? this.reparameterise(mu, presig) : mu;
    const [y] = this.decode(inputs, z, this.initialState(z));
    return { y, mu, presig };
  }

  /** Decoder inputs Sᵢ₋₁ [batch, time, 5] given z [batch, Nz] → raw outputs [batch, time, 6M+3] and the state. */
  decode(inputs: Tensor, z: Tensor, state: [Tensor, Tensor]): [Tensor, [Tensor, Tensor]] {
    const [B, T] = inputs.shape;
    const x = cat([inputs, z.unsqueeze(1).expand([B, T, this.latent])], 2);
    const [h, next] = this.decoder.forward(x, state);
    return [this.output.forward(h), next];
  }
}

/** L_KL = −(1/(2Nz)) Σ (1 + σ̂ − μ² − exp(σ̂)), averaged over the batch. */
export function klLoss(mu: Tensor, presig: Tensor): Tensor {
  const [B, Nz] = mu.shape;
  return presig.add(1).sub(mu.square()).sub(presig.exp()).sum().div(-2 * Nz * B);
}
