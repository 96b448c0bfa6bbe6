import { closeSync, existsSync, openSync, readFileSync, readSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Generator, manualSeed, tensor, type Tensor } from "../../src/index.js";
import { readPng } from "../../src/data/png.js";
import { RBM } from "../../src/zoo/rbm/model.js";
import { createRequire } from "node:module";
import { jsonLine, nnzoo, tempDir } from "../helpers/cli.js";

/** Every binary vector of length n, as rows. */
function allBinary(n: number): number[][] {
  return Array.from({ length: 2 ** n }, (_, k) => Array.from({ length: n }, (_, i) => (k >> i) & 1));
}

/** A tiny float64 RBM with weights large enough that the distribution is far from uniform. */
function tinyRBM(V: number, H: number, seed: number, visibleType: "bernoulli" | "gaussian" = "bernoulli"): RBM {
  manualSeed(seed);
  const rbm = new RBM(V, H, { dtype: "float64", initStd: 1, visibleType });
  const g = new Generator(seed + 100);
  rbm.vbias.data.set(Array.from({ length: V }, () => g.normal() * 0.7));
  rbm.hbias.data.set(Array.from({ length: H }, () => g.normal() * 0.7));
  return rbm;
}

const sigmoid = (t: number) => 1 / (1 + Math.exp(-t));
/** E(v, h) straight from the definition, with plain numbers. */
function energy(rbm: RBM, v: number[], h: number[]): number {
  const [W, b, c] = [rbm.weight.data, rbm.vbias.data, rbm.hbias.data];
  const V = v.length;
  let e = rbm.visibleType === "bernoulli" ? -v.reduce((a, x, i) => a + x * b[i], 0) : 0.5 * v.reduce((a, x, i) => a + (x - b[i]) ** 2, 0);
  h.forEach((hj, j) => {
    e -= hj * c[j];
    for (let i = 0; i < V; i++) e -= hj * W[j * V + i] * v[i];
  });
  return e;
}
const pH = (rbm: RBM, v: number[]) => Array.from({ length: rbm.hidden }, (_, j) => sigmoid(rbm.hbias.data[j] + v.reduce((a, x, i) => a + rbm.weight.data[j * rbm.visible + i] * x, 0)));
const pV = (rbm: RBM, h: number[]) => Array.from({ length: rbm.visible }, (_, i) => sigmoid(rbm.vbias.data[i] + h.reduce((a, x, j) => a + rbm.weight.data[j * rbm.visible + i] * x, 0)));
const prob = (p: number[], x: number[]) => x.reduce((a, xi, i) => a * (xi ? p[i] : 1 - p[i]), 1);

/** The three gradients as nested arrays [W (H×V), b, c], from a statistic f(v) ↦ (p(h|v), v) weighted by w(v). */
function expectation(rbm: RBM, terms: Array<{ weight: number; v: number[] }>) {
  const W = Array.from({ length: rbm.hidden }, () => Array(rbm.visible).fill(0));
  const b = Array(rbm.visible).fill(0), c = Array(rbm.hidden).fill(0);
  for (const { weight, v } of terms) {
    const ph = pH(rbm, v);
    ph.forEach((p, j) => { c[j] += weight * p; v.forEach((x, i) => { W[j][i] += weight * p * x; }); });
    v.forEach((x, i) => { b[i] += weight * x; });
  }
  return { W, b, c };
}

function expectClose(t: Tensor, expected: number[] | number[][], tol: number, what: string): void {
  const flat = (expected as Array<number | number[]>).flat();
  const got = Array.from(t.data);
  expect(got.length, what).toBe(flat.length);
  got.forEach((g, i) => expect(Math.abs(g - flat[i]), `${what}[${i}]: ${g} vs ${flat[i]}`).toBeLessThan(tol));
}

