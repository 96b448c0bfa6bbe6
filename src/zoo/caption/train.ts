import { Generator } from "../../core/random.js";
import { tensor } from "../../core/ops/creation.js";
import type { Tensor } from "../../core/tensor.js";
import { noGrad } from "../../core/autograd.js";
import type { Image } from "../../data/png.js";
import { crossEntropy } from "../../nn/losses.js";
import { corpusBleu } from "./bleu.js";
import type { Captioner } from "./model.js";
import { decodeCaption, encodeCaption, HELD_OUT, imageToCHW, randomScene, renderScene, type Scene, SIZE, WORDS } from "./scenes.js";

/**
 * The caption task's data, loss, decoding and scoring, apart from task.ts so that code without
 * files (the Lab's worker) uses them too: nothing here touches node: modules.
 */
export interface Example {
  scene: Scene;
  image: Image;
  pixels: Float32Array;
}

const IGNORE = -100;
const MAX_WORDS = 24;
/** Values in one image [3, 48, 48]. */
export const PLANE = 3 * SIZE * SIZE;

/** A scene rendered (with `gen`'s background and noise) and laid out as CHW floats in [−1, 1]. */
export function example(scene: Scene, gen: Generator): Example {
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

export function imagesOf(examples: readonly Example[]): Tensor {
  const x = new Float32Array(examples.length * PLANE);
  examples.forEach((e, i) => x.set(e.pixels, i * PLANE));
  return tensor(x, { shape: [examples.length, 3, SIZE, SIZE] });
}

/** Inputs [0, w1…wn] and targets [w1…wn, 0], padded (targets with IGNORE). */
export function captionBatch(captions: readonly string[]): { inputs: Tensor; targets: Tensor } {
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

/** Teacher-forced cross-entropy per word (the end token included) of the model on these examples. */
export function captionLoss(model: Captioner, examples: readonly Example[]): Tensor {
  const { inputs, targets } = captionBatch(examples.map((e) => e.scene.caption));
  const logits = model.forward(imagesOf(examples), inputs);
  return crossEntropy(logits.reshape([-1, WORDS.length]), targets.reshape([-1]), { ignoreIndex: IGNORE });
}

/** `n` fresh training scenes from `gen`: never a held-out colour–shape pair. */
export const trainingExamples = (n: number, gen: Generator): Example[] => Array.from({ length: n }, () => example(randomScene(gen, "seen"), gen));

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

/** Greedy captions of the examples (100 at a time), corpus BLEU-4 and the exact-match rate. */
export function score(model: Captioner, examples: readonly Example[]): { bleu: number; exact: number; predictions: string[] } {
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
