import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readLines } from "../../src/data/files.js";
import { kFolds, shuffled, trainTestSplit } from "../../src/data/split.js";
import { CharVocab } from "../../src/data/vocab.js";
import { builtinMobyDick, builtinNames, frameBatch } from "../../src/zoo/charlm/task.js";
import { tempDir } from "../helpers/cli.js";

describe("splits", () => {
  it("makemore's protocol: min(1000, 10%) held out, no overlap, seeded", () => {
    const items = Array.from({ length: 20000 }, (_, i) => `item${i}`);
    const { train, test } = trainTestSplit(items, 3);
    expect(test).toHaveLength(1000);
    expect(train).toHaveLength(19000);
    const seen = new Set(train);
    expect(test.some((t) => seen.has(t))).toBe(false);
    expect(trainTestSplit(items, 3).test).toEqual(test);
    expect(trainTestSplit(items, 4).test).not.toEqual(test);
    expect(trainTestSplit(items.slice(0, 500), 0).test).toHaveLength(50);
  });

  it("k folds partition the indices", () => {
    const folds = kFolds(103, 10, 1);
    expect(folds.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 103 }, (_, i) => i));
    expect(Math.max(...folds.map((f) => f.length)) - Math.min(...folds.map((f) => f.length))).toBeLessThanOrEqual(1);
  });

  it("shuffle is a permutation and leaves its input alone", () => {
    const a = [1, 2, 3, 4, 5, 6];
    const s = shuffled(a, 9);
    expect(a).toEqual([1, 2, 3, 4, 5, 6]);
    expect([...s].sort()).toEqual(a);
  });
});

describe("character vocabulary and framing", () => {
  it("encodes, decodes and names unknown characters", () => {
    const v = CharVocab.fromTexts(["abc", "cab!"]);
    expect(v.size).toBe(5);
    expect(v.decode(v.encode("cab!"))).toBe("cab!");
    expect(() => v.encode("abz")).toThrow('character "z" at position 2 of "abz" is not in the vocabulary');
  });

  it("frames items with the boundary token and ignores padding", () => {
    const { inputs, targets } = frameBatch([[3, 4], [5]]);
    expect(inputs.toArray()).toEqual([[0, 3, 4], [0, 5, 0]]);
    expect(targets.toArray()).toEqual([[3, 4, 0], [5, 0, -100]]);
  });
});

describe("data loaders", () => {
  it("reads the built-in names (lower-cased, de-duplicated) and Moby-Dick", () => {
    const names = builtinNames();
    expect(names.length).toBeGreaterThan(7000);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain("emma");
    expect(names.every((n) => n === n.toLowerCase())).toBe(true);
    expect(builtinMobyDick().slice(0, 2000)).toContain("Call me Ishmael");
  });

  it("reads lines and rejects empty files", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "a.txt"), "one\r\n\ntwo  \n");
    expect(readLines(join(dir, "a.txt"))).toEqual(["one", "two"]);
    writeFileSync(join(dir, "b.txt"), "\n\n");
    expect(() => readLines(join(dir, "b.txt"))).toThrow(/has no non-empty lines/);
  });
});