describe("RBM by exact enumeration on a tiny model (4 visible, 3 hidden, float64)", () => {
  const V = 4, H = 3;
  const vs = allBinary(V), hs = allBinary(H);

  it("free energy: F(v) = −log Σ_h exp(−E(v, h)); p(v) = exp(−F(v))/Z sums to 1", () => {
    const rbm = tinyRBM(V, H, 1);
    const F = rbm.freeEnergy(tensor(vs, { dtype: "float64" })).data;
    vs.forEach((v, k) => {
      const direct = -Math.log(hs.reduce((a, h) => a + Math.exp(-energy(rbm, v, h)), 0));
      expect(F[k]).toBeCloseTo(direct, 12);
    });
    // Z from the joint over all (v, h) equals Σ_v exp(−F(v)).
    const Z = vs.reduce((a, v) => a + hs.reduce((s, h) => s + Math.exp(-energy(rbm, v, h)), 0), 0);
    expect(Array.from(F).reduce((a, f) => a + Math.exp(-f), 0)).toBeCloseTo(Z, 10);
    // E(v, h) of the module matches the definition.
    const E = rbm.energy(tensor([vs[5], vs[9]], { dtype: "float64" }), tensor([hs[3], hs[6]], { dtype: "float64" })).data;
    expect(E[0]).toBeCloseTo(energy(rbm, vs[5], hs[3]), 12);
    expect(E[1]).toBeCloseTo(energy(rbm, vs[9], hs[6]), 12);
  });

  it("Gaussian visible units: F(v) = −log Σ_h exp(−E(v, h)) for real v", () => {
    const rbm = tinyRBM(V, H, 2, "gaussian");
    const g = new Generator(7);
    const points = Array.from({ length: 5 }, () => Array.from({ length: V }, () => g.normal() * 1.5));
    const F = rbm.freeEnergy(tensor(points, { dtype: "float64" })).data;
    points.forEach((v, k) => expect(F[k]).toBeCloseTo(-Math.log(hs.reduce((a, h) => a + Math.exp(-energy(rbm, v, h)), 0)), 12));
    // Its visible conditional is the Gaussian mean b + Wᵀh.
    const mean = rbm.visibleMean(tensor([hs[5]], { dtype: "float64" })).data;
    for (let i = 0; i < V; i++) expect(mean[i]).toBeCloseTo(rbm.vbias.data[i] + hs[5].reduce((a, x, j) => a + x * rbm.weight.data[j * V + i], 0), 12);
  });

  it("the exact log-likelihood gradient (autograd through F and log Z) = data term − model term", () => {
    const rbm = tinyRBM(V, H, 3);
    const data = [vs[3], vs[12], vs[13], vs[7]];
    // log p(v) = −F(v) − log Σ_v' exp(−F(v')), differentiated by autograd.
    const logZ = rbm.freeEnergy(tensor(vs, { dtype: "float64" })).neg().logsumexp(0);
    const ll = rbm.freeEnergy(tensor(data, { dtype: "float64" })).neg().mean().sub(logZ);
    ll.backward();
    const F = rbm.freeEnergy(tensor(vs, { dtype: "float64" })).data;
    const Z = Array.from(F).reduce((a, f) => a + Math.exp(-f), 0);
    const pos = expectation(rbm, data.map((v) => ({ weight: 1 / data.length, v })));
    const neg = expectation(rbm, vs.map((v, k) => ({ weight: Math.exp(-F[k]) / Z, v })));
    expectClose(rbm.weight.grad!, pos.W.map((r, j) => r.map((x, i) => x - neg.W[j][i])), 1e-12, "∂/∂W");
    expectClose(rbm.vbias.grad!, pos.b.map((x, i) => x - neg.b[i]), 1e-12, "∂/∂b");
    expectClose(rbm.hbias.grad!, pos.c.map((x, j) => x - neg.c[j]), 1e-12, "∂/∂c");
  });

  it("CD-1: its expected update equals Σ_{h₀,v₁} p(h₀|v₀) p(v₁|h₀) [statistics], and the positive phase is −∂F/∂θ exactly", () => {
    const rbm = tinyRBM(V, H, 4);
    const v0 = vs[11];
    // Exact expectation of the CD-1 estimate by enumerating the chain's two random steps.
    const terms: Array<{ weight: number; v: number[] }> = [];
    for (const h0 of hs) for (const v1 of vs) terms.push({ weight: prob(pH(rbm, v0), h0) * prob(pV(rbm, h0), v1), v: v1 });
    const pos = expectation(rbm, [{ weight: 1, v: v0 }]);
    const neg = expectation(rbm, terms);
    expect(terms.reduce((a, t) => a + t.weight, 0)).toBeCloseTo(1, 12);

    // The implementation on N copies of v₀: the batch mean is a Monte Carlo estimate of that expectation.
    const N = 40_000;
    const batch = tensor(Array.from({ length: N }, () => v0), { dtype: "float64" });
    const cd = rbm.contrastiveDivergence(batch, { k: 1, generator: new Generator(11) });
    // Each statistic is in [0, 1], so its standard error is at most 0.5/√N = 0.0025; allow 5 of them.
    const tol = 5 * 0.5 / Math.sqrt(N);
    expectClose(cd.grads.weight, pos.W.map((r, j) => r.map((x, i) => x - neg.W[j][i])), tol, "CD-1 ∂/∂W");
    expectClose(cd.grads.vbias, pos.b.map((x, i) => x - neg.b[i]), tol, "CD-1 ∂/∂b");
    expectClose(cd.grads.hbias, pos.c.map((x, j) => x - neg.c[j]), tol, "CD-1 ∂/∂c");

    // The positive phase is deterministic: p(h|v₀) v₀ᵀ = −∂F(v₀)/∂W, checked against autograd.
    const single = tensor([v0], { dtype: "float64" });
    rbm.zeroGrad();
    rbm.freeEnergy(single).sum().neg().backward();
    expectClose(rbm.weight.grad!, pos.W, 1e-12, "−∂F/∂W");
    expectClose(rbm.hbias.grad!, pos.c, 1e-12, "−∂F/∂c");
    expectClose(cd.positiveHidden.narrow(0, 0, 1), pos.c, 1e-12, "p(h|v₀)");
  });

  it("persistent CD: long-running chains reach the model term, so the estimate approaches the exact gradient", () => {
    const rbm = tinyRBM(V, H, 5);
    const data = [vs[1], vs[14]];
    const F = rbm.freeEnergy(tensor(vs, { dtype: "float64" })).data;
    const Z = Array.from(F).reduce((a, f) => a + Math.exp(-f), 0);
    const pos = expectation(rbm, data.map((v) => ({ weight: 0.5, v })));
    const neg = expectation(rbm, vs.map((v, k) => ({ weight: Math.exp(-F[k]) / Z, v })));
    const gen = new Generator(3);
    const chains = tensor(Array.from({ length: 20_000 }, () => vs[0]), { dtype: "float64" });
    const cd = rbm.contrastiveDivergence(tensor(data, { dtype: "float64" }), { k: 30, chains, generator: gen });
    expect(cd.chains.shape).toEqual([20_000, V]);
    expectClose(cd.grads.weight, pos.W.map((r, j) => r.map((x, i) => x - neg.W[j][i])), 0.02, "PCD ∂/∂W");
    expectClose(cd.grads.vbias, pos.b.map((x, i) => x - neg.b[i]), 0.02, "PCD ∂/∂b");
  });

  it("pseudo-log-likelihood: Σᵢ log p(vᵢ | v₋ᵢ) with p(vᵢ | v₋ᵢ) = p(v) / (p(v) + p(v with bit i flipped))", () => {
    const rbm = tinyRBM(V, H, 6);
    const F = rbm.freeEnergy(tensor(vs, { dtype: "float64" })).data;
    const pll = rbm.pseudoLogLikelihood(tensor(vs, { dtype: "float64" }));
    vs.forEach((_, k) => {
      let direct = 0;
      for (let i = 0; i < V; i++) {
        const flipped = k ^ (1 << i);
        direct += Math.log(Math.exp(-F[k]) / (Math.exp(-F[k]) + Math.exp(-F[flipped])));
      }
      expect(pll[k]).toBeCloseTo(direct, 10);
    });
  });
});

