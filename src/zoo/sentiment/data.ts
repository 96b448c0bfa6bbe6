import { readFileSync } from "node:fs";
import { NNZooError } from "../../core/errors.js";
import { packageFile, readTextFile } from "../../data/files.js";
import { kFolds, shuffled, trainTestSplit } from "../../data/split.js";

/**
 * Data of the sentiment task: the UCI "sentiment labelled sentences" (Kotzias et al., 2015),
 * 1,000 sentences from each of amazon, imdb and yelp, labelled 0 (negative) or 1
 * (positive), as shipped in the `sentiment` npm package's test/fixtures; or the user's own
 * JSONL file of {"text", "label"} rows. Splits: a seeded held-out split, k folds, or train
 * on some domains and test on others.
 */
export const DOMAINS = ["amazon", "imdb", "yelp"] as const;

export interface Example {
  text: string;
  label: 0 | 1;
  /** amazon | imdb | yelp for the built-in data, "data" for a user's file. */
  domain: string;
}

/** One model's data: it trains on `train` and is scored on `test`. */
export interface Round {
  train: Example[];
  test: Example[];
}

const isBlank = (text: string) => text.trim().length === 0;

/** The 1,000 sentences of one built-in domain (the fixture's empty rows skipped). */
export function loadDomain(domain: string): Example[] {
  if (!(DOMAINS as readonly string[]).includes(domain)) throw new NNZooError(`unknown domain ${JSON.stringify(domain)}; domains: ${DOMAINS.join(", ")}`);
  const file = packageFile("sentiment", `test/fixtures/${domain}.json`);
  let rows: unknown;
  try {
    rows = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new NNZooError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(rows)) throw new NNZooError(`${file}: expected an array of {text, class}`);
  const out: Example[] = [];
  for (const row of rows as Array<{ text?: unknown; class?: unknown }>) {
    if (typeof row?.text !== "string" || isBlank(row.text) || (row.class !== 0 && row.class !== 1)) continue;
    out.push({ text: row.text.trim(), label: row.class, domain });
  }
  return out;
}

/** "amazon,yelp" → ["amazon", "yelp"], naming the option and the unknown domain in errors. */
export function parseDomains(option: string, value: string): string[] {
  const names = value.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
  if (names.length === 0) throw new NNZooError(`${option} needs one or more of ${DOMAINS.join(", ")} (comma-separated)`);
  for (const n of names) {
    if (!(DOMAINS as readonly string[]).includes(n)) throw new NNZooError(`${option}: unknown domain ${JSON.stringify(n)}; domains: ${DOMAINS.join(", ")}`);
  }
  return [...new Set(names)];
}

/**
 * A JSONL file with one {"text": string, "label": 0 | 1} object per line (blank lines and
 * rows with empty text are skipped; other keys are ignored). Errors name the file, the line
 * and the problem.
 */
export function readJsonl(path: string): Example[] {
  const lines = readTextFile(path).split("\n");
  const out: Example[] = [];
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line.length === 0) return;
    const where = `${path} line ${i + 1}`;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (e) {
      throw new NNZooError(`${where}: not valid JSON (${(e as Error).message})`);
    }
    if (row === null || typeof row !== "object" || Array.isArray(row)) throw new NNZooError(`${where}: expected an object {"text": …, "label": 0 or 1}, got ${line.length > 40 ? line.slice(0, 40) + "…" : line}`);
    const { text, label } = row as { text?: unknown; label?: unknown };
    if (typeof text !== "string") throw new NNZooError(`${where}: "text" must be a string, got ${text === undefined ? "no \"text\" key" : JSON.stringify(text)}`);
    if (label !== 0 && label !== 1) throw new NNZooError(`${where}: "label" must be 0 or 1, got ${label === undefined ? "no \"label\" key" : JSON.stringify(label)}`);
    if (!isBlank(text)) out.push({ text: text.trim(), label, domain: "data" });
  });
  if (out.length === 0) throw new NNZooError(`${path}: no rows with text`);
  return out;
}

/** How to split: a held-out test fraction, k folds, or domains for train and test. */
export interface SplitOptions {
  seed: number;
  folds: number;
  testFraction: number;
  trainDomains?: string[];
  testDomains?: string[];
}

/**
 * The rounds of a run: one (held-out split or cross-domain) or k (cross-validation, fold i
 * the test set of round i). The same seed always gives the same rounds.
 */
export function makeRounds(examples: Example[], o: SplitOptions): Round[] {
  if (o.testDomains) {
    const test = examples.filter((e) => o.testDomains!.includes(e.domain));
    const train = examples.filter((e) => o.trainDomains!.includes(e.domain));
    return [{ train, test }];
  }
  if (o.folds > 0) {
    if (o.folds === 1 || o.folds > examples.length) throw new NNZooError(`--folds must be 0 (one held-out split) or in [2, ${examples.length}], got ${o.folds}`);
    const folds = kFolds(examples.length, o.folds, o.seed);
    return folds.map((testIdx) => {
      const inTest = new Set(testIdx);
      return { train: examples.filter((_, i) => !inTest.has(i)), test: testIdx.map((i) => examples[i]) };
    });
  }
  const { train, test } = trainTestSplit(examples, o.seed, { fraction: o.testFraction, maxTest: Infinity });
  return [{ train, test }];
}

/**
 * One epoch's mini-batches as lists of example indices: a seeded shuffle, then length
 * buckets (chunks of 16 batches sorted by length, so a batch pads little), then the batches
 * in a seeded random order. A function of (lengths, batch, seed) only, so a resumed run sees
 * the same batches.
 */
export function epochBatches(lengths: readonly number[], batch: number, seed: number): number[][] {
  const order = shuffled(Array.from(lengths, (_, i) => i), seed);
  const chunk = batch * 16;
  const batches: number[][] = [];
  for (let c = 0; c < order.length; c += chunk) {
    const part = order.slice(c, c + chunk).sort((a, b) => lengths[a] - lengths[b]);
    for (let b = 0; b < part.length; b += batch) batches.push(part.slice(b, b + batch));
  }
  return shuffled(batches, seed + 1);
}
