import { describe, expect, it } from "vitest";
import { Generator } from "../../src/core/random.js";
import { countModes, findModes, histogram2d, histogramBox, jsDivergence, kmeans } from "../../src/zoo/gan2d/metrics.js";
import { builtinTarget, normalisePoints, parsePoints, PointsError, TARGET_NAMES } from "../../src/zoo/gan2d/targets.js";

describe("gan2d metrics", () => {
  it("JS divergence (bits) on known histograms", () => {
    expect(jsDivergence([0.5, 0.5], [0.5, 0.5])).toBe(0);
    expect(jsDivergence([1, 0], [0, 1])).toBeCloseTo(1, 12);
    // P = (½, ½), Q = (1, 0), M = (¾, ¼): ½·[½ log₂(⅔) + ½ log₂ 2] + ½·log₂(4/3)
    const expected = 0.5 * (0.5 * Math.log2(0.5 / 0.75) + 0.5 * Math.log2(0.5 / 0.25)) + 0.5 * Math.log2(1 / 0.75);
    expect(jsDivergence([0.5, 0.5], [1, 0])).toBeCloseTo(expected, 12);
    expect(jsDivergence([0.5, 0.5], [1, 0])).toBeCloseTo(jsDivergence([1, 0], [0.5, 0.5]), 12); // symmetric
    expect(() => jsDivergence([1], [0.5, 0.5])).toThrow(/1 and 2 cells/);
  });

  it("2-D histograms count points per cell and keep the mass outside the box", () => {
    const box = { x0: 0, x1: 2, y0: 0, y1: 2, bins: 2 };
    const h = histogram2d(Float32Array.of(0.5, 0.5, 1.5, 0.5, 1.5, 1.5, 5, 5), box);
    expect(Array.from(h)).toEqual([0.25, 0.25, 0, 0.25, 0.25]);
    const real = builtinTarget("ring").sample(4000, new Generator(1));
    const b = histogramBox(real, 16);
    // The same distribution scores near 0; a shifted one near 1.
    const same = jsDivergence(histogram2d(builtinTarget("ring").sample(4000, new Generator(2)), b), histogram2d(real, b));
    const shifted = jsDivergence(histogram2d(real.map((v, i) => (i % 2 ? v : v + 1.5)), b), histogram2d(real, b));
    expect(same).toBeLessThan(0.05);
    expect(shifted).toBeGreaterThan(0.8);
  });

  it("counts covered modes and sees mode collapse", () => {
    const ring = builtinTarget("ring");
    const modes = findModes(ring, ring.sample(8000, new Generator(3)));
    expect(modes).toHaveLength(8);
    for (const m of modes) {
      expect(Math.hypot(m.x, m.y)).toBeCloseTo(2, 5);
      expect(m.radius).toBeGreaterThan(0.1);
      expect(m.radius).toBeLessThan(0.3); // ≈ 2.45σ for σ 0.08
      expect(m.share).toBeCloseTo(1 / 8, 1);
    }
    const all = countModes(ring.sample(4000, new Generator(4)), modes);
    expect(all).toMatchObject({ covered: 8, total: 8 });
    expect(all.onModes).toBeGreaterThan(0.9);
    // A collapsed generator: every point on modes 0 and 1.
    const collapsed = new Float32Array(2000);
    for (let i = 0; i < 1000; i++) {
      const m = modes[i % 2];
      collapsed[2 * i] = m.x + 0.01 * Math.sin(i);
      collapsed[2 * i + 1] = m.y + 0.01 * Math.cos(i);
    }
    expect(countModes(collapsed, modes)).toMatchObject({ covered: 2, total: 8, onModes: 1 });
    // Points far from everything cover nothing.
    expect(countModes(new Float32Array(200).fill(9), modes)).toMatchObject({ covered: 0, onModes: 0 });
  });

  it("cuts continuous targets into k-means segments", () => {
    for (const name of TARGET_NAMES) {
      const t = builtinTarget(name);
      const modes = findModes(t, t.sample(6000, new Generator(5)));
      expect(modes.length, name).toBe(t.segments);
      expect(countModes(t.sample(3000, new Generator(6)), modes).covered, name).toBe(t.segments);
    }
    const two = Float32Array.of(0, 0, 0.1, 0, 0, 0.1, 10, 10, 10.1, 10, 10, 10.1);
    const c = Array.from(kmeans(two, 2, new Generator(0))).map((v) => Math.round(v * 100) / 100);
    expect([c.slice(0, 2), c.slice(2)].sort((a, b) => a[0] - b[0])).toEqual([[0.03, 0.03], [10.03, 10.03]]);
  });
});

describe("gan2d points files", () => {
  const pts = Array.from({ length: 12 }, (_, i) => `${i},${i * 2}`);

  it("reads x,y lines with comments, blank lines and a header", () => {
    const p = parsePoints(["x,y", "# drawn by hand", "", ...pts, "3.5 -1e-2", "4;5", "6\t7"].join("\n"));
    expect(p.length).toBe(2 * 15);
    expect(Array.from(p.slice(0, 4))).toEqual([0, 0, 1, 2]);
    expect(Array.from(p.slice(-6))).toEqual([3.5, Math.fround(-0.01), 4, 5, 6, 7]);
  });

  it("names the line that is wrong", () => {
    const bad = (lines: string[]) => () => parsePoints(lines.join("\n"), "pts.csv");
    expect(bad([...pts.slice(0, 6), "1,2,3", ...pts])).toThrow(PointsError);
    expect(bad([...pts.slice(0, 6), "1,2,3", ...pts])).toThrow(/pts\.csv line 7: expected two numbers "x,y", got "1,2,3"/);
    expect(bad(["x,y", ...pts.slice(0, 3), "1,abc", ...pts])).toThrow(/line 5: .*"1,abc"/);
    expect(bad([...pts, "NaN,1"])).toThrow(/line 13/);
    expect(bad(["1,2", "x,y", ...pts])).toThrow(/line 2/); // a header only on the first line
    expect(bad(pts.slice(0, 5))).toThrow(/needs at least 10 points, got 5/);
  });

  it("normalises drawn points to the built-in scale", () => {
    const { points, offset, scale } = normalisePoints(Float32Array.of(100, 200, 300, 200, 200, 300, 200, 100));
    expect(offset).toEqual([200, 200]);
    expect(scale).toBeCloseTo(1.5 / 100, 10);
    expect(Array.from(points)).toEqual([-1.5, 0, 1.5, 0, 0, 1.5, 0, -1.5]);
  });
});
