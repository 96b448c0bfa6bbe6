import { describe, expect, it } from "vitest";
import { Generator } from "../../src/core/random.js";
import { corpusBleu } from "../../src/zoo/caption/bleu.js";
import { COLOURS, composeScene, decodeCaption, encodeCaption, HELD_OUT, hasUnseenCombo, isHeldOut, randomScene, renderScene, SHAPES, SIZE, specsOf } from "../../src/zoo/caption/scenes.js";

const words = (s: string) => s.split(" ");

describe("corpusBleu", () => {
  it("matches a hand-computed BLEU-4 on a two-sentence corpus", () => {
    // Pair 1: "the cat sat on the mat" vs "the cat is on the mat": n-gram matches 5/6, 3/5, 1/4, 0/3.
    // Pair 2: "a small red circle" vs the 9-word reference it begins: 4/4, 3/3, 2/2, 1/1.
    // p = 9/10, 6/8, 3/6, 1/4; c = 10, r = 15 → BP = exp(1 − 15/10).
    const bleu = corpusBleu(
      [words("the cat sat on the mat"), words("a small red circle")],
      [words("the cat is on the mat"), words("a small red circle left of a blue square")],
    );
    const expected = Math.exp(-0.5) * Math.pow(0.9 * 0.75 * 0.5 * 0.25, 0.25);
    expect(expected).toBeCloseTo(0.32689, 4);
    expect(bleu).toBeCloseTo(expected, 12);
  });

  it("clips repeated n-grams, has no brevity penalty for long candidates, is 1 for a perfect match and 0 with no 4-gram match", () => {
    expect(corpusBleu([words("the the the the")], [words("the cat")], 1)).toBeCloseTo(0.25, 12);
    expect(corpusBleu([words("a large blue square above a small red circle")], [words("a large blue square above a small red circle")])).toBe(1);
    expect(corpusBleu([words("the cat sat on the mat")], [words("the cat is on the mat")])).toBe(0);
    expect(() => corpusBleu([words("a")], [])).toThrow(/1 candidates but 0 references/);
  });
});

describe("caption scenes", () => {
  it("captions follow the grammar and the layout: left-to-right for rows, top-to-bottom for columns", () => {
    const g = new Generator(7);
    const seenLayouts = new Set<string>();
    for (let i = 0; i < 400; i++) {
      const s = randomScene(g, "any");
      seenLayouts.add(`${s.objects.length}-${s.layout}`);
      expect(decodeCaption(encodeCaption(s.caption))).toBe(s.caption);
      const objs = s.caption.replace(" left of ", " | ").replace(" above ", " | ").replace(" , ", " | ").replace(" and ", " | ").split(" | ");
      expect(objs).toHaveLength(s.objects.length);
      objs.forEach((o, k) => expect(o).toBe(`a ${s.objects[k].size} ${s.objects[k].colour} ${s.objects[k].shape}`));
      if (s.objects.length > 1) expect(s.caption).toContain(s.layout === "column" ? " above " : s.objects.length === 2 ? " left of " : " and ");
      for (let k = 1; k < s.objects.length; k++) {
        const [a, b] = [s.objects[k - 1], s.objects[k]];
        // Ordered along the named axis with no overlap along it.
        if (s.layout === "column") expect(b.y - a.y).toBeGreaterThan(a.r + b.r);
        else expect(b.x - a.x).toBeGreaterThan(a.r + b.r);
      }
      for (const o of s.objects) {
        expect(o.x - o.r).toBeGreaterThanOrEqual(0);
        expect(o.x + o.r).toBeLessThanOrEqual(SIZE);
        expect(o.y - o.r).toBeGreaterThanOrEqual(0);
        expect(o.y + o.r).toBeLessThanOrEqual(SIZE);
      }
    }
    expect([...seenLayouts].sort()).toEqual(["1-single", "2-column", "2-row", "3-row"]);
  });

  it("training scenes never hold a held-out colour–shape pair; unseen test scenes always do; every colour and shape is still trained", () => {
    const g = new Generator(1);
    const pairs = new Set<string>();
    for (let i = 0; i < 3000; i++) {
      const s = randomScene(g, "seen");
      expect(hasUnseenCombo(s), s.caption).toBe(false);
      for (const o of s.objects) pairs.add(`${o.colour} ${o.shape}`);
    }
    for (const [c, sh] of HELD_OUT) expect(pairs.has(`${c} ${sh}`)).toBe(false);
    expect(pairs.size).toBe(COLOURS.length * SHAPES.length - HELD_OUT.length);
    for (const c of COLOURS) expect([...pairs].some((p) => p.startsWith(c))).toBe(true);
    for (const sh of SHAPES) expect([...pairs].some((p) => p.endsWith(sh))).toBe(true);
    for (let i = 0; i < 500; i++) expect(hasUnseenCombo(randomScene(g, "unseen"))).toBe(true);
    expect(isHeldOut("green", "triangle")).toBe(true);
  });

  it("renders the shapes in their colours on a grey background, deterministically per seed", () => {
    const scene = randomScene(new Generator(3), "seen");
    const a = renderScene(scene, new Generator(5));
    const b = renderScene(scene, new Generator(5));
    expect(a.data).toEqual(b.data);
    expect([a.width, a.height, a.channels]).toEqual([SIZE, SIZE, 3]);
    const o = scene.objects[0];
    const at = (x: number, y: number) => Array.from(a.data.subarray((y * SIZE + x) * 3, (y * SIZE + x) * 3 + 3));
    const centre = at(Math.floor(o.x), Math.floor(o.y));
    const corner = at(0, 0);
    expect(Math.max(...corner) - Math.min(...corner)).toBeLessThan(0.1); // grey
    expect(Math.max(...centre) - Math.min(...centre)).toBeGreaterThan(0.3); // a saturated colour
  });

  it("rejects words outside the grammar", () => {
    expect(() => encodeCaption("a small orange circle")).toThrow(/"orange" is not a word/);
  });

  it("composeScene (the Lab's composer) gives the grammar's caption, keeps shapes inside and apart, and specsOf inverts it", () => {
    const gen = new Generator(7);
    for (let t = 0; t < 500; t++) {
      const scene = randomScene(gen, "any");
      const again = composeScene(specsOf(scene), scene.layout === "column" ? "column" : "row");
      expect(again.caption).toBe(scene.caption);
      expect(again.layout).toBe(scene.layout);
      for (const [k, o] of again.objects.entries()) {
        expect(o.x - o.r).toBeGreaterThanOrEqual(0);
        expect(o.x + o.r).toBeLessThanOrEqual(SIZE);
        expect(o.y - o.r).toBeGreaterThanOrEqual(0);
        expect(o.y + o.r).toBeLessThanOrEqual(SIZE);
        for (const p of again.objects.slice(k + 1)) expect(Math.hypot(o.x - p.x, o.y - p.y)).toBeGreaterThan(o.r + p.r - 1e-9);
      }
    }
    const one = composeScene([{ colour: "red", shape: "circle", size: "large", along: 0, across: 0.5 }]);
    expect(one.caption).toBe("a large red circle");
    expect(() => composeScene([])).toThrow(/1 to 3 shapes, got 0/);
    const spec = { colour: "red", shape: "circle", size: "small", along: 0, across: 0 } as const;
    expect(() => composeScene([spec, spec, spec], "column")).toThrow(/three shapes go in a row/);
  });
});
