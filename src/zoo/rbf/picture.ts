/**
 * field.png of a 2-D classification run: the RBF network (left) and its MLP twin (right), each
 * as its decision regions (tinted by the predicted class, the boundary darker) with the training
 * points on top; on the left, each centre as a black dot inside a circle of radius σ.
 */
import { noGrad } from "../../core/autograd.js";
import { tensor } from "../../core/ops/creation.js";
import type { Tensor } from "../../core/tensor.js";
import type { Image } from "../../data/png.js";
import type { RBFPair } from "./model.js";

const SIZE = 260;
const GAP = 10;
const TINT = [[0.86, 0.91, 1], [1, 0.89, 0.84]];
const DOT = [[0.12, 0.35, 0.8], [0.85, 0.3, 0.1]];

export function fieldPicture(pair: RBFPair, x: Tensor, labels: Tensor): Image {
  const xs = x.data, n = x.shape[0];
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < n; i++) {
    x0 = Math.min(x0, xs[2 * i]); x1 = Math.max(x1, xs[2 * i]);
    y0 = Math.min(y0, xs[2 * i + 1]); y1 = Math.max(y1, xs[2 * i + 1]);
  }
  const span = Math.max(x1 - x0, y1 - y0) * 1.15;
  const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
  const toData = (p: number) => (p / (SIZE - 1) - 0.5) * span;
  const toPixel = (vx: number, vy: number): [number, number] => [Math.round(((vx - cx) / span + 0.5) * (SIZE - 1)), Math.round((0.5 - (vy - cy) / span) * (SIZE - 1))];
  const W = 2 * SIZE + GAP;
  const data = new Float32Array(W * SIZE * 3).fill(1);
  const put = (px: number, py: number, rgb: number[]) => {
    if (px < 0 || py < 0 || px >= W || py >= SIZE) return;
    data.set(rgb, (py * W + px) * 3);
  };
  const grid = new Float32Array(SIZE * SIZE * 2);
  for (let py = 0; py < SIZE; py++) for (let px = 0; px < SIZE; px++) {
    grid[(py * SIZE + px) * 2] = cx + toData(px);
    grid[(py * SIZE + px) * 2 + 1] = cy - toData(py);
  }
  const g = tensor(grid, { shape: [SIZE * SIZE, 2] });
  [pair.rbf, pair.mlp].forEach((net, panel) => {
    const pred = noGrad(() => net.forward(g).argmax(-1).data);
    const left = panel * (SIZE + GAP);
    for (let py = 0; py < SIZE; py++) for (let px = 0; px < SIZE; px++) {
      const c = pred[py * SIZE + px];
      const edge = (px + 1 < SIZE && pred[py * SIZE + px + 1] !== c) || (py + 1 < SIZE && pred[(py + 1) * SIZE + px] !== c);
      put(left + px, py, edge ? [0.35, 0.35, 0.35] : TINT[c]);
    }
    for (let i = 0; i < n; i++) {
      const [px, py] = toPixel(xs[2 * i], xs[2 * i + 1]);
      const rgb = DOT[labels.data[i]];
      for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) if (px + dx < SIZE) put(left + px + dx, py + dy, rgb);
    }
  });
  // Centres and widths on the RBF panel.
  const c = pair.rbf.centres.data, w = pair.rbf.widths();
  for (let k = 0; k < pair.rbf.units; k++) {
    const [px, py] = toPixel(c[2 * k], c[2 * k + 1]);
    const r = (w[k] / span) * (SIZE - 1);
    const steps = Math.max(24, Math.ceil(2 * Math.PI * r));
    for (let s = 0; s < steps; s++) {
      const qx = Math.round(px + r * Math.cos((2 * Math.PI * s) / steps)), qy = Math.round(py + r * Math.sin((2 * Math.PI * s) / steps));
      if (qx >= 0 && qx < SIZE) put(qx, qy, [0.25, 0.25, 0.25]);
    }
    for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) if (px + dx >= 0 && px + dx < SIZE) put(px + dx, py + dy, [0, 0, 0]);
  }
  return { width: W, height: SIZE, channels: 3, data };
}
