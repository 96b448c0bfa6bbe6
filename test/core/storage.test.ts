import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterEach, describe, expect, it } from "vitest";
import { isSlabView, manualSeed, randn, useStorageSlabs } from "../../src/core/index.js";
import { allocArray } from "../../src/core/dtype.js";
import { heldStorage, isSlabBuffer, storageLimits, storageStats } from "../../src/core/storage.js";
import { Linear, Sequential, Tanh } from "../../src/nn/index.js";
import { mse } from "../../src/nn/losses.js";
import { Adam } from "../../src/optim/index.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** A full GC, then a few turns of the event loop so FinalizationRegistry callbacks run. */
async function collect(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A small MLP trained with Adam: its losses and final parameters. */
async function train(o: { seed: number; inputs: number; hidden: number; rows: number; steps: number; collectEachStep?: boolean }): Promise<number[]> {
  manualSeed(o.seed);
  const model = new Sequential(new Linear(o.inputs, o.hidden), new Tanh(), new Linear(o.hidden, 1));
  const opt = new Adam(model.parameters(), { lr: 0.01 });
  const x = randn([o.rows, o.inputs]), y = randn([o.rows, 1]);
  const losses: number[] = [];
  for (let i = 0; i < o.steps; i++) {
    opt.zeroGrad();
    const loss = mse(model.forward(x), y);
    loss.backward();
    opt.step();
    losses.push(loss.item());
    if (o.collectEachStep) await collect();
  }
  return [...losses, ...model.parameters().flatMap((p) => Array.from(p.data))];
}

const saved = { ...storageLimits };
afterEach(() => {
  useStorageSlabs(false);
  Object.assign(storageLimits, saved);
});

describe("storage slabs (the browser's allocator)", () => {
  it("are off in Node by default: every array owns its buffer", () => {
    const a = allocArray("float32", 10);
    expect(isSlabView(a)).toBe(false);
    expect(a.buffer.byteLength).toBe(40);
  });

  it("hand out zeroed, 16-byte aligned, non-overlapping views; big arrays get a buffer of their own", () => {
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
    expect(isSlabView(big)).toBe(true); // recycled by size, so never transfer it either
    expect(big.byteOffset).toBe(0);
    expect(big.buffer.byteLength).toBe(1 << 19);
    expect(isSlabBuffer(arrays[0].buffer)).toBe(true);
    // A slab that fills up is replaced by a fresh one; earlier views keep their data.
    const many = Array.from({ length: 600 }, () => allocArray("float32", 1000));
    expect(new Set(many.map((a) => a.buffer)).size).toBeGreaterThan(1);
    expect(Array.from(arrays[3]).every((v) => v === 7)).toBe(true);
    expect(Array.from(many.at(-1)!).every((v) => v === 0)).toBe(true);
  });

  it("training with slabs gives bit-identical results to training without", async () => {
    const plain = await train({ seed: 3, inputs: 4, hidden: 16, rows: 32, steps: 20 });
    useStorageSlabs(true);
    const slabbed = await train({ seed: 3, inputs: 4, hidden: 16, rows: 32, steps: 20 });
    expect(slabbed).toEqual(plain);
  });
});

describe("storage slabs are recycled once no view of them can be reached", () => {
  /** Fills `n` arrays of `size` floats with `v` and drops them all. */
  const churn = (n: number, size: number, v: number): void => {
    for (let i = 0; i < n; i++) allocArray("float32", size).fill(v);
  };

  it("a full slab whose views were all collected comes back zeroed", async () => {
    useStorageSlabs(true);
    churn(1000, 1000, 7); // ~4 MB: several slabs fill up and retire
    await collect();
    const reused = storageStats.slabsReused;
    const fresh = Array.from({ length: 1000 }, () => allocArray("float32", 1000));
    expect(storageStats.slabsReused).toBeGreaterThan(reused);
    for (const a of fresh) expect(a.every((v) => v === 0)).toBe(true);
    // Views never overlap, recycled or not.
    const byBuffer = new Map<ArrayBufferLike, Array<[number, number]>>();
    for (const a of fresh) byBuffer.set(a.buffer, [...(byBuffer.get(a.buffer) ?? []), [a.byteOffset, a.byteOffset + a.byteLength]]);
    for (const ranges of byBuffer.values()) {
      ranges.sort((p, q) => p[0] - q[0]);
      for (let i = 1; i < ranges.length; i++) expect(ranges[i][0]).toBeGreaterThanOrEqual(ranges[i - 1][1]);
    }
  });

  it("big arrays' own buffers are reused by size, zeroed", async () => {
    useStorageSlabs(true);
    churn(4, 1 << 17, 3);
    await collect();
    const reused = storageStats.slabsReused;
    const again = allocArray("float32", 1 << 17);
    expect(storageStats.slabsReused).toBe(reused + 1);
    expect(again.every((v) => v === 0)).toBe(true);
  });

  it("a subarray that outlives its tensor's storage keeps the slab from reuse", async () => {
    useStorageSlabs(true);
    const keep = ((): Float32Array => {
      const a = allocArray("float32", 64) as Float32Array;
      a.fill(5);
      return a.subarray(8, 24); // `a` itself becomes unreachable
    })();
    churn(2000, 1000, 9);
    await collect();
    churn(2000, 1000, 9);
    expect(Array.from(keep)).toEqual(new Array(16).fill(5));
    expect(isSlabView(keep)).toBe(true);
  });

  it("a view made from .buffer pins the slab for good", async () => {
    useStorageSlabs(true);
    const pinned = storageStats.pinned;
    const keep = ((): Float32Array => {
      const a = allocArray("float32", 64) as Float32Array;
      a.fill(4);
      return new Float32Array(a.buffer, a.byteOffset, 64); // a plain view we cannot see being made
    })();
    expect(storageStats.pinned).toBe(pinned + 1);
    churn(2000, 1000, 9);
    await collect();
    churn(2000, 1000, 9);
    expect(Array.from(keep)).toEqual(new Array(64).fill(4));
  });

  it("views stay instanceof their array type and are named as it; subarrays of views are views", () => {
    useStorageSlabs(true);
    const a = allocArray("float32", 10), b = allocArray("float64", 10), c = allocArray("int32", 10);
    expect(a).toBeInstanceOf(Float32Array);
    expect(b).toBeInstanceOf(Float64Array);
    expect(c).toBeInstanceOf(Int32Array);
    expect([a.constructor.name, b.constructor.name, c.constructor.name]).toEqual(["Float32Array", "Float64Array", "Int32Array"]);
    expect(isSlabView(a.subarray(2))).toBe(true);
    expect(isSlabView(a.slice(2))).toBe(false); // a copy owns its buffer
  });

  it("a loop that never yields holds at most storageLimits.heldBytes; past it slabs are plain", () => {
    useStorageSlabs(true);
    storageLimits.heldBytes = 4 << 20;
    const untracked = storageStats.untracked;
    const kept = Array.from({ length: 3000 }, (_, i) => allocArray("float32", 1000).fill(i));
    expect(storageStats.untracked).toBeGreaterThan(untracked);
    kept.forEach((a, i) => expect(a[999]).toBe(i));
    expect(kept.every((a) => isSlabView(a))).toBe(true);
  });

  it("free buffers of one size make room for another size under the limit", async () => {
    await collect(); // what earlier tests left
    useStorageSlabs(true);
    storageLimits.heldBytes = heldStorage().tracked + (3 << 20);
    churn(4, 1 << 17, 1); // 512 KB buffers, then free
    await collect();
    expect(heldStorage().free).toBeGreaterThanOrEqual(2 << 20);
    const { slabsCreated, untracked } = storageStats;
    const big = Array.from({ length: 2 }, () => allocArray("float32", 1 << 18)); // 1 MB each: needs the room
    expect(storageStats.slabsCreated - slabsCreated).toBe(2);
    expect(storageStats.untracked).toBe(untracked);
    expect(big.every((a) => isSlabView(a) && a.every((v) => v === 0))).toBe(true);
  });

  it("training with recycled slabs (collecting every step) is bit-identical to training without", async () => {
    const opts = { seed: 5, inputs: 8, hidden: 300, rows: 64, steps: 15 };
    const plain = await train(opts);
    useStorageSlabs(true);
    const reused = storageStats.slabsReused;
    const recycled = await train({ ...opts, collectEachStep: true });
    expect(storageStats.slabsReused).toBeGreaterThan(reused);
    expect(recycled).toEqual(plain);
  });
});
