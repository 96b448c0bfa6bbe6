import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Generator, manualSeed } from "../../src/core/random.js";
import {
  ADDING_TRIVIAL_MSE, BLANK, addingBatch, copyBatch, copyFeatures, copyLength, copyTrivialAccuracy,
} from "../../src/zoo/memory/data.js";
import { MemoryNet } from "../../src/zoo/memory/model.js";
import { GRAD_NORMS_FILE, gradRatio, measureGradNorms, memory } from "../../src/zoo/memory/task.js";
import { optionTable, parseValue, resolveConfig } from "../../src/zoo/options.js";
import { train } from "../../src/zoo/runner.js";
import type { TaskContext } from "../../src/zoo/task.js";
import { CLI_ARGS, type CliResult, jsonLine, tempDir } from "../helpers/cli.js";

/** The real CLI, asynchronously, so that independent runs overlap (describe.concurrent). */
function nnzoo(...args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CLI_ARGS, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    child.stdout.on("data", (d) => { stdout += d; });
    child.stderr.on("data", (d) => { stderr += d; });
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

const T = 6;
const TINY = ["--steps", "4", "--hidden", "8", "--batch", "4", "--seq-len", String(T), "--test-size", "20", "--symbols", "3", "--alphabet", "4",
  "--checkpoint-every", "2", "--log-every", "2", "--json"];

const ctx = (out = tempDir()): TaskContext => ({ out, log: () => {}, assertFinite: () => {} });

describe("memory data: the adding problem", () => {
  it("marks exactly two steps, one in each half, and the target is the sum of their values", () => {
    const gen = new Generator(1);
    for (const len of [2, 3, 10, 101]) {
      const { inputs, targets, markers } = addingBatch(64, len, gen);
      expect(inputs.shape).toEqual([64, len, 2]);
      expect(targets.shape).toEqual([64]);
      const x = inputs.data;
      const half = Math.floor(len / 2);
      for (let b = 0; b < 64; b++) {
        const marked: number[] = [];
        for (let t = 0; t < len; t++) {
          const v = x[(b * len + t) * 2], m = x[(b * len + t) * 2 + 1];
          expect(v >= 0 && v < 1).toBe(true);
          expect(m === 0 || m === 1).toBe(true);
          if (m === 1) marked.push(t);
        }
        expect(marked).toEqual(markers[b]);
        expect(marked).toHaveLength(2);
        expect(marked[0]).toBeLessThan(half);
        expect(marked[1]).toBeGreaterThanOrEqual(half);
        expect(targets.data[b]).toBe(Math.fround(x[(b * len + marked[0]) * 2] + x[(b * len + marked[1]) * 2]));
      }
    }
  });

  it("is reproducible from a seed, and the trivial prediction 1 scores MSE ≈ 1/6", () => {
    expect(addingBatch(5, 20, new Generator(7)).inputs.data).toEqual(addingBatch(5, 20, new Generator(7)).inputs.data);
    const { targets } = addingBatch(20_000, 10, new Generator(3));
    let se = 0, mean = 0;
    for (const y of targets.data) {
      se += (y - 1) ** 2;
      mean += y;
    }
    expect(mean / 20_000).toBeCloseTo(1, 1);
    expect(se / 20_000).toBeCloseTo(ADDING_TRIVIAL_MSE, 2);
    expect(ADDING_TRIVIAL_MSE).toBeCloseTo(0.1667, 4);
  });
});

describe("memory data: the copy task", () => {
  it("lays out K symbols, T blanks, the delimiter, K blanks; targets are the symbols", () => {
    const layout = { symbols: 4, gap: 7, alphabet: 5 };
    const L = copyLength(layout);
    const F = copyFeatures(layout);
    expect(L).toBe(2 * 4 + 7 + 1);
    expect(F).toBe(7);
    const { tokens, inputs, targets } = copyBatch(50, layout, new Generator(2));
    expect(tokens.shape).toEqual([50, L]);
    expect(inputs.shape).toEqual([50, L, F]);
    expect(targets.shape).toEqual([50, 4]);
    expect(tokens.dtype).toBe("int32");
    for (let b = 0; b < 50; b++) {
      const row = Array.from(tokens.data.subarray(b * L, (b + 1) * L));
      const symbols = row.slice(0, 4);
      for (const s of symbols) expect(s >= 1 && s <= 5).toBe(true);
      expect(row.slice(4, 4 + 7)).toEqual(Array(7).fill(BLANK));
      expect(row[4 + 7]).toBe(6); // the delimiter, alphabet + 1
      expect(row.slice(4 + 7 + 1)).toEqual(Array(4).fill(BLANK));
      expect(Array.from(targets.data.subarray(b * 4, (b + 1) * 4))).toEqual(symbols.map((s) => s - 1));
      for (let t = 0; t < L; t++) {
        const oneHot = Array.from(inputs.data.subarray((b * L + t) * F, (b * L + t + 1) * F));
        expect(oneHot.reduce((a, v) => a + v, 0)).toBe(1);
        expect(oneHot[row[t]]).toBe(1);
      }
    }
  });

  it("has the trivial baseline 1/alphabet: the symbols are uniform, so no fixed guess beats it", () => {
    const layout = { symbols: 10, gap: 1, alphabet: 8 };
    expect(copyTrivialAccuracy(layout)).toBe(1 / 8);
    const { targets } = copyBatch(4000, layout, new Generator(5));
    const counts = new Array(8).fill(0);
    for (const y of targets.data) counts[y]++;
    // The best constant guess (the most frequent symbol) is right ≈ 1/8 of the time.
    expect(Math.max(...counts) / targets.data.length).toBeLessThan(1 / 8 + 0.01);
    expect(Math.min(...counts) / targets.data.length).toBeGreaterThan(1 / 8 - 0.01);
  });
});

describe("memory model and gradient norms", () => {
  for (const model of ["rnn", "lstm", "gru"]) {
    it(`${model}: gradNorms has one finite entry per time step and leaves the parameters' gradients alone`, () => {
      manualSeed(0);
      const state = memory.setup(resolveConfig(memory as never, { model, seqLen: 12, hidden: 8, testSize: 30 }), ctx()) as Awaited<ReturnType<typeof memory.setup>>;
      const params = state.model.parameters();
      expect(params.every((p) => p.grad === null)).toBe(true);
      const norms = measureGradNorms(state);
      expect(norms).toHaveLength(12);
      for (const n of norms) expect(Number.isFinite(n) && n >= 0).toBe(true);
      expect(norms[11]).toBeGreaterThan(0);
      expect(params.every((p) => p.grad === null)).toBe(true);
      expect(gradRatio(norms)).toBeCloseTo(norms[0] / norms[11], 12);
    });
  }

  it("copy: gradNorms covers all 2K+T+1 steps", () => {
    manualSeed(0);
    const state = memory.setup(resolveConfig(memory as never, { model: "gru", problem: "copy", seqLen: 5, symbols: 3, alphabet: 4, hidden: 8, testSize: 10 }), ctx()) as Awaited<ReturnType<typeof memory.setup>>;
    expect(measureGradNorms(state)).toHaveLength(2 * 3 + 5 + 1);
  });

  it("--init and --gain set the recurrent weights (per gate block); --nonlinearity relu is for rnn only", () => {
    manualSeed(0);
    const net = new MemoryNet({ kind: "gru", inputSize: 2, hidden: 4, layers: 1, outputs: 1, readout: 1, init: "identity", gain: 0.5 });
    const w = net.rnn.getParameter("weight_hh_l0").data;
    for (let k = 0; k < 3; k++) for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) expect(w[k * 16 + i * 4 + j]).toBe(i === j ? 0.5 : 0);
    const orth = new MemoryNet({ kind: "rnn", inputSize: 2, hidden: 6, layers: 1, outputs: 1, readout: 1, init: "orthogonal", gain: 2 });
    const q = orth.rnn.getParameter("weight_hh_l0").data;
    for (let i = 0; i < 6; i++) {
      for (let j = 0; j < 6; j++) {
        let dot = 0;
        for (let k = 0; k < 6; k++) dot += q[i * 6 + k] * q[j * 6 + k];
        expect(dot).toBeCloseTo(i === j ? 4 : 0, 4);
      }
    }
    expect(() => new MemoryNet({ kind: "lstm", inputSize: 2, hidden: 4, layers: 1, outputs: 1, readout: 1, nonlinearity: "relu" })).toThrow(/--nonlinearity relu applies to the plain RNN only/);
  });
});

