import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Generator } from "../../src/core/random.js";
import { writePng } from "../../src/data/png.js";
import { randomScene, renderScene, WORDS } from "../../src/zoo/caption/scenes.js";
import { jsonLine, nnzoo, tempDir } from "../helpers/cli.js";

/** Each smoke test starts several CLI processes in turn (~2 s each to start); allow for a loaded machine. */
const SLOW = 180_000;
const TINY = ["--steps", "6", "--test-scenes", "8", "--hidden", "16", "--feature", "16", "--embed", "8", "--batch", "4", "--checkpoint-every", "3", "--log-every", "3", "--json"];
const KEYS = ["bleu", "bleuSeen", "bleuUnseen", "exactMatch", "exactMatchSeen", "exactMatchUnseen", "examples", "heldOut", "heldOutNamed"];

describe("nnzoo caption (smoke, through the real CLI)", () => {
  it("trains, evaluates with the same keys, samples scenes and captions a PNG", () => {
    const dir = tempDir();
    const out = join(dir, "run");
    const r = nnzoo("train", "caption", ...TINY, "--out", out);
    expect(r.status, r.stderr).toBe(0);
    const j = jsonLine(r);
    expect(j).toMatchObject({ task: "caption", model: "cnn-lstm", steps: 6, out });
    expect(Object.keys(j.metrics).sort()).toEqual(KEYS);
    for (const k of ["bleu", "bleuSeen", "bleuUnseen", "exactMatch"]) {
      expect(j.metrics[k]).toBeGreaterThanOrEqual(0);
      expect(j.metrics[k]).toBeLessThanOrEqual(1);
    }
    expect(j.metrics.heldOut).toContain("green triangle");

    const ev = nnzoo("eval", "caption", "--from", out, "--json");
    expect(ev.status, ev.stderr).toBe(0);
    expect(jsonLine(ev).metrics).toEqual(j.metrics);

    const scenes = join(dir, "scenes");
    const s = nnzoo("sample", "caption", "--from", out, "--count", "3", "--out", scenes);
    expect(s.status, s.stderr).toBe(0);
    const lines = s.stdout.trim().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^[✓✗] unseen/);
    for (let i = 0; i < 3; i++) expect(existsSync(join(scenes, `scene-${i}.png`))).toBe(true);

    const png = join(dir, "scene.png");
    writePng(png, renderScene(randomScene(new Generator(4), "unseen"), new Generator(4)));
    const p = nnzoo("predict", "caption", "--from", out, png, "--json");
    expect(p.status, p.stderr).toBe(0);
    const pj = jsonLine(p);
    expect(pj.caption).toBe(pj.words.join(" "));
    for (const w of pj.words) expect(WORDS.slice(1)).toContain(w);
    expect(pj.probs).toHaveLength(pj.words.length);

    const bad = join(dir, "bad.png");
    writeFileSync(bad, "not a png");
    const b = nnzoo("predict", "caption", "--from", out, bad);
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/bad\.png is not a readable PNG/);
  }, SLOW);
});
