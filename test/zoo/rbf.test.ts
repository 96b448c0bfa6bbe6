import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Generator, manualSeed, tensor } from "../../src/index.js";
import { readPng } from "../../src/data/png.js";
import { kmeans, squaredDistances } from "../../src/zoo/rbf/kmeans.js";
import { cholesky, choleskySolve, ridgeLeastSquares, ridgeLeastSquaresArrays } from "../../src/zoo/rbf/linalg.js";
import { RBFNet, widthRule } from "../../src/zoo/rbf/model.js";
import { countParams, mlpHiddenFor, RBFPair } from "../../src/zoo/rbf/model.js";
import { twoMoons } from "../../src/zoo/rbf/data.js";
import { jsonLine, nnzoo, tempDir } from "../helpers/cli.js";

/** Three tight blobs in 2-D around known centres, 60 points each, interleaved. */
function blobs(g: Generator) {
  const truth = [[-2, 0], [2, 1], [0, 3]];
  const x = new Float32Array(180 * 2);
  const label = new Int32Array(180);
  for (let i = 0; i < 180; i++) {
    const c = i % 3;
    x[2 * i] = truth[c][0] + 0.2 * g.normal();
    x[2 * i + 1] = truth[c][1] + 0.2 * g.normal();
    label[i] = c;
  }
  return { truth, x, label };
}

describe("k-means", () => {
  it("finds three separated blobs: each cluster is one blob, each centre near its blob's centre", () => {
    const { truth, x, label } = blobs(new Generator(1));
    const r = kmeans(x, 180, 2, 3, { generator: new Generator(5) });
    expect(r.converged).toBe(true);
    // Clusters and blobs correspond one to one.
    const map = new Map<number, number>();
    for (let i = 0; i < 180; i++) {
      if (!map.has(label[i])) map.set(label[i], r.assignments[i]);
      expect(r.assignments[i]).toBe(map.get(label[i]));
    }
    expect(new Set(map.values()).size).toBe(3);
    for (const [blob, cluster] of map) {
      expect(Math.hypot(r.centres[2 * cluster] - truth[blob][0], r.centres[2 * cluster + 1] - truth[blob][1])).toBeLessThan(0.1);
    }
  });

  it("ends at a fixed point of Lloyd's algorithm: centres are the means of their points, points sit at their nearest centre", () => {
    const g = new Generator(2);
    const n = 300, d = 3, k = 7;
    const x = Float32Array.from({ length: n * d }, () => g.normal());
    const r = kmeans(x, n, d, k, { generator: new Generator(3) });
    expect(r.converged).toBe(true);
    const dist = squaredDistances(x, n, r.centres, k, d);
    let inertia = 0;
    for (let i = 0; i < n; i++) {
      const row = Array.from(dist.subarray(i * k, (i + 1) * k));
      expect(row[r.assignments[i]]).toBeCloseTo(Math.min(...row), 4);
      for (let t = 0; t < d; t++) inertia += (x[i * d + t] - r.centres[r.assignments[i] * d + t]) ** 2;
    }
    expect(r.inertia).toBeCloseTo(inertia, 3);
    for (let j = 0; j < k; j++) {
      const members = Array.from(r.assignments.keys()).filter((i) => r.assignments[i] === j);
      expect(members.length).toBeGreaterThan(0);
      for (let t = 0; t < d; t++) expect(r.centres[j * d + t]).toBeCloseTo(members.reduce((a, i) => a + x[i * d + t], 0) / members.length, 4);
    }
    // Lloyd's steps never increase the inertia: one iteration from the same seeds ends no lower than the converged run.
    const one = kmeans(x, n, d, k, { generator: new Generator(3), maxIterations: 1 });
    expect(one.inertia).toBeGreaterThanOrEqual(r.inertia - 1e-6);
    // The same seed gives the same clustering.
    expect(kmeans(x, n, d, k, { generator: new Generator(3) }).centres).toEqual(r.centres);
  });

  it("Lloyd's step from given centres; k = n puts a centre on every point; n < k is an error", () => {
    const x = new Float32Array([0, 1, 10, 11]);
    const r = kmeans(x, 4, 1, 2, { generator: new Generator(0), init: new Float32Array([0, 5]) });
    expect(Array.from(r.centres)).toEqual([0.5, 10.5]);
    expect(Array.from(r.assignments)).toEqual([0, 0, 1, 1]);
    expect(r.inertia).toBeCloseTo(1, 6);
    expect(kmeans(x, 4, 1, 4, { generator: new Generator(0) }).inertia).toBe(0);
    expect(() => kmeans(x, 4, 1, 5, { generator: new Generator(0) })).toThrow(/4 points cannot make 5 clusters/);
  });
});