// Speed is never asserted: on a busy machine these CLI runs wait for a core, so they get time.
describe.concurrent("nnzoo train memory (smoke, through the real CLI)", { timeout: 240_000 }, () => {
  for (const problem of ["adding", "copy"]) {
    for (const model of ["rnn", "lstm", "gru"]) {
      it(`${problem} × ${model}: trains, writes the run directory and the gradient-norm curve`, async () => {
        const out = join(tempDir(), "run");
        const r = await nnzoo("train", "memory", "--problem", problem, "--model", model, ...TINY, "--out", out);
        expect(r.status, r.stderr).toBe(0);
        const j = jsonLine(r);
        expect(Object.keys(j).sort()).toEqual(["metrics", "model", "out", "seconds", "steps", "task"]);
        expect(j).toMatchObject({ task: "memory", model, steps: 4, out });
        const m = j.metrics;
        const length = problem === "adding" ? T : 2 * 3 + T + 1;
        const keys = problem === "adding" ? ["mse", "baselineMse"] : ["accuracy", "baselineAccuracy", "crossEntropy", "baselineCrossEntropy"];
        expect(Object.keys(m).sort()).toEqual([...keys, "seqLen", "length", "gradRatio", "clippedFraction", "gradNorms"].sort());
        expect(m.gradNorms).toHaveLength(length);
        expect(m.length).toBe(length);
        for (const g of m.gradNorms) expect(Number.isFinite(g)).toBe(true);
        expect(m.gradRatio).toBeCloseTo(m.gradNorms[0] / m.gradNorms[length - 1], 10);
        expect(m.clippedFraction).toBeGreaterThanOrEqual(0);
        expect(m.clippedFraction).toBeLessThanOrEqual(1);
        if (problem === "adding") expect(m.baselineMse).toBeGreaterThan(0.05);
        else expect(m.baselineAccuracy).toBe(0.25);
        for (const f of ["config.json", "checkpoint.safetensors", "metrics.jsonl", "final.json", GRAD_NORMS_FILE]) expect(existsSync(join(out, f)), f).toBe(true);
        const curves = JSON.parse(readFileSync(join(out, GRAD_NORMS_FILE), "utf8"));
        expect(curves).toMatchObject({ task: "memory", problem, model, seqLen: T, length });
        expect(curves.history.map((h: { step: number }) => h.step)).toEqual([0, 4]);
        expect(curves.history[1].gradNorms).toEqual(m.gradNorms);
      });
    }
  }

  it("resumes bit for bit, counts clipped steps across the resume, evaluates and predicts", async () => {
    const dir = tempDir();
    const args = ["--model", "gru", "--hidden", "8", "--batch", "4", "--seq-len", "8", "--test-size", "20", "--clip", "0.05", "--log-every", "1", "--json"];
    const [straight, first] = await Promise.all([
      nnzoo("train", "memory", ...args, "--steps", "6", "--out", join(dir, "a")),
      nnzoo("train", "memory", ...args, "--steps", "3", "--out", join(dir, "b")),
    ]);
    expect(straight.status, straight.stderr).toBe(0);
    expect(first.status, first.stderr).toBe(0);
    const resumed = await nnzoo("train", "memory", "--resume", "--out", join(dir, "b"), "--steps", "6", "--json");
    expect(resumed.status, resumed.stderr).toBe(0);
    const [a, b] = [jsonLine(straight), jsonLine(resumed)];
    expect(b.steps).toBe(6);
    expect(b.metrics.mse).toBe(a.metrics.mse);
    expect(b.metrics.gradNorms).toEqual(a.metrics.gradNorms);
    // Every logged step's pre-clip norm, against the fraction the task reports.
    const norms = readFileSync(join(dir, "a", "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l).gradNorm);
    expect(norms).toHaveLength(6);
    expect(a.metrics.clippedFraction).toBe(norms.filter((n) => n > 0.05).length / 6);
    expect(b.metrics.clippedFraction).toBe(a.metrics.clippedFraction);
    const steps = JSON.parse(readFileSync(join(dir, "b", GRAD_NORMS_FILE), "utf8")).history.map((h: { step: number }) => h.step);
    expect(steps).toEqual([0, 3, 6]);

    const [ev, p] = await Promise.all([
      nnzoo("eval", "memory", "--from", join(dir, "b"), "--json"),
      nnzoo("predict", "memory", "--from", join(dir, "b"), "7", "--json"),
    ]);
    expect(ev.status, ev.stderr).toBe(0);
    expect(jsonLine(ev).metrics).toEqual(b.metrics);
    expect(p.status, p.stderr).toBe(0);
    const pj = jsonLine(p);
    expect(pj.target).toBeCloseTo(pj.values[0] + pj.values[1], 6);
    expect(pj.markers[0]).toBeLessThan(4);
    expect(pj.markers[1]).toBeGreaterThanOrEqual(4);
    expect(Number.isFinite(pj.prediction)).toBe(true);
  });

  it("rejects bad options with exit 2 and a message naming the option", async () => {
    const r = await nnzoo("train", "memory", "--model", "lstm", "--nonlinearity", "relu", "--out", join(tempDir(), "run"));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--nonlinearity relu applies to the plain RNN only/);
    const cases: Array<[Record<string, string | number>, RegExp]> = [
      [{ seqLen: 1 }, /--seq-len must be ≥ 2 for the adding problem/],
      [{ data: "x.txt" }, /--data: the memory task generates its data/],
    ];
    for (const [given, message] of cases) expect(() => memory.setup(resolveConfig(memory as never, given), ctx())).toThrow(message);
    const table = optionTable(memory as never);
    expect(() => parseValue("problem", table.problem, "sort")).toThrow(/--problem must be one of adding, copy, got "sort"/);
    expect(() => parseValue("init", table.init, "zeros")).toThrow(/--init must be one of default, orthogonal, identity/);
  });
});

describe("memory: the effect is real", { timeout: 240_000 }, () => {
  it("a GRU learns the adding problem at T = 20 far below the trivial baseline in 200 steps", async () => {
    const config = resolveConfig(memory as never, { model: "gru", seqLen: 20, hidden: 32, lr: 1e-2, steps: 200, seed: 0, testSize: 500 });
    const s = await train(memory, config, { out: join(tempDir(), "run"), quiet: true });
    const m = s.metrics as { mse: number; baselineMse: number };
    expect(m.baselineMse).toBeGreaterThan(0.15);
    expect(m.mse).toBeLessThan(0.02);
    expect(m.mse).toBeLessThan(m.baselineMse / 8);
  });
});
