import { noGrad } from "../../core/autograd.js";
import { tensor } from "../../core/ops/creation.js";
import type { Generator } from "../../core/random.js";
import type { Tensor } from "../../core/tensor.js";
import { CharVocab } from "../../data/vocab.js";
import { sampleLogits } from "../sampling.js";
import type { CharLM } from "./model.js";

/**
 * The line-data side of charlm with no file access, so the Lab's worker shares it with the
 * CLI: the name list, boundary-framed batches and sampling a name.
 */

/** Targets that are padding: no loss. */
export const IGNORE = -100;

/** The built-in names: both lists lower-cased and de-duplicated, like makemore's names.txt. */
export function mergeNames(female: readonly string[], male: readonly string[]): string[] {
  return [...new Set([...female, ...male].map((n) => n.toLowerCase()))];
}

/** Boundary-framed batch: inputs [0, c1…cn], targets [c1…cn, 0], padded (targets with IGNORE). */
export function frameBatch(items: number[][]): { inputs: Tensor; targets: Tensor } {
  const T = Math.max(...items.map((s) => s.length)) + 1;
  const x = new Int32Array(items.length * T);
  const y = new Int32Array(items.length * T).fill(IGNORE);
  items.forEach((s, b) => {
    for (let t = 0; t < s.length; t++) {
      x[b * T + t + 1] = s[t];
      y[b * T + t] = s[t];
    }
    y[b * T + s.length] = CharVocab.BOUNDARY;
  });
  return { inputs: tensor(x, { shape: [items.length, T] }), targets: tensor(y, { shape: [items.length, T] }) };
}

/**
 * `count` items sampled side by side (one batch) after the boundary token, a character at a
 * time, each until the model ends it (or maxLen characters).
 */
export function sampleLines(model: CharLM, vocab: CharVocab, count: number, temperature: number, gen: Generator, maxLen = 64, topK = 0): string[] {
  const out: number[][] = Array.from({ length: count }, () => []);
  const done = new Array<boolean>(count).fill(false);
  noGrad(() => {
    let [logits, h] = model.forward(tensor(new Int32Array(count).fill(CharVocab.BOUNDARY), { shape: [count, 1] }));
    for (let i = 0; i < maxLen && done.includes(false); i++) {
      const V = logits.shape[2];
      const next = new Int32Array(count).fill(CharVocab.BOUNDARY);
      for (let b = 0; b < count; b++) {
        if (done[b]) continue;
        const c = sampleLogits(logits.data.subarray(b * V, (b + 1) * V), temperature, topK, gen);
        if (c === CharVocab.BOUNDARY) done[b] = true;
        else {
          out[b].push(c);
          next[b] = c;
        }
      }
      if (done.includes(false)) [logits, h] = model.forward(tensor(next, { shape: [count, 1] }), h);
    }
  });
  return out.map((ids) => vocab.decode(ids));
}
