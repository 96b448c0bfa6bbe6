/**
 * Ratings for the recommendation mode: a generator of realistic ratings, a MovieLens loader,
 * a held-out split and the user/item-mean baseline.
 */
import { NNZooError } from "../../core/errors.js";
import { Generator } from "../../core/random.js";
import { readTextFile } from "../../data/files.js";

/** Observed ratings as parallel arrays; users and items are dense indices 0…users−1, 0…items−1. */
export interface Ratings {
  users: number;
  items: number;
  user: Int32Array;
  item: Int32Array;
  rating: Float32Array;
  /** The ids in the source file (MovieLens userId / movieId) of each dense index. */
  userIds?: number[];
  itemIds?: number[];
  /** Rating scale. */
  min: number;
  max: number;
}

export interface GeneratorOptions {
  users?: number;
  items?: number;
  /** Latent factors per user and item. */
  factors?: number;
  /** Mean ratings per user (activity is log-normal around it). */
  perUser?: number;
  /** Zipf exponent of item popularity: item of rank k is picked ∝ 1/k^s. */
  popularity?: number;
  /** Standard deviation of the rating noise. */
  noise?: number;
  seed?: number;
}

/**
 * Synthetic ratings shaped like MovieLens 100k (943 users × 1682 items, ~6% observed):
 *
 *   taste      r*_ui = μ + b_u + b_i + p_u·q_i + ε      p_u, q_i ~ N(0, σ²I), ε ~ N(0, noise²)
 *   rating     r_ui = clamp(round(r*_ui), 1, 5)
 *   observed   user u rates n_u ~ LogNormal items (at least 5, most users few, some many),
 *              drawn without replacement with P(i) ∝ 1/rank(i)^s — a few blockbusters, a long tail;
 *              popular items are also better liked (b_i rises with popularity), as in real data.
 */
export function generateRatings(options: GeneratorOptions = {}): Ratings {
  const users = options.users ?? 943, items = options.items ?? 1682, factors = options.factors ?? 8;
  const perUser = options.perUser ?? 106, s = options.popularity ?? 0.9, noise = options.noise ?? 0.5;
  if (!(users >= 1 && items >= 5)) throw new NNZooError(`generateRatings: need ≥ 1 user and ≥ 5 items, got ${users} and ${items}`);
  const gen = new Generator(options.seed ?? 0);
  const mu = 3.55;
  // Factor entries ~ N(0, s²) with s⁴·factors = 0.81: the taste term p·q has standard deviation 0.9.
  const scale = Math.sqrt(0.9 / Math.sqrt(factors));
  const p = Float64Array.from({ length: users * factors }, () => gen.normal() * scale);
  const q = Float64Array.from({ length: items * factors }, () => gen.normal() * scale);
  const bu = Float64Array.from({ length: users }, () => 0.35 * gen.normal());
  // Item k (0-based) is the (k+1)-th most popular; popular items get a small bonus.
  const bi = Float64Array.from({ length: items }, (_, k) => 0.4 * gen.normal() + 0.3 * (1 - Math.log(k + 1) / Math.log(items)));
  const weights = Float64Array.from({ length: items }, (_, k) => 1 / (k + 1) ** s);

  const user: number[] = [], item: number[] = [], rating: number[] = [];
  const taken = new Uint8Array(items);
  for (let u = 0; u < users; u++) {
    // Log-normal activity, mean perUser (median ≈ 0.67·perUser: a long right tail), at least 5 ratings.
    const n = Math.min(items - 1, Math.max(5, Math.round(perUser * Math.exp(0.9 * gen.normal() - 0.405))));
    taken.fill(0);
    let total = weights.reduce((a, b) => a + b, 0);
    const mine: number[] = [];
    for (let r = 0; r < n; r++) {
      // Sampling without replacement: draw by weight among the items not yet taken.
      let x = gen.random() * total, i = 0;
      for (; i < items - 1; i++) {
        if (taken[i]) continue;
        x -= weights[i];
        if (x < 0) break;
      }
      while (taken[i]) i--;
      taken[i] = 1;
      total -= weights[i];
      mine.push(i);
    }
    mine.sort((a, b) => a - b);
    for (const i of mine) {
      let dot = 0;
      for (let f = 0; f < factors; f++) dot += p[u * factors + f] * q[i * factors + f];
      const raw = mu + bu[u] + bi[i] + dot + noise * gen.normal();
      user.push(u);
      item.push(i);
      rating.push(Math.min(5, Math.max(1, Math.round(raw))));
    }
  }
  return { users, items, user: Int32Array.from(user), item: Int32Array.from(item), rating: Float32Array.from(rating), min: 1, max: 5 };
}

