import { describe, expect, it } from "vitest";
import { type Tensor, linspace, noGrad, tensor, zeros } from "../../src/core/index.js";
import * as optim from "../../src/optim/index.js";

// End to end: fit y = 3x − 1 with a weight and a bias, the model and the MSE written with core
// ops, one optimizer at a time; the loss must fall below a threshold.
const x = linspace(-1, 1, 32).reshape([32, 1]);
const y = noGrad(() => x.mul(3).sub(1));

function fit(make: (params: Tensor[]) => optim.Optimizer, steps: number, schedule?: (o: optim.Optimizer) => optim.LRScheduler) {
  const w = zeros([1, 1], { requiresGrad: true });
  const b = zeros([1], { requiresGrad: true });
  const opt = make([w, b]);
  const sched = schedule?.(opt);
  const mse = () => x.matmul(w).add(b).sub(y).square().mean();
  const first = noGrad(mse).item();
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    mse().backward();
    opt.step();
    sched?.step();
  }
  return { first, last: noGrad(mse).item(), w: w.item(), b: b.item() };
}

const cases: Array<[string, (p: Tensor[]) => optim.Optimizer, number, number, ((o: optim.Optimizer) => optim.LRScheduler)?]> = [
  ["SGD + momentum", (p) => new optim.SGD(p, { lr: 0.1, momentum: 0.9 }), 200, 1e-6],
  ["SGD + nesterov", (p) => new optim.SGD(p, { lr: 0.1, momentum: 0.9, nesterov: true }), 200, 1e-6],
  ["Adam", (p) => new optim.Adam(p, { lr: 0.1 }), 300, 1e-5],
  ["Adam + amsgrad + cosine schedule", (p) => new optim.Adam(p, { lr: 0.1, amsgrad: true }), 300, 1e-4, (o) => new optim.CosineAnnealingLR(o, { tMax: 300 })],
  ["AdamW (weightDecay 0.01)", (p) => new optim.AdamW(p, { lr: 0.1 }), 300, 1e-3],
  ["RMSprop", (p) => new optim.RMSprop(p, { lr: 0.01 }), 400, 1e-3],
  ["RMSprop + StepLR", (p) => new optim.RMSprop(p, { lr: 0.05 }), 400, 1e-5, (o) => new optim.StepLR(o, { stepSize: 100, gamma: 0.2 })],
  ["RMSprop centered + momentum", (p) => new optim.RMSprop(p, { lr: 0.01, momentum: 0.5, centered: true }), 300, 1e-4],
  ["Adagrad", (p) => new optim.Adagrad(p, { lr: 0.5 }), 300, 1e-5],
  ["SGD + OneCycleLR", (p) => new optim.SGD(p, { lr: 0.1 }), 200, 1e-5, (o) => new optim.OneCycleLR(o, { maxLr: 0.5, totalSteps: 200 })],
];

describe("fitting y = 3x − 1", () => {
  for (const [name, make, steps, threshold, schedule] of cases) {
    it(`${name}: loss < ${threshold} after ${steps} steps`, () => {
      const r = fit(make, steps, schedule);
      expect(r.first).toBeGreaterThan(1);
      expect(r.last).toBeLessThan(threshold);
      expect(r.w).toBeCloseTo(3, 1);
      expect(r.b).toBeCloseTo(-1, 1);
    });
  }
});
