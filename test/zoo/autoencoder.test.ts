import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { jsonLine, nnzoo, tempDir } from "../helpers/cli.js";

/** Tiny networks and a few steps: these check the plumbing, not the scores. */
const TINY = ["--steps", "3", "--hidden", "16", "--layers", "1", "--batch", "16", "--json"];
/** Image modes: 1,000 of the 8,000 training digits and 200 of the 2,000 held-out ones. */
const DIGITS = ["--train-size", "1000", "--test-size", "200"];
/** Each image mode's run loads all of MNIST in its own CLI process: several CPU-seconds. */
const IMAGE_TIMEOUT = 120_000;

function train(mode: string, ...args: string[]) {
  const out = join(tempDir("nnzoo-ae-"), "run");
  const r = nnzoo("train", "autoencoder", "--mode", mode, ...TINY, ...args, "--out", out);
  expect(r.status, r.stderr).toBe(0);
  const j = jsonLine(r);
  expect(j).toMatchObject({ task: "autoencoder", model: "mlp", steps: 3, out });
  return { out, metrics: j.metrics as Record<string, unknown> };
}

const isNumber = (v: unknown) => typeof v === "number" && Number.isFinite(v);

describe("nnzoo train autoencoder (smoke, one tiny run per mode through the real CLI)", () => {
  it("reduce: 2-D codes, k-NN accuracy next to PCA's, latent.png and latent.json", () => {
    const { out, metrics } = train("reduce", ...DIGITS);
    for (const k of ["knnAccuracy", "pcaKnnAccuracy", "mse", "pcaMse"]) expect(isNumber(metrics[k]), k).toBe(true);
    expect(metrics.pcaKnnAccuracy).toBeGreaterThan(0.3); // PCA's map needs no training
    expect(existsSync(join(out, "latent.png"))).toBe(true);
    const latent = JSON.parse(readFileSync(join(out, "latent.json"), "utf8"));
    expect(latent.labels).toHaveLength(200); // one point per held-out digit (--test-size)
    expect(latent.ae[0]).toHaveLength(2);
    expect(latent.pca).toHaveLength(200);
  }, IMAGE_TIMEOUT);

  it("compress: 8-bit codes vs PCA and JPEG at the same bytes", () => {
    const { out, metrics } = train("compress", "--code", "64", "--jpeg-images", "20", ...DIGITS);
    for (const k of ["mse", "pcaMse", "psnr", "jpegPsnrAtBytes", "codeEntropyBytes"]) expect(isNumber(metrics[k]), k).toBe(true);
    expect(metrics.bytesPerImage).toBe(64);
    expect(metrics.jpegBytes as number).toBeLessThanOrEqual(64);
    expect(metrics.pcaPsnr).toBeGreaterThan(18); // 64 principal components
    expect(existsSync(join(out, "reconstructions.png"))).toBe(true);
  }, IMAGE_TIMEOUT);

  it("denoise: PSNR of noisy and denoised digits for both noises", () => {
    const { out, metrics } = train("denoise", ...DIGITS);
    for (const k of ["psnrNoisy", "psnrDenoised", "gaussianPsnrNoisy", "gaussianPsnrDenoised", "saltPepperPsnrNoisy", "saltPepperPsnrDenoised"]) expect(isNumber(metrics[k]), k).toBe(true);
    expect(existsSync(join(out, "denoise.png"))).toBe(true);
  }, IMAGE_TIMEOUT);

  it("features: few-label accuracy on codes and on raw pixels", () => {
    const { metrics } = train("features", "--code", "8", ...DIGITS);
    for (const k of ["accuracy", "rawAccuracy", "accuracy1000", "rawAccuracy1000"]) expect(isNumber(metrics[k]), k).toBe(true);
    expect(metrics.rawAccuracy).toBeGreaterThan(0.5); // logistic regression on 100 labelled digits' pixels
  }, IMAGE_TIMEOUT);

  it("generate: a VAE's held-out ELBO, sample grid and interpolations; sample writes a new grid", () => {
    const { out, metrics } = train("generate", "--code", "2", ...DIGITS);
    expect(metrics.elbo as number).toBeLessThan(0);
    // The three are reported to 6 significant digits, so the identity holds to their rounding.
    expect(metrics.elbo).toBeCloseTo((metrics.reconstruction as number) - (metrics.kl as number), 2);
    for (const f of ["samples.png", "interpolation.png", "manifold.png"]) expect(existsSync(join(out, f)), f).toBe(true);
    const s = nnzoo("sample", "autoencoder", "--from", out, "--seed", "3");
    expect(s.status, s.stderr).toBe(0);
    expect(existsSync(join(out, "samples-seed3.png"))).toBe(true);
  }, 2 * IMAGE_TIMEOUT); // training and sampling each load MNIST

  it("sequence: an LSTM sequence autoencoder on names; predict reconstructs a name", () => {
    const { out, metrics } = train("sequence", "--code", "4", "--embed", "8");
    for (const k of ["accuracy", "exactMatch", "testNll"]) expect(isNumber(metrics[k]), k).toBe(true);
    const p = nnzoo("predict", "autoencoder", "--from", out, "anna", "--json");
    expect(p.status, p.stderr).toBe(0);
    expect(jsonLine(p)).toMatchObject({ input: "anna" });
    expect(jsonLine(p).code).toHaveLength(4);
  });

  it("recommend: AutoRec on a MovieLens ratings.csv vs the bias baseline; predict lists a user's top items", () => {
    const dir = tempDir("nnzoo-ae-");
    const file = join(dir, "ratings.csv");
    const rows = ["userId,movieId,rating,timestamp"];
    for (let u = 1; u <= 30; u++) for (let m = 1; m <= 40; m++) if ((u * 7 + m * 3) % 4 === 0) rows.push(`${u},${100 + m},${1 + ((u + m) % 5)},${1e9 + u * 100 + m}`);
    writeFileSync(file, rows.join("\n") + "\n");
    const { out, metrics } = train("recommend", "--data", file, "--code", "8");
    for (const k of ["rmse", "baselineRmse", "globalMeanRmse"]) expect(isNumber(metrics[k]), k).toBe(true);
    expect(metrics.users).toBe(30);
    const p = nnzoo("predict", "autoencoder", "--from", out, "7", "--json");
    expect(p.status, p.stderr).toBe(0);
    expect(jsonLine(p).top).toHaveLength(10);
  });

  it("anomaly: reconstruction-error ROC AUC on the sensor network, next to PCA and a distance baseline", () => {
    const { out, metrics } = train("anomaly");
    for (const k of ["auc", "pcaAuc", "distanceAuc"]) expect(metrics[k] as number).toBeGreaterThan(0.5);
    expect(metrics).toMatchObject({ readings: 18914, events: 149 });
    expect(existsSync(join(out, "anomalies.json"))).toBe(true);
  });

  it("rejects a data file for a mode with built-in data, and a bad ratings row, with exit 2", () => {
    const dir = tempDir("nnzoo-ae-");
    const r = nnzoo("train", "autoencoder", "--mode", "reduce", "--data", join(dir, "x.txt"), "--out", join(dir, "a"));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--data: mode reduce uses built-in data/);
    const bad = join(dir, "u.data");
    writeFileSync(bad, "1\t2\t3\t4\n1\t3\tfive\t4\n");
    const b = nnzoo("train", "autoencoder", "--mode", "recommend", "--data", bad, "--out", join(dir, "b"));
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/u\.data line 2: the rating must be a number from 0\.5 to 5, got "five"/);
  });
});
