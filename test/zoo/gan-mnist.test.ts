import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readPng } from "../../src/data/png.js";
import { loadMnist } from "../../src/data/mnist.js";
import { resolveConfig } from "../../src/zoo/options.js";
import { ganMnist } from "../../src/zoo/gan-mnist/task.js";
import { jsonLine, nnzoo, tempDir } from "../helpers/cli.js";

/** Tiny settings: a few iterations, a small MLP, a quickly trained (and cached) judge. */
const TINY = ["--steps", "4", "--batch", "8", "--hidden", "16", "--layers", "1", "--channels", "4", "--classifier-steps", "15", "--eval-samples", "100", "--log-every", "2", "--checkpoint-every", "2", "--json"];

beforeAll(() => {
  // The judge classifier is cached per settings: keep the tests' cache out of the user's.
  process.env.NNZOO_CACHE_DIR = tempDir("nnzoo-cache-");
});

describe("nnzoo train gan-mnist (smoke, through the real CLI)", () => {
  it("mlp: trains, scores fid and confidence against the cached classifier, resumes, writes a sample grid", () => {
    const out = join(tempDir(), "run");
    const r = nnzoo("train", "gan-mnist", "--model", "mlp", ...TINY, "--eval-every", "2", "--out", out);
    expect(r.status, r.stderr).toBe(0);
    const j = jsonLine(r);
    expect(j).toMatchObject({ task: "gan-mnist", model: "mlp", steps: 4 });
    expect(j.metrics.fid).toBeGreaterThan(0);
    expect(j.metrics.confidence).toBeGreaterThan(0.1);
    expect(j.metrics.confidence).toBeLessThanOrEqual(1);
    expect(j.metrics).not.toHaveProperty("classAccuracy");
    expect(j.metrics.fidReal).toBeLessThan(j.metrics.fidUntrained);
    expect(j.metrics.classifierAccuracy).toBeGreaterThan(0.1);
    expect(readdirSync(join(out, "samples"))).toEqual(["step-000002.png", "step-000004.png"]);
    expect(readdirSync(process.env.NNZOO_CACHE_DIR!).filter((f) => f.endsWith(".safetensors"))).toHaveLength(1);

    const resumed = nnzoo("train", "gan-mnist", "--resume", "--out", out, "--steps", "6", "--json");
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(jsonLine(resumed).steps).toBe(6);

    const png = join(tempDir(), "grid.png");
    const s = nnzoo("sample", "gan-mnist", "--from", out, "--count", "12", "--columns", "4", "--out", png);
    expect(s.status, s.stderr).toBe(0);
    expect(s.stdout).toContain(png);
    const img = readPng(png, 1);
    expect([img.width, img.height]).toEqual([4 * 28 + 5 * 2, 3 * 28 + 4 * 2]);
  }, 180_000); // four CLI processes that each load MNIST

  it("dcgan and conditional: train; the conditional GAN reports classAccuracy and draws a chosen digit", () => {
    const dir = tempDir();
    const dc = nnzoo("train", "gan-mnist", "--model", "dcgan", ...TINY, "--steps", "2", "--out", join(dir, "dc"));
    expect(dc.status, dc.stderr).toBe(0);
    expect(jsonLine(dc).metrics.fid).toBeGreaterThan(0);
    expect(jsonLine(dc).metrics).not.toHaveProperty("classAccuracy");

    const c = nnzoo("train", "gan-mnist", "--model", "conditional", ...TINY, "--out", join(dir, "c"));
    expect(c.status, c.stderr).toBe(0);
    const m = jsonLine(c).metrics;
    expect(m.classAccuracy).toBeGreaterThanOrEqual(0);
    expect(m.classAccuracy).toBeLessThanOrEqual(1);

    const ev = nnzoo("eval", "gan-mnist", "--from", join(dir, "c"), "--json");
    expect(ev.status, ev.stderr).toBe(0);
    expect(jsonLine(ev).metrics.classAccuracy).toBeCloseTo(m.classAccuracy, 10);
    expect(jsonLine(ev).metrics.fid).toBeCloseTo(m.fid, 6);

    const s = nnzoo("sample", "gan-mnist", "--from", join(dir, "c"), "--digit", "7", "--count", "8", "--json");
    expect(s.status, s.stderr).toBe(0);
    expect(jsonLine(s).samples[0]).toMatch(/sample\.png \(8 digits, all 7s/);
    expect(existsSync(join(dir, "c", "sample.png"))).toBe(true);
  }, 180_000);

  it("sample --digit needs a conditional GAN (in process: MNIST is loaded once per process, and the CLI's exit 2 is checked elsewhere)", async () => {
    const dir = tempDir();
    const config = resolveConfig(ganMnist as never, { model: "mlp", hidden: 16, layers: 1, channels: 4, batch: 8 });
    const ctx = { out: dir, log: () => {}, assertFinite: () => {} };
    const state = await ganMnist.setup(config, ctx);
    expect(() => ganMnist.sample!(state, { ...config, count: 4, digit: 7 }, ctx)).toThrow(/--digit needs a conditional GAN; this run's model is mlp/);
  });
});

describe("the Lab's GAN digits (lab/src/pages/gan-mnist/digits.bin)", () => {
  it("are the mnist package's first 120 digits of each class in 16 grey levels, two pixels a byte", () => {
    const bytes = readFileSync(new URL("../../lab/src/pages/gan-mnist/digits.bin", import.meta.url));
    const perClass = 120;
    expect(bytes.length).toBe(10 * perClass * 392);
    const all = loadMnist();
    for (let c = 0, k = 0; c < 10; c++) {
      let taken = 0;
      for (let i = 0; i < all.count && taken < perClass; i++) {
        if (all.labels[i] !== c) continue;
        for (let p = 0; p < 784; p++) {
          const level = p % 2 === 0 ? bytes[(k * 784 + p) >> 1] >> 4 : bytes[(k * 784 + p) >> 1] & 15;
          if (level !== Math.round(all.pixels[i * 784 + p] / 17)) throw new Error(`digit ${taken} of class ${c}, pixel ${p} differs; regenerate with node --import tsx lab/src/pages/gan-mnist/make-digits.ts`);
        }
        k++;
        taken++;
      }
    }
  });
});
