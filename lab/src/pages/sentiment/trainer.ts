/**
 * The sentiment page's worker side: src/zoo/sentiment's SentimentRNN as an RNN, an LSTM, a GRU
 * and a BiLSTM, each with its own Adam, on the UCI sentiment sentences of the `sentiment`
 * package's fixtures (amazon and yelp: 2,000 short reviews; 20% held out). One `step()` updates
 * one model (in turn), on the task's length-bucketed epoch batches. The typed sentence is read
 * by every model (eval mode) with occlusion for each word's contribution, as the CLI's predict.
 */
import { noGrad, nn, optim, tensor } from "../../../../src/index.ts";
import { trainTestSplit } from "../../../../src/data/split.ts";
import { epochBatches, type Example, examplesFromRows } from "../../../../src/zoo/sentiment/examples.ts";
import { bagOf, BowClassifier, occlusion, padBatch, SentimentRNN } from "../../../../src/zoo/sentiment/model.ts";
import { tokenize, WordVocab } from "../../../../src/zoo/sentiment/tokenizer.ts";
import { defineTrainer } from "../../protocol.ts";
import amazonUrl from "sentiment/test/fixtures/amazon.json?url";
import yelpUrl from "sentiment/test/fixtures/yelp.json?url";
import { KINDS, type SentimentParams, type SentimentPayload } from "./shared.ts";

const BATCH = 64;
const EMBED = 16;
const DROPOUT = 0.1;
/** Initial word vectors N(0, 0.2²) (the CLI default is 0.1; a little larger starts learning sooner). */
const EMBED_STD = 0.2;
const MIN_COUNT = 2;
const CLIP = 5;
/** The split's seed: one held-out set for every run. */
const SPLIT_SEED = 0;
/** Weight of the newest batch in each model's running loss. */
const AVERAGE = 0.2;
/** While training, the typed sentence is re-read at most this often (at once when it changes). */
const SENTENCE_MS = 700;
const ACCURACY_MS = 400;
const ACCURACY_CHUNK = 50;
const MAX_WORDS = 40;

interface Encoded { ids: number[][]; labels: number[] }
interface Data { vocab: WordVocab; train: Encoded; test: Encoded; bowAccuracy: number }
let loaded: Promise<Data> | undefined;

