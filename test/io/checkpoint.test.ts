import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { NNZooError, type Tensor, getRngState, manualSeed, randn, tensor } from "../../src/index.js";
import * as io from "../../src/io/index.js";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "nnzoo-checkpoint-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
let counter = 0;
const fresh = (): string => {
  const dir = path.join(tmp, `case-${counter++}`);
  fs.mkdirSync(dir);
  return path.join(dir, "ckpt.safetensors");
};

/** A stand-in with nn.Module's stateDict/loadStateDict. */
class Model {
  weight = randn([3, 2]);
  bias = randn([3]);
  running = tensor([0, 0, 0], { dtype: "int32" });
  stateDict(): Record<string, Tensor> {
    return { weight: this.weight, bias: this.bias, "stats.count": this.running };
  }
  loadStateDict(dict: Record<string, Tensor>, { strict = true }: { strict?: boolean } = {}): void {
    const own = this.stateDict();
    for (const k of Object.keys(own)) if (strict && !(k in dict)) throw new NNZooError(`loadStateDict: missing key "${k}"`);
    for (const k of Object.keys(dict)) if (strict && !(k in own)) throw new NNZooError(`loadStateDict: unexpected key "${k}"`);
    for (const [k, t] of Object.entries(own)) t.data.set(dict[k].data);
  }
}

/** A stand-in optimizer with a PyTorch-like state dict (tensors, numbers, NaN, nested lists). */
class Optimizer {
  loaded: unknown = null;
  constructor(private readonly state: unknown) {}
  stateDict(): unknown {
    return this.state;
  }
  loadStateDict(state: unknown): void {
    this.loaded = state;
  }
}

const optimizerState = () => ({
  state: { 0: { step: 10, expAvg: randn([3, 2]), expAvgSq: randn([3, 2], { dtype: "float64" }) }, 1: { step: 10, expAvg: randn([3]), expAvgSq: randn([3]) } },
  paramGroups: [{ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, params: [0, 1], maximize: null, nanValue: NaN, inf: -Infinity, negZero: -0, $odd: "dollar key" }],
});

async function save(file: string, step: number, extra?: unknown): Promise<{ model: Model; optimizer: Optimizer }> {
  const model = new Model();
  const optimizer = new Optimizer(optimizerState());
  await io.saveCheckpoint(file, { model, optimizer, step, config: { hidden: 64, name: "lstm", layers: [1, 2] }, extra });
  return { model, optimizer };
}

async function rejection(promise: Promise<unknown>): Promise<NNZooError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(NNZooError);
    return e as NNZooError;
  }
  throw new Error("expected a rejection");
}

