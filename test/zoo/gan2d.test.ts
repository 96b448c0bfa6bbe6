import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { jsonLine, nnzoo, tempDir } from "../helpers/cli.js";

const TINY = ["--steps", "20", "--hidden", "8", "--batch", "32", "--eval-every", "10", "--checkpoint-every", "10", "--log-every", "5", "--json"];

describe("nnzoo train gan2d (smoke, through the real CLI)", () => {
  it("trains, tracks JS divergence and modes over time, writes snapshots; resumes, evaluates, samples, predicts", () => {
    const out = join(tempDir(), "run");
    const r = nnzoo("train", "gan2d", "--target", "ring", ...TINY, "--out", out);
    expect(r.status, r.stderr).toBe(0);
    const j = jsonLine(r);
    expect(j).toMatchObject({ task: "gan2d", model: "mlp", steps: 20, out });
    for (const k of ["modesCovered", "modesTotal", "jsDivergence"]) expect(typeof j.metrics[k], k).toBe("number");
    expect(j.metrics.modesTotal).toBe(8);
    expect(j.metrics.jsDivergence).toBeGreaterThan(0);
    expect(j.metrics.jsDivergence).toBeLessThanOrEqual(1);
    const lines = readFileSync(join(out, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.eval).map((l) => l.step)).toEqual([10]);
    expect(Object.keys(lines[0]).sort()).toEqual(["dFake", "dLoss", "dReal", "gLoss", "loss", "seconds", "step"]);
    expect(readdirSync(join(out, "snapshots"))).toEqual(["step-000010.json", "step-000020.json"]);
    const snap = JSON.parse(readFileSync(join(out, "snapshots", "step-000020.json"), "utf8"));
    expect(snap.step).toBe(20);
    expect(snap.fake).toHaveLength(2 * 512);
    expect(snap.fakeGrad).toHaveLength(2 * 512);
    expect(snap.field).toHaveLength(snap.fieldSize ** 2);
    expect(Math.min(...snap.field)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...snap.field)).toBeLessThanOrEqual(1);
    expect(snap.metrics.jsDivergence).toBeCloseTo(j.metrics.jsDivergence, 10);
    expect(snap.modes).toHaveLength(8);

    const resumed = nnzoo("train", "gan2d", "--resume", "--out", out, "--steps", "30", "--json");
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(jsonLine(resumed).steps).toBe(30);
    expect(existsSync(join(out, "snapshots", "step-000030.json"))).toBe(true);

    const ev = nnzoo("eval", "gan2d", "--from", out, "--json");
    expect(ev.status, ev.stderr).toBe(0);
    expect(jsonLine(ev).metrics.jsDivergence).toBeCloseTo(jsonLine(resumed).metrics.jsDivergence, 10);

    const s = nnzoo("sample", "gan2d", "--from", out, "--count", "5");
    expect(s.status, s.stderr).toBe(0);
    expect(s.stdout.trim().split("\n")).toHaveLength(5);
    for (const line of s.stdout.trim().split("\n")) expect(line).toMatch(/^-?\d+\.\d{4},-?\d+\.\d{4}$/);

    const p = nnzoo("predict", "gan2d", "--from", out, "2,0", "--json");
    expect(p.status, p.stderr).toBe(0);
    expect(jsonLine(p).real).toBeGreaterThanOrEqual(0);
    expect(jsonLine(p).real).toBeLessThanOrEqual(1);
  });

  it("trains on a points file with least squares, per-player optimizers and step counts; a bad line is named", () => {
    const dir = tempDir();
    const file = join(dir, "points.csv");
    const pts = Array.from({ length: 60 }, (_, i) => `${(100 + 40 * Math.cos(i / 3)).toFixed(2)},${(200 + 40 * Math.sin(i / 3)).toFixed(2)}`);
    writeFileSync(file, ["x,y", ...pts].join("\n") + "\n");
    const r = nnzoo("train", "gan2d", "--data", file, "--loss", "lsgan", "--g-optimizer", "sgd", "--d-optimizer", "rmsprop", "--g-lr", "0.01", "--d-lr", "0.002",
      "--d-steps", "2", "--g-steps", "1", "--z-dim", "4", ...TINY, "--out", join(dir, "a"));
    expect(r.status, r.stderr).toBe(0);
    expect(jsonLine(r).metrics.modesTotal).toBe(2); // 60 points → ⌊60/25⌋ k-means segments
    // Samples come back in the file's own units.
    const s = nnzoo("sample", "gan2d", "--from", join(dir, "a"), "--count", "3");
    expect(s.status, s.stderr).toBe(0);

    writeFileSync(file, ["x,y", ...pts.slice(0, 30), "12,oops", ...pts].join("\n"));
    const bad = nnzoo("train", "gan2d", "--data", file, ...TINY, "--out", join(dir, "b"));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/points\.csv line 32: expected two numbers "x,y", got "12,oops"/);
    const opt = nnzoo("train", "gan2d", "--loss", "wasserstein", "--out", join(dir, "c"));
    expect(opt.status).toBe(2);
    expect(opt.stderr).toMatch(/--loss must be one of nonsaturating, lsgan/);
  });
});