async function fixture(url: string, domain: string): Promise<Example[]> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not load the sentences (${url}): HTTP ${response.status}`);
  return examplesFromRows(await response.json() as unknown[], domain);
}

/** Loads once per worker: the split, the vocabulary (training words seen twice or more) and the bag-of-words baseline. */
function loadData(): Promise<Data> {
  loaded ??= Promise.all([fixture(amazonUrl, "amazon"), fixture(yelpUrl, "yelp")]).then(([amazon, yelp]) => {
    const { train, test } = trainTestSplit([...amazon, ...yelp], SPLIT_SEED, { fraction: 0.2, maxTest: Infinity });
    const trainTokens = train.map((e) => tokenize(e.text)), testTokens = test.map((e) => tokenize(e.text));
    const vocab = WordVocab.build(trainTokens, MIN_COUNT);
    // The baseline as the task fits it: every training word (min count 1), λ = 1/n.
    const bowVocab = WordVocab.build(trainTokens, 1);
    const bow = new BowClassifier(bowVocab.size).fit(bagOf(trainTokens.map((t) => bowVocab.encode(t))), train.map((e) => e.label), { steps: 150, lr: 0.1, l2: 1 / train.length });
    const p = bow.probabilities(bagOf(testTokens.map((t) => bowVocab.encode(t))));
    const bowAccuracy = test.reduce((c, e, i) => c + ((p[i] > 0.5 ? 1 : 0) === e.label ? 1 : 0), 0) / test.length;
    return {
      vocab, bowAccuracy,
      train: { ids: trainTokens.map((t) => vocab.encode(t)), labels: train.map((e) => e.label) },
      test: { ids: testTokens.map((t) => vocab.encode(t)), labels: test.map((e) => e.label) },
    };
  });
  return loaded;
}

export default defineTrainer<SentimentParams, SentimentPayload>({
  async create(params, seed) {
    const data = await loadData();
    const { vocab, train, test } = data;
    const nets = KINDS.map((kind) => new SentimentRNN(kind, vocab.size, {
      embed: EMBED, hidden: params.hidden, layers: 1, dropout: DROPOUT, readout: params.readout, embedStd: EMBED_STD,
    }));
    const optimizers = nets.map((n) => new optim.Adam(n.parameters(), { lr: params.lr }));
    const lengths = train.ids.map((s) => s.length);
    const perEpoch = Math.ceil(train.ids.length / BATCH);
    // Each model walks the same epochs of batches at its own pace.
    const cursor = KINDS.map(() => ({ epoch: 0, index: 0, batches: epochBatches(lengths, BATCH, seed * 1000) }));
    const losses = new Float32Array(KINDS.length).fill(Math.LN2);
    const updates = new Int32Array(KINDS.length);
    const accuracy = new Float32Array(KINDS.length).fill(NaN);
    const accuracyAtUpdate = new Int32Array(KINDS.length);
    let sentence = params.sentence;
    let next = 0;
    let analysis: Pick<SentimentPayload, "tokens" | "unknown" | "probs" | "contributions"> | undefined;
    let sentenceAt = -Infinity, accuracyAt = -Infinity;

    const evaluating = <T>(fn: () => T): T => {
      for (const n of nets) n.eval();
      try {
        return noGrad(fn);
      } finally {
        for (const n of nets) n.train();
      }
    };
    // The held-out sentences by length, in chunks that pad little. Accuracy is measured one
    // chunk of one model per ACCURACY_MS (a full pass over the four models would stall training).
    const order = test.ids.map((_, i) => i).sort((a, b) => test.ids[a].length - test.ids[b].length);
    const chunks: Array<{ batch: ReturnType<typeof padBatch>; labels: number[] }> = [];
    for (let i = 0; i < order.length; i += ACCURACY_CHUNK) {
      const idx = order.slice(i, i + ACCURACY_CHUNK);
      chunks.push({ batch: padBatch(idx.map((j) => test.ids[j])), labels: idx.map((j) => test.labels[j]) });
    }
    let measuring = { model: 0, chunk: 0, correct: 0, updates: 0 };
    const measureChunk = () => evaluating(() => {
      if (measuring.chunk === 0) measuring.updates = updates[measuring.model];
      const c = chunks[measuring.chunk];
      const pred = nets[measuring.model].forward(c.batch).argmax(1).data;
      c.labels.forEach((y, i) => { if (pred[i] === y) measuring.correct++; });
      if (++measuring.chunk === chunks.length) {
        accuracy[measuring.model] = measuring.correct / test.labels.length;
        accuracyAtUpdate[measuring.model] = measuring.updates;
        measuring = { model: (measuring.model + 1) % KINDS.length, chunk: 0, correct: 0, updates: 0 };
      }
    });
    const analyse = () => evaluating(() => {
      const tokens = tokenize(sentence).slice(0, MAX_WORDS);
      const ids = vocab.encode(tokens);
      const probs = new Float32Array(KINDS.length);
      const contributions = new Float32Array(KINDS.length * tokens.length);
      if (tokens.length > 0) nets.forEach((net, k) => {
        const o = occlusion(net, ids);
        probs[k] = o.p;
        o.occluded.forEach((q, t) => { contributions[k * tokens.length + t] = o.p - q; });
      });
      else probs.fill(NaN);
      analysis = { tokens, unknown: tokens.map((t) => !vocab.has(t)), probs, contributions };
    });
    const probe = padBatch(train.ids.slice(0, 256));
    const probeLabels = tensor(Int32Array.from(train.labels.slice(0, 256)), { shape: [Math.min(256, train.ids.length)] });

    return {
      modules: () => ({ rnn: nets[0], lstm: nets[1], gru: nets[2], bilstm: nets[3] }),
      step() {
        const k = next;
        next = (next + 1) % KINDS.length;
        const c = cursor[k];
        if (c.index >= c.batches.length) {
          c.epoch++;
          c.index = 0;
          c.batches = epochBatches(lengths, BATCH, seed * 1000 + c.epoch);
        }
        const idx = c.batches[c.index++];
        optimizers[k].zeroGrad();
        const logits = nets[k].forward(padBatch(idx.map((j) => train.ids[j])));
        const loss = nn.functional.crossEntropy(logits, tensor(Int32Array.from(idx, (j) => train.labels[j]), { shape: [idx.length] }));
        loss.backward();
        nn.utils.clipGradNorm(nets[k].parameters(), CLIP);
        optimizers[k].step();
        updates[k]++;
        losses[k] = (1 - AVERAGE) * losses[k] + AVERAGE * loss.item();
        // The page's loss: the mean of the four models' running losses (one batch alone swings
        // with the sentences in it: the epochs' batches are bucketed by length).
        return losses.reduce((a, b) => a + b, 0) / KINDS.length;
      },
      loss: () => evaluating(() => nets.reduce((s, net) => s + nn.functional.crossEntropy(net.forward(probe), probeLabels).item(), 0) / nets.length),
      frame() {
        const now = performance.now();
        if (now - sentenceAt >= SENTENCE_MS || !analysis) {
          sentenceAt = now;
          analyse();
        }
        if (now - accuracyAt >= ACCURACY_MS) {
          accuracyAt = now;
          measureChunk();
        }
        const a = analysis!;
        const payload: SentimentPayload = {
          tokens: a.tokens, unknown: a.unknown, probs: a.probs.slice(), contributions: a.contributions.slice(),
          accuracy: accuracy.slice(), accuracyAtUpdate: accuracyAtUpdate.slice(), bowAccuracy: data.bowAccuracy, losses: losses.slice(), updates: updates.slice(),
          epochs: Float32Array.from(updates, (u) => u / perEpoch),
          trainSize: train.ids.length, testSize: test.ids.length, vocab: vocab.size,
        };
        return {
          payload,
          metrics: Object.fromEntries(KINDS.map((kind, k) => [`${kind}Accuracy`, accuracy[k]])),
          transfer: [payload.probs.buffer, payload.contributions.buffer, payload.accuracy.buffer, payload.accuracyAtUpdate.buffer, payload.losses.buffer, payload.updates.buffer, payload.epochs.buffer],
        };
      },
      update(change) {
        if (change.hidden !== undefined && change.hidden !== params.hidden) return false;
        if (change.readout !== undefined && change.readout !== params.readout) return false;
        if (change.lr !== undefined) {
          params.lr = change.lr;
          for (const o of optimizers) for (const g of o.paramGroups) g.lr = change.lr;
        }
        if (change.sentence !== undefined) {
          sentence = params.sentence = change.sentence;
          sentenceAt = -Infinity;
        }
        return true;
      },
    };
  },
});
