/**
 * The rbf page's worker side: src/zoo/rbf's RBF network (centres by k-means, widths by the
 * nearest-centres rule) and an MLP with as many parameters, both trained by Adam on the same
 * 2-D classification data, one step each per `step()`.
 */
import { Generator, noGrad, nn, optim, tensor, type Tensor } from "../../../../src/index.ts";
import { twoCircles, twoMoons, xorBlobs } from "../../../../src/zoo/rbf/data.ts";
import { kmeans } from "../../../../src/zoo/rbf/kmeans.ts";
import { countParams, RBFPair, widthRule } from "../../../../src/zoo/rbf/model.ts";
import { defineTrainer } from "../../protocol.ts";
import { FIELD, POINTS, type RBFParams, type RBFPayload } from "./shared.ts";

const DATA_SEED = 7;
/** The shortest time between two refreshes of the fields (ms). */
const FIELD_MS = 100;

function dataset(name: RBFParams["dataset"]) {
  const g = new Generator(DATA_SEED);
  return name === "moons" ? twoMoons(POINTS, 0.15, g) : name === "circles" ? twoCircles(POINTS, 0.1, g) : xorBlobs(POINTS, 0.35, g);
}

function accuracy(logits: Tensor, labels: Int32Array): number {
  const pred = logits.argmax(-1).data;
  let c = 0;
  for (let i = 0; i < labels.length; i++) if (pred[i] === labels[i]) c++;
  return c / labels.length;
}

export default defineTrainer<RBFParams, RBFPayload>({
  create(params, seed) {
    const data = dataset(params.dataset);
    const x = tensor(data.x, { shape: [POINTS, 2] });
    const y = tensor(data.y, { shape: [POINTS] });
    const pair = new RBFPair(2, params.units, 2);
    const km = kmeans(data.x, POINTS, 2, params.units, { generator: new Generator(seed + 11) });
    pair.rbf.place(km.centres, widthRule("nearest", km.centres, params.units, 2));
    const optimizer = new optim.Adam(pair.parameters(), { lr: params.lr });
    let learnCentres = params.learnCentres;
    let mlpLoss = NaN;

    // The view box and its grid of FIELD × FIELD points (row 0 at the top).
    let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
    for (let i = 0; i < POINTS; i++) {
      x0 = Math.min(x0, data.x[2 * i]); x1 = Math.max(x1, data.x[2 * i]);
      y0 = Math.min(y0, data.x[2 * i + 1]); y1 = Math.max(y1, data.x[2 * i + 1]);
    }
    const pad = 0.15 * Math.max(x1 - x0, y1 - y0);
    const bounds = Float32Array.of(x0 - pad, x1 + pad, y0 - pad, y1 + pad);
    const grid = new Float32Array(FIELD * FIELD * 2);
    for (let r = 0; r < FIELD; r++) for (let c = 0; c < FIELD; c++) {
      grid[(r * FIELD + c) * 2] = bounds[0] + ((c + 0.5) / FIELD) * (bounds[1] - bounds[0]);
      grid[(r * FIELD + c) * 2 + 1] = bounds[3] - ((r + 0.5) / FIELD) * (bounds[3] - bounds[2]);
    }
    const gridT = tensor(grid, { shape: [FIELD * FIELD, 2] });
    const ce = (logits: Tensor) => nn.functional.crossEntropy(logits, y);
    let fields = { rbf: new Float32Array(FIELD * FIELD), mlp: new Float32Array(FIELD * FIELD), rbfAccuracy: NaN, mlpAccuracy: NaN };
    let fieldsAt = -Infinity;

    return {
      modules: () => ({ pair }),
      step() {
        optimizer.zeroGrad();
        const rbfLoss = ce(pair.rbf.forward(x));
        const mlp = ce(pair.mlp.forward(x));
        rbfLoss.add(mlp).backward();
        if (!learnCentres) {
          pair.rbf.centres.grad = null;
          pair.rbf.logWidths.grad = null;
        }
        optimizer.step();
        mlpLoss = mlp.item();
        return rbfLoss.item();
      },
      loss: () => noGrad(() => ce(pair.rbf.forward(x)).item()),
      frame() {
        return noGrad(() => {
          // The fields cost a pass over FIELD² points per network: refresh them at most every FIELD_MS.
          const now = performance.now();
          if (now - fieldsAt >= FIELD_MS) {
            fieldsAt = now;
            const p1 = (net: { forward(t: Tensor): Tensor }) => Float32Array.from(net.forward(gridT).softmax(-1).select(1, 1).data);
            fields = { rbf: p1(pair.rbf), mlp: p1(pair.mlp), rbfAccuracy: accuracy(pair.rbf.forward(x), data.y), mlpAccuracy: accuracy(pair.mlp.forward(x), data.y) };
          }
          const payload: RBFPayload = {
            bounds: Float32Array.from(bounds), rbfField: fields.rbf.slice(), mlpField: fields.mlp.slice(),
            centres: Float32Array.from(pair.rbf.centres.data), widths: pair.rbf.widths(),
            points: Float32Array.from(data.x), labels: Int32Array.from(data.y),
            mlpHidden: pair.mlpHidden, params: countParams(pair.rbf),
          };
          if (Number.isNaN(mlpLoss)) mlpLoss = ce(pair.mlp.forward(x)).item();
          return {
            payload,
            metrics: { mlpLoss, rbfAccuracy: fields.rbfAccuracy, mlpAccuracy: fields.mlpAccuracy },
            transfer: [payload.rbfField.buffer, payload.mlpField.buffer, payload.centres.buffer, payload.widths.buffer, payload.points.buffer, payload.labels.buffer, payload.bounds.buffer],
          };
        });
      },
      update(change) {
        if (change.dataset !== undefined && change.dataset !== params.dataset) return false;
        if (change.units !== undefined && change.units !== params.units) return false;
        if (change.learnCentres !== undefined) learnCentres = change.learnCentres;
        if (change.lr !== undefined) for (const g of optimizer.paramGroups) g.lr = change.lr;
        return true;
      },
    };
  },
});