describe("checkpoints", () => {
  it("round-trip model, optimizer, RNG, step, config and extras", async () => {
    const file = fresh();
    manualSeed(5);
    randn([3]); // leave a spare normal in the generator
    const rngBefore = getRngState();
    const model = new Model();
    const optimizer = new Optimizer(optimizerState());
    const rngAtSave = getRngState();
    await io.saveCheckpoint(file, { model, optimizer, step: 1234, config: { hidden: 64 }, extra: { cursor: [3, 4], best: tensor([0.5]) } });
    const ck = await io.loadCheckpoint(file);
    expect(ck.step).toBe(1234);
    expect(ck.file).toBe(file);
    expect(ck.recovered).toBeNull();
    expect(ck.rng).toEqual(rngAtSave);
    expect(ck.rng).not.toEqual(rngBefore);
    expect(ck.config).toEqual({ hidden: 64 });
    expect((ck.extra as { cursor: number[] }).cursor).toEqual([3, 4]);
    expect(((ck.extra as { best: Tensor }).best).toArray()).toEqual([0.5]);
    for (const [k, t] of Object.entries(model.stateDict())) {
      expect(ck.model[k].dtype).toBe(t.dtype);
      expect(ck.model[k].toArray()).toEqual(t.toArray());
    }
    // The optimizer state comes back with the same structure, tensors and special numbers.
    const want = optimizer.stateDict() as ReturnType<typeof optimizerState>;
    const got = ck.optimizer as ReturnType<typeof optimizerState>;
    expect(got.state[0].expAvg.toArray()).toEqual(want.state[0].expAvg.toArray());
    expect(got.state[0].expAvgSq.dtype).toBe("float64");
    expect(got.state[0].expAvgSq.toArray()).toEqual(want.state[0].expAvgSq.toArray());
    const { nanValue, inf, negZero, ...rest } = got.paramGroups[0];
    expect(Number.isNaN(nanValue)).toBe(true);
    expect(inf).toBe(-Infinity);
    expect(Object.is(negZero, -0)).toBe(true);
    expect(rest).toEqual({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, params: [0, 1], maximize: null, $odd: "dollar key" });
  });

  it("is a plain safetensors file with the weights under their own names", async () => {
    const file = fresh();
    const { model } = await save(file, 1);
    const parsed = await io.readSafetensors(file);
    expect(parsed.tensors.weight.toArray()).toEqual(model.weight.toArray());
    expect(parsed.metadata["nnzoo.format"]).toBe(io.CHECKPOINT_FORMAT);
    expect(Object.keys(parsed.tensors).filter((k) => !k.startsWith("__nnzoo__."))).toEqual(expect.arrayContaining(["weight", "bias", "stats.count"]));
  });

  it("serializes identical state to identical bytes", async () => {
    manualSeed(9);
    const model = new Model();
    const a = await io.serializeCheckpoint({ model, step: 3, rng: getRngState() });
    const b = await io.serializeCheckpoint({ model, step: 3, rng: getRngState() });
    expect(a).toEqual(b);
    expect((await io.parseCheckpoint(a)).step).toBe(3);
    expect((await io.parseCheckpoint(a.slice().buffer)).optimizer).toBeUndefined();
  });

  it("restores a live run: weights (strict), optimizer state, RNG", async () => {
    const file = fresh();
    manualSeed(11);
    const { model: saved } = await save(file, 77, { epoch: 2 });
    const next = randn([4]).toArray(); // what the run would draw next
    manualSeed(999);
    const model = new Model();
    const optimizer = new Optimizer(null);
    const out = await io.restoreCheckpoint(file, { model, optimizer });
    expect(out).toMatchObject({ step: 77, config: { hidden: 64, name: "lstm", layers: [1, 2] }, extra: { epoch: 2 }, file, recovered: null });
    expect(model.weight.toArray()).toEqual(saved.weight.toArray());
    expect((optimizer.loaded as { paramGroups: Array<{ lr: number }> }).paramGroups[0].lr).toBe(1e-3);
    expect(randn([4]).toArray()).toEqual(next);
  });

  it("refuses an optimizer restore when the checkpoint has none, and a model that does not match", async () => {
    const file = fresh();
    await io.saveCheckpoint(file, { model: new Model(), step: 1 });
    const e = await rejection(io.restoreCheckpoint(file, { model: new Model(), optimizer: new Optimizer(null) }));
    expect(e.message).toMatch(/restoreCheckpoint: .*ckpt\.safetensors has no optimizer state/);
    const other = { stateDict: () => ({ w: tensor([1]) }), loadStateDict: new Model().loadStateDict };
    const e2 = await rejection(io.restoreCheckpoint(file, { model: other }));
    expect(e2.message).toMatch(/restoreCheckpoint: .*ckpt\.safetensors: model\.loadStateDict failed: .*key/);
  });

  it("rejects state it cannot save, naming where", async () => {
    const file = fresh();
    const model = new Model();
    await expect(io.saveCheckpoint(file, { model, step: -1 })).rejects.toThrow(/step must be a non-negative integer/);
    await expect(io.saveCheckpoint(file, { model, step: 1.5 })).rejects.toThrow(/step must be a non-negative integer/);
    await expect(io.saveCheckpoint(file, { model: { "__nnzoo__.x": tensor([1]) }, step: 1 })).rejects.toThrow(/reserve/);
    await expect(io.saveCheckpoint(file, { model, step: 1, optimizer: new Optimizer({ state: new Map() }) })).rejects.toThrow(/optimizer\.state is a Map/);
    await expect(io.saveCheckpoint(file, { model, step: 1, extra: { list: [1, undefined] } })).rejects.toThrow(/extra\.list\[1\] is undefined/);
    await expect(io.saveCheckpoint(file, { model, step: 1, config: { n: 10n } })).rejects.toThrow(/config\.n is bigint/);
    expect(fs.existsSync(file)).toBe(false);
  });
});

