import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { NNZooError } from "../../core/errors.js";
import { tensor } from "../../core/ops/creation.js";
import { crossEntropy } from "../../nn/losses.js";
import { type Module, ModuleList } from "../../nn/module.js";
import { Adam } from "../../optim/adam.js";
import type { Config, Metrics, Task, TrainState } from "../task.js";
import { DOMAINS, type Example, epochBatches, loadDomain, makeRounds, parseDomains, readJsonl, type Round } from "./data.js";
import { bagOf, BowClassifier, occlusion, padBatch, type Readout, SentimentRNN } from "./model.js";
import { tokenize, WordVocab } from "./tokenizer.js";

/**
 * sentiment — many-to-one sentence classification (negative/positive) on the UCI sentiment
 * labelled sentences (amazon, imdb, yelp) or a JSONL file of {"text", "label"}.
 *
 * A run trains one model per round: one round for a held-out split or a cross-domain run,
 * k rounds for --folds k (all in one run directory and one checkpoint; the rounds train one
 * after another, so --resume continues mid-fold). Each round has its own vocabulary, built
 * on its training sentences only. The score is the mean test accuracy over the rounds, next
 * to a bag-of-words logistic regression trained and tested on the same rounds.
 */
export interface SentimentState extends TrainState {
  /** The network (one round) or a ModuleList with one network per fold. */
  model: Module;
  nets: SentimentRNN[];
  rounds: RoundData[];
  /** Steps of round r: (plan[r].start, plan[r].end]. */
  plan: Array<{ start: number; end: number; batchesPerEpoch: number }>;
  totalSteps: number;
  batch: number;
  seed: number;
  folds: number;
  /** The current epoch's batches (a function of the round, the epoch and the seed). */
  epoch: { round: number; epoch: number; batches: number[][] } | null;
  /** Bag-of-words accuracies per round, by evaluation data ("" = the rounds' test sets). */
  bow: Map<string, number[]>;
}

interface Encoded {
  ids: number[][];
  labels: number[];
  tokens: string[][];
}

interface RoundData {
  vocab: WordVocab;
  train: Encoded;
  test: Encoded;
}

/** The bag-of-words fit: full-batch Adam (converged: 1,000 steps give the same accuracy); λ = 1/n is scikit-learn's LogisticRegression(C=1). */
const BOW = { steps: 150, lr: 0.1 };
const EVAL_BATCH = 256;

function encode(examples: readonly Example[], vocab: WordVocab, tokens = examples.map((e) => tokenize(e.text))): Encoded {
  return { ids: tokens.map((t) => vocab.encode(t)), labels: examples.map((e) => e.label), tokens };
}

/** The sentences and the rounds of a run, from --data or the built-in domains. */
function loadRounds(config: Config): Round[] {
  const folds = config.folds as number;
  const given = (name: string) => (typeof config[name] === "string" && config[name] !== "" ? (config[name] as string) : undefined);
  const trainFlag = given("trainDomains");
  const testFlag = given("testDomains");
  if (config.data) {
    if (trainFlag || testFlag) throw new NNZooError("--train-domains/--test-domains choose among the built-in data; they do not combine with --data");
    return makeRounds(readJsonl(config.data), { seed: config.seed, folds, testFraction: config.testFraction as number });
  }
  const trainDomains = trainFlag ? parseDomains("--train-domains", trainFlag) : undefined;
  const testDomains = testFlag ? parseDomains("--test-domains", testFlag) : undefined;
  if (testDomains) {
    if (folds > 0) throw new NNZooError("--folds and --test-domains do not combine: a cross-domain run trains on whole domains and tests on others");
    const train = trainDomains ?? DOMAINS.filter((d) => !testDomains.includes(d));
    const shared = train.filter((d) => testDomains.includes(d));
    if (shared.length > 0) throw new NNZooError(`--train-domains and --test-domains share ${shared.join(", ")}; a cross-domain run tests on domains it did not train on`);
    if (train.length === 0) throw new NNZooError(`--test-domains ${testDomains.join(",")} leaves no domain to train on`);
    const examples = [...train, ...testDomains].flatMap(loadDomain);
    return makeRounds(examples, { seed: config.seed, folds: 0, testFraction: 0, trainDomains: train, testDomains });
  }
  const examples = (trainDomains ?? [...DOMAINS]).flatMap(loadDomain);
  return makeRounds(examples, { seed: config.seed, folds, testFraction: config.testFraction as number });
}

/** Vocabularies saved in the run directory (so eval/predict read the same ones), or null. */
function savedVocabs(out: string, rounds: number): WordVocab[] | null {
  const file = join(out, "vocab.json");
  if (!existsSync(file)) return null;
  const saved = JSON.parse(readFileSync(file, "utf8")) as { rounds?: string[][] };
  if (!Array.isArray(saved.rounds) || saved.rounds.length !== rounds) throw new NNZooError(`${file} holds ${saved.rounds?.length ?? 0} vocabularies but the run has ${rounds} rounds`);
  return saved.rounds.map((w) => new WordVocab(w));
}

