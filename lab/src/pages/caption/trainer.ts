/**
 * The caption page's worker side: src/zoo/caption's Captioner (CNN encoder + LSTM decoder),
 * trained as the CLI trains it — teacher forcing on fresh scenes every step, none holding a
 * held-out colour–shape pair, AdamW without decay, gradients clipped at 5 — but smaller, so
 * it visibly learns within a minute in the browser. The learner's scene is rendered by the
 * task's renderer and captioned greedily; the first scenes of the CLI's seen and unseen test
 * sets are captioned in turn for BLEU-4 and exact match.
 */
import { noGrad } from "../../../../src/core/autograd.ts";
import { tensor } from "../../../../src/core/ops/creation.ts";
import { defaultGenerator, Generator } from "../../../../src/core/random.ts";
import type { Image } from "../../../../src/data/png.ts";
import { clipGradNorm } from "../../../../src/nn/utils.ts";
import { AdamW } from "../../../../src/optim/adam.ts";
import { Captioner } from "../../../../src/zoo/caption/model.ts";
import { hasUnseenCombo, imageToCHW, renderScene, type Scene, SIZE, WORDS } from "../../../../src/zoo/caption/scenes.ts";
import { captionLoss, type Example, greedyCaptions, namesHeldOut, PLANE, score, testSet, trainingExamples } from "../../../../src/zoo/caption/train.ts";
import { defineTrainer } from "../../protocol.ts";
import { type CaptionParams, type CaptionPayload, GALLERY, type SetScore, TEST_SCENES } from "./shared.ts";

/** Scenes per step (the CLI's default is 32; 16 keeps one step near a frame's slice). */
const BATCH = 16;
/** Image feature and word embedding sizes (the CLI's defaults are 128 and 32). */
const FEATURE = 64;
const EMBED = 16;
const CLIP = 5;
/** The learner's scene is rendered with this noise seed, so one scene always looks the same. */
const SCENE_SEED = 7;
/** While training, the learner's scene is re-captioned at most this often (at once when it changes). */
const CAPTION_MS = 500;
/** One test set is re-captioned at most this often (they alternate): ~100 ms of the worker's time each (5% of it). */
const SCORE_MS = 2500;
/** Scenes the shown starting loss is measured on (the seen test set's first). */
const PROBE = 32;

const toBytes = (img: Image, out: Uint8Array, offset = 0): void => {
  for (let i = 0; i < img.data.length; i++) out[offset + i] = Math.round(255 * Math.min(1, Math.max(0, img.data[i])));
};

export default defineTrainer<CaptionParams, CaptionPayload>({
  create(initial, seed) {
    const params = { ...initial };
    const model = new Captioner(WORDS.length, FEATURE, EMBED, params.hidden);
    const optimizer = new AdamW(model.parameters(), { lr: params.lr, weightDecay: 0 });
    // The CLI's test sets for this seed (testSet draws from its own generator, so these are their first scenes).
    const sets: Record<"seen" | "unseen", Example[]> = {
      seen: testSet(1_000_003 + seed, "seen", TEST_SCENES),
      unseen: testSet(2_000_003 + seed, "unseen", TEST_SCENES),
    };
    const probe = sets.seen.slice(0, PROBE);
    const shown = [...sets.seen.slice(0, GALLERY), ...sets.unseen.slice(0, GALLERY)];
    const galleryImages = new Uint8Array(shown.length * PLANE);
    shown.forEach((e, i) => toBytes(e.image, galleryImages, i * PLANE));
    const galleryCaptions = shown.map(() => "");
    const scores: Record<"seen" | "unseen", SetScore> = {
      seen: { bleu: NaN, exact: NaN, namesHeldOut: NaN, atStep: -1 },
      unseen: { bleu: NaN, exact: NaN, namesHeldOut: NaN, atStep: -1 },
    };
    let nextSet: "seen" | "unseen" = "seen";
    const parameters = model.parameters().reduce((n, p) => n + p.numel(), 0);
    let step = 0, scoredAt = -Infinity, captionedAt = -Infinity, captionedStep = -1;
    let user: { image: Uint8Array; pixels: Float32Array; scene: Scene } | undefined;
    let reading = { caption: "", probs: new Float32Array(0) };

    const render = (scene: Scene) => {
      const img = renderScene(scene, new Generator(SCENE_SEED));
      const image = new Uint8Array(SIZE * SIZE * 3), pixels = new Float32Array(PLANE);
      toBytes(img, image);
      imageToCHW(img, pixels);
      user = { image, pixels, scene };
      captionedStep = -1;
    };
    render(params.scene);

    const caption = () => {
      const [p] = greedyCaptions(model, tensor(user!.pixels, { shape: [1, 3, SIZE, SIZE] }));
      reading = { caption: p.caption, probs: Float32Array.from(p.probs) };
      captionedStep = step;
    };
    const measure = (which: "seen" | "unseen") => {
      const r = score(model, sets[which]);
      scores[which] = { bleu: r.bleu, exact: r.exact, namesHeldOut: r.predictions.filter(namesHeldOut).length / r.predictions.length, atStep: step };
      for (let i = 0; i < GALLERY; i++) galleryCaptions[(which === "seen" ? 0 : GALLERY) + i] = r.predictions[i];
    };

    return {
      modules: () => ({ model }),
      step() {
        optimizer.zeroGrad();
        const loss = captionLoss(model, trainingExamples(BATCH, defaultGenerator));
        loss.backward();
        clipGradNorm(model.parameters(), CLIP);
        optimizer.step();
        step++;
        return loss.item();
      },
      loss: () => noGrad(() => captionLoss(model, probe).item()),
      frame() {
        const now = performance.now();
        // Only weights that changed need reading again (a paused model's captions stand).
        if (captionedStep !== step && (captionedStep < 0 || now - captionedAt >= CAPTION_MS)) {
          captionedAt = now;
          caption();
        }
        const stale = (["seen", "unseen"] as const).filter((w) => scores[w].atStep !== step);
        if (stale.length > 0 && (scores[stale[0]].atStep < 0 || now - scoredAt >= SCORE_MS)) {
          // Alternate, but a set never measured goes first.
          const which = stale.find((w) => scores[w].atStep < 0) ?? (stale.includes(nextSet) ? nextSet : stale[0]);
          measure(which);
          nextSet = which === "seen" ? "unseen" : "seen";
          scoredAt = performance.now();
        }
        const payload: CaptionPayload = {
          image: user!.image.slice(),
          truth: user!.scene.caption,
          caption: reading.caption,
          probs: reading.probs.slice(),
          heldOut: hasUnseenCombo(user!.scene),
          seen: { ...scores.seen },
          unseen: { ...scores.unseen },
          gallery: { images: galleryImages.slice(), truths: shown.map((e) => e.scene.caption), captions: galleryCaptions.slice() },
          testScenes: TEST_SCENES,
          parameters,
          batch: BATCH,
        };
        return {
          payload,
          metrics: { bleuSeen: scores.seen.bleu, bleuUnseen: scores.unseen.bleu, exactSeen: scores.seen.exact, exactUnseen: scores.unseen.exact },
          transfer: [payload.image.buffer, payload.probs.buffer, payload.gallery.images.buffer],
        };
      },
      update(change) {
        if (change.hidden !== undefined && change.hidden !== params.hidden) return false;
        if (change.lr !== undefined) {
          params.lr = change.lr;
          for (const g of optimizer.paramGroups) g.lr = change.lr;
        }
        if (change.scene !== undefined) {
          params.scene = change.scene;
          render(change.scene);
        }
        return true;
      },
    };
  },
});
