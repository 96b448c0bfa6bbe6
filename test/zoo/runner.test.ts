import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { randn, tensor } from "../../src/index.js";
import { Linear } from "../../src/nn/linear.js";
import { SGD } from "../../src/optim/sgd.js";
import { loadCheckpoint } from "../../src/io/checkpoint.js";
import { DivergenceError, train } from "../../src/zoo/runner.js";
import { resolveConfig } from "../../src/zoo/options.js";
import type { Task, TrainState } from "../../src/zoo/task.js";
import { jsonLine, nnzoo, nnzooAsync, nnzooAsyncIn, tempDir } from "../helpers/cli.js";

/** A toy regression whose loss or gradient turns non-finite at a chosen step. */
function toyTask(breakAt: number, what: "loss" | "grad"): Task<TrainState & { model: Linear }> {
  return {
    name: "toy",
    summary: "toy",
    models: ["linear"],
    options: {},
    setup() {
      const model = new Linear(3, 1);
      return { model, optimizer: new SGD(model.parameters(), { lr: 0.01 }) };
    },
    loss(state, step) {
      const x = randn([8, 3]);
      let loss = state.model.forward(x).square().mean();
      if (step === breakAt) loss = what === "loss" ? loss.mul(NaN) : loss.add(state.model.weight.sum().mul(0).sqrt());
      return { loss };
    },
    evaluate: () => ({ ok: 1 }),
  };
}

describe("the training runner", () => {
  it("a run whose setup fails leaves no run behind (the same --out works once fixed)", async () => {
    const out = join(tempDir(), "run");
    const failing: Task<TrainState & { model: Linear }> = { ...toyTask(-1, "loss"), setup: () => { throw new Error("bad data"); } };
    await expect(train(failing, resolveConfig(failing, { steps: 1 }), { out, quiet: true })).rejects.toThrow("bad data");
    expect(existsSync(join(out, "config.json"))).toBe(false);
    const ok = toyTask(-1, "loss");
    await train(ok, resolveConfig(ok, { steps: 1 }), { out, quiet: true });
    expect(existsSync(join(out, "config.json"))).toBe(true);
  });

  it("runs started together without --out get directories of their own", async () => {
    const cwd = tempDir();
    const args = ["train", "charlm", "--steps", "1", "--hidden", "8", "--embed", "4", "--json"];
    const [a, b] = await Promise.all([0, 1].map(() => new Promise<string>((resolve, reject) => {
      const child = nnzooAsyncIn(cwd, ...args);
      let stdout = "", stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      child.on("exit", (code) => (code === 0 ? resolve(JSON.parse(stdout.trim().split("\n").at(-1)!).out) : reject(new Error(stderr))));
    })));
    expect(a).not.toBe(b);
    for (const dir of [a, b]) expect(existsSync(join(cwd, dir, "final.json")), dir).toBe(true);
  }, 60_000);

  it("stops on a non-finite loss, naming the step, and keeps the last good checkpoint", async () => {
    const out = join(tempDir(), "run");
    const config = { ...resolveConfig(toyTask(7, "loss") as never, {}), steps: 20, checkpointEvery: 5 };
    await expect(train(toyTask(7, "loss"), config, { out, quiet: true })).rejects.toThrow(/toy: training diverged — step 7: the loss is NaN\. The last good checkpoint .* was kept/);
    const ck = await loadCheckpoint(join(out, "checkpoint.safetensors"));
    expect(ck.step).toBe(5);
  });

  it("stops on a non-finite gradient and names the parameter", async () => {
    const out = join(tempDir(), "run");
    const config = { ...resolveConfig(toyTask(3, "grad") as never, {}), steps: 10 };
    const err = await train(toyTask(3, "grad"), config, { out, quiet: true }).catch((e) => e);
    expect(err).toBeInstanceOf(DivergenceError);
    expect(err.message).toMatch(/step 3: the gradient of weight is NaN at flat index 0/);
  });

  it("Ctrl-C saves a checkpoint and exits 130; --resume continues to the end", async () => {
    const out = join(tempDir(), "run");
    const child = nnzooAsync("train", "charlm", "--steps", "100000", "--hidden", "8", "--embed", "8", "--batch", "4", "--log-every", "10", "--out", out, "--quiet");
    // Wait until training is under way (the first metrics line), then interrupt.
    await new Promise<void>((resolve, reject) => {
      const t0 = Date.now();
      const poll = setInterval(() => {
        if (existsSync(join(out, "metrics.jsonl"))) { clearInterval(poll); resolve(); }
        else if (Date.now() - t0 > 60_000) { clearInterval(poll); reject(new Error("training never started")); }
      }, 100);
    });
    child.kill("SIGINT");
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const code = await new Promise<number | null>((r) => child.on("close", r));
    expect(code, stderr).toBe(130);
    expect(stderr).toMatch(/interrupted at step \d+: checkpoint saved/);
    const ck = await loadCheckpoint(join(out, "checkpoint.safetensors"));
    expect(ck.step).toBeGreaterThan(0);
    const resumed = nnzoo("train", "charlm", "--resume", "--out", out, "--steps", String(ck.step + 5), "--json");
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(jsonLine(resumed).steps).toBe(ck.step + 5);
  }, 120_000);

  it("a resumed run matches an uninterrupted one bit for bit", () => {
    const dir = tempDir();
    const args = ["--model", "lstm", "--hidden", "8", "--embed", "8", "--batch", "8", "--checkpoint-every", "10", "--json"];
    const whole = jsonLine(nnzoo("train", "charlm", ...args, "--steps", "30", "--out", join(dir, "whole")));
    expect(nnzoo("train", "charlm", ...args, "--steps", "10", "--out", join(dir, "split")).status).toBe(0);
    const split = jsonLine(nnzoo("train", "charlm", "--resume", "--out", join(dir, "split"), "--steps", "30", "--json"));
    expect(split.metrics.testNll).toBe(whole.metrics.testNll);
    const a = readFileSync(join(dir, "whole", "checkpoint.safetensors"));
    const b = readFileSync(join(dir, "split", "checkpoint.safetensors"));
    expect(a.equals(b)).toBe(true);
  }, 60_000);
});

void tensor;