describe("corrupted checkpoints", () => {
  it("names the file and the problem: missing, truncated, bit-flipped, foreign", async () => {
    const file = fresh();
    await save(file, 5);
    const good = fs.readFileSync(file);
    const noFallback = { fallback: false };

    expect((await rejection(io.loadCheckpoint(`${file}.nope`, noFallback))).message).toMatch(/loadCheckpoint: .*ckpt\.safetensors\.nope does not exist/);

    for (const length of [0, 7, 8, 100, good.length >> 1, good.length - 1]) {
      fs.writeFileSync(file, good.subarray(0, length));
      const e = await rejection(io.loadCheckpoint(file, noFallback));
      expect(e.message, `truncated to ${length}`).toContain(`loadCheckpoint: ${file} is corrupt: `);
    }
    fs.writeFileSync(file, Buffer.concat([good, Buffer.from([0])]));
    expect((await rejection(io.loadCheckpoint(file, noFallback))).message).toMatch(/is corrupt: .*1 trailing bytes/);

    // One flipped bit in every byte of the file, in turn: always caught.
    let caughtBySize = 0;
    let caughtByChecksum = 0;
    for (let i = 0; i < good.length; i++) {
      const bad = Buffer.from(good);
      bad[i] ^= 1 << (i % 8);
      const e = await rejection(io.parseCheckpoint(bad));
      expect(e.message).toMatch(/^parseCheckpoint: the checkpoint is corrupt: |not an nnzoo checkpoint/);
      if (e.message.includes("SHA-256")) caughtByChecksum++;
      else caughtBySize++;
    }
    expect(caughtByChecksum).toBeGreaterThan(0); // the data section and the header's numbers and strings
    expect(caughtBySize).toBeGreaterThan(0); // the header length, the JSON structure, dtypes, shapes, offsets
    const data = good.length - 1;
    const flipped = Buffer.from(good);
    flipped[data] ^= 0x10;
    fs.writeFileSync(file, flipped);
    expect((await rejection(io.loadCheckpoint(file, noFallback))).message).toMatch(/ckpt\.safetensors is corrupt: its SHA-256 is [0-9a-f]{64} but it records [0-9a-f]{64}/);

    const plain = path.join(path.dirname(file), "weights.safetensors");
    await io.saveSafetensors(plain, { w: tensor([1]) });
    expect((await rejection(io.loadCheckpoint(plain))).message).toMatch(/weights\.safetensors is a valid safetensors file but not an nnzoo checkpoint/);
  });

  it("falls back to the previous checkpoint, and says so", async () => {
    const file = fresh();
    await save(file, 1);
    await save(file, 2);
    expect((await io.loadCheckpoint(`${file}.prev`)).step).toBe(1);
    expect((await io.loadCheckpoint(file)).step).toBe(2);

    const good = fs.readFileSync(file);
    fs.writeFileSync(file, good.subarray(0, good.length - 3)); // truncated newest
    const ck = await io.loadCheckpoint(file);
    expect(ck.step).toBe(1);
    expect(ck.file).toBe(`${file}.prev`);
    expect(ck.recovered?.file).toBe(file);
    expect(ck.recovered?.error).toMatch(/ckpt\.safetensors is corrupt/);
    const restored = await io.restoreCheckpoint(file, { model: new Model(), optimizer: new Optimizer(null) });
    expect(restored.step).toBe(1);
    expect(restored.recovered?.file).toBe(file);
    await expect(io.loadCheckpoint(file, { fallback: false })).rejects.toThrow(/is corrupt/);

    // Saving over a corrupt checkpoint keeps the good backup instead of demoting the bad file.
    await save(file, 3);
    expect((await io.loadCheckpoint(`${file}.prev`)).step).toBe(1);
    expect((await io.loadCheckpoint(file)).step).toBe(3);

    // The newest file gone: the backup still serves.
    fs.unlinkSync(file);
    expect((await io.loadCheckpoint(file)).step).toBe(1);

    // Both bad: one error naming both files and both problems.
    fs.writeFileSync(file, "garbage");
    const prev = fs.readFileSync(`${file}.prev`);
    prev[prev.length - 1] ^= 1;
    fs.writeFileSync(`${file}.prev`, prev);
    const e = await rejection(io.loadCheckpoint(file));
    expect(e.message).toMatch(/loadCheckpoint: .*ckpt\.safetensors is corrupt: the file is 7 bytes long.*; and the previous checkpoint: .*ckpt\.safetensors\.prev is corrupt: its SHA-256/);
  });

  it("re-verifies a current file that changed since this process wrote it before keeping it", async () => {
    const file = fresh();
    await save(file, 1);
    await save(file, 2);
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 1] ^= 1; // same size, other contents and mtime
    fs.writeFileSync(file, bytes);
    await save(file, 3);
    expect((await io.loadCheckpoint(`${file}.prev`)).step).toBe(1);
  });

  it("cleans up temp files of dead writers and never leaves its own", async () => {
    const file = fresh();
    const dir = path.dirname(file);
    const stale = `${file}.999999999.deadbeef.tmp`;
    const unrelated = path.join(dir, "other.999999999.deadbeef.tmp");
    fs.writeFileSync(stale, "half a checkpoint");
    fs.writeFileSync(unrelated, "not ours");
    await save(file, 1);
    expect(fs.existsSync(stale)).toBe(false);
    expect(fs.existsSync(unrelated)).toBe(true);
    await save(file, 2);
    expect(fs.readdirSync(dir).sort()).toEqual(["ckpt.safetensors", "ckpt.safetensors.prev", "other.999999999.deadbeef.tmp"]);
    expect(await io.checkpointExists(file)).toBe(true);
    expect(await io.checkpointExists(`${file}.x`)).toBe(false);
  });
});
