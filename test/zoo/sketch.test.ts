import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { jsonLine, nnzoo, tempDir } from "../helpers/cli.js";

/** Each smoke test starts several CLI processes in turn (~2 s each to start); allow for a loaded machine. */
const SLOW = 180_000;
const TINY = ["--steps", "4", "--per-class", "4", "--hidden", "16", "--enc-hidden", "8", "--latent", "4", "--mixtures", "3", "--batch", "8", "--checkpoint-every", "2", "--log-every", "2", "--json"];
const KEYS = ["kl", "maxLen", "offsetNll", "penNll", "reconNll", "scale", "testSketches", "trainSketches"];

const polylines = (svg: string) => svg.match(/<polyline /g)?.length ?? 0;

describe("nnzoo sketch (smoke, through the real CLI)", () => {
  it("trains, evaluates with the same keys, samples and completes drawings as SVG", () => {
    const dir = tempDir();
    const out = join(dir, "run");
    const r = nnzoo("train", "sketch", ...TINY, "--out", out);
    expect(r.status, r.stderr).toBe(0);
    const j = jsonLine(r);
    expect(j).toMatchObject({ task: "sketch", model: "sketch-rnn", steps: 4, out });
    expect(Object.keys(j.metrics).sort()).toEqual(KEYS);
    expect(j.metrics.reconNll).toBeCloseTo(j.metrics.offsetNll + j.metrics.penNll, 10);
    expect(j.metrics.kl).toBeGreaterThanOrEqual(0);
    expect(j.metrics).toMatchObject({ trainSketches: 28, testSketches: 7 });
    const logged = readFileSync(join(out, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(logged[0]).toHaveProperty("eta");

    const ev = nnzoo("eval", "sketch", "--from", out, "--json");
    expect(ev.status, ev.stderr).toBe(0);
    expect(jsonLine(ev).metrics).toEqual(j.metrics);

    const svg = join(dir, "s.svg");
    const s = nnzoo("sample", "sketch", "--from", out, "--out", svg, "--count", "3", "--temperature", "0.5");
    expect(s.status, s.stderr).toBe(0);
    expect(s.stdout).toMatch(/wrote .*s\.svg: 3 sketches at temperature 0\.5/);
    expect(readFileSync(svg, "utf8")).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);

    const c = nnzoo("sample", "sketch", "--from", out, "--class", "star", "--count", "2");
    expect(c.status, c.stderr).toBe(0);
    expect(c.stdout).toMatch(/2 "star" sketches/);
    expect(existsSync(join(out, "sample.svg"))).toBe(true);

    const done = join(dir, "c.svg");
    const p = nnzoo("predict", "sketch", "--from", out, "house", "--count", "2", "--keep", "0.5", "--out", done, "--json");
    expect(p.status, p.stderr).toBe(0);
    const pj = jsonLine(p);
    expect(pj.completions).toHaveLength(2);
    expect(pj.partial.length).toBeGreaterThan(1);
    const completion = readFileSync(done, "utf8");
    // The partial drawing (black) is drawn in both cells.
    expect(polylines(completion)).toBeGreaterThanOrEqual(2);
    expect(completion).toContain('stroke="#222"');
  }, SLOW);

  it("trains on a Quick Draw .ndjson file, and names the problem in a bad one", () => {
    const dir = tempDir();
    const file = join(dir, "boxes.ndjson");
    const lines = Array.from({ length: 30 }, (_, i) => {
      const s = 20 + i;
      return JSON.stringify({ word: i % 2 ? "box" : "line", drawing: i % 2 ? [[[0, s, s, 0, 0], [0, 0, s, s, 0]]] : [[[0, s], [0, s]], [[s, 0], [0, s]]] });
    });
    writeFileSync(file, lines.join("\n"));
    const r = nnzoo("train", "sketch", ...TINY, "--data", file, "--out", join(dir, "run"));
    expect(r.status, r.stderr).toBe(0);
    expect(jsonLine(r).metrics).toMatchObject({ trainSketches: 27, testSketches: 3, maxLen: 5 });

    const broken = join(dir, "broken.ndjson");
    writeFileSync(broken, `${lines[0]}\n{"word": "x", "drawing": [[[1, 2], [3]]]}\n`);
    const b = nnzoo("train", "sketch", "--data", broken, "--out", join(dir, "b"));
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/broken\.ndjson line 2: stroke 0 has 2 x but 1 y coordinates/);
  }, SLOW);
});