describe("least squares: Cholesky and the ridge normal equations", () => {
  it("factors a known SPD matrix and solves against known solutions", () => {
    // A = L Lᵀ with L = [[2,0,0],[1,3,0],[-1,2,1]]
    const L0 = [2, 0, 0, 1, 3, 0, -1, 2, 1];
    const A = [4, 2, -2, 2, 10, 5, -2, 5, 6];
    const L = cholesky(A, 3);
    Array.from(L).forEach((v, i) => expect(v).toBeCloseTo(L0[i], 12));
    const X = [1, -2, 0.5, 3, 2, -1]; // [3, 2]
    const B = [0, 0, 0, 0, 0, 0];
    for (let i = 0; i < 3; i++) for (let c = 0; c < 2; c++) for (let k = 0; k < 3; k++) B[i * 2 + c] += A[i * 3 + k] * X[k * 2 + c];
    Array.from(choleskySolve(L, 3, B, 2)).forEach((v, i) => expect(v).toBeCloseTo(X[i], 12));
    expect(() => cholesky([1, 2, 2, 1], 2)).toThrow(/not positive definite/);
  });

  it("recovers exact weights from consistent data (λ = 0), and shrinks them by the closed form with a ridge", () => {
    const g = new Generator(4);
    const N = 50, K = 4, m = 2;
    const phi = Float64Array.from({ length: N * K }, () => g.normal());
    const W = [1, -1, 2, 0.5, -3, 0, 0.25, 4];
    const y = new Float64Array(N * m);
    for (let i = 0; i < N; i++) for (let c = 0; c < m; c++) for (let k = 0; k < K; k++) y[i * m + c] += phi[i * K + k] * W[k * m + c];
    Array.from(ridgeLeastSquaresArrays(phi, N, K, y, m, 0)).forEach((v, i) => expect(v).toBeCloseTo(W[i], 10));
    // One feature: w = Σxy / (Σx² + λ).
    const x = [1, 2, 3], t = [2, 3, 7];
    const w = ridgeLeastSquaresArrays(x, 3, 1, t, 1, 5)[0];
    expect(w).toBeCloseTo((2 + 6 + 21) / (14 + 5), 12);
    // An unpenalised column (the bias) is not shrunk: fitting a constant gives the mean whatever λ.
    const ones = tensor([[1], [1], [1], [1]], { dtype: "float64" });
    expect(ridgeLeastSquares(ones, tensor([[1], [2], [3], [6]]), 100, [0])[0]).toBeCloseTo(3, 12);
  });
});

describe("RBF network", () => {
  it("φₖ(x) = exp(−‖x − cₖ‖²/2σₖ²); with a centre on every point and narrow widths, least squares interpolates", () => {
    const net = new RBFNet(2, 3, 1);
    net.place(new Float32Array([0, 0, 1, 0, 0, 2]), new Float32Array([0.5, 1, 2]));
    const x = tensor([[0.5, 0.5], [1, 2]]);
    const phi = net.features(x).data;
    const c = [[0, 0], [1, 0], [0, 2]], s = [0.5, 1, 2];
    [[0.5, 0.5], [1, 2]].forEach((p, i) => c.forEach((ck, k) => {
      expect(phi[i * 3 + k]).toBeCloseTo(Math.exp(-((p[0] - ck[0]) ** 2 + (p[1] - ck[1]) ** 2) / (2 * s[k] ** 2)), 5);
    }));
    const pts = tensor([[0, 0], [1, 0], [0, 2]]);
    net.place(pts.data as Float32Array, new Float32Array([0.3, 0.3, 0.3]));
    const mse = net.solveOutput(pts, tensor([[1], [-2], [5]]), 0);
    expect(mse).toBeLessThan(1e-8);
  });

  it("width rules: mean distance to the 2 nearest centres, or d_max/√(2K)", () => {
    const c = new Float32Array([0, 0, 3, 0, 0, 4, 10, 0]);
    const near = widthRule("nearest", c, 4, 2);
    expect(near[0]).toBeCloseTo((3 + 4) / 2, 5);
    expect(near[3]).toBeCloseTo((7 + 10) / 2, 5);
    const global = widthRule("global", c, 4, 2);
    expect(global[2]).toBeCloseTo(Math.hypot(10, 4) / Math.sqrt(8), 5);
  });

  it("the MLP twin has the RBF network's parameter count (to within one hidden unit)", () => {
    manualSeed(0);
    for (const [d, K, o] of [[1, 32, 1], [2, 16, 2], [784, 100, 10]]) {
      const pair = new RBFPair(d, K, o);
      const p = countParams(pair.rbf);
      expect(p).toBe(K * d + K + K * o + o);
      expect(Math.abs(countParams(pair.mlp) - p)).toBeLessThanOrEqual((d + 1 + o) / 2);
      expect(pair.mlpHidden).toBe(mlpHiddenFor(p, d, o));
    }
  });

  it("two moons are balanced and half-moon shaped", () => {
    const { x, y } = twoMoons(400, 0, new Generator(0));
    expect(y.reduce((a, b) => a + b, 0)).toBe(200);
    for (let i = 0; i < 400; i++) {
      const [cx, cy] = y[i] === 0 ? [0, 0] : [1, 0.5];
      expect(Math.hypot(x[2 * i] - cx, x[2 * i + 1] - cy)).toBeCloseTo(1, 5);
    }
  });
});

describe("nnzoo train rbf (smoke, through the real CLI)", () => {
  it("regression: mse and mlpMse; the closed-form RBF fits bumpy with 24 units", () => {
    const out = join(tempDir(), "run");
    const r = nnzoo("train", "rbf", "--hidden", "24", "--steps", "20", "--json", "--out", out);
    expect(r.status, r.stderr).toBe(0);
    const m = jsonLine(r).metrics;
    expect(m.mse).toBeLessThan(0.01);
    expect(m.mlpMse).toBeGreaterThan(0);
    expect(m.params).toBe(24 * 3 + 1);
    expect(m.mlpParams).toBe(m.params);
    const centres = JSON.parse(readFileSync(join(out, "centres.json"), "utf8"));
    expect(centres.widths).toHaveLength(24);
  });

  it("moons: accuracy and mlpAccuracy, learned widths, and field.png", () => {
    const out = join(tempDir(), "run");
    const r = nnzoo("train", "rbf", "--problem", "moons", "--hidden", "8", "--widths", "learned", "--points", "200", "--steps", "30", "--json", "--out", out);
    expect(r.status, r.stderr).toBe(0);
    const m = jsonLine(r).metrics;
    expect(m.accuracy).toBeGreaterThan(0.7);
    expect(m.mlpAccuracy).toBeGreaterThan(0);
    expect(existsSync(join(out, "field.png"))).toBe(true);
    expect(readPng(join(out, "field.png")).width).toBe(530);
  });
});
