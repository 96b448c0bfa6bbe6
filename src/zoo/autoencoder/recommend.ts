/**
 * recommend — item-based AutoRec (Sedhain et al. 2015) on a ratings matrix: each item's vector
 * of ratings by all users is encoded to --code hidden units and decoded back; only observed
 * ratings count in the loss (see AutoRec in model.ts), and the reconstruction fills in the rest.
 *
 *   loss = Σ_observed (r − r̂)² / #observed + λ/(2·N)·(‖W‖² + ‖V‖²)    (N: training ratings)
 *
 * Data: --data FILE (MovieLens ratings.csv or u.data), or generated ratings shaped like
 * MovieLens 100k (see generateRatings). 10% of the ratings (seeded) are held out; scored by
 * RMSE on them next to the baseline μ + b_u + b_i. A held-out rating whose user or item has no
 * training ratings is predicted by the baseline (AutoRec has nothing to go on).
 */
import { NNZooError } from "../../core/errors.js";
import { randint, tensor } from "../../core/ops/creation.js";
import { noGrad } from "../../core/autograd.js";
import { Adam } from "../../optim/adam.js";
import type { Config, TaskContext } from "../task.js";
import { type AEState, type Mode, round6, sizesOf } from "./common.js";
import { gatherRows } from "./data.js";
import { AutoRec } from "./model.js";
import { BiasBaseline, generateRatings, itemMatrix, loadMovieLens, type Ratings, ratingsRmse, splitRatings } from "./ratings.js";

/** The generated data set's seed and the held-out split's: fixed, so runs compare. */
export const RATINGS_SEED = 0;
export const TEST_FRACTION = 0.1;

export interface RecommendState extends AEState {
  model: AutoRec;
  train: Ratings;
  test: Ratings;
  /** Item × user training ratings and their mask. */
  values: Float32Array;
  mask: Float32Array;
  baseline: BiasBaseline;
  batch: number;
  lambda: number;
  source: string;
}

/** AutoRec's prediction of every (item, user), [items, users]. */
function predictAll(state: RecommendState): Float32Array {
  const { users, items } = state.train;
  const out = new Float32Array(items * users);
  noGrad(() => {
    for (let i = 0; i < items; i += 256) {
      const m = Math.min(256, items - i);
      out.set(state.model.forward(tensor(state.values.subarray(i * users, (i + m) * users), { shape: [m, users] })).data, i * users);
    }
  });
  return out;
}

/** Training ratings per user and per item. */
function counts(r: Ratings): { perUser: Int32Array; perItem: Int32Array } {
  const perUser = new Int32Array(r.users), perItem = new Int32Array(r.items);
  for (let k = 0; k < r.rating.length; k++) {
    perUser[r.user[k]]++;
    perItem[r.item[k]]++;
  }
  return { perUser, perItem };
}

export const recommend: Mode<RecommendState> = {
  // AutoRec has one hidden layer, the code: --hidden and --layers do not apply.
  defaults: { code: 500, hidden: 0, layers: 0, steps: 2000 },

  setup(config: Config, ctx: TaskContext) {
    const all = config.data ? loadMovieLens(config.data) : generateRatings({ seed: RATINGS_SEED });
    const { train, test } = splitRatings(all, TEST_FRACTION, RATINGS_SEED);
    const { values, mask } = itemMatrix(train);
    const { code } = sizesOf(config, this.defaults);
    const model = new AutoRec(train.users, code);
    const source = config.data ? String(config.data) : "generated (MovieLens-100k-like)";
    ctx.log(`autoencoder recommend: I-AutoRec ${train.users}→${code}→${train.users} over ${train.items} items; ${source}: ${all.rating.length} ratings (${((100 * all.rating.length) / (all.users * all.items)).toFixed(1)}% observed), ${test.rating.length} held out`);
    return {
      mode: "recommend" as const, model, train, test, values, mask, batch: config.batch, lambda: config.lambda as number, source,
      baseline: new BiasBaseline(train),
      optimizer: new Adam(model.parameters(), { lr: config.lr }),
    };
  },

  loss(state) {
    const { users, items } = state.train;
    const idx = randint(0, items, [Math.min(state.batch, items)]).data;
    const r = tensor(gatherRows(state.values, users, idx), { shape: [idx.length, users] });
    const m = tensor(gatherRows(state.mask, users, idx), { shape: [idx.length, users] });
    const fit = state.model.maskedLoss(r, m);
    const penalty = state.model.weightNorm().mul(state.lambda / (2 * state.train.rating.length));
    return { loss: fit.add(penalty), logs: { mse: fit.item() } };
  },

  evaluate(state) {
    const { train, test, baseline } = state;
    const pred = predictAll(state);
    const { perUser, perItem } = counts(train);
    const autorec = (u: number, i: number) => (perUser[u] > 0 && perItem[i] > 0 ? pred[i * train.users + u] : baseline.predict(u, i));
    const mu = baseline.mu;
    return {
      rmse: round6(ratingsRmse(test, autorec)),
      baselineRmse: round6(ratingsRmse(test, (u, i) => baseline.predict(u, i))),
      globalMeanRmse: round6(ratingsRmse(test, () => mu)),
      trainRmse: round6(ratingsRmse(train, autorec)),
      users: train.users,
      items: train.items,
      trainRatings: train.rating.length,
      testRatings: test.rating.length,
      code: state.model.hidden,
    };
  },

  predict(state, _config, input) {
    // Top 10 items for a user, among those the user has not rated in training.
    const { train } = state;
    const raw = input.trim();
    const u = train.userIds ? train.userIds.indexOf(Number(raw)) : Number(raw);
    if (!/^\d+$/.test(raw) || u < 0 || u >= train.users) {
      throw new NNZooError(`predict autoencoder (recommend): give a user id (${train.userIds ? "as in the ratings file" : `0…${train.users - 1}`}), got ${JSON.stringify(input)}`);
    }
    const pred = predictAll(state);
    const rated = new Set<number>();
    for (let k = 0; k < train.rating.length; k++) if (train.user[k] === u) rated.add(train.item[k]);
    const top = Array.from({ length: train.items }, (_, i) => i)
      .filter((i) => !rated.has(i))
      .map((i) => ({ item: train.itemIds ? train.itemIds[i] : i, predicted: round6(Math.min(train.max, Math.max(train.min, pred[i * train.users + u]))) }))
      .sort((a, b) => b.predicted - a.predicted)
      .slice(0, 10);
    const text = [`user ${raw}: ${rated.size} ratings in training; top 10 unrated items by AutoRec's predicted rating:`, ...top.map((t) => `  item ${t.item}  ${t.predicted.toFixed(2)}`)].join("\n");
    return { text, json: { user: Number(raw), rated: rated.size, top } };
  },
};
