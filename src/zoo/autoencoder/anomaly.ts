/**
 * anomaly — reconstruction-error anomaly detection on the single-hop sensor network (see
 * sensors.ts). An autoencoder (linear output, MSE) learns to reconstruct windows of --window
 * readings of a mote; a window it reconstructs badly is unusual, and its error is the anomaly
 * score of the window's last reading. Unsupervised: it trains on every reading with the labels
 * hidden (events are 0.8% of them) and the labels only score it — ROC AUC over all readings,
 * next to PCA's reconstruction error with as many components and to the robust distance of the
 * reading itself from its mote's median (a strong simple baseline on this data).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { randint, tensor } from "../../core/ops/creation.js";
import { mse } from "../../nn/losses.js";
import { Adam } from "../../optim/adam.js";
import type { Config, TaskContext } from "../task.js";
import { type AEState, type Mode, round6, sizesOf } from "./common.js";
import { gatherRows, mapRows } from "./data.js";
import { rocAuc } from "./metrics.js";
import { Autoencoder } from "./model.js";
import { fitPca, pcaDecode, pcaEncode } from "./pca.js";
import { loadSensorReadings, sensorWindows } from "./sensors.js";

export interface AnomalyState extends AEState {
  model: Autoencoder;
  x: Float32Array;
  dims: number;
  labels: Int32Array;
  motes: Int32Array;
  robustDistance: Float32Array;
  batch: number;
}

/** Per-row mean squared reconstruction error. */
export function rowErrors(x: Float32Array, recon: Float32Array, dims: number): Float32Array {
  const n = x.length / dims;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < dims; j++) s += (x[i * dims + j] - recon[i * dims + j]) ** 2;
    out[i] = s / dims;
  }
  return out;
}

export const anomaly: Mode<AnomalyState> = {
  defaults: { code: 2, hidden: 32, layers: 2, steps: 2000 },

  setup(config: Config, ctx: TaskContext) {
    const readings = loadSensorReadings();
    const { x, labels, motes, robustDistance, dims } = sensorWindows(readings, config.window as number);
    const { code, widths } = sizesOf(config, this.defaults);
    const model = new Autoencoder({ input: dims, hidden: widths, code });
    const events = labels.reduce((a, b) => a + b, 0);
    ctx.log(`autoencoder anomaly: ${dims}→${widths.join("→")}→${code}→…→${dims} on windows of ${config.window} readings; ${labels.length} readings, ${events} labelled events (labels unused in training)`);
    return { mode: "anomaly" as const, model, x, dims, labels, motes, robustDistance, batch: config.batch, optimizer: new Adam(model.parameters(), { lr: config.lr }) };
  },

  loss(state) {
    const n = state.labels.length;
    const idx = randint(0, n, [Math.min(state.batch, n)]).data;
    const x = tensor(gatherRows(state.x, state.dims, idx), { shape: [idx.length, state.dims] });
    return { loss: mse(state.model.forward(x).logits, x) };
  },

  evaluate(state, _config, ctx) {
    const { model, x, dims, labels } = state;
    const recon = mapRows(x, dims, dims, (b) => model.decodeLogits(model.encode(b)), 2000);
    const scores = rowErrors(x, recon, dims);
    const pca = fitPca(x, dims, model.codeSize);
    const pcaScores = rowErrors(x, pcaDecode(pca, pcaEncode(pca, x)), dims);
    const perMote: Record<string, number> = {};
    for (const m of [...new Set(state.motes)].sort()) {
      const rows = Array.from(state.motes.keys()).filter((i) => state.motes[i] === m);
      const ls = rows.map((i) => labels[i]);
      if (ls.some((l) => l === 1)) perMote[`aucMote${m}`] = round6(rocAuc(rows.map((i) => scores[i]), ls));
    }
    if (ctx.out) {
      const order = Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a]).slice(0, 200);
      writeFileSync(join(ctx.out, "anomalies.json"), JSON.stringify({
        what: "the 200 highest-scoring readings: mote, row in the data, label, reconstruction error",
        top: order.map((i) => ({ mote: state.motes[i], row: i, label: labels[i], score: round6(scores[i]) })),
      }) + "\n");
    }
    return {
      auc: round6(rocAuc(scores, labels)),
      pcaAuc: round6(rocAuc(pcaScores, labels)),
      distanceAuc: round6(rocAuc(state.robustDistance, labels)),
      ...perMote,
      readings: labels.length,
      events: labels.reduce((a, b) => a + b, 0),
      code: model.codeSize,
    };
  },
};
