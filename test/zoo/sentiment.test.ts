import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { optionTable, parseValue, resolveConfig } from "../../src/zoo/options.js";
import { sentiment } from "../../src/zoo/sentiment/task.js";
import { type CliResult, jsonLine, nnzoo, nnzooRun, tempDir } from "../helpers/cli.js";

const TINY = ["--steps", "6", "--hidden", "8", "--embed", "8", "--batch", "16", "--checkpoint-every", "3", "--log-every", "3", "--json"];
/** Tests that run the CLI: a few CPU-seconds per run; room for a shared machine. */
const SLOW = 120_000;
const KEYS = ["accuracy", "bowAccuracy", "testLoss", "testSize", "trainSize", "vocab"];

const MODELS = ["rnn", "lstm", "gru", "bilstm"];
const READOUT: Record<string, string> = { rnn: "mean", lstm: "max", gru: "last", bilstm: "max" };

describe("nnzoo train sentiment (smoke, through the real CLI)", () => {
  /** One tiny run per model, all at once; the lstm run is resumed, evaluated and queried below. */
  const runs: Record<string, { out: string; r: CliResult }> = {};
  beforeAll(async () => {
    const outs = MODELS.map(() => join(tempDir(), "run"));
    const done = await Promise.all(MODELS.map((model, i) => nnzooRun("train", "sentiment", "--model", model, ...TINY, "--readout", READOUT[model], "--out", outs[i])));
    MODELS.forEach((model, i) => { runs[model] = { out: outs[i], r: done[i] }; });
  }, SLOW);

  for (const model of MODELS) {
    it(`${model}: trains, writes the run directory, prints the JSON line`, () => {
      const { out, r } = runs[model];
      expect(r.status, r.stderr).toBe(0);
      const j = jsonLine(r);
      expect(Object.keys(j).sort()).toEqual(["metrics", "model", "out", "seconds", "steps", "task"]);
      expect(j).toMatchObject({ task: "sentiment", model, steps: 6, out });
      expect(Object.keys(j.metrics).sort()).toEqual(KEYS);
      expect(j.metrics.accuracy).toBeGreaterThan(0.3);
      expect(j.metrics.accuracy).toBeLessThan(0.8);
      expect(j.metrics.bowAccuracy).toBeGreaterThan(0.75); // the baseline trains fully even in a tiny run
      expect(j.metrics).toMatchObject({ trainSize: 2400, testSize: 600 });
      for (const f of ["config.json", "checkpoint.safetensors", "metrics.jsonl", "final.json", "vocab.json"]) expect(existsSync(join(out, f)), f).toBe(true);
      const lines = readFileSync(join(out, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
      expect(lines.map((l) => l.step)).toEqual([3, 6]);
      expect(lines[0].epoch).toBe(1);
    });
  }

  it("--folds 3: one model per fold in one run, mean accuracy and the per-fold list", () => {
    const out = join(tempDir(), "run");
    const r = nnzoo("train", "sentiment", "--model", "gru", "--folds", "3", ...TINY, "--out", out);
    expect(r.status, r.stderr).toBe(0);
    const m = jsonLine(r).metrics;
    expect(Object.keys(m).sort()).toEqual([...KEYS, "bowFolds", "folds"].sort());
    expect(m.folds).toHaveLength(3);
    expect(m.bowFolds).toHaveLength(3);
    expect(m.accuracy).toBeCloseTo(m.folds.reduce((a: number, b: number) => a + b) / 3, 10);
    expect(m).toMatchObject({ trainSize: 2000, testSize: 1000 });
    const folds = readFileSync(join(out, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l).fold);
    expect(folds).toEqual([2, 3]); // steps 3 and 6 of 6: 2 steps per fold
    expect(JSON.parse(readFileSync(join(out, "vocab.json"), "utf8")).rounds).toHaveLength(3);
  }, SLOW);

  it("--epochs sets the step count from the training split; cross-domain trains on some domains, tests on another", () => {
    const out = join(tempDir(), "run");
    const r = nnzoo("train", "sentiment", "--model", "lstm", "--train-domains", "amazon", "--test-domains", "imdb", "--epochs", "1", "--batch", "100",
      "--hidden", "8", "--embed", "8", "--json", "--out", out);
    expect(r.status, r.stderr).toBe(0);
    const j = jsonLine(r);
    expect(j.steps).toBe(10); // 1,000 amazon sentences / 100
    expect(j.metrics).toMatchObject({ trainSize: 1000, testSize: 1000 });
  }, SLOW);

  it("resumes, evaluates and predicts from a run directory (the lstm run above)", () => {
    const { out, r } = runs.lstm;
    expect(r.status, r.stderr).toBe(0);
    const resumed = nnzoo("train", "sentiment", "--resume", "--out", out, "--steps", "9", "--json");
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(jsonLine(resumed).steps).toBe(9);
    const steps = readFileSync(join(out, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l).step);
    expect(steps).toEqual([3, 6, 9]);

    const ev = nnzoo("eval", "sentiment", "--from", out, "--json");
    expect(ev.status, ev.stderr).toBe(0);
    expect(jsonLine(ev).metrics).toEqual(jsonLine(resumed).metrics);

    const p = nnzoo("predict", "sentiment", "--from", out, "The food wasn't good at all!");
    expect(p.status, p.stderr).toBe(0);
    expect(p.stdout).toMatch(/^(positive|negative) \(p\(positive\) = 0\.\d{3}\)/);
    for (const token of ["food", "was", "n't", "good", "!"]) expect(p.stdout).toMatch(new RegExp(`^  ${token.replace("!", "\\!")}\\s+[+−]\\d\\.\\d{3}`, "m"));
    const pj = jsonLine(nnzoo("predict", "sentiment", "--from", out, "The food wasn't good at all!", "--json"));
    expect(pj.tokens).toEqual(["the", "food", "was", "n't", "good", "at", "all", "!"]);
    expect(pj.contributions).toHaveLength(8);
    expect(pj.probability).toBeGreaterThan(0);
    expect(pj.probability).toBeLessThan(1);
    expect(pj).toMatchObject({ task: "sentiment", model: "lstm", method: "occlusion" });
  }, SLOW);

  it("trains on a user's JSONL file and evaluates another with eval --data", () => {
    const dir = tempDir();
    const file = join(dir, "reviews.jsonl");
    const rows = Array.from({ length: 60 }, (_, i) => JSON.stringify({ text: i % 2 ? `great film number ${i}` : `awful film number ${i}`, label: i % 2 }));
    writeFileSync(file, rows.join("\n") + "\n");
    const out = join(dir, "run");
    const r = nnzoo("train", "sentiment", "--data", file, "--model", "gru", ...TINY, "--out", out);
    expect(r.status, r.stderr).toBe(0);
    expect(jsonLine(r).metrics).toMatchObject({ trainSize: 48, testSize: 12 });
    const other = join(dir, "other.jsonl");
    writeFileSync(other, '{"text": "great", "label": 1}\n{"text": "awful", "label": 0}\n{"text": "a great film", "label": 1}\n');
    const ev = nnzoo("eval", "sentiment", "--from", out, "--data", other, "--json");
    expect(ev.status, ev.stderr).toBe(0);
    const m = jsonLine(ev).metrics;
    expect(Object.keys(m).sort()).toEqual(KEYS);
    expect(m.testSize).toBe(3);
    expect(m.bowAccuracy).toBe(1);
  }, SLOW);

  it("rejects bad data and unknown domains with exit 2, naming the file, line and problem", async () => {
    const dir = tempDir();
    const bad = join(dir, "bad.jsonl");
    writeFileSync(bad, '{"text": "fine", "label": 1}\n{"text": "broken", "label": "yes"}\n');
    const r = nnzoo("train", "sentiment", "--data", bad, "--out", join(dir, "run"));
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/bad\.jsonl line 2: "label" must be 0 or 1, got "yes"/);
    // The CLI's exit 2 for a bad option is shown above; this message is checked in process.
    const ctx = { log() {}, out: dir, assertFinite() {} };
    await expect(Promise.resolve().then(() => sentiment.setup(resolveConfig(sentiment as never, { testDomains: "twitter" }), ctx)))
      .rejects.toThrow(/--test-domains: unknown domain "twitter"; domains: amazon, imdb, yelp/);
  }, SLOW);

  it("checks option combinations before training (in process)", async () => {
    const dir = tempDir();
    const ctx = { log() {}, out: dir, assertFinite() {} };
    const setup = (given: Record<string, string | number>) => Promise.resolve().then(() => sentiment.setup(resolveConfig(sentiment as never, given), ctx));
    await expect(setup({ trainDomains: "imdb", testDomains: "imdb" })).rejects.toThrow(/share imdb/);
    await expect(setup({ folds: 10, testDomains: "imdb" })).rejects.toThrow(/--folds and --test-domains do not combine/);
    await expect(setup({ folds: 1 })).rejects.toThrow(/--folds must be 0 \(one held-out split\) or in \[2, 3000\], got 1/);
    await expect(setup({ data: join(dir, "x.jsonl"), trainDomains: "imdb" })).rejects.toThrow(/do not combine with --data/);
    await expect(setup({ data: join(dir, "missing.jsonl") })).rejects.toThrow(/data file .*missing\.jsonl does not exist/);
    await expect(setup({ trainDomains: "amazon,imdb,yelp", testDomains: "yelp" })).rejects.toThrow(/share yelp/);
    // --test-domains alone trains on the other domains.
    const state = await setup({ testDomains: "imdb", hidden: 4, embed: 4 });
    expect(state.rounds[0].train.ids).toHaveLength(2000);
    expect(state.rounds[0].test.ids).toHaveLength(1000);
    expect(() => parseValue("readout", optionTable(sentiment as never).readout, "first")).toThrow(/--readout must be one of max, mean, last, got "first"/);
  });
});
