import { shuffled } from "../../data/split.js";

/**
 * The sentiment data's pure parts (no file access, so the Lab's worker shares them with the
 * CLI): examples from the fixture rows and an epoch's length-bucketed batches.
 */
export interface Example {
  text: string;
  label: 0 | 1;
  /** amazon | imdb | yelp for the built-in data, "data" for a user's file. */
  domain: string;
}

export const isBlank = (text: string) => text.trim().length === 0;

/** The rows of a `sentiment` fixture ([{text, class}]) as examples, skipping empty or unlabelled rows. */
export function examplesFromRows(rows: readonly unknown[], domain: string): Example[] {
  const out: Example[] = [];
  for (const row of rows as Array<{ text?: unknown; class?: unknown }>) {
    if (typeof row?.text !== "string" || isBlank(row.text) || (row.class !== 0 && row.class !== 1)) continue;
    out.push({ text: row.text.trim(), label: row.class, domain });
  }
  return out;
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
