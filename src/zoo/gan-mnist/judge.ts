/**
 * The judge of generated digits in Node: the MNIST split every GAN task uses, and the small
 * classifier trained once per settings and cached on disk (keyed by a hash of its settings),
 * with its held-out accuracy and the real digits' feature statistics.
 *
 * Cache: $NNZOO_CACHE_DIR, else $XDG_CACHE_HOME/nnzoo, else ~/.cache/nnzoo:
 *   gan-mnist-classifier-<hash>.safetensors   weights
 *   gan-mnist-classifier-<hash>.json          settings, held-out accuracy, seconds to train
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { loadSafetensors, saveSafetensors } from "../../io/files.js";
import { type ImageSet, mnistSplit, toFloat } from "../../data/mnist.js";
import { accuracy, classify, CLASSIFIER_DEFAULTS, type ClassifierSettings, DigitClassifier, FEATURES, imagesOf, trainClassifier } from "./classifier.js";
import { frechetDistance, type GaussianStats, gaussianStats } from "./frechet.js";
import type { DigitData } from "./game.js";

/** The fixed split of the mnist package's 10,000 digits: 8,000 to train on, 2,000 held out (stratified, seed 0). */
export const SPLIT_SEED = 0;
export const TEST_FRACTION = 0.2;
/** Generated and real digits compared by the Fréchet distance. */
export const EVAL_SAMPLES = 2000;

export function digitData(set: ImageSet): DigitData {
  return { images: toFloat(set, 0, set.count, true), labels: set.labels, count: set.count };
}

let split: { train: DigitData; test: DigitData } | null = null;

/** The training and held-out digits in [−1, 1] (loaded once per process). */
export function mnistDigits(): { train: DigitData; test: DigitData } {
  if (!split) {
    const s = mnistSplit(SPLIT_SEED, TEST_FRACTION);
    split = { train: digitData(s.train), test: digitData(s.test) };
  }
  return split;
}

export function cacheDir(): string {
  const env = process.env.NNZOO_CACHE_DIR;
  if (env) return env;
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg || join(homedir(), ".cache"), "nnzoo");
}

export interface Judge {
  model: DigitClassifier;
  settings: ClassifierSettings;
  /** How many held-out (and training) digits the statistics below use. */
  samples: number;
  /** Accuracy on those held-out digits (all 2,000 by default). */
  accuracy: number;
  /** Feature statistics of the held-out digits (what generated digits are compared to). */
  heldOut: GaussianStats;
  /** The Fréchet distance of as many training digits to the held-out digits: the floor a perfect generator would show. */
  fidReal: number;
  file: string;
}

const models = new Map<string, DigitClassifier>();
const judges = new Map<string, Judge>();

export function classifierKey(s: ClassifierSettings): string {
  const text = JSON.stringify({ arch: "conv8-conv16-fc64", split: [SPLIT_SEED, TEST_FRACTION], ...s });
  return createHash("sha256").update(text).digest("hex").slice(0, 12);
}

/** The classifier for these settings from the cache, training (and caching) it first when there is none. */
async function cachedClassifier(s: ClassifierSettings, log: (line: string) => void): Promise<{ model: DigitClassifier; file: string }> {
  const key = classifierKey(s);
  const file = join(cacheDir(), `gan-mnist-classifier-${key}.safetensors`);
  const known = models.get(key);
  if (known) return { model: known, file };
  const model = new DigitClassifier();
  if (existsSync(file)) {
    model.loadStateDict(await loadSafetensors(file), { strict: true });
  } else {
    log(`gan-mnist: training the judge (a small MNIST classifier, ${s.steps} steps) once; it is cached in ${file}`);
    const t0 = performance.now();
    const trained = trainClassifier(mnistDigits().train, s, log);
    model.loadStateDict(trained.stateDict(), { strict: true });
    mkdirSync(cacheDir(), { recursive: true });
    // Written under temporary names and renamed, so concurrent runs never read half a file.
    const tmp = `${file}.${process.pid}.tmp`;
    await saveSafetensors(tmp, model.stateDict());
    renameSync(tmp, file);
    const info = file.replace(/\.safetensors$/, ".json");
    writeFileSync(`${info}.${process.pid}.tmp`, JSON.stringify({ settings: s, seconds: (performance.now() - t0) / 1000 }, null, 2) + "\n");
    renameSync(`${info}.${process.pid}.tmp`, info);
  }
  model.eval();
  models.set(key, model);
  return { model, file };
}

/**
 * The judge: the cached classifier for these settings, with the statistics of the first
 * `samples` held-out digits (and of as many training digits, for the floor).
 */
export async function getJudge(settings: Partial<ClassifierSettings> = {}, log: (line: string) => void = () => {}, samples = EVAL_SAMPLES): Promise<Judge> {
  const s = { ...CLASSIFIER_DEFAULTS, ...settings };
  const id = `${classifierKey(s)}/${samples}`;
  const known = judges.get(id);
  if (known) return known;
  const { model, file } = await cachedClassifier(s, log);
  const { train, test } = mnistDigits();
  const n = Math.min(samples, test.count, train.count);
  const heldOut = classify(model, imagesOf(test, 0, n));
  const heldOutStats = gaussianStats(heldOut.features, n, FEATURES);
  const trainSample = classify(model, imagesOf(train, 0, n));
  const judge: Judge = {
    model, settings: s, samples: n, accuracy: accuracy(heldOut.probs, test.labels.subarray(0, n)), heldOut: heldOutStats, file,
    fidReal: frechetDistance(gaussianStats(trainSample.features, n, FEATURES), heldOutStats),
  };
  judges.set(id, judge);
  return judge;
}

/** Reads the info file next to a cached classifier (settings and training time), if any. */
export function judgeInfo(judge: Judge): unknown {
  const f = judge.file.replace(/\.safetensors$/, ".json");
  return existsSync(f) ? JSON.parse(readFileSync(f, "utf8")) : null;
}