describe("nnzoo train rbm (smoke, through the real CLI)", () => {
  it("PCD on MNIST: reconError and pseudoLogLikelihood, filters.png; sample runs Gibbs chains into samples.png", () => {
    const out = join(tempDir(), "run");
    const r = nnzoo("train", "rbm", "--hidden", "16", "--steps", "12", "--batch", "16", "--method", "pcd", "--k", "2", "--pll-images", "4", "--log-every", "4", "--json", "--out", out);
    expect(r.status, r.stderr).toBe(0);
    const m = jsonLine(r).metrics;
    expect(m.reconError).toBeGreaterThan(0);
    expect(m.reconError).toBeLessThan(0.25);
    expect(m.pseudoLogLikelihood).toBeLessThan(0);
    expect(m.pllImages).toBe(4);
    // 16 hidden units' filters, 10 per row: 2 rows of 28×28 with 2-pixel gaps.
    const filters = readPng(join(out, "filters.png"), 1);
    expect([filters.width, filters.height]).toEqual([10 * 30 + 2, 2 * 30 + 2]);
    const lines = readFileSync(join(out, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((l) => l.step)).toEqual([4, 8, 12]);

    const s = nnzoo("sample", "rbm", "--from", out, "--chains", "3", "--gibbs-steps", "6", "--every", "3");
    expect(s.status, s.stderr).toBe(0);
    expect(s.stdout).toMatch(/samples.png: 3 Gibbs chains/);
    const png = readPng(join(out, "samples.png"), 1);
    // 3 rows (chains) × 3 columns (start, after 3, after 6 steps) of 28×28 digits with 2-pixel gaps.
    expect([png.width, png.height]).toEqual([3 * 30 + 2, 3 * 30 + 2]);
    expect(existsSync(join(out, "checkpoint.safetensors"))).toBe(true);
  }, 240_000); // two CLI processes that each load MNIST: slow on a busy machine
});

describe("the Lab's rbm page data", () => {
  it("lab/src/pages/rbm/digits.bin is the mnist package's first 201 digits of each class, binarised and bit-packed", () => {
    const bytes = readFileSync(new URL("../../lab/src/pages/rbm/digits.bin", import.meta.url));
    const perClass = 201, perDigit = 98;
    expect(bytes.length).toBe(10 * perClass * perDigit);
    // The package's digits/<class>.json: { "data": [pixel/255 rounded to 3 decimals, …] }, digit after digit.
    for (let c = 0; c < 10; c++) {
      // Only the file's start is needed (a pixel takes at most 6 characters: "0.123,").
      const fd = openSync(createRequire(import.meta.url).resolve(`mnist/src/digits/${c}.json`), "r");
      const head = Buffer.alloc(perClass * 784 * 6 + 64);
      const text = head.subarray(0, readSync(fd, head, 0, head.length, 0)).toString("latin1");
      closeSync(fd);
      const values = text.slice(text.indexOf("[") + 1).split(",", perClass * 784).map(Number);
      for (let d = 0; d < perClass; d++) {
        const k = c * perClass + d;
        for (let p = 0; p < 784; p++) {
          const bit = (bytes[k * perDigit + (p >> 3)] >> (7 - (p & 7))) & 1;
          // The same rule as src/data/mnist.ts (byte = round(255·v)) and the rbm task (byte ≥ 128).
          if (bit !== (Math.round(values[d * 784 + p] * 255) >= 128 ? 1 : 0)) throw new Error(`digit ${d} of class ${c}, pixel ${p} differs; regenerate with node --import tsx lab/src/pages/rbm/make-digits.ts`);
        }
      }
    }
  });
});
