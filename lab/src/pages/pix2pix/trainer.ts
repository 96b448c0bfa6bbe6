/**
 * The pix2pix page's worker side: src/zoo/pix2pix (the CLI's pair builders, U-Net, PatchGAN
 * and training iteration) on the page's data, one iteration per `step()`. The shown loss is the
 * generator's L1 term (mean |G(x) − y| in [−1, 1] units), as the CLI logs it.
 */
import { noGrad } from "../../../../src/core/autograd.ts";
import { tensor } from "../../../../src/core/ops/creation.ts";
import { defaultGenerator, Generator } from "../../../../src/core/random.ts";
import type { Image } from "../../../../src/data/png.ts";
import { type Batch, colorizePairs, edgePairs, inpaintPairs, type PairSet, roadPairs } from "../../../../src/zoo/pix2pix/pairs.ts";
import { photoTiles } from "../../../../src/zoo/pix2pix/photos.ts";
import { preparePicture } from "../../../../src/zoo/pix2pix/picture.ts";
import { randomTileSpec, renderTile } from "../../../../src/zoo/pix2pix/roads.ts";
import { batchTensors, buildTraining, iterate } from "../../../../src/zoo/pix2pix/train.ts";
import { defineTrainer } from "../../protocol.ts";
import { pageDigits, pagePhotos } from "./data.ts";
import { EDGE_SIDE, EXAMPLES, HOLE, type Picture, type Pix2PixMode, type Pix2PixParams, type Pix2PixPayload } from "./shared.ts";

const BATCH = 4;
/** The networks' first-level channels (the CLI's default is 16; the page trains a lighter pair). */
const WIDTH = 8;
/** Recompute the pictures at most this often while training (ms). */
const PREVIEW_MS = 250;

async function pairsFor(mode: Pix2PixMode): Promise<PairSet> {
  if (mode === "edges" || mode === "inpaint") {
    const { train, test } = await pageDigits();
    return mode === "edges" ? edgePairs(train, test, { testCount: 64, detector: "canny" }) : inpaintPairs(train, test, { testCount: 64, testSeed: 7 });
  }
  if (mode === "roads") return roadPairs({ size: 32, testCount: 64, testSeed: 7 });
  const { train, test } = await pagePhotos();
  return colorizePairs(train, test, { size: 32, space: "lab" });
}

/** Planar RGB [3, h, w] → interleaved. */
function interleave(planar: Float32Array, width: number, height: number): Picture {
  const n = width * height;
  const data = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) data[i * 3 + c] = planar[c * n + i];
  return { width, height, data };
}

/** The built-in example of the fully convolutional modes: part of the held-out photo, or four road tiles side by side. */
function builtinExample(mode: "colorize" | "roads", photos: Awaited<ReturnType<typeof pagePhotos>> | null): Picture {
  if (mode === "colorize") {
    const crop = photoTiles(photos!.test, 128, 1000).rgb; // the photo's top-left 128×128
    return interleave(crop, 128, 128);
  }
  const gen = new Generator(99);
  const S = 32, W = 2 * S, data = new Float32Array(W * W * 3);
  for (let t = 0; t < 4; t++) {
    const { rgb } = renderTile(randomTileSpec(S, gen));
    const ox = (t % 2) * S, oy = Math.floor(t / 2) * S;
    for (let i = 0; i < S * S; i++) for (let c = 0; c < 3; c++) data[((oy + Math.floor(i / S)) * W + ox + (i % S)) * 3 + c] = rgb[c * S * S + i];
  }
  return { width: W, height: W, data };
}

