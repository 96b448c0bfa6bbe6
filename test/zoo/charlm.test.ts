import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { type CliResult, jsonLine, nnzoo, nnzooRun, tempDir } from "../helpers/cli.js";

const TINY = ["--steps", "20", "--hidden", "8", "--embed", "8", "--batch", "8", "--checkpoint-every", "10", "--log-every", "5", "--json"];

const MODELS = ["rnn", "lstm", "gru"];

describe("nnzoo train charlm (smoke, through the real CLI)", () => {
  /** One tiny run per model, all at once; the gru run is resumed, evaluated, sampled and queried below. */
  const runs: Record<string, { out: string; r: CliResult }> = {};
  beforeAll(async () => {
    const outs = MODELS.map(() => join(tempDir(), "run"));
    const done = await Promise.all(MODELS.map((model, i) => nnzooRun("train", "charlm", "--model", model, ...TINY, "--out", outs[i])));
    MODELS.forEach((model, i) => { runs[model] = { out: outs[i], r: done[i] }; });
  });

  for (const model of MODELS) {
    it(`${model}: trains, writes the run directory, prints the JSON line`, () => {
      const { out, r } = runs[model];
      expect(r.status, r.stderr).toBe(0);
      const j = jsonLine(r);
      expect(Object.keys(j).sort()).toEqual(["metrics", "model", "out", "seconds", "steps", "task"]);
      expect(j).toMatchObject({ task: "charlm", model, steps: 20, out });
      expect(j.metrics.testNll).toBeGreaterThan(0);
      expect(j.metrics.bitsPerChar).toBeCloseTo(j.metrics.testNll / Math.LN2, 10);
      for (const f of ["config.json", "checkpoint.safetensors", "metrics.jsonl", "final.json"]) expect(existsSync(join(out, f)), f).toBe(true);
      const lines = readFileSync(join(out, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
      expect(lines.map((l) => l.step)).toEqual([5, 10, 15, 20]);
    });
  }

  it("resumes, evaluates, samples and predicts from a run directory (the gru run above)", () => {
    const { out, r } = runs.gru;
    expect(r.status, r.stderr).toBe(0);
    const resumed = nnzoo("train", "charlm", "--resume", "--out", out, "--steps", "30", "--json");
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(jsonLine(resumed).steps).toBe(30);
    const steps = readFileSync(join(out, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l).step);
    expect(steps).toEqual([5, 10, 15, 20, 25, 30]);

    const ev = nnzoo("eval", "charlm", "--from", out, "--json");
    expect(ev.status, ev.stderr).toBe(0);
    expect(jsonLine(ev).metrics.testNll).toBeCloseTo(jsonLine(resumed).metrics.testNll, 10);

    const s = nnzoo("sample", "charlm", "--from", out, "--count", "4", "--prefix", "ma", "--temperature", "0.7");
    expect(s.status, s.stderr).toBe(0);
    const names = s.stdout.trim().split("\n");
    expect(names).toHaveLength(4);
    for (const n of names) expect(n.startsWith("ma")).toBe(true);

    const p = nnzoo("predict", "charlm", "--from", out, "anna", "--json");
    expect(p.status, p.stderr).toBe(0);
    const pj = jsonLine(p);
    expect(pj.nllPerChar).toHaveLength(4);
    expect(pj.next).toHaveLength(5);
  });

  it("trains on a user's line file and on free text", () => {
    const dir = tempDir();
    const lines = join(dir, "words.txt");
    writeFileSync(lines, Array.from({ length: 60 }, (_, i) => ["alpha", "beta", "gamma", "delta"][i % 4] + i).join("\n"));
    const r = nnzoo("train", "charlm", "--data", lines, ...TINY, "--out", join(dir, "a"));
    expect(r.status, r.stderr).toBe(0);
    const text = join(dir, "text.txt");
    writeFileSync(text, "the quick brown fox jumps over the lazy dog. ".repeat(40));
    const t = nnzoo("train", "charlm", "--data", text, "--text", "--seq-len", "16", ...TINY, "--out", join(dir, "b"));
    expect(t.status, t.stderr).toBe(0);
    expect(jsonLine(t).metrics.testNll).toBeGreaterThan(0);
  });

  it("rejects bad options and bad data with exit 2 and a message naming the problem", () => {
    const dir = tempDir();
    const cases: Array<[string[], RegExp]> = [
      [["train", "charlm", "--hidden", "0"], /--hidden must be ≥ 1, got 0/],
      [["train", "charlm", "--model", "cnn"], /--model must be one of lstm, gru, rnn, got "cnn"/],
      [["train", "charlm", "--steps", "1.5"], /--steps must be an integer, got "1.5"/],
      [["train", "charlm", "--wat"], /Unknown option '--wat'/],
      [["train", "nosuch"], /unknown task "nosuch"/],
      [["train", "charlm", "--data", join(dir, "missing.txt")], /data file .*missing.txt does not exist/],
      [["eval", "charlm"], /eval needs --from DIR/],
      [["eval", "charlm", "--from", dir], /is not a run directory/],
      [["train", "charlm", "--resume"], /--resume needs --out DIR/],
    ];
    const binary = join(dir, "bin.dat");
    writeFileSync(binary, Buffer.from([104, 105, 0, 1, 2]));
    cases.push([["train", "charlm", "--data", binary], /bin.dat is not text: byte 2 is NUL/]);
    for (const [args, message] of cases) {
      const r = nnzoo(...args);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});
