import { readFileSync } from "node:fs";
import { NNZooError } from "../../core/errors.js";
import { packageFile, readTextFile } from "../../data/files.js";
import { kFolds, trainTestSplit } from "../../data/split.js";
import { epochBatches, type Example, examplesFromRows, isBlank } from "./examples.js";

export { epochBatches, type Example };

/**
 * Data of the sentiment task: the UCI "sentiment labelled sentences" (Kotzias et al., 2015),
 * 1,000 sentences from each of amazon, imdb and yelp, labelled 0 (negative) or 1
 * (positive), as shipped in the `sentiment` npm package's test/fixtures; or the user's own
 * JSONL file of {"text", "label"} rows. Splits: a seeded held-out split, k folds, or train
 * on some domains and test on others.
 */
export const DOMAINS = ["amazon", "imdb", "yelp"] as const;


/** One model's data: it trains on `train` and is scored on `test`. */
export interface Round {
  train: Example[];
  test: Example[];
}

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
  return examplesFromRows(rows, domain);
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
