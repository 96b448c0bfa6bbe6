import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { noGrad } from "../../src/core/autograd.js";
import { manualSeed } from "../../src/core/random.js";
import { builtinCmudict, type Entry, parseCmudict, readCmudictFile, splitByWord, Symbols } from "../../src/zoo/g2p/data.js";
import { editDistance, errorRates, scoreWord } from "../../src/zoo/g2p/metrics.js";
import { beamSearch, type DecodeState, G2PModel, greedyDecode, modelDecoder, type StepDecoder } from "../../src/zoo/g2p/model.js";
import { heatMap, makeBatch } from "../../src/zoo/g2p/task.js";
import { tempDir } from "../helpers/cli.js";

describe("g2p metrics", () => {
  it("edit distance: Levenshtein with unit costs", () => {
    expect(editDistance([..."kitten"], [..."sitting"])).toBe(3);
    expect(editDistance([..."flaw"], [..."lawn"])).toBe(2);
    expect(editDistance([], ["AH", "B"])).toBe(2);
    expect(editDistance(["AH", "B"], [])).toBe(2);
    expect(editDistance(["K", "AE", "T"], ["K", "AE", "T"])).toBe(0);
    expect(editDistance(["K", "AE", "T"], ["T", "AE", "K"])).toBe(2);
    // Symmetric, and the triangle inequality, on random sequences.
    const rnd = (n: number, seed: number) => Array.from({ length: n }, (_, i) => "ABC"[(seed * 7 + i * i * 3) % 3]);
    for (let s = 0; s < 20; s++) {
      const [a, b, c] = [rnd(s % 7, s), rnd((s * 3) % 8, s + 1), rnd((s * 5) % 6, s + 2)];
      expect(editDistance(a, b)).toBe(editDistance(b, a));
      expect(editDistance(a, c)).toBeLessThanOrEqual(editDistance(a, b) + editDistance(b, c));
    }
  });

  it("a word is judged against its closest pronunciation; PER = errors / that reference's length; WER = share of words matching none", () => {
    const refs = [["T", "AH", "M", "EY", "T", "OW"], ["T", "AH", "M", "AA", "T", "OW"]];
    expect(scoreWord(["T", "AH", "M", "AA", "T", "OW"], refs)).toEqual({ errors: 0, length: 6, correct: true });
    expect(scoreWord(["T", "AH", "M", "AA", "T"], refs)).toEqual({ errors: 1, length: 6, correct: false });
    const { per, wer } = errorRates(
      [["T", "AH", "M", "AA", "T", "OW"], ["K", "AE", "T"], ["D", "AA"]],
      [refs, [["K", "AE", "T", "S"]], [["D", "AO", "G"]]],
    );
    expect(per).toBeCloseTo((0 + 1 + 2) / (6 + 4 + 3), 12);
    expect(wer).toBeCloseTo(2 / 3, 12);
  });
});

