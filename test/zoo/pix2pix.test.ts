import { spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { encodeIdx } from "../../src/data/idx.js";
import { readPng, writePng } from "../../src/data/png.js";
import { resolveConfig } from "../../src/zoo/options.js";
import { pix2pix } from "../../src/zoo/pix2pix/task.js";
import { CLI_ARGS, type CliResult, jsonLine, tempDir } from "../helpers/cli.js";

/** Runs the real CLI without blocking, so several runs share the wall-clock time. */
function run(...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...CLI_ARGS, ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NNZOO_THREADS: "1" } });
    let stdout = "", stderr = "";
    child.stdout.on("data", (d) => { stdout += d; });
    child.stderr.on("data", (d) => { stderr += d; });
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

/** Tiny settings: these check the plumbing, not the scores. */
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
  const dir = tempDir();
  const out = (k: string) => join(dir, k);
  /**
   * One tiny training run per pair type, all at once. Edges read a tiny Fashion-MNIST-like IDX
   * directory (--dataset fashion --data), so the sample/predict/eval runs below, which rebuild
   * the pairs, need not load all of MNIST again; inpaint reads the built-in MNIST; colorize
   * decodes two of the built-in photos (--train-photos, --test-photos).
   */
  const extra: Record<string, string[]> = {
    edges: ["--dataset", "fashion", "--data", join(dir, "fashion")],
    inpaint: [],
    colorize: ["--photo-scale", "8", "--train-photos", "french-alpine-landscape", "--test-photos", "march-pastoral"],
    roads: ["--size", "32"],
  };
  const runs: Record<string, CliResult> = {};

  beforeAll(async () => {
    tinyIdxDir(join(dir, "fashion"));
    const done = await Promise.all(Object.keys(KEYS).map((k) => run("train", "pix2pix", "--pairs", k, ...extra[k], ...TINY, "--out", out(k))));
    Object.keys(KEYS).forEach((k, i) => { runs[k] = done[i]; });
  }, 120_000);

  it("trains every pair type with its L1-only ablation: --json keys and the run directory", () => {
    for (const k of Object.keys(KEYS)) {
      const r = runs[k];
      expect(r.status, `${k}: ${r.stderr}`).toBe(0);
      const j = jsonLine(r);
      expect(j).toMatchObject({ task: "pix2pix", model: "unet", steps: 3 });
      for (const key of KEYS[k]) expect(Number.isFinite(j.metrics[key]), `${k}.${key}`).toBe(true);
      for (const f of ["config.json", "checkpoint.safetensors", "metrics.jsonl", "final.json"]) expect(existsSync(join(out(k), f)), f).toBe(true);
    }
    const roads = jsonLine(runs.roads).metrics;
    expect(roads.iou).toBeGreaterThanOrEqual(0);
    expect(roads.iou).toBeLessThanOrEqual(roads.f1);
    // --dataset fashion --data DIR: the IDX files' 10 test images, 8 of them scored (--test-count).
    expect(jsonLine(runs.edges).metrics.testPairs).toBe(8);
    expect(jsonLine(runs.colorize).metrics.testPairs).toBeGreaterThan(0);
  });

  it("samples, predicts and evaluates from the run directories", async () => {
    // Pictures to map: an edge drawing (dark lines on white) and a colour picture.
    const drawing = { width: 64, height: 64, channels: 1 as const, data: new Float32Array(64 * 64).fill(1) };
    for (let y = 12; y < 52; y++) drawing.data[y * 64 + 24] = drawing.data[y * 64 + 40] = 0;
    writePng(join(dir, "edges.png"), drawing);
    const photo = { width: 40, height: 24, channels: 3 as const, data: Float32Array.from({ length: 40 * 24 * 3 }, (_, i) => (i % 7) / 7) };
    writePng(join(dir, "photo.png"), photo);

    const [sample, predictEdges, predictColour, predictRoads, evaluated, noOut, colourSample] = await Promise.all([
      run("sample", "pix2pix", "--from", out("edges"), "--count", "3", "--scale", "2", "--out", join(dir, "grid.png")),
      run("predict", "pix2pix", "--from", out("edges"), join(dir, "edges.png"), "--out", join(dir, "digit.png"), "--json"),
      run("predict", "pix2pix", "--from", out("colorize"), join(dir, "photo.png"), "--out", join(dir, "colour.png")),
      run("predict", "pix2pix", "--from", out("roads"), join(dir, "photo.png"), "--out", join(dir, "roads.png"), "--generator", "l1"),
      run("eval", "pix2pix", "--from", out("edges"), "--json"),
      run("predict", "pix2pix", "--from", out("edges"), join(dir, "edges.png")),
      run("sample", "pix2pix", "--from", out("colorize"), "--count", "3", "--scale", "1", "--out", join(dir, "colour-grid.png")),
    ]);
    expect(sample.status, sample.stderr).toBe(0);
    expect(sample.stdout).toMatch(/3 held-out edges pairs, one per row — input \| pix2pix output \| L1-only output \| target/);
    const grid = readPng(join(dir, "grid.png"));
    // 4 columns and 3 rows of 32×32 tiles with 2-pixel gaps, enlarged 2×.
    expect([grid.width, grid.height]).toEqual([2 * (4 * 32 + 5 * 2), 2 * (3 * 32 + 4 * 2)]);

    // colorize rows: the input column is the target's luminance, as grey, in every row (not only the first).
    expect(colourSample.status, colourSample.stderr).toBe(0);
    const cg = readPng(join(dir, "colour-grid.png"));
    const tileMean = (row: number, col: number, luminance: boolean) => {
      let sum = 0;
      for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) {
        const at = ((2 + row * 34 + y) * cg.width + 2 + col * 34 + x) * cg.channels;
        sum += luminance ? 0.299 * cg.data[at] + 0.587 * cg.data[at + 1] + 0.114 * cg.data[at + 2] : cg.data[at];
      }
      return sum / 1024;
    };
    for (let row = 0; row < 3; row++) expect(Math.abs(tileMean(row, 0, false) - tileMean(row, 3, true)), `row ${row}`).toBeLessThan(0.03);

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
    expect(jsonLine(evaluated).metrics.psnr).toBeCloseTo(jsonLine(runs.edges).metrics.psnr, 6);
    expect(noOut.status).toBe(2);
    expect(noOut.stderr).toMatch(/predict needs --out FILE.png/);
  }, 90_000);

  it("says clearly when Fashion-MNIST files or photos are missing (in process: the CLI's exit 2 is checked above)", () => {
    mkdirSync(join(dir, "empty"), { recursive: true });
    const setup = (given: Record<string, string | number>) => () => pix2pix.setup(resolveConfig(pix2pix as never, { steps: 1, ...given }), { out: dir, log: () => {}, assertFinite: () => {} });
    expect(setup({ dataset: "fashion", data: join(dir, "empty") })).toThrow(/--dataset fashion --data .*empty: the directory must hold Fashion-MNIST's four IDX files/);
    expect(setup({ pairs: "roads", dataset: "fashion" })).toThrow(/--dataset fashion is for --pairs edges or inpaint, not roads/);
    expect(setup({ pairs: "colorize", data: join(dir, "empty") })).toThrow(/need at least 2 photos/);
    expect(setup({ pairs: "colorize", trainPhotos: "nagasaki-boats,mona-lisa" })).toThrow(/photo "mona-lisa" is not among the built-in photos \(acanthus-mollis, /);
  });
});
