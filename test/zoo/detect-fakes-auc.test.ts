import { describe, expect, it } from "vitest";
import { accuracyAt, rocAuc } from "../../src/zoo/detect-fakes/auc.js";
import { quantise } from "../../src/zoo/detect-fakes/model.js";

describe("ROC AUC", () => {
  it("is 1 for perfect separation, 0 inverted, ½ for one score", () => {
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])).toBe(0.5);
  });

  it("counts pairs, ties as one half (Mann–Whitney)", () => {
    // Positives 0.4, 0.8; negatives 0.1, 0.4, 0.6. Pairs won: 0.4 > 0.1, 0.4 = 0.4 (½), 0.8 > all three → 4.5 of 6.
    expect(rocAuc([0.1, 0.4, 0.6, 0.4, 0.8], [0, 0, 0, 1, 1])).toBeCloseTo(4.5 / 6, 12);
    // Six positives, four negatives; pairs won by each positive: 0.9 → 4, 0.8 → 4, 0.6 → 3, 0.55 → 3, 0.54 → 3, 0.51 → 1: 18 of 24.
    expect(rocAuc([0.9, 0.8, 0.7, 0.6, 0.55, 0.54, 0.53, 0.52, 0.51, 0.505], [1, 1, 0, 1, 1, 1, 0, 0, 1, 0])).toBeCloseTo(18 / 24, 12);
    // Order of the inputs does not matter.
    expect(rocAuc([0.8, 0.1, 0.4, 0.6, 0.4], [1, 0, 1, 0, 0])).toBeCloseTo(4.5 / 6, 12);
  });

  it("rejects one-class or mismatched inputs", () => {
    expect(() => rocAuc([0.1, 0.2], [1, 1])).toThrow(/needs both classes/);
    expect(() => rocAuc([0.1, 0.2], [1])).toThrow(/2 scores but 1 labels/);
    expect(() => rocAuc([0.1, 0.2], [1, 2])).toThrow(/labels must be 0 or 1/);
  });

  it("accuracy at ½ and 8-bit rounding of fakes", () => {
    expect(accuracyAt([0.2, 0.7, 0.6, 0.4], [0, 1, 0, 0])).toBe(0.75);
    const q = quantise(Float32Array.of(-1.2, -0.9999, 0.00001, 1));
    expect(q[0]).toBe(-1);
    expect(q[1]).toBe(-1);
    expect(Math.round((q[2] + 1) * 127.5)).toBe(128);
    expect(q[3]).toBe(1);
  });
});
