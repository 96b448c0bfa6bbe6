import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { jsonLine, nnzoo, tempDir } from "../helpers/cli.js";

const TINY = ["--train-words", "300", "--test-words", "40", "--steps", "12", "--hidden", "12", "--embed", "8", "--batch", "16", "--beam", "2", "--checkpoint-every", "6", "--log-every", "6", "--json"];
/** Tests that run the CLI: a few seconds each on an idle machine; generous, since the machine may be shared. */
const SLOW = 300_000;

describe("nnzoo train g2p (smoke, through the real CLI)", () => {
  it("trains on CMUdict, evaluates with the same scores, predicts phonemes with the attention map", () => {
    const out = join(tempDir(), "run");
    const r = nnzoo("train", "g2p", "--model", "gru", ...TINY, "--out", out);
    expect(r.status, r.stderr).toBe(0);
    const j = jsonLine(r);
    expect(j).toMatchObject({ task: "g2p", model: "gru", steps: 12, out });
    const m = j.metrics;
    expect(Object.keys(m).sort()).toEqual(["beam", "examples", "per", "testNll", "testWords", "trainWords", "wer"]);
    expect(m).toMatchObject({ testWords: 40, trainWords: 300, beam: 2 });
    expect(m.wer).toBeGreaterThanOrEqual(0);
    expect(m.wer).toBeLessThanOrEqual(1);
    expect(m.per).toBeGreaterThan(0); // 12 steps cannot have learnt English spelling
    expect(m.testNll).toBeGreaterThan(0);
    for (const f of ["config.json", "checkpoint.safetensors", "metrics.jsonl", "final.json"]) expect(existsSync(join(out, f)), f).toBe(true);

    const ev = nnzoo("eval", "g2p", "--from", out, "--json");
    expect(ev.status, ev.stderr).toBe(0);
    const em = jsonLine(ev).metrics;
    expect(em.per).toBeCloseTo(m.per, 10);
    expect(em.wer).toBeCloseTo(m.wer, 10);

    const p = nnzoo("predict", "g2p", "--from", out, "Hello");
    expect(p.status, p.stderr).toBe(0);
    const lines = p.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^hello → [A-Z ]*\s+\(log p = -?\d+\.\d{3}/);
    expect(p.stdout).toMatch(/attention \(rows: output phonemes, columns: letters/);
    expect(p.stdout).toMatch(/^\s+h e l l o$/m);
    // The heat map: the letters, then one row per output phoneme (and the end, when it was produced).
    const phonemes = lines[0].split("→")[1].split("(")[0].trim().split(/\s+/).filter((x) => x.length > 0);
    const finished = !lines[0].includes("stopped at the length limit");
    const header = lines.findIndex((l) => /^\s+h e l l o$/.test(l));
    const rows = lines.slice(header + 1).filter((l) => /^ {2}\S/.test(l) && !l.startsWith("  beam"));
    expect(rows.map((l) => l.trim().split(/\s+/)[0]).slice(0, phonemes.length + (finished ? 1 : 0))).toEqual(finished ? [...phonemes, "</s>"] : phonemes);

    const pj = jsonLine(nnzoo("predict", "g2p", "--from", out, "hello", "--json", "--beam", "3"));
    expect(pj).toMatchObject({ task: "g2p", model: "gru", word: "hello", letters: ["h", "e", "l", "l", "o"] });
    expect(pj.attention).toHaveLength(pj.phonemes.length + (pj.finished ? 1 : 0));
    expect(pj.rows).toEqual(pj.finished ? [...pj.phonemes, "</s>"] : pj.phonemes);
    for (const row of pj.attention) {
      expect(row).toHaveLength(5);
      expect(row.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 4);
    }
    expect(pj.dictionary === null || Array.isArray(pj.dictionary)).toBe(true);
    expect(pj.alternatives.length).toBeLessThanOrEqual(2);
  }, SLOW);

  it("trains on a user's CMUdict-format file; rejects bad options and malformed data, naming them", () => {
    const dir = tempDir();
    const file = join(dir, "tiny.dict");
    const words: Array<[string, string]> = [["cat", "K AE1 T"], ["bat", "B AE1 T"], ["tab", "T AE1 B"], ["act", "AE1 K T"], ["cab", "K AE1 B"]];
    const lines = Array.from({ length: 40 }, (_, i) => { const [w, p] = words[i % 5]; return `${w.toUpperCase()}${"S".repeat(Math.floor(i / 5))}  ${p}${" Z".repeat(Math.min(1, Math.floor(i / 5)))}`; });
    writeFileSync(file, ";;; a small dictionary\n" + lines.join("\n") + "\nTAB(1)  T AE1 B IY0\n");
    const r = nnzoo("train", "g2p", "--data", file, ...TINY, "--test-words", "0", "--train-words", "0", "--out", join(dir, "run"));
    expect(r.status, r.stderr).toBe(0);
    expect(jsonLine(r).metrics).toMatchObject({ trainWords: 36, testWords: 4 });

    const bad = join(dir, "bad.dict");
    writeFileSync(bad, "CAT  K AE1 T\nDOG  D AO1 GG\n");
    const cases: Array<[string[], RegExp]> = [
      [["train", "g2p", "--data", bad], /bad\.dict line 2: "GG" is not an ARPAbet phoneme/],
      [["train", "g2p", "--beam", "0"], /--beam must be ≥ 1, got 0/],
      [["train", "g2p", "--model", "rnn"], /--model must be one of lstm, gru, got "rnn"/],
      [["predict", "g2p", "--from", join(dir, "run"), "ca0t"], /letter "0" at position 2 of "ca0t" is not in the model's alphabet/],
    ];
    for (const [args, message] of cases) {
      const c = nnzoo(...args);
      expect(c.status, args.join(" ")).toBe(2);
      expect(c.stderr).toMatch(message);
    }
  }, SLOW);
});