/**
 * Reads MovieLens ratings: `ratings.csv` (ml-latest, ml-25m…: a header `userId,movieId,rating,timestamp`,
 * comma-separated, half-star ratings 0.5…5) or `u.data` (ml-100k: tab-separated
 * `user item rating timestamp`, no header, ratings 1…5). Users and items get dense indices in
 * order of first appearance. Any bad row stops the load with the file and line named.
 */
export function loadMovieLens(path: string): Ratings {
  const text = readTextFile(path, "ratings file");
  const lines = text.split("\n");
  const first = lines[0].replace(/\r$/, "").trim();
  const csv = !first.includes("\t") && first.includes(",");
  let start = 0;
  if (/^userId,movieId,rating(,timestamp)?$/i.test(first)) start = 1;
  else if (csv && /[a-z]/i.test(first)) throw new NNZooError(`${path} line 1: expected the header userId,movieId,rating,timestamp, got ${JSON.stringify(first.slice(0, 80))}`);
  const sep = csv ? "," : /\t/;
  const format = csv ? "userId,movieId,rating,timestamp" : "user<TAB>item<TAB>rating<TAB>timestamp";
  const userIndex = new Map<number, number>(), itemIndex = new Map<number, number>();
  const user: number[] = [], item: number[] = [], rating: number[] = [];
  const seen = new Map<string, number>();
  for (let l = start; l < lines.length; l++) {
    const line = lines[l].replace(/\r$/, "");
    if (line.trim() === "") continue;
    const where = `${path} line ${l + 1}`;
    const fields = line.split(sep).map((f) => f.trim());
    if (fields.length !== 4 && fields.length !== 3) throw new NNZooError(`${where}: expected 4 fields (${format}), got ${fields.length}: ${JSON.stringify(line.slice(0, 80))}`);
    const [u, i, r] = fields;
    const id = (name: string, v: string) => {
      if (!/^\d+$/.test(v)) throw new NNZooError(`${where}: ${name} must be a whole number, got ${JSON.stringify(v)}`);
      return Number(v);
    };
    const uid = id("the user id", u), iid = id("the item id", i);
    const value = Number(r);
    if (r === "" || !Number.isFinite(value) || value < 0.5 || value > 5) throw new NNZooError(`${where}: the rating must be a number from 0.5 to 5, got ${JSON.stringify(r)}`);
    if (fields.length === 4 && fields[3] !== "" && !/^\d+$/.test(fields[3])) throw new NNZooError(`${where}: the timestamp must be a whole number, got ${JSON.stringify(fields[3])}`);
    const key = `${uid}:${iid}`;
    if (seen.has(key)) throw new NNZooError(`${where}: user ${uid} rated item ${iid} already on line ${seen.get(key)}`);
    seen.set(key, l + 1);
    if (!userIndex.has(uid)) userIndex.set(uid, userIndex.size);
    if (!itemIndex.has(iid)) itemIndex.set(iid, itemIndex.size);
    user.push(userIndex.get(uid)!);
    item.push(itemIndex.get(iid)!);
    rating.push(value);
  }
  if (rating.length === 0) throw new NNZooError(`${path}: no ratings`);
  const min = Math.min(...rating) >= 1 && rating.every(Number.isInteger) ? 1 : 0.5;
  return {
    users: userIndex.size, items: itemIndex.size,
    user: Int32Array.from(user), item: Int32Array.from(item), rating: Float32Array.from(rating),
    userIds: [...userIndex.keys()], itemIds: [...itemIndex.keys()], min, max: 5,
  };
}

