import { describe, expect, it } from "vitest";
import { manualSeed, nn, zeros, type Tensor } from "../../src/index.js";

const init = nn.init;

function stats(t: Tensor): { min: number; max: number; mean: number; std: number } {
  const d = Array.from(t.data);
  const mean = d.reduce((a, b) => a + b, 0) / d.length;
  const std = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / d.length);
  return { min: Math.min(...d), max: Math.max(...d), mean, std };
}

/** A uniform sample on ±bound: inside the bounds, near them at both ends, std ≈ bound/√3. */
function expectUniform(t: Tensor, bound: number): void {
  const s = stats(t);
  expect(s.min).toBeGreaterThanOrEqual(-bound);
  expect(s.max).toBeLessThanOrEqual(bound);
  expect(s.max).toBeGreaterThan(0.9 * bound);
  expect(s.min).toBeLessThan(-0.9 * bound);
  expect(Math.abs(s.std / (bound / Math.sqrt(3)) - 1)).toBeLessThan(0.1);
}

describe("nn.init: PyTorch's conventions", () => {
  it("calculateGain", () => {
    expect(init.calculateGain("tanh")).toBeCloseTo(5 / 3, 12);
    expect(init.calculateGain("relu")).toBeCloseTo(Math.SQRT2, 12);
    expect(init.calculateGain("leaky_relu", 0.2)).toBeCloseTo(Math.sqrt(2 / 1.04), 12);
    expect(init.calculateGain("leaky_relu")).toBeCloseTo(Math.sqrt(2 / 1.0001), 12);
    expect(init.calculateGain("selu")).toBe(0.75);
    expect(init.calculateGain("conv2d")).toBe(1);
  });

  it("fans of linear and conv weights", () => {
    expect(init.computeFans(zeros([20, 10]))).toEqual({ fanIn: 10, fanOut: 20 });
    expect(init.computeFans(zeros([8, 4, 3, 3]))).toEqual({ fanIn: 36, fanOut: 72 });
    expect(() => init.computeFans(zeros([3]))).toThrow("computeFans: fan in and fan out need a tensor with at least 2 dims, got [3]");
  });

  it("xavier and kaiming bounds and spreads", () => {
    const w = zeros([200, 300]);
    expectUniform(init.xavierUniform_(w, { gain: 2 }), 2 * Math.sqrt(6 / 500));
    expect(stats(init.xavierNormal_(w)).std).toBeCloseTo(Math.sqrt(2 / 500), 2);
    expectUniform(init.kaimingUniform_(w, { nonlinearity: "relu" }), Math.SQRT2 * Math.sqrt(3 / 300));
    expect(Math.abs(stats(init.kaimingNormal_(w, { mode: "fanOut", nonlinearity: "relu" })).std / Math.sqrt(2 / 200) - 1)).toBeLessThan(0.03);
    expectUniform(init.uniform_(w, -0.3, 0.3), 0.3);
    const n = stats(init.normal_(w, 1, 2));
    expect(Math.abs(n.mean - 1)).toBeLessThan(0.05);
    expect(Math.abs(n.std - 2)).toBeLessThan(0.05);
    expect(Array.from(init.constant_(zeros([3]), 0.5).data)).toEqual([0.5, 0.5, 0.5]);
    expect(Array.from(init.ones_(zeros([2])).data)).toEqual([1, 1]);
  });

  it("orthogonal: orthonormal rows or columns, times the gain", () => {
    for (const [r, c] of [[5, 8], [8, 5], [6, 6]]) {
      const w = init.orthogonal_(zeros([r, c], { dtype: "float64" }), { gain: 2 });
      const g = r <= c ? w.matmul(w.t()) : w.t().matmul(w);
      const k = Math.min(r, c);
      for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) expect(g.data[i * k + j]).toBeCloseTo(i === j ? 4 : 0, 10);
    }
    expect(init.orthogonal_(zeros([4, 2, 3])).shape).toEqual([4, 2, 3]);
  });

  it("manualSeed makes initialisation repeat", () => {
    manualSeed(42);
    const a = new nn.LSTM(3, 4);
    manualSeed(42);
    const b = new nn.LSTM(3, 4);
    expect(a.parameters().map((p) => Array.from(p.data))).toEqual(b.parameters().map((p) => Array.from(p.data)));
  });
});

describe("layers' default initialisation is PyTorch's", () => {
  it("Linear and Conv2d: U(−1/√fanIn, 1/√fanIn) for weight and bias", () => {
    const fc = new nn.Linear(50, 400);
    expectUniform(fc.weight, 1 / Math.sqrt(50));
    expectUniform(fc.bias!, 1 / Math.sqrt(50));
    const conv = new nn.Conv2d(4, 64, 3, { groups: 2 });
    expectUniform(conv.weight, 1 / Math.sqrt(2 * 9));
  });

  it("ConvTranspose2d reads its fan from dim 1 of [in, out/groups, kh, kw], as PyTorch", () => {
    const deconv = new nn.ConvTranspose2d(64, 8, 4);
    expectUniform(deconv.weight, 1 / Math.sqrt(8 * 16));
  });

  it("RNN family: every parameter U(−1/√H, 1/√H)", () => {
    const lstm = new nn.LSTM({ inputSize: 30, hiddenSize: 25, numLayers: 2 });
    for (const [name, p] of lstm.namedParameters()) {
      const s = stats(p);
      expect(s.max, name).toBeLessThanOrEqual(0.2);
      expect(s.min, name).toBeGreaterThanOrEqual(-0.2);
    }
    expectUniform(lstm.getParameter("weight_hh_l1"), 0.2);
    expectUniform(new nn.GRUCell(10, 100).weight_ih, 0.1);
  });

  it("Embedding N(0, 1) with the padding row zero; norms start at γ = 1, β = 0", () => {
    const emb = new nn.Embedding(1000, 20, { paddingIdx: 3 });
    const s = stats(emb.weight);
    expect(Math.abs(s.std - 1)).toBeLessThan(0.03);
    expect(Array.from(emb.weight.data.subarray(60, 80)).every((v) => v === 0)).toBe(true);
    const bn = new nn.BatchNorm2d(3);
    expect(Array.from(bn.weight!.data)).toEqual([1, 1, 1]);
    expect(Array.from(bn.running_var!.data)).toEqual([1, 1, 1]);
    expect(Array.from(new nn.LayerNorm(2).bias!.data)).toEqual([0, 0]);
  });
});
