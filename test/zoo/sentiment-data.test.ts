import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { manualSeed } from "../../src/core/random.js";
import { noGrad } from "../../src/core/autograd.js";
import { DOMAINS, type Example, epochBatches, loadDomain, makeRounds, parseDomains, readJsonl } from "../../src/zoo/sentiment/data.js";
import { bagOf, BowClassifier, padBatch, SentimentRNN } from "../../src/zoo/sentiment/model.js";
import { tokenize, WordVocab } from "../../src/zoo/sentiment/tokenizer.js";
import { tempDir } from "../helpers/cli.js";

describe("sentiment tokenizer", () => {
  it("lower-cases, splits punctuation and splits clitics the Penn Treebank way", () => {
    expect(tokenize("Don't buy it... NOT worth $20!")).toEqual(["do", "n't", "buy", "it", "...", "not", "worth", "$", "20", "!"]);
    expect(tokenize("I can't, won't; it's what we're after")).toEqual(["i", "can", "n't", ",", "will", "n't", ";", "it", "'s", "what", "we", "'re", "after"]);
    expect(tokenize("lasting 45 minutes.MAJOR PROBLEMS!!")).toEqual(["lasting", "45", "minutes", ".", "major", "problems", "!", "!"]);
    expect(tokenize("slow-moving, o'clock")).toEqual(["slow", "-", "moving", ",", "o'clock"]);
    expect(tokenize("  ")).toEqual([]);
  });

  it("treats typographic apostrophes as ' so every negation shares one token", () => {
    expect(tokenize("Doesn\u2019t work")).toEqual(tokenize("doesn't work"));
    expect(tokenize("isn't")).toEqual(["is", "n't"]);
    expect(tokenize("Café crème")).toEqual(["café", "crème"]);
  });
});

describe("sentiment vocabulary", () => {
  it("reserves 0 for padding and 1 for <unk>, orders words by count then alphabetically", () => {
    const v = WordVocab.build([["b", "a", "b"], ["c", "a", "b"]]);
    expect(v.words).toEqual(["<pad>", "<unk>", "b", "a", "c"]);
    expect(v.encode(["a", "zzz"])).toEqual([3, WordVocab.UNK]);
    expect(WordVocab.build([["b", "a", "b"], ["c"]], 2).words).toEqual(["<pad>", "<unk>", "b"]);
  });

  it("is built on the training split only: a word seen only in test maps to <unk>", () => {
    const examples: Example[] = Array.from({ length: 20 }, (_, i) => ({ text: `common word${i}`, label: (i % 2) as 0 | 1, domain: "data" }));
    const [round] = makeRounds(examples, { seed: 0, folds: 0, testFraction: 0.2 });
    const vocab = WordVocab.build(round.train.map((e) => tokenize(e.text)));
    for (const e of round.test) {
      const [common, own] = vocab.encode(tokenize(e.text));
      expect(common).not.toBe(WordVocab.UNK);
      expect(own).toBe(WordVocab.UNK);
    }
    for (const e of round.train) expect(vocab.encode(tokenize(e.text))).not.toContain(WordVocab.UNK);
  });
});