/** A seeded split of the observed ratings: `fraction` of them held out for testing. */
export function splitRatings(r: Ratings, fraction: number, seed: number): { train: Ratings; test: Ratings } {
  const gen = new Generator(seed);
  const isTest = new Uint8Array(r.rating.length);
  for (let k = 0; k < isTest.length; k++) isTest[k] = gen.random() < fraction ? 1 : 0;
  const pick = (want: number): Ratings => {
    const idx: number[] = [];
    isTest.forEach((t, k) => { if (t === want) idx.push(k); });
    return { ...r, user: Int32Array.from(idx, (k) => r.user[k]), item: Int32Array.from(idx, (k) => r.item[k]), rating: Float32Array.from(idx, (k) => r.rating[k]) };
  };
  return { train: pick(0), test: pick(1) };
}

/**
 * The baseline predictor r̂_ui = μ + b_u + b_i (Koren 2010, §2.1): item biases, then user biases,
 * each a damped mean of residuals (b_i = Σ(r − μ)/(λ₂ + n_i), b_u = Σ(r − μ − b_i)/(λ₃ + n_u)),
 * alternated a few times. Unknown users or items get a zero bias.
 */
export class BiasBaseline {
  mu = 0;
  userBias: Float64Array;
  itemBias: Float64Array;

  constructor(train: Ratings, options: { itemDamping?: number; userDamping?: number; rounds?: number } = {}) {
    const l2 = options.itemDamping ?? 25, l3 = options.userDamping ?? 10;
    this.userBias = new Float64Array(train.users);
    this.itemBias = new Float64Array(train.items);
    const n = train.rating.length;
    this.mu = train.rating.reduce((a, b) => a + b, 0) / Math.max(1, n);
    for (let round = 0; round < (options.rounds ?? 3); round++) {
      const sum = new Float64Array(train.items), count = new Float64Array(train.items);
      for (let k = 0; k < n; k++) {
        sum[train.item[k]] += train.rating[k] - this.mu - this.userBias[train.user[k]];
        count[train.item[k]]++;
      }
      for (let i = 0; i < train.items; i++) this.itemBias[i] = sum[i] / (l2 + count[i]);
      const su = new Float64Array(train.users), cu = new Float64Array(train.users);
      for (let k = 0; k < n; k++) {
        su[train.user[k]] += train.rating[k] - this.mu - this.itemBias[train.item[k]];
        cu[train.user[k]]++;
      }
      for (let u = 0; u < train.users; u++) this.userBias[u] = su[u] / (l3 + cu[u]);
    }
  }

  predict(u: number, i: number): number {
    return this.mu + (this.userBias[u] ?? 0) + (this.itemBias[i] ?? 0);
  }
}

/** Root mean squared error of predictions against the held-out ratings, predictions clipped to the scale. */
export function ratingsRmse(test: Ratings, predict: (u: number, i: number) => number): number {
  let se = 0;
  for (let k = 0; k < test.rating.length; k++) {
    const p = Math.min(test.max, Math.max(test.min, predict(test.user[k], test.item[k])));
    se += (p - test.rating[k]) ** 2;
  }
  return Math.sqrt(se / Math.max(1, test.rating.length));
}

/** Dense item × user matrices of the ratings and the observation mask (1 observed, 0 not). */
export function itemMatrix(r: Ratings): { values: Float32Array; mask: Float32Array } {
  const values = new Float32Array(r.items * r.users), mask = new Float32Array(r.items * r.users);
  for (let k = 0; k < r.rating.length; k++) {
    values[r.item[k] * r.users + r.user[k]] = r.rating[k];
    mask[r.item[k] * r.users + r.user[k]] = 1;
  }
  return { values, mask };
}
