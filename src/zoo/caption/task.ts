import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { NNZooError } from "../../core/errors.js";
import { defaultGenerator, Generator } from "../../core/random.js";
import { tensor } from "../../core/ops/creation.js";
import { readPng, writePng } from "../../data/png.js";
import { AdamW } from "../../optim/adam.js";
import type { Task, TrainState } from "../task.js";
import { corpusBleu } from "./bleu.js";
import { Captioner } from "./model.js";
import { HELD_OUT, hasUnseenCombo, imageToCHW, randomScene, SIZE, WORDS } from "./scenes.js";
import { captionLoss, type Example, example, greedyCaptions, imagesOf, namesHeldOut, PLANE, score, testSet, trainingExamples } from "./train.js";

// The data, loss, decoding and scoring live in train.ts (no node: modules, so the Lab's worker shares them).
export { greedyCaptions, namesHeldOut, testSet };

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
    return { loss: captionLoss(state.model, trainingExamples(state.batch, defaultGenerator)) };
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