describe("sentiment data", () => {
  it("loads the three built-in domains, skipping the fixtures' empty rows", () => {
    for (const d of DOMAINS) {
      const rows = loadDomain(d);
      expect(rows).toHaveLength(1000);
      expect(rows.every((r) => r.text.trim().length > 0 && (r.label === 0 || r.label === 1) && r.domain === d)).toBe(true);
      expect(rows.filter((r) => r.label === 1)).toHaveLength(500);
    }
    expect(() => loadDomain("twitter")).toThrow(/unknown domain "twitter"; domains: amazon, imdb, yelp/);
    expect(parseDomains("--test-domains", "imdb, yelp,imdb")).toEqual(["imdb", "yelp"]);
    expect(() => parseDomains("--train-domains", "amazon,tweets")).toThrow(/--train-domains: unknown domain "tweets"/);
  });

  it("reads JSONL, skipping blank lines and empty texts, and names file, line and problem", () => {
    const dir = tempDir();
    const good = join(dir, "good.jsonl");
    writeFileSync(good, '{"text": "great", "label": 1}\n\n{"text": "  ", "label": 0}\n{"text": "awful", "label": 0, "id": 7}\n');
    expect(readJsonl(good)).toEqual([{ text: "great", label: 1, domain: "data" }, { text: "awful", label: 0, domain: "data" }]);
    const cases: Array<[string, RegExp]> = [
      ['{"text": "ok", "label": 1}\n{"text": "x", "label": 1', /bad.jsonl line 2: not valid JSON/],
      ['{"text": "ok", "label": 2}', /bad.jsonl line 1: "label" must be 0 or 1, got 2/],
      ['{"text": "ok"}', /line 1: "label" must be 0 or 1, got no "label" key/],
      ['{"label": 0}', /line 1: "text" must be a string, got no "text" key/],
      ['[1, 2]', /line 1: expected an object/],
      ['{"text": "", "label": 0}', /bad.jsonl: no rows with text/],
    ];
    for (const [content, message] of cases) {
      const bad = join(dir, "bad.jsonl");
      writeFileSync(bad, content);
      expect(() => readJsonl(bad)).toThrow(message);
    }
  });

  const items: Example[] = Array.from({ length: 103 }, (_, i) => ({ text: `s${i}`, label: (i % 2) as 0 | 1, domain: DOMAINS[i % 3] }));

  it("held-out split: disjoint, covers everything, seeded", () => {
    const [r] = makeRounds(items, { seed: 3, folds: 0, testFraction: 0.2 });
    expect(r.test).toHaveLength(20);
    expect(new Set([...r.train, ...r.test].map((e) => e.text)).size).toBe(103);
    expect(makeRounds(items, { seed: 3, folds: 0, testFraction: 0.2 })[0].test).toEqual(r.test);
    expect(makeRounds(items, { seed: 4, folds: 0, testFraction: 0.2 })[0].test).not.toEqual(r.test);
  });

  it("folds: the test folds are disjoint and cover every sentence once; train is the rest", () => {
    const rounds = makeRounds(items, { seed: 0, folds: 10, testFraction: 0.2 });
    expect(rounds).toHaveLength(10);
    const seen = rounds.flatMap((r) => r.test.map((e) => e.text));
    expect(seen).toHaveLength(103);
    expect(new Set(seen).size).toBe(103);
    for (const r of rounds) {
      const test = new Set(r.test.map((e) => e.text));
      expect(r.train.some((e) => test.has(e.text))).toBe(false);
      expect(r.train.length + r.test.length).toBe(103);
    }
    expect(() => makeRounds(items, { seed: 0, folds: 1, testFraction: 0.2 })).toThrow(/--folds must be 0 \(one held-out split\) or in \[2, 103\], got 1/);
  });

  it("cross-domain: trains on whole domains and tests on others", () => {
    const [r] = makeRounds(items, { seed: 0, folds: 0, testFraction: 0.2, trainDomains: ["amazon", "yelp"], testDomains: ["imdb"] });
    expect(new Set(r.train.map((e) => e.domain))).toEqual(new Set(["amazon", "yelp"]));
    expect(new Set(r.test.map((e) => e.domain))).toEqual(new Set(["imdb"]));
    expect(r.train.length + r.test.length).toBe(103);
  });

  it("an epoch's batches hold every example once, bucketed by length, the same for the same seed", () => {
    const lengths = Array.from({ length: 300 }, (_, i) => (i * 37) % 50);
    const batches = epochBatches(lengths, 8, 5);
    expect(batches.flat().sort((a, b) => a - b)).toEqual(lengths.map((_, i) => i));
    expect(batches.filter((b) => b.length < 8)).toHaveLength(1); // 300 = 2·128 + 44: only the last chunk ends short
    expect(epochBatches(lengths, 8, 5)).toEqual(batches);
    expect(epochBatches(lengths, 8, 6)).not.toEqual(batches);
    // Bucketing: a batch spans a much smaller length range than random batches would.
    const spread = batches.map((b) => Math.max(...b.map((i) => lengths[i])) - Math.min(...b.map((i) => lengths[i])));
    expect(spread.reduce((a, b) => a + b) / spread.length).toBeLessThan(10);
  });
});

describe("sentiment models", () => {
  it("padding does not change a sentence's logits, for every model and readout", () => {
    for (const kind of ["rnn", "lstm", "gru", "bilstm"]) {
      for (const readout of ["last", "max", "mean"] as const) {
        manualSeed(1);
        const net = new SentimentRNN(kind, 20, { embed: 6, hidden: 5, layers: 2, dropout: 0.5, readout }).eval();
        const alone = noGrad(() => net.forward(padBatch([[3, 4, 5]]))).data;
        const padded = noGrad(() => net.forward(padBatch([[3, 4, 5], [7, 8, 9, 10, 11, 12, 13]]))).data;
        expect(padded.length).toBe(4);
        for (let i = 0; i < 2; i++) expect(padded[i], `${kind} ${readout}`).toBeCloseTo(alone[i], 5);
      }
    }
  });

  it("the bag-of-words baseline separates a trivially separable toy set", () => {
    const vocab = WordVocab.build([["good", "film"], ["bad", "film"]]);
    const texts = Array.from({ length: 40 }, (_, i) => (i % 2 ? ["good", "film", "good"] : ["bad", "film"]));
    const labels = texts.map((_, i) => i % 2);
    const bow = new BowClassifier(vocab.size).fit(bagOf(texts.map((t) => vocab.encode(t))), labels, { l2: 1e-3, steps: 100, lr: 0.1 });
    const p = bow.probabilities(bagOf([vocab.encode(["good", "film", "good"]), vocab.encode(["bad", "film"])]));
    expect(p[0]).toBeGreaterThan(0.9);
    expect(p[1]).toBeLessThan(0.1);
    // The weights are the Linear's, one per word, PyTorch layout [1, vocab].
    expect(bow.linear.weight.shape).toEqual([1, vocab.size]);
    expect(bow.linear.weight.data[vocab.encode(["good"])[0]]).toBeGreaterThan(0);
    expect(bow.linear.weight.data[vocab.encode(["bad"])[0]]).toBeLessThan(0);
  });
});
