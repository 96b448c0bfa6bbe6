/**
 * The g2p page's own check: the typed word drives the decoding — letters outside the model's
 * alphabet are dropped and flagged, the phonemes are ARPAbet, the attention map has one row per
 * output step and one column per letter read (each row a softmax), the verdict checks CMUdict —
 * and after a little training a common word comes out right.
 */
import type { Locator, Page } from "playwright-core";
import { expect } from "vitest";
import { ARPABET } from "../../../src/zoo/g2p/cmudict.js";
import type { PageCheck } from "./check.js";

const PHONES = new Set<string>(ARPABET);

/** The canvas's attention (rows by ";", weights by " ") as numbers. */
async function attention(canvas: Locator): Promise<number[][]> {
  const text = (await canvas.getAttribute("data-attention")) ?? "";
  return text === "" ? [] : text.split(";").map((row) => row.split(" ").map(Number));
}

/** What the canvas shows must be one consistent picture: phonemes, rows and the attention's shape. */
async function expectConsistent(canvas: Locator, word: string): Promise<string[]> {
  expect(await canvas.getAttribute("data-word")).toBe(word);
  const phonemes = ((await canvas.getAttribute("data-phonemes")) ?? "").split(" ").filter(Boolean);
  for (const p of phonemes) expect(PHONES.has(p), `${p} is an ARPAbet phoneme`).toBe(true);
  const rows = ((await canvas.getAttribute("data-rows")) ?? "").split(" ").filter(Boolean);
  expect(rows.slice(0, phonemes.length)).toEqual(phonemes);
  expect(rows.length - phonemes.length === 0 || rows[rows.length - 1] === "</s>").toBe(true);
  const a = await attention(canvas);
  expect(a.length, "one attention row per output step").toBe(rows.length);
  for (const row of a) {
    expect(row.length, "one attention column per letter read").toBe(word.length);
    // A softmax over the letters (each weight printed to two decimals).
    expect(Math.abs(row.reduce((s, v) => s + v, 0) - 1)).toBeLessThan(0.006 * word.length + 0.01);
  }
  return phonemes;
}

const type = async (page: Page, text: string) => page.getByTestId("word").fill(text);

const check: PageCheck = {
  title: "a typed word becomes phonemes with its attention map; bad characters are dropped and flagged; training gets a word right",
  // Generous: on a busy 2-core machine the page may train at a few steps a second.
  timeoutMs: 240_000,
  async run({ page, shot }) {
    const canvas = page.getByTestId("canvas");
    const note = page.getByTestId("word-note");

    // Capitals are read as small letters; a digit and punctuation are dropped, and said so.
    await type(page, "Pho3ne!");
    // (The page starts on "phone": wait for the dropped characters, which only the new text has.)
    await expect.poll(() => canvas.getAttribute("data-dropped"), { timeout: 15_000 }).toBe("3!");
    expect(await canvas.getAttribute("data-word")).toBe("phone");
    await expect.poll(() => note.innerText()).toContain("Dropped “3”, “!”");
    expect(await page.locator(".g2p-char.dropped").allInnerTexts()).toEqual(["3", "!"]);
    await expectConsistent(canvas, "phone");

    // Nothing the model can read, then nothing at all: a clear message, no decoding, no crash.
    await type(page, "42 ?!");
    await expect.poll(() => canvas.getAttribute("data-dropped")).toBe("42 ?!");
    expect(await canvas.getAttribute("data-word")).toBe("");
    expect(await canvas.getAttribute("data-phonemes")).toBe("");
    expect(await page.getByTestId("prediction").innerText()).toContain("No letters the model knows");
    await type(page, "");
    await expect.poll(() => note.innerText()).toContain("Empty");

    // Train until the loss is well down, then read words.
    await page.getByTestId("train").click();
    await expect.poll(async () => Number(await page.getByTestId("loss").textContent()), { timeout: 90_000 }).toBeLessThan(1.1);

    // A word CMUdict does not have: a guess with nothing to check against.
    await page.locator('[data-example="6"]').click(); // nnzoo
    await expect.poll(() => canvas.getAttribute("data-word"), { timeout: 15_000 }).toBe("nnzoo");
    await expect.poll(() => canvas.getAttribute("data-match")).toBe("unknown");
    expect(await page.getByTestId("verdict").innerText()).toContain("Not in CMUdict");
    await expectConsistent(canvas, "nnzoo");

    // A common training word: the verdict names CMUdict's pronunciation, and the model gets it right
    // ("phone" = F OW N; an untrained or broken model does not).
    await type(page, "phone");
    await expect.poll(() => canvas.getAttribute("data-word"), { timeout: 15_000 }).toBe("phone");
    await expect.poll(() => canvas.getAttribute("data-match"), { timeout: 90_000 }).toBe("match");
    const phonemes = await expectConsistent(canvas, "phone");
    expect(phonemes.join(" ")).toBe("F OW N");
    expect(await page.getByTestId("verdict").innerText()).toMatch(/✓ matches CMUdict\s*F\s*OW\s*N/);

    // The held-out error rates arrive from the worker.
    await expect.poll(() => page.getByTestId("scores").innerText(), { timeout: 30_000 }).toMatch(/PER\s*\d+\.\d%/);
    await page.getByTestId("train").click(); // pause
    await shot("g2p-check");
  },
};

export default check;
