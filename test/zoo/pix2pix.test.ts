import { spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { encodeIdx } from "../../src/data/idx.js";
import { readPng, writePng } from "../../src/data/png.js";
import { CLI, type CliResult, jsonLine, tempDir } from "../helpers/cli.js";

/** Runs the real CLI without blocking, so several runs share the wall-clock time. */
function run(...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", CLI, ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NNZOO_THREADS: "1" } });
    let stdout = "", stderr = "";
    child.stdout.on("data", (d) => { stdout += d; });
    child.stderr.on("data", (d) => { stderr += d; });
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

const TINY = ["--steps", "3", "--hidden", "4", "--disc-width", "4", "--batch", "4", "--test-count", "8", "--ablation", "--log-every", "1", "--checkpoint-every", "3", "--json"];

const KEYS: Record<string, string[]> = {
  edges: ["l1", "psnr", "l1Ablation", "psnrAblation"],
  inpaint: ["l1", "psnr", "l1Hole", "psnrHole", "l1Ablation", "psnrAblation", "l1HoleAblation", "psnrHoleAblation"],
  colorize: ["psnr", "chroma", "psnrAblation", "chromaAblation", "chromaTarget", "psnrGrey"],
  roads: ["iou", "f1", "psnr", "iouAblation", "f1Ablation", "psnrAblation"],
};

/** A tiny Fashion-MNIST-like directory of IDX files (gzip, as distributed). */
function tinyIdxDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const images = (n: number) => gzipSync(encodeIdx({ dtype: "uint8", shape: [n, 28, 28], data: Array.from({ length: n * 784 }, (_, i) => ((i % 28) > 8 && (i % 28) < 20 && (i % 784) > 150 && (i % 784) < 600 ? 200 : 0)) }));
  const labels = (n: number) => gzipSync(encodeIdx({ dtype: "uint8", shape: [n], data: Array.from({ length: n }, (_, i) => i % 10) }));
  writeFileSync(join(dir, "train-images-idx3-ubyte.gz"), images(20));
  writeFileSync(join(dir, "train-labels-idx1-ubyte.gz"), labels(20));
  writeFileSync(join(dir, "t10k-images-idx3-ubyte.gz"), images(10));
  writeFileSync(join(dir, "t10k-labels-idx1-ubyte.gz"), labels(10));
}

describe("nnzoo pix2pix (smoke, through the real CLI)", () => {
  it("trains every pair type with its L1-only ablation, then samples, predicts and evaluates", async () => {
    const dir = tempDir();
    const out = (k: string) => join(dir, k);
    const extra: Record<string, string[]> = { edges: [], inpaint: [], colorize: ["--photo-scale", "8"], roads: ["--size", "32"] };
    const runs = await Promise.all(Object.keys(KEYS).map((k) => run("train", "pix2pix", "--pairs", k, ...extra[k], ...TINY, "--out", out(k))));
    Object.keys(KEYS).forEach((k, i) => {
      const r = runs[i];
      expect(r.status, `${k}: ${r.stderr}`).toBe(0);
      const j = jsonLine(r);
      expect(j).toMatchObject({ task: "pix2pix", model: "unet", steps: 3 });
      for (const key of KEYS[k]) expect(Number.isFinite(j.metrics[key]), `${k}.${key}`).toBe(true);
      for (const f of ["config.json", "checkpoint.safetensors", "metrics.jsonl", "final.json"]) expect(existsSync(join(out(k), f)), f).toBe(true);
    });
    const roads = jsonLine(runs[3]).metrics;
    expect(roads.iou).toBeGreaterThanOrEqual(0);
    expect(roads.iou).toBeLessThanOrEqual(roads.f1);

    // Pictures to map: an edge drawing (dark lines on white) and a colour picture.
    const drawing = { width: 64, height: 64, channels: 1 as const, data: new Float32Array(64 * 64).fill(1) };
    for (let y = 12; y < 52; y++) drawing.data[y * 64 + 24] = drawing.data[y * 64 + 40] = 0;
    writePng(join(dir, "edges.png"), drawing);
    const photo = { width: 40, height: 24, channels: 3 as const, data: Float32Array.from({ length: 40 * 24 * 3 }, (_, i) => (i % 7) / 7) };
    writePng(join(dir, "photo.png"), photo);

    const [sample, predictEdges, predictColour, predictRoads, evaluated, noOut] = await Promise.all([
      run("sample", "pix2pix", "--from", out("edges"), "--count", "3", "--scale", "2", "--out", join(dir, "grid.png")),
      run("predict", "pix2pix", "--from", out("edges"), join(dir, "edges.png"), "--out", join(dir, "digit.png"), "--json"),
      run("predict", "pix2pix", "--from", out("colorize"), join(dir, "photo.png"), "--out", join(dir, "colour.png")),
      run("predict", "pix2pix", "--from", out("roads"), join(dir, "photo.png"), "--out", join(dir, "roads.png"), "--generator", "l1"),
      run("eval", "pix2pix", "--from", out("edges"), "--json"),
      run("predict", "pix2pix", "--from", out("edges"), join(dir, "edges.png")),
    ]);
    expect(sample.status, sample.stderr).toBe(0);
    expect(sample.stdout).toMatch(/3 held-out edges pairs, one per row — input \| pix2pix output \| L1-only output \| target/);
    const grid = readPng(join(dir, "grid.png"));
    // 4 columns and 3 rows of 32×32 tiles with 2-pixel gaps, enlarged 2×.
    expect([grid.width, grid.height]).toEqual([2 * (4 * 32 + 5 * 2), 2 * (3 * 32 + 4 * 2)]);

    expect(predictEdges.status, predictEdges.stderr).toBe(0);
    expect(jsonLine(predictEdges)).toMatchObject({ pairs: "edges", generator: "pix2pix", width: 64, height: 64 });
    expect(jsonLine(predictEdges).note).toMatch(/inverted/);
    expect(readPng(join(dir, "digit.png")).width).toBe(64);
    expect(predictColour.status, predictColour.stderr).toBe(0);
    const coloured = readPng(join(dir, "colour.png"));
    expect([coloured.width, coloured.height]).toEqual([40, 24]);
    expect(predictRoads.status, predictRoads.stderr).toBe(0);
    expect(predictRoads.stdout).toMatch(/40×24, roads, L1-only generator/);

    expect(evaluated.status, evaluated.stderr).toBe(0);
    expect(jsonLine(evaluated).metrics.psnr).toBeCloseTo(jsonLine(runs[0]).metrics.psnr, 6);
    expect(noOut.status).toBe(2);
    expect(noOut.stderr).toMatch(/predict needs --out FILE.png/);
  }, 240_000);

  it("reads Fashion-MNIST IDX files (--dataset fashion), and says clearly when they are missing", async () => {
    const dir = tempDir();
    tinyIdxDir(join(dir, "fashion"));
    mkdirSync(join(dir, "empty"));
    const [ok, missing, wrongPairs, badData] = await Promise.all([
      run("train", "pix2pix", "--dataset", "fashion", "--data", join(dir, "fashion"), ...TINY, "--out", join(dir, "run")),
      run("train", "pix2pix", "--dataset", "fashion", "--data", join(dir, "empty"), "--steps", "1"),
      run("train", "pix2pix", "--pairs", "roads", "--dataset", "fashion", "--steps", "1"),
      run("train", "pix2pix", "--pairs", "colorize", "--data", join(dir, "empty"), "--steps", "1"),
    ]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(jsonLine(ok).metrics.testPairs).toBe(8);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/--dataset fashion --data .*empty: the directory must hold Fashion-MNIST's four IDX files/);
    expect(wrongPairs.status).toBe(2);
    expect(wrongPairs.stderr).toMatch(/--dataset fashion is for --pairs edges or inpaint, not roads/);
    expect(badData.status).toBe(2);
    expect(badData.stderr).toMatch(/need at least 2 photos/);
  }, 180_000);
});
