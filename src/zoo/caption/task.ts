import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { NNZooError } from "../../core/errors.js";
import { defaultGenerator, Generator } from "../../core/random.js";
import { tensor } from "../../core/ops/creation.js";
import type { Tensor } from "../../core/tensor.js";
import { noGrad } from "../../core/autograd.js";
import { type Image, readPng, writePng } from "../../data/png.js";
import { crossEntropy } from "../../nn/losses.js";
import { AdamW } from "../../optim/adam.js";
import type { Task, TrainState } from "../task.js";
import { corpusBleu } from "./bleu.js";
import { Captioner } from "./model.js";
import { decodeCaption, encodeCaption, HELD_OUT, hasUnseenCombo, imageToCHW, randomScene, renderScene, type Scene, SIZE, WORDS } from "./scenes.js";

/**
 * caption — image captioning on generated scenes (scenes.ts): a CNN encoder and an LSTM
 * decoder (model.ts) trained with teacher forcing on fresh scenes every step, none holding a
 * HELD_OUT colour–shape pair. Test: two fixed sets of scenes, "seen" (only trained pairs)
 * and "unseen" (each holds a held-out pair), captioned greedily; corpus BLEU-4 and exact
 * match on each and on both together.
 */
export interface CaptionState extends TrainState {
  model: Captioner;
  batch: number;
  seen: Example[];
  unseen: Example[];
}

interface Example {
  scene: Scene;
  image: Image;
  pixels: Float32Array;
}

const IGNORE = -100;
const MAX_WORDS = 24;
const PLANE = 3 * SIZE * SIZE;

function example(scene: Scene, gen: Generator): Example {
  const image = renderScene(scene, gen);
  const pixels = new Float32Array(PLANE);
  imageToCHW(image, pixels);
  return { scene, image, pixels };
}

/** A fixed test set: `n` scenes from their own seeded generator. */
export function testSet(seed: number, combos: "seen" | "unseen", n: number): Example[] {
  const gen = new Generator(seed);
  return Array.from({ length: n }, () => example(randomScene(gen, combos), gen));
}

function imagesOf(examples: readonly Example[]): Tensor {
  const x = new Float32Array(examples.length * PLANE);
  examples.forEach((e, i) => x.set(e.pixels, i * PLANE));
  return tensor(x, { shape: [examples.length, 3, SIZE, SIZE] });
}

/** Inputs [0, w1…wn] and targets [w1…wn, 0], padded (targets with IGNORE). */
function captionBatch(captions: readonly string[]): { inputs: Tensor; targets: Tensor } {
  const ids = captions.map(encodeCaption);
  const T = Math.max(...ids.map((s) => s.length)) + 1;
  const x = new Int32Array(ids.length * T);
  const y = new Int32Array(ids.length * T).fill(IGNORE);
  ids.forEach((s, b) => {
    s.forEach((w, t) => {
      x[b * T + t + 1] = w;
      y[b * T + t] = w;
    });
    y[b * T + s.length] = 0;
  });
  return { inputs: tensor(x, { shape: [ids.length, T] }), targets: tensor(y, { shape: [ids.length, T] }) };
}

/** Greedy decoding of a batch of images [batch, 3, 48, 48] → captions (and each word's probability). */
export function greedyCaptions(model: Captioner, images: Tensor): Array<{ caption: string; probs: number[] }> {
  return noGrad(() => {
    const B = images.shape[0];
    const feature = model.encode(images);
    let state = model.initialState(feature);
    let prev = new Int32Array(B);
    const words: number[][] = Array.from({ length: B }, () => []);
    const probs: number[][] = Array.from({ length: B }, () => []);
    const done = new Array(B).fill(false);
    for (let t = 0; t < MAX_WORDS && done.includes(false); t++) {
      const [logits, next] = model.decode(feature, tensor(prev, { shape: [B, 1] }), state);
      state = next;
      const p = logits.reshape([B, -1]).softmax(-1).data;
      const V = model.vocab;
      prev = new Int32Array(B);
      for (let b = 0; b < B; b++) {
        let best = 0;
        for (let v = 1; v < V; v++) if (p[b * V + v] > p[b * V + best]) best = v;
        prev[b] = best;
        if (done[b]) continue;
        if (best === 0) done[b] = true;
        else {
          words[b].push(best);
          probs[b].push(p[b * V + best]);
        }
      }
    }
    return words.map((w, b) => ({ caption: decodeCaption(w), probs: probs[b] }));
  });
}

function score(model: Captioner, examples: readonly Example[]): { bleu: number; exact: number; predictions: string[] } {
  const predictions: string[] = [];
  for (let i = 0; i < examples.length; i += 100) {
    const chunk = examples.slice(i, i + 100);
    predictions.push(...greedyCaptions(model, imagesOf(chunk)).map((p) => p.caption));
  }
  const refs = examples.map((e) => e.scene.caption.split(" "));
  const bleu = corpusBleu(predictions.map((p) => p.split(" ").filter(Boolean)), refs);
  const exact = predictions.filter((p, i) => p === examples[i].scene.caption).length / examples.length;
  return { bleu, exact, predictions };
}