describe("g2p CMUdict parser", () => {
  it("groups alternates under their word, drops stress (merging variants that then coincide), skips comments", () => {
    const text = [";;; a comment", "AARONSON  EH1 R AH0 N S AH0 N", "AARONSON(1)  AA1 R AH0 N S AH0 N", "", "READ  R EH1 D", "READ(1)  R IY1 D", "READ(2)  R IY2 D", "tomato t ah0 m ey1 t ow2 # cmudict.dict style"].join("\n");
    const entries = parseCmudict(text);
    expect(entries.map((e) => e.word)).toEqual(["aaronson", "read", "tomato"]);
    expect(entries[0].prons).toEqual([["EH", "R", "AH", "N", "S", "AH", "N"], ["AA", "R", "AH", "N", "S", "AH", "N"]]);
    expect(entries[1].prons).toEqual([["R", "EH", "D"], ["R", "IY", "D"]]);
    expect(entries[2].prons).toEqual([["T", "AH", "M", "EY", "T", "OW"]]);
    const stressed = parseCmudict(text, { stress: true });
    expect(stressed[1].prons).toEqual([["R", "EH1", "D"], ["R", "IY1", "D"], ["R", "IY2", "D"]]);
  });

  it("malformed lines: errors name the file, the line and the problem", () => {
    const bad: Array<[string, RegExp]> = [
      ["HELLO  HH AH0 L OW1\nWORLD\n", /dict\.txt line 2: "WORLD" has no phonemes/],
      ["HELLO  HH AH0 L OW1\nWORLD  W ER1 L XX D\n", /dict\.txt line 2: "XX" is not an ARPAbet phoneme/],
      ["CAT  K1 AE1 T\n", /dict\.txt line 1: "K1": only vowels carry stress/],
      ["CAT  K AE7 T\n", /dict\.txt line 1: "AE7" is not an ARPAbet phoneme/],
      [";;; only comments\n\n", /dict\.txt: no entries/],
    ];
    for (const [text, message] of bad) expect(() => parseCmudict(text, { source: "dict.txt" })).toThrow(message);
    const dir = tempDir();
    expect(() => readCmudictFile(join(dir, "missing.dict"))).toThrow(/data file .*missing\.dict does not exist/);
    const file = join(dir, "my.dict");
    writeFileSync(file, "ONE  W AH1 N\nTWO  T UW1\nTHREE  TH R IY1 !\n");
    expect(() => readCmudictFile(file)).toThrow(/my\.dict line 3: "!" is not an ARPAbet phoneme/);
  });

  it("the built-in CMUdict: 123,874 plain words, 39 phonemes, alternates grouped", () => {
    const entries = builtinCmudict();
    expect(entries.length).toBe(123874);
    expect(entries.every((e) => /^[a-z][a-z']*$/.test(e.word))).toBe(true);
    const byWord = new Map(entries.map((e) => [e.word, e]));
    expect(byWord.get("aaronson")!.prons).toHaveLength(2);
    expect(byWord.get("hello")!.prons.map((p) => p.join(" "))).toContain("HH AH L OW");
    const symbols = Symbols.fromEntries(entries);
    expect(symbols.phones.length - 2).toBe(39);
    expect(symbols.letters.slice(1).join("")).toBe("'abcdefghijklmnopqrstuvwxyz");
  });
});

describe("g2p split by word", () => {
  const entries: Entry[] = Array.from({ length: 500 }, (_, i) => ({ word: `w${i}`, prons: i % 5 === 0 ? [["AH"], ["EH"]] : [["AH"]] }));

  it("no word is in both parts; every word is in one; seeded", () => {
    const { train, test } = splitByWord(entries, 3, 0.1);
    expect(test).toHaveLength(50);
    expect(train).toHaveLength(450);
    const trainWords = new Set(train.map((e) => e.word));
    expect(test.filter((e) => trainWords.has(e.word))).toEqual([]);
    expect(new Set([...train, ...test].map((e) => e.word)).size).toBe(500);
    // Alternates travel with their word.
    for (const e of test) expect(e.prons).toBe(entries[Number(e.word.slice(1))].prons);
    expect(splitByWord(entries, 3, 0.1).test).toEqual(test);
    expect(splitByWord(entries, 4, 0.1).test).not.toEqual(test);
  });

  it("rejects a word listed twice and too few words", () => {
    expect(() => splitByWord([...entries, { word: "w7", prons: [["B"]] }], 0, 0.1)).toThrow(/"w7" appears twice/);
    expect(() => splitByWord(entries.slice(0, 5), 0, 0.1)).toThrow(/need at least 10 words/);
  });
});

/** A hand-set decoder: a table of next-token probabilities after each prefix (token 0 ends). */
function tableDecoder(table: Record<string, number[]>): StepDecoder<string[]> {
  return {
    vocab: 3,
    step(prefixes, tokens) {
      const next = prefixes.map((p, i) => (tokens[i] === 9 ? p : p + "AB"[tokens[i] - 1]));
      const logProbs = new Float32Array(next.flatMap((p) => (table[p] ?? [1, 0, 0]).map(Math.log)));
      return { logProbs, attention: null, attentionWidth: 0, state: next };
    },
    select: (prefixes, rows) => Array.from(rows, (r) => prefixes[r]),
  };
}

describe("g2p decoding", () => {
  // p(A)=.5, p(B)=.4, p(end)=.1; after A: A .4, B .3, end .3; after AA: end .9; after B: end .9.
  // Greedy follows A, A, end: .5·.4·.9 = .18. The best sequence is B, end: .4·.9 = .36.
  const table = { "": [0.1, 0.5, 0.4], A: [0.3, 0.4, 0.3], AA: [0.9, 0.05, 0.05], AB: [0.9, 0.05, 0.05], B: [0.9, 0.05, 0.05] };
  const o = { start: 9, end: 0, maxLen: [5] };

  it("on a hand-set decoder, greedy is wrong and beam width 3 finds the most likely sequence", () => {
    const dec = tableDecoder(table);
    const [greedy] = greedyDecode(dec, [""], 1, o);
    expect(greedy.tokens).toEqual([1, 1]);
    expect(greedy.logProb).toBeCloseTo(Math.log(0.18), 5);
    const [beam] = beamSearch(dec, [""], 1, { ...o, beam: 3 });
    expect(beam[0].tokens).toEqual([2]);
    expect(beam[0].logProb).toBeCloseTo(Math.log(0.36), 5);
    expect(beam[0].finished).toBe(true);
    // The n-best list is sorted and holds distinct sequences.
    expect(beam.map((h) => h.logProb)).toEqual([...beam.map((h) => h.logProb)].sort((a, b) => b - a));
    expect(new Set(beam.map((h) => h.tokens.join())).size).toBe(beam.length);
    // Width 1 is greedy.
    expect(beamSearch(dec, [""], 1, { ...o, beam: 1 })[0][0].tokens).toEqual([1, 1]);
    // Several sources in one batch are searched independently.
    const both = beamSearch(dec, ["", ""], 2, { ...o, maxLen: [5, 5], beam: 3 });
    expect(both.map((b) => b[0].tokens)).toEqual([[2], [2]]);
  });

  it("on a small random model, beam search finds the best sequence of an exhaustive search scored by teacher forcing", () => {
    manualSeed(5);
    const symbols = new Symbols(["a", "b", "c"], ["AA", "B"]); // phonemes: pad, <s>, AA, B
    const V = symbols.phones.length;
    for (const kind of ["lstm", "gru"]) {
      const model = new G2PModel({ kind, letters: symbols.letters.length, phones: V, embed: 6, hidden: 8, layers: 1, dropout: 0 });
      model.out.weight.data.forEach((v, i, a) => { a[i] = v * 6; }); // peaky enough that the best sequence is clear
      model.eval();
      const word = symbols.encodeWord("cab");
      // Every output of up to 2 phonemes, then the end, scored with the teacher-forced forward.
      const seqs: number[][] = [[]];
      for (const a of [2, 3]) { seqs.push([a]); for (const b of [2, 3]) seqs.push([a, b]); }
      const scores = noGrad(() => seqs.map((s) => {
        const { letters, lengths, inputs, targets } = makeBatch([{ letters: word, phones: s }]);
        const lp = model.forward(letters, lengths, inputs).logits.logSoftmax(-1).data;
        return Array.from(targets.data).reduce((acc, y, t) => acc + lp[t * V + y], 0);
      }));
      const bestIdx = scores.indexOf(Math.max(...scores));
      const run = (beam: number, maxLen: number) => noGrad(() => {
        const { letters, lengths } = makeBatch([{ letters: word, phones: [] }]);
        const enc = model.encode(letters, lengths);
        const st: DecodeState = { state: enc.state, source: Int32Array.of(0) };
        const oo = { start: 1, end: 1, maxLen: [maxLen], banned: [0] };
        return beam === 0 ? [greedyDecode(modelDecoder(model, enc, V), st, 1, oo)[0]] : beamSearch(modelDecoder(model, enc, V), st, 1, { ...oo, beam })[0];
      });
      const [best] = run(16, 3); // wide enough to keep every prefix
      expect(best.tokens).toEqual(seqs[bestIdx]);
      expect(best.logProb).toBeCloseTo(scores[bestIdx], 4);
      expect(best.attention).toHaveLength(best.tokens.length + 1);
      for (const row of best.attention) {
        expect(row).toHaveLength(3);
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      }
      // Greedy equals width 1, and its score is its sequence's teacher-forced log-probability.
      const [g] = run(0, 6);
      const [b1] = run(1, 6);
      expect(b1.tokens).toEqual(g.tokens);
      expect(b1.logProb).toBeCloseTo(g.logProb, 5);
      if (g.finished && g.tokens.length <= 2) expect(g.logProb).toBeCloseTo(scores[seqs.findIndex((s) => s.join() === g.tokens.join())], 4);
      expect(best.logProb).toBeGreaterThanOrEqual(g.tokens.length <= 2 && g.finished ? g.logProb - 1e-6 : -Infinity);
    }
  });

  it("the heat map has a row per output phoneme and a column per letter, shaded by weight", () => {
    const text = heatMap(["c", "a", "t"], ["K", "AE", "T", "</s>"], [[1, 0, 0], [0, 0.8, 0.2], [0, 0.2, 0.8], [0, 0, 1]]);
    const lines = text.split("\n");
    expect(lines).toHaveLength(5);
    expect(lines[0].trim()).toBe("c a t");
    expect(lines[1]).toMatch(/^ {2}K\s+█ {4}$/);
    expect(lines[2]).toMatch(/AE\s+ {2}▓ ·$/);
    expect(lines[4]).toMatch(/<\/s>\s+ {4}█$/);
  });
});
