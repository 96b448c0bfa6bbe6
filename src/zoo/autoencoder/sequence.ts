/**
 * sequence — an LSTM sequence autoencoder on first names: the encoder squeezes a name into a
 * code of --code numbers, the decoder spells it back (see SequenceAutoencoder in model.ts).
 * Trained with teacher forcing (cross-entropy per character, end token included); scored by
 * greedy reconstruction of held-out names: `accuracy` is the share of character positions
 * (end token included) spelled right, `exactMatch` the share of names spelled entirely right.
 */
import { NNZooError } from "../../core/errors.js";
import { randint, tensor } from "../../core/ops/creation.js";
import { noGrad } from "../../core/autograd.js";
import type { Tensor } from "../../core/tensor.js";
import { crossEntropy } from "../../nn/losses.js";
import { Adam } from "../../optim/adam.js";
import { readLines } from "../../data/files.js";
import { trainTestSplit } from "../../data/split.js";
import { CharVocab } from "../../data/vocab.js";
import { builtinNames, frameBatch } from "../charlm/task.js";
import type { Config, TaskContext } from "../task.js";
import { type AEState, type Mode, round6, sizesOf } from "./common.js";
import { SequenceAutoencoder } from "./model.js";

const IGNORE = -100;

export interface SequenceState extends AEState {
  model: SequenceAutoencoder;
  vocab: CharVocab;
  train: number[][];
  test: number[][];
  batch: number;
}

/** Encoder input: tokens padded with 0 to the longest, and the lengths. */
export function encoderBatch(items: number[][]): { tokens: Tensor; lengths: number[] } {
  const T = Math.max(1, ...items.map((s) => s.length));
  const x = new Int32Array(items.length * T);
  items.forEach((s, b) => x.set(s, b * T));
  return { tokens: tensor(x, { shape: [items.length, T] }), lengths: items.map((s) => s.length) };
}

/** Mean cross-entropy per predicted character (end token included), teacher-forced. */
function teacherForcedLoss(model: SequenceAutoencoder, items: number[][], reduction: "mean" | "sum" = "mean"): Tensor {
  const { tokens, lengths } = encoderBatch(items);
  const { inputs, targets } = frameBatch(items);
  const logits = model.forward(tokens, lengths, inputs);
  return crossEntropy(logits.reshape([-1, logits.shape[2]]), targets.reshape([-1]), { ignoreIndex: IGNORE, reduction });
}

/**
 * Greedy reconstruction scores: per-position accuracy over each name's characters and its end
 * (a missing or extra character counts as wrong), and exact matches.
 */
export function reconstructionScores(model: SequenceAutoencoder, items: number[][]): { accuracy: number; exactMatch: number; outputs: number[][] } {
  let right = 0, total = 0, exact = 0;
  const outputs: number[][] = [];
  noGrad(() => {
    for (let i = 0; i < items.length; i += 500) {
      const chunk = items.slice(i, i + 500);
      const { tokens, lengths } = encoderBatch(chunk);
      const maxLen = Math.max(...lengths) + 3;
      const decoded = model.greedy(model.encode(tokens, lengths), maxLen);
      chunk.forEach((target, b) => {
        const out = decoded[b];
        outputs.push(out);
        for (let t = 0; t <= target.length; t++) {
          const want = t < target.length ? target[t] : 0;
          const got = t < out.length ? out[t] : 0;
          if (want === got) right++;
          total++;
        }
        if (out.length === target.length && out.every((c, t) => c === target[t])) exact++;
      });
    }
  });
  return { accuracy: right / total, exactMatch: exact / items.length, outputs };
}

export const sequence: Mode<SequenceState> = {
  // One LSTM layer on each side: --layers does not apply; --hidden is the LSTMs' size.
  defaults: { code: 16, hidden: 128, layers: 0, steps: 3000 },

  setup(config: Config, ctx: TaskContext) {
    const names = config.data ? readLines(config.data) : builtinNames();
    const { train, test } = trainTestSplit(names, config.seed);
    const vocab = CharVocab.fromTexts(names);
    const { code, hidden } = sizesOf(config, this.defaults);
    const model = new SequenceAutoencoder({ vocab: vocab.size, embed: config.embed as number, hidden, code });
    ctx.log(`autoencoder sequence: LSTM(${hidden}) → code ${code} → LSTM(${hidden}); ${train.length} training / ${test.length} test names, ${vocab.size - 1} characters`);
    return {
      mode: "sequence" as const, model, vocab, batch: config.batch,
      train: train.map((s) => vocab.encode(s)), test: test.map((s) => vocab.encode(s)),
      optimizer: new Adam(model.parameters(), { lr: config.lr }),
    };
  },

  loss(state) {
    const idx = randint(0, state.train.length, [Math.min(state.batch, state.train.length)]).data;
    return { loss: teacherForcedLoss(state.model, Array.from(idx, (i) => state.train[i])) };
  },

  evaluate(state) {
    const test = reconstructionScores(state.model, state.test);
    const train = reconstructionScores(state.model, state.train.slice(0, state.test.length));
    let nll = 0, chars = 0;
    for (let i = 0; i < state.test.length; i += 500) {
      const chunk = state.test.slice(i, i + 500);
      nll += teacherForcedLoss(state.model, chunk, "sum").item();
      chars += chunk.reduce((a, s) => a + s.length + 1, 0);
    }
    const examples = state.test.slice(0, 8).map((s, i) => `${state.vocab.decode(s)} → ${state.vocab.decode(test.outputs[i])}`);
    return {
      accuracy: round6(test.accuracy),
      exactMatch: round6(test.exactMatch),
      trainAccuracy: round6(train.accuracy),
      trainExactMatch: round6(train.exactMatch),
      testNll: round6(nll / chars),
      code: state.model.options.code,
      examples,
    };
  },

  predict(state, _config, input) {
    const name = input.trim().toLowerCase();
    if (name === "") throw new NNZooError("predict autoencoder (sequence): give a name to reconstruct");
    let tokens: number[];
    try {
      tokens = state.vocab.encode(name);
    } catch (e) {
      throw new NNZooError(`predict autoencoder (sequence): ${(e as Error).message}`);
    }
    const { outputs } = reconstructionScores(state.model, [tokens]);
    const { tokens: t, lengths } = encoderBatch([tokens]);
    const code = noGrad(() => state.model.encode(t, lengths)).data;
    const out = state.vocab.decode(outputs[0]);
    return { text: `${name} → ${out}`, json: { input: name, reconstruction: out, code: Array.from(code, round6) } };
  },
};
