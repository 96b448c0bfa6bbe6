import { NNZooError } from "../../core/errors.js";
import { zeros } from "../../core/ops/creation.js";
import type { Tensor } from "../../core/tensor.js";
import { orthogonal_ } from "../../nn/init.js";
import { Linear } from "../../nn/linear.js";
import { Module } from "../../nn/module.js";
import { GRU, LSTM, RNN, type RNNTrace } from "../../nn/recurrent.js";
import { type AnyRecurrent, runRecurrent } from "../recurrent.js";

export type RecurrentInit = "default" | "orthogonal" | "identity";

export interface MemoryNetOptions {
  kind: string;
  inputSize: number;
  hidden: number;
  layers: number;
  /** Outputs per read-out step: 1 (adding: a number) or the alphabet (copy: logits). */
  outputs: number;
  /** How many of the last steps are read out: 1 (adding) or K (copy). */
  readout: number;
  /** The plain RNN's nonlinearity. */
  nonlinearity?: "tanh" | "relu";
  init?: RecurrentInit;
  /** Scales the recurrent weights W_hh after initialisation (1: as initialised). */
  gain?: number;
}

/**
 * A recurrent network read out at its last steps:
 *
 *   hₜ = RNN/LSTM/GRU(xₜ, hₜ₋₁)          [batch, time, hidden]
 *   yₜ = W hₜ + b  for the last R steps  [batch, R, outputs]
 *
 * Adding problem: R = 1, one output (the sum). Copy: R = K, logits over the alphabet.
 */
export class MemoryNet extends Module {
  readonly rnn: AnyRecurrent;
  readonly head: Linear;
  readonly readout: number;

  constructor(readonly options: MemoryNetOptions) {
    super();
    const { kind, inputSize, hidden, layers } = options;
    const o = { inputSize, hiddenSize: hidden, numLayers: layers, batchFirst: true };
    const nonlinearity = options.nonlinearity ?? "tanh";
    if (kind !== "rnn" && nonlinearity !== "tanh") throw new NNZooError(`--nonlinearity ${nonlinearity} applies to the plain RNN only (--model rnn), not ${kind}`);
    let rnn: AnyRecurrent;
    switch (kind) {
      case "rnn": rnn = new RNN({ ...o, nonlinearity }); break;
      case "lstm": rnn = new LSTM(o); break;
      case "gru": rnn = new GRU(o); break;
      default: throw new NNZooError(`unknown recurrent model ${JSON.stringify(kind)}; expected rnn, lstm or gru`);
    }
    this.rnn = this.registerModule("rnn", rnn);
    this.head = this.registerModule("head", new Linear(hidden, options.outputs));
    this.readout = options.readout;
    initRecurrentWeights(this.rnn, options.init ?? "default", options.gain ?? 1);
  }

  /** inputs [batch, time, features] → outputs of the last `readout` steps, [batch, readout, outputs]. */
  forward(inputs: Tensor, trace?: RNNTrace): Tensor {
    const [h] = runRecurrent(this.rnn, inputs, null, { trace });
    const T = h.shape[1];
    return this.head.forward(h.narrow(1, T - this.readout, this.readout));
  }
}

/**
 * Re-initialises every W_hh (each gate's [H, H] block on its own) and multiplies it by
 * `gain`; input weights and biases keep PyTorch's U(−1/√H, 1/√H).
 *
 * - default: PyTorch's U(−1/√H, 1/√H), times gain
 * - orthogonal: a random orthogonal matrix per gate block (Saxe et al. 2014), times gain
 * - identity: I per gate block, times gain (with relu: the IRNN of Le et al. 2015)
 *
 * Draws from the global generator, so a seeded run gets the same weights again.
 */
export function initRecurrentWeights(rnn: AnyRecurrent, init: RecurrentInit, gain: number): void {
  if (!Number.isFinite(gain)) throw new NNZooError(`--gain must be a finite number, got ${gain}`);
  const H = rnn.hiddenSize;
  for (const [name, w] of rnn.namedParameters()) {
    if (!name.startsWith("weight_hh")) continue;
    const blocks = w.shape[0] / H;
    for (let k = 0; k < blocks; k++) {
      const q = init === "orthogonal" ? orthogonal_(zeros([H, H])).data : null;
      // Read w.data after allocating: a backend's memory may move when it grows.
      const block = w.data.subarray(k * H * H, (k + 1) * H * H);
      if (q) block.set(q);
      else if (init === "identity") {
        block.fill(0);
        for (let i = 0; i < H; i++) block[i * H + i] = 1;
      } else if (init !== "default") throw new NNZooError(`--init must be default, orthogonal or identity, got ${JSON.stringify(init)}`);
      if (gain !== 1) for (let i = 0; i < block.length; i++) block[i] *= gain;
    }
  }
}
