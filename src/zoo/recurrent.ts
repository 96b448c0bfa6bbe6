import { NNZooError } from "../core/errors.js";
import type { Tensor } from "../core/tensor.js";
import { GRU, LSTM, RNN, type RNNTrace } from "../nn/recurrent.js";

/** The recurrent networks a --model flag can name. */
export type RecurrentKind = "rnn" | "lstm" | "gru";

export type AnyRecurrent = RNN | LSTM | GRU;

/** Hidden state of any of them: h for RNN/GRU, [h, c] for LSTM. */
export type RecurrentState = Tensor | [Tensor, Tensor];

export function makeRecurrent(kind: string, options: { inputSize: number; hiddenSize: number; numLayers: number; bidirectional?: boolean; dropout?: number }): AnyRecurrent {
  const o = { ...options, batchFirst: true };
  switch (kind) {
    case "rnn": return new RNN(o);
    case "lstm": return new LSTM(o);
    case "gru": return new GRU(o);
    default: throw new NNZooError(`unknown recurrent model ${JSON.stringify(kind)}; expected rnn, lstm or gru`);
  }
}

/** Runs any of them with one signature: [output, state]. */
export function runRecurrent(rnn: AnyRecurrent, x: Tensor, state: RecurrentState | null, options: { lengths?: number[]; trace?: RNNTrace } = {}): [Tensor, RecurrentState] {
  if (rnn instanceof LSTM) {
    const [out, hc] = rnn.forward(x, state as [Tensor, Tensor] | null, options);
    return [out, hc];
  }
  return (rnn as RNN | GRU).forward(x, state as Tensor | null, options);
}
