import { describe, expect, it } from "vitest";
import { manualSeed } from "../../src/index.js";
import { ApproxFit, ApproxMLP, grid, sampleTarget, TARGETS } from "../../src/zoo/approx/index.js";

describe("zoo/approx: the universal approximator", () => {
  it("grid and built-in targets cover [−1, 1]", () => {
    const x = grid(5);
    expect(Array.from(x)).toEqual([-1, -0.5, 0, 0.5, 1]);
    for (const name of Object.keys(TARGETS) as Array<keyof typeof TARGETS>) {
      const y = sampleTarget(name, 64);
      expect(y.length).toBe(64);
      expect(Math.max(...y.map(Math.abs)), name).toBeLessThanOrEqual(1);
    }
    expect(() => sampleTarget("nope" as "sin", 8)).toThrow(/unknown target "nope"/);
  });

  it("has PyTorch's parameter names and shapes", () => {
    manualSeed(0);
    const m = new ApproxMLP(5);
    expect(m.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ["hidden.weight", [5, 1]], ["hidden.bias", [5]], ["output.weight", [1, 5]], ["output.bias", [1]],
    ]);
  });

  it("the units' contributions plus the bias sum to the fit (the bumps under the sum)", () => {
    manualSeed(1);
    const m = new ApproxMLP(7);
    const xs = grid(33);
    const s = m.snapshot(xs);
    expect(s.contributions.length).toBe(7 * 33);
    for (let j = 0; j < 33; j++) {
      let sum = s.bias;
      for (let i = 0; i < 7; i++) {
        const u = s.units[i];
        expect(s.contributions[i * 33 + j]).toBeCloseTo(u.w * Math.tanh(u.a * xs[j] + u.b), 5);
        sum += s.contributions[i * 33 + j];
      }
      expect(s.fit[j]).toBeCloseTo(sum, 5);
    }
  });

  it("fits sin with 8 units: the loss falls by two orders of magnitude; same seed, same run", () => {
    const run = () => {
      const fit = new ApproxFit(sampleTarget("sin", 64), { units: 8, seed: 3 });
      const first = fit.step();
      let last = first;
      for (let i = 0; i < 400; i++) last = fit.step();
      return { first, last, maxError: fit.maxError() };
    };
    const a = run();
    expect(a.last).toBeLessThan(a.first / 100);
    expect(a.maxError).toBeLessThan(0.1);
    expect(run()).toEqual(a);
  });

  it("takes a new target and learning rate between steps, and rejects bad targets", () => {
    const fit = new ApproxFit(sampleTarget("step", 32), { units: 4, seed: 0 });
    fit.step();
    fit.setTarget(sampleTarget("abs", 32));
    fit.lr = 0.05;
    expect(fit.lr).toBe(0.05);
    expect(Number.isFinite(fit.step())).toBe(true);
    expect(() => fit.setTarget(new Float32Array(31))).toThrow(/31 points, the grid has 32/);
    expect(() => fit.setTarget(new Float32Array(32).fill(NaN))).toThrow(/finite/);
    expect(() => new ApproxMLP(0)).toThrow(/positive integer/);
  });
});