/** Does a caption name a held-out colour–shape pair ("… green triangle …")? */
export const namesHeldOut = (text: string): boolean => HELD_OUT.some(([c, sh]) => text.includes(`${c} ${sh}`));

export const caption: Task<CaptionState> = {
  name: "caption",
  summary: "image captioning of generated shape scenes (CNN + LSTM); BLEU-4 and exact match on seen and held-out colour–shape pairs",
  models: ["cnn-lstm"],
  options: {
    steps: { default: 3000 },
    lr: { default: 2e-3 },
    hidden: { default: 128 },
    clip: { default: 5 },
    feature: { type: "int", help: "image feature size", default: 128, min: 1 },
    embed: { type: "int", help: "word embedding size", default: 32, min: 1 },
    testScenes: { type: "int", help: "held-out scenes in each of the seen and unseen test sets", default: 300, min: 1 },
    count: { type: "int", help: "how many test scenes to caption", default: 8, min: 1, commands: ["sample"] },
    out: { type: "string", help: "also write each sampled scene as DIR/scene-<i>.png", commands: ["sample"] },
  },

  setup(config) {
    const model = new Captioner(WORDS.length, config.feature as number, config.embed as number, config.hidden);
    const n = config.testScenes as number;
    return {
      model,
      optimizer: new AdamW(model.parameters(), { lr: config.lr, weightDecay: 0 }),
      batch: config.batch,
      seen: testSet(1_000_003 + config.seed, "seen", n),
      unseen: testSet(2_000_003 + config.seed, "unseen", n),
    };
  },

  loss(state) {
    // Fresh training scenes from the run's generator: never a held-out pair.
    const examples = Array.from({ length: state.batch }, () => example(randomScene(defaultGenerator, "seen"), defaultGenerator));
    const { inputs, targets } = captionBatch(examples.map((e) => e.scene.caption));
    const logits = state.model.forward(imagesOf(examples), inputs);
    return { loss: crossEntropy(logits.reshape([-1, WORDS.length]), targets.reshape([-1]), { ignoreIndex: IGNORE }) };
  },

  evaluate(state) {
    const seen = score(state.model, state.seen);
    const unseen = score(state.model, state.unseen);
    const all = [...state.seen, ...state.unseen];
    const bleu = corpusBleu([...seen.predictions, ...unseen.predictions].map((p) => p.split(" ").filter(Boolean)), all.map((e) => e.scene.caption.split(" ")));
    const examples = [0, 1, 2].map((i) => ({ reference: state.unseen[i].scene.caption, predicted: unseen.predictions[i] }));
    return {
      bleu,
      bleuSeen: seen.bleu,
      bleuUnseen: unseen.bleu,
      exactMatch: (seen.exact + unseen.exact) / 2,
      exactMatchSeen: seen.exact,
      exactMatchUnseen: unseen.exact,
      // How often a caption of an unseen scene names a held-out pair at all (composition, not just exact match).
      heldOutNamed: unseen.predictions.filter(namesHeldOut).length / unseen.predictions.length,
      heldOut: HELD_OUT.map(([c, s]) => `${c} ${s}`),
      examples,
    };
  },

  sample(state, config) {
    // Fresh held-out scenes (half with an unseen pair), captioned greedily.
    const gen = new Generator(config.seed + 3_000_003);
    const n = config.count as number;
    const examples = Array.from({ length: n }, (_, i) => example(randomScene(gen, i % 2 ? "unseen" : "seen"), gen));
    const predicted = greedyCaptions(state.model, imagesOf(examples));
    const dir = config.out as string | undefined;
    if (dir) mkdirSync(dir, { recursive: true });
    return examples
      .map((e, i) => {
        if (dir) writePng(join(dir, `scene-${i}.png`), e.image);
        const mark = predicted[i].caption === e.scene.caption ? "✓" : "✗";
        return `${mark} ${hasUnseenCombo(e.scene) ? "unseen" : "seen  "}  ${predicted[i].caption}${mark === "✗" ? `   (truth: ${e.scene.caption})` : ""}`;
      })
      .join("\n");
  },

  predict(state, _config, input) {
    const img = readPng(input, 3);
    if (img.width !== SIZE || img.height !== SIZE) throw new NNZooError(`${input} is ${img.width}×${img.height}; caption reads ${SIZE}×${SIZE} RGB PNGs (like those of sample --out)`);
    const pixels = new Float32Array(PLANE);
    imageToCHW(img, pixels);
    const [p] = greedyCaptions(state.model, tensor(pixels, { shape: [1, 3, SIZE, SIZE] }));
    const words = p.caption.split(" ").filter(Boolean);
    return {
      text: `${p.caption}\n${words.map((w, i) => `  ${w.padEnd(9)} ${(p.probs[i] * 100).toFixed(1)}%`).join("\n")}`,
      json: { caption: p.caption, words, probs: p.probs },
    };
  },
};
