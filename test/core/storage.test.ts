import { afterEach, describe, expect, it } from "vitest";
import { isSlabView, manualSeed, randn, useStorageSlabs } from "../../src/core/index.js";
import { allocArray } from "../../src/core/dtype.js";
import { isSlabBuffer } from "../../src/core/storage.js";
import { Linear, Sequential, Tanh } from "../../src/nn/index.js";
import { mse } from "../../src/nn/losses.js";
import { Adam } from "../../src/optim/index.js";

afterEach(() => {
  useStorageSlabs(false);
});

describe("storage slabs (the browser's allocator)", () => {
  it("are off in Node by default: every array owns its buffer", () => {
    const a = allocArray("float32", 10);
    expect(isSlabView(a)).toBe(false);
    expect(a.buffer.byteLength).toBe(40);
  });

  it("hand out zeroed, 16-byte aligned, non-overlapping views; big arrays still own their buffer", () => {
    useStorageSlabs(true);
    const arrays = [allocArray("float32", 3), allocArray("float64", 5), allocArray("int32", 7), allocArray("float32", 1000)];
    for (const a of arrays) {
      expect(isSlabView(a)).toBe(true);
      expect(a.byteOffset % 16).toBe(0);
      expect(Array.from(a).every((v) => v === 0)).toBe(true);
    }
    for (const a of arrays) a.fill(7);
    // Writing each array leaves the others' ranges alone.
    const ranges = arrays.map((a) => [a.byteOffset, a.byteOffset + a.byteLength]).sort((p, q) => p[0] - q[0]);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i][0]).toBeGreaterThanOrEqual(ranges[i - 1][1]);
    const big = allocArray("float32", 1 << 17); // 512 KB
    expect(isSlabView(big)).toBe(false);
    expect(isSlabBuffer(arrays[0].buffer)).toBe(true);
    // A slab that fills up is replaced by a fresh one; earlier views keep their data.
    const many = Array.from({ length: 600 }, () => allocArray("float32", 1000));
    expect(new Set(many.map((a) => a.buffer)).size).toBeGreaterThan(1);
    expect(Array.from(arrays[3]).every((v) => v === 7)).toBe(true);
    expect(Array.from(many.at(-1)!).every((v) => v === 0)).toBe(true);
  });

  it("training with slabs gives bit-identical results to training without", () => {
    const run = (): number[] => {
      manualSeed(3);
      const model = new Sequential(new Linear(4, 16), new Tanh(), new Linear(16, 1));
      const opt = new Adam(model.parameters(), { lr: 0.01 });
      const x = randn([32, 4]), y = randn([32, 1]);
      const losses: number[] = [];
      for (let i = 0; i < 20; i++) {
        opt.zeroGrad();
        const loss = mse(model.forward(x), y);
        loss.backward();
        opt.step();
        losses.push(loss.item());
      }
      return [...losses, ...model.parameters().flatMap((p) => Array.from(p.data))];
    };
    const plain = run();
    useStorageSlabs(true);
    const slabbed = run();
    expect(slabbed).toEqual(plain);
  });
});