export default defineTrainer<Pix2PixParams, Pix2PixPayload>({
  async create(initial, seed) {
    const params = { ...initial };
    const pairs = await pairsFor(params.mode);
    const photos = params.mode === "colorize" ? await pagePhotos() : null;
    const training = buildTraining(pairs, { width: WIDTH, discWidth: WIDTH, discLayers: 2, dropout: 0, ablation: false, lr: params.lr });
    const { model } = training;
    const per = pairs.size * pairs.size;
    // Fixed pairs for loss() and the example grid: spread over the held-out set.
    const pick = (count: number): Batch => {
      const stride = Math.max(1, Math.floor(pairs.test.n / count));
      const input = new Float32Array(count * pairs.inChannels * per), target = new Float32Array(count * pairs.outChannels * per);
      for (let k = 0; k < count; k++) {
        const j = (k * stride) % pairs.test.n;
        input.set(pairs.test.input.subarray(j * pairs.inChannels * per, (j + 1) * pairs.inChannels * per), k * pairs.inChannels * per);
        target.set(pairs.test.target.subarray(j * pairs.outChannels * per, (j + 1) * pairs.outChannels * per), k * pairs.outChannels * per);
      }
      return { n: count, input, target };
    };
    const shown = pick(EXAMPLES);
    const lossBatch = pick(16);
    const exampleDigits = params.mode === "inpaint" ? (await pageDigits()).test : null;
    let step = 0, version = 0, lastPreview = -Infinity, dirty = true;
    let payload: Pix2PixPayload | undefined;

    /** G's outputs in eval mode (running batch-norm statistics), without gradients. */
    const run = (input: Float32Array, n: number, c: number, h: number, w: number) => noGrad(() => {
      model.generator.eval();
      const out = Float32Array.from(model.generator.forward(tensor(input, { shape: [n, c, h, w] })).data);
      model.generator.train();
      return out;
    });

    /** The learner's picture as the network reads it. */
    const userImage = (): Image => {
      if (params.mode === "edges") return { width: EDGE_SIDE, height: EDGE_SIDE, channels: 1, data: params.drawing };
      if (params.mode === "inpaint") {
        const set = exampleDigits!;
        const k = ((params.example % set.count) + set.count) % set.count;
        const data = new Float32Array(784 * 3);
        const [cx, cy] = params.hole;
        for (let i = 0; i < 784; i++) {
          const x = i % 28, y = Math.floor(i / 28);
          const inHole = Math.abs(x + 0.5 - cx) <= HOLE / 2 && Math.abs(y + 0.5 - cy) <= HOLE / 2;
          const v = set.pixels[k * 784 + i] / 255;
          data.set(inHole ? [1, 0, 0] : [v, v, v], i * 3);
        }
        return { width: 28, height: 28, channels: 3, data };
      }
      const p = params.upload ?? builtinExample(params.mode, photos);
      return { width: p.width, height: p.height, channels: 3, data: p.data };
    };

    const preview = (): Pix2PixPayload => {
      const out = run(shown.input, shown.n, pairs.inChannels, pairs.size, pairs.size);
      const examples = new Float32Array(EXAMPLES * 3 * per * 3);
      for (let k = 0; k < EXAMPLES; k++) {
        (["input", "output", "target"] as const).forEach((which, j) => examples.set(pairs.picture(which, shown, k, out).data, (k * 3 + j) * per * 3));
      }
      const img = userImage();
      const prepared = preparePicture(img, {
        kind: params.mode, size: pairs.size, imageSide: pairs.imageSide, multiple: pairs.size / 2, space: "lab", detector: "canny", extract: false,
      });
      const output = prepared.finish(run(prepared.input, 1, prepared.channels, prepared.height, prepared.width));
      const rgb = (im: Image): Picture => {
        if (im.channels === 3) return { width: im.width, height: im.height, data: Float32Array.from(im.data) };
        const data = new Float32Array(im.width * im.height * 3);
        for (let i = 0; i < im.width * im.height; i++) data[i * 3] = data[i * 3 + 1] = data[i * 3 + 2] = im.data[i];
        return { width: im.width, height: im.height, data };
      };
      // Colourisation shows the grey picture it was given.
      let input = rgb(img);
      if (params.mode === "colorize") {
        const d = input.data;
        for (let i = 0; i < d.length; i += 3) d[i] = d[i + 1] = d[i + 2] = 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2];
      }
      return { mode: params.mode, size: pairs.size, examples, user: { input, output: rgb(output) }, version: ++version };
    };

    return {
      modules: () => ({ model }),
      step() {
        step++;
        const batch = pairs.trainBatch(BATCH, defaultGenerator);
        const logs = iterate(training, pairs, batch, step, {
          lambda: params.lambda, clip: 0, adversarial: params.adversarial,
          assertFinite: (at, what, x) => {
            const values = typeof x === "number" ? [x] : x.data;
            for (const v of values) if (!Number.isFinite(v)) throw new Error(`step ${at}: ${what} is ${v}`);
          },
        });
        return logs.loss;
      },
      loss() {
        const { x, y } = batchTensors(pairs, lossBatch);
        return noGrad(() => {
          model.generator.eval();
          const l1 = model.generator.forward(x).sub(y).abs().mean().item();
          model.generator.train();
          return l1;
        });
      },
      frame() {
        const now = performance.now();
        if (dirty || !payload || now - lastPreview > PREVIEW_MS) {
          payload = preview();
          lastPreview = now;
          dirty = false;
        }
        return { payload };
      },
      update(change) {
        if (change.mode !== undefined && change.mode !== params.mode) return false;
        Object.assign(params, change);
        if (change.lr !== undefined) for (const g of training.optimizer.paramGroups) g.lr = change.lr;
        dirty = true;
        return true;
      },
    };
  },
});
