import { readdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { greyImage, writePng } from "../../src/data/png.js";
import { jsonLine, nnzoo, tempDir } from "../helpers/cli.js";

const TINY = ["--steps", "6", "--batch", "8", "--train-fakes", "200", "--eval-samples", "100", "--eval-every", "3", "--log-every", "3", "--json"];

beforeAll(() => {
  // Default GANs are trained once and cached: keep the tests' cache out of the user's.
  process.env.NNZOO_CACHE_DIR = tempDir("nnzoo-cache-");
});

describe("nnzoo train detect-fakes (smoke, through the real CLI)", () => {
  it("without --gan: trains small default GANs once (cached), then the detector; accuracy, auc, aucUnseen", () => {
    const dir = tempDir();
    const r = nnzoo("train", "detect-fakes", "--gan-steps", "3", ...TINY, "--out", join(dir, "a"));
    expect(r.status, r.stderr).toBe(0);
    const m = jsonLine(r).metrics;
    for (const k of ["accuracy", "auc", "aucUnseen"]) {
      expect(m[k], k).toBeGreaterThanOrEqual(0);
      expect(m[k], k).toBeLessThanOrEqual(1);
    }
    const cached = readdirSync(process.env.NNZOO_CACHE_DIR!).filter((f) => f.startsWith("detect-fakes-")).sort();
    expect(cached).toEqual([expect.stringMatching(/^detect-fakes-seen-mlp-/), expect.stringMatching(/^detect-fakes-unseen-dcgan-/)]);
    expect(m.seenGan).toBe(join(process.env.NNZOO_CACHE_DIR!, cached[0]));

    // The cached GANs are ordinary gan-mnist runs: pass them explicitly (swapped), then evaluate and predict.
    const seen = join(process.env.NNZOO_CACHE_DIR!, cached[1]), unseen = join(process.env.NNZOO_CACHE_DIR!, cached[0]);
    const b = nnzoo("train", "detect-fakes", "--gan", seen, "--unseen-gan", unseen, ...TINY, "--out", join(dir, "b"));
    expect(b.status, b.stderr).toBe(0);
    expect(jsonLine(b).metrics).toMatchObject({ seenGan: seen, unseenGan: unseen });
    const ev = nnzoo("eval", "detect-fakes", "--from", join(dir, "b"), "--json");
    expect(ev.status, ev.stderr).toBe(0);
    expect(jsonLine(ev).metrics.auc).toBeCloseTo(jsonLine(b).metrics.auc, 10);

    const png = join(dir, "digit.png");
    writePng(png, greyImage(new Float32Array(784).fill(0.2), 28, 28));
    const p = nnzoo("predict", "detect-fakes", "--from", join(dir, "b"), png, "--json");
    expect(p.status, p.stderr).toBe(0);
    expect(jsonLine(p).fake).toBeGreaterThanOrEqual(0);
  });

  it("rejects a --gan that is not a gan-mnist run", () => {
    const dir = tempDir();
    const r = nnzoo("train", "detect-fakes", "--gan", dir, ...TINY, "--out", join(dir, "x"));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--gan .*is not a run directory/);
  });
});