/** Evaluation order: by length, so batches pad little. */
function byLength(ids: readonly number[][]): number[] {
  return ids.map((_, i) => i).sort((a, b) => ids[a].length - ids[b].length);
}

/** Test accuracy and mean cross-entropy of one network. */
function score(net: SentimentRNN, data: Encoded): { accuracy: number; loss: number } {
  let correct = 0;
  let loss = 0;
  const order = byLength(data.ids);
  for (let i = 0; i < order.length; i += EVAL_BATCH) {
    const idx = order.slice(i, i + EVAL_BATCH);
    const logits = net.forward(padBatch(idx.map((j) => data.ids[j])));
    const labels = tensor(Int32Array.from(idx, (j) => data.labels[j]), { shape: [idx.length] });
    loss += crossEntropy(logits, labels, { reduction: "sum" }).item();
    const pred = logits.argmax(1).data;
    idx.forEach((j, k) => { if (pred[k] === data.labels[j]) correct++; });
  }
  return { accuracy: correct / data.ids.length, loss: loss / data.ids.length };
}

/** The bag-of-words baseline of one round: fitted on its training sentences, scored on `test`. */
function bowAccuracy(round: RoundData, test: Encoded): number {
  // The baseline keeps every training word (min count 1), as a count vectorizer does.
  const vocab = WordVocab.build(round.train.tokens, 1);
  const bow = new BowClassifier(vocab.size).fit(bagOf(round.train.tokens.map((t) => vocab.encode(t))), round.train.labels, { ...BOW, l2: 1 / round.train.labels.length });
  const p = bow.probabilities(bagOf(test.tokens.map((t) => vocab.encode(t))));
  let correct = 0;
  test.labels.forEach((y, i) => { if ((p[i] > 0.5 ? 1 : 0) === y) correct++; });
  return correct / test.labels.length;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export const sentiment: Task<SentimentState> = {
  name: "sentiment",
  summary: "sentence sentiment (many-to-one RNN/LSTM/GRU/BiLSTM) on UCI amazon/imdb/yelp; accuracy vs bag-of-words",
  models: ["gru", "lstm", "bilstm", "rnn"],
  options: {
    steps: { default: 0, min: 0, help: "training steps in all rounds (0: --epochs passes over each training split)" },
    epochs: { type: "int", help: "passes over the training split per model (when --steps is 0)", default: 8, min: 1 },
    layers: { max: 3 },
    lr: { default: 2e-3 },
    clip: { default: 5 },
    embed: { type: "int", help: "word embedding size", default: 64, min: 1 },
    dropout: { type: "number", help: "dropout on the word vectors, between stacked layers and on the sentence vector", default: 0.5, min: 0, max: 0.95 },
    embedStd: { type: "number", help: "standard deviation of the initial word vectors (PyTorch's default is 1)", default: 0.1, min: 0 },
    wordDropout: { type: "number", help: "while training, replace each word by <unk> with this probability", default: 0, min: 0, max: 0.9 },
    readout: { type: "string", help: "sentence vector: the last state, or max/mean over the valid steps", default: "max", choices: ["max", "mean", "last"] },
    minCount: { type: "int", help: "words seen fewer times in training map to <unk>", default: 2, min: 1 },
    folds: { type: "int", help: "k-fold cross-validation (0: one held-out split)", default: 0, min: 0 },
    testFraction: { type: "number", help: "held-out share of the sentences (without --folds)", default: 0.2, min: 0.01, max: 0.9 },
    trainDomains: { type: "string", help: `train on these built-in domains (${DOMAINS.join(",")}; default all)` },
    testDomains: { type: "string", help: "test on these domains (a cross-domain run; train defaults to the others)" },
  },

  setup(config, ctx) {
    const rounds = loadRounds(config);
    const tokenized = rounds.map((r) => ({ train: r.train.map((e) => tokenize(e.text)), test: r.test.map((e) => tokenize(e.text)) }));
    const vocabs = savedVocabs(ctx.out, rounds.length) ?? tokenized.map((t) => WordVocab.build(t.train, config.minCount as number));
    if (existsSync(ctx.out) && !existsSync(join(ctx.out, "vocab.json"))) {
      writeFileSync(join(ctx.out, "vocab.json"), JSON.stringify({ minCount: config.minCount, rounds: vocabs.map((v) => v.toJSON()) }) + "\n");
    }
    const data: RoundData[] = rounds.map((r, i) => ({
      vocab: vocabs[i],
      train: encode(r.train, vocabs[i], tokenized[i].train),
      test: encode(r.test, vocabs[i], tokenized[i].test),
    }));
    const options = { embed: config.embed as number, hidden: config.hidden, layers: config.layers, dropout: config.dropout as number, readout: config.readout as Readout, wordDropout: config.wordDropout as number, embedStd: config.embedStd as number };
    const nets = data.map((d) => new SentimentRNN(config.model, d.vocab.size, options));
    const model = nets.length === 1 ? nets[0] : new ModuleList(nets);

    // Steps: --epochs passes per round, or --steps shared out evenly over the rounds.
    const plan: SentimentState["plan"] = [];
    let start = 0;
    data.forEach((d, r) => {
      const batchesPerEpoch = Math.ceil(d.train.ids.length / config.batch);
      const end = config.steps > 0 ? Math.floor(((r + 1) * config.steps) / data.length) : start + (config.epochs as number) * batchesPerEpoch;
      plan.push({ start, end, batchesPerEpoch });
      start = end;
    });
    const folds = config.folds as number;
    ctx.log(`sentiment: ${rounds.length === 1 ? "1 model" : `${rounds.length} folds`}, ${data[0].train.ids.length} training / ${data[0].test.ids.length} test sentences${rounds.length > 1 ? " per fold" : ""}, vocabulary ${data[0].vocab.size}`);
    return {
      model, nets, rounds: data, plan, totalSteps: start, batch: config.batch, seed: config.seed, folds, epoch: null, bow: new Map(),
      optimizer: new Adam(model.parameters(), { lr: config.lr }),
    };
  },

  totalSteps(state) {
    return state.totalSteps;
  },

  loss(state, step) {
    const r = state.plan.findIndex((p) => step <= p.end);
    const { start, batchesPerEpoch } = state.plan[r];
    const i = step - 1 - start;
    const epoch = Math.floor(i / batchesPerEpoch);
    if (state.epoch?.round !== r || state.epoch.epoch !== epoch) {
      const lengths = state.rounds[r].train.ids.map((s) => s.length);
      state.epoch = { round: r, epoch, batches: epochBatches(lengths, state.batch, (state.seed * 1000 + r) * 10000 + epoch) };
    }
    const idx = state.epoch.batches[i % batchesPerEpoch];
    const { ids, labels } = state.rounds[r].train;
    const logits = state.nets[r].forward(padBatch(idx.map((j) => ids[j])));
    const loss = crossEntropy(logits, tensor(Int32Array.from(idx, (j) => labels[j]), { shape: [idx.length] }));
    const logs: Record<string, number> = state.folds > 0 ? { fold: r + 1, epoch: epoch + 1 } : { epoch: epoch + 1 };
    return { loss, logs };
  },

  evaluate(state, config) {
    const evalFile = typeof config.evalData === "string" ? config.evalData : "";
    const extra = evalFile ? readJsonl(evalFile) : null;
    const tests = state.rounds.map((d) => (extra ? encode(extra, d.vocab) : d.test));
    const scores = state.nets.map((net, r) => score(net, tests[r]));
    let bow = state.bow.get(evalFile);
    if (!bow) {
      bow = state.rounds.map((d, r) => bowAccuracy(d, tests[r]));
      state.bow.set(evalFile, bow);
    }
    const metrics: Metrics = {
      accuracy: mean(scores.map((s) => s.accuracy)),
      bowAccuracy: mean(bow),
      testLoss: mean(scores.map((s) => s.loss)),
    };
    if (state.folds > 0) {
      metrics.folds = scores.map((s) => s.accuracy);
      metrics.bowFolds = bow;
    }
    metrics.trainSize = Math.round(mean(state.rounds.map((d) => d.train.ids.length)));
    metrics.testSize = Math.round(mean(tests.map((t) => t.ids.length)));
    metrics.vocab = Math.round(mean(state.rounds.map((d) => d.vocab.size)));
    return metrics;
  },

  predict(state, _config, input) {
    const tokens = tokenize(input);
    if (tokens.length === 0) throw new NNZooError("predict: the input has no words to classify");
    // A cross-validated run predicts with the mean of its fold models.
    const runs = state.nets.map((net, r) => occlusion(net, state.rounds[r].vocab.encode(tokens)));
    const probability = mean(runs.map((o) => o.p));
    const contributions = tokens.map((_, t) => mean(runs.map((o) => o.p - o.occluded[t])));
    const unknown = tokens.map((t) => !state.rounds[0].vocab.has(t));
    const label = probability >= 0.5 ? "positive" : "negative";
    const top = Math.max(...contributions.map(Math.abs), 1e-9);
    const width = Math.max(...tokens.map((t) => t.length), 5);
    const lines = [
      `${label} (p(positive) = ${probability.toFixed(3)})${runs.length > 1 ? ` — mean of ${runs.length} fold models` : ""}`,
      `token contributions (occlusion: p − p with the token replaced by <unk>):`,
      ...tokens.map((t, i) => {
        const c = contributions[i];
        const bar = (c >= 0 ? "+" : "-").repeat(Math.round((Math.abs(c) / top) * 20));
        return `  ${t.padEnd(width)}  ${c >= 0 ? "+" : "−"}${Math.abs(c).toFixed(3)}  ${bar}${unknown[i] ? "  (unknown word)" : ""}`;
      }),
    ];
    return { text: lines.join("\n"), json: { input, label, probability, tokens, contributions, unknown, method: "occlusion" } };
  },
};
