/**
 * The caption page's own check: a composed scene reaches the worker (the canvas's data-truth is
 * the grammar's caption of it, the held-out mark follows its colour–shape pairs), the task's
 * renderer draws it (the scene's pixels take the chosen colour), the model writes a caption of
 * grammar words, and "Random scene" draws scenes whose selects and truth agree.
 */
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { isHeldOut, WORDS } from "../../../src/zoo/caption/scenes.js";
import type { PageCheck } from "./check.js";

const canvas = (page: Page) => page.getByTestId("canvas");
const attr = (page: Page, name: string) => canvas(page).getAttribute(name).then((v) => v ?? "");
const choose = (page: Page, testid: string, label: string) => page.getByTestId(testid).selectOption({ label });

/** The RGB of the middle of the drawn scene. */
async function sceneCentre(page: Page): Promise<number[]> {
  return canvas(page).evaluate((el) => {
    const c = el as HTMLCanvasElement;
    const [x, y, side] = (c.dataset.picture ?? "0,0,0").split(",").map(Number);
    const dpr = c.width / c.clientWidth;
    const px = c.getContext("2d")!.getImageData(Math.round((x + side / 2) * dpr), Math.round((y + side / 2) * dpr), 1, 1).data;
    return [px[0], px[1], px[2]];
  });
}

/** The scene the selects describe, as the grammar would caption it, and whether it holds a held-out pair. */
async function selected(page: Page): Promise<{ caption: string; heldOut: boolean }> {
  const arrangement = await page.getByTestId("arrangement").evaluate((el) => (el as HTMLSelectElement).selectedOptions[0].text);
  const count = Number(arrangement[0]);
  const objects: string[][] = [];
  for (let i = 0; i < count; i++) {
    objects.push(await Promise.all(["size", "colour", "shape"].map((k) =>
      page.getByTestId(`${k}-${i}`).evaluate((el) => (el as HTMLSelectElement).selectedOptions[0].text))));
  }
  const d = objects.map(([size, colour, shape]) => `a ${size} ${colour} ${shape}`);
  const caption = count === 1 ? d[0] : count === 2 ? `${d[0]} ${arrangement.includes("above") ? "above" : "left of"} ${d[1]}` : `${d[0]} , ${d[1]} and ${d[2]}`;
  return { caption, heldOut: objects.some(([, colour, shape]) => isHeldOut(colour, shape)) };
}

const check: PageCheck = {
  title: "composing a scene renders it and changes its true caption; the model captions it; random scenes agree with the controls",
  timeoutMs: 90_000,
  async run({ page, shot }) {
    await expect.poll(() => attr(page, "data-truth")).toBe("a large purple circle left of a small yellow triangle");
    expect(await attr(page, "data-held-out")).toBe("false");

    // One large red circle in the middle: the truth follows, and the scene's centre is red.
    await choose(page, "arrangement", "1 shape");
    await choose(page, "size-0", "large");
    await choose(page, "colour-0", "red");
    await choose(page, "shape-0", "circle");
    await choose(page, "position-0", "centre");
    await expect.poll(() => attr(page, "data-truth"), { timeout: 15_000 }).toBe("a large red circle");
    const [r, g, b] = await sceneCentre(page);
    expect(r, `red centre, got rgb(${r}, ${g}, ${b})`).toBeGreaterThan(150);
    expect(Math.max(g, b)).toBeLessThan(90);
    // Blue: not a held-out pair for a square, but a blue circle is.
    await choose(page, "colour-0", "blue");
    await expect.poll(() => attr(page, "data-truth"), { timeout: 15_000 }).toBe("a large blue circle");
    await expect.poll(async () => { const [r2, , b2] = await sceneCentre(page); return b2 > 150 && r2 < 90; }).toBe(true);
    expect(await attr(page, "data-held-out")).toBe("true");
    expect(await page.getByTestId("shape-row-0").getByText("held out").isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId("held-out").textContent()).toContain("held-out colour–shape pair");

    // Two shapes, one above the other: the relation word is "above", the top shape first.
    await choose(page, "arrangement", "2, one above the other");
    await choose(page, "colour-0", "green");
    await choose(page, "shape-0", "triangle");
    await choose(page, "size-1", "small");
    await choose(page, "colour-1", "yellow");
    await choose(page, "shape-1", "square");
    await expect.poll(() => attr(page, "data-truth"), { timeout: 15_000 }).toBe("a large green triangle above a small yellow square");
    expect(await attr(page, "data-held-out")).toBe("true");
    expect(await page.getByTestId("shape-row-2").isVisible()).toBe(false);

    // Trained a little, the model writes a caption in the grammar's words.
    await page.getByTestId("train").click();
    await expect.poll(async () => Number((await page.getByTestId("step-count").textContent())?.replace(/,/g, "")), { timeout: 45_000 }).toBeGreaterThan(40);
    await expect.poll(() => attr(page, "data-caption"), { timeout: 20_000 }).toMatch(/^a /);
    for (const w of (await attr(page, "data-caption")).split(" ")) expect(WORDS.slice(1)).toContain(w);
    await expect.poll(() => page.getByTestId("scores").innerText(), { timeout: 20_000 }).not.toContain("not yet");
    await shot("caption-composed");

    // Random scenes (the first holds a held-out pair, the next none): controls, truth and mark agree.
    for (const heldOut of [true, false]) {
      const before = await attr(page, "data-truth");
      await page.getByTestId("random-scene").click();
      const want = await selected(page);
      expect(want.heldOut).toBe(heldOut);
      await expect.poll(() => attr(page, "data-truth"), { timeout: 15_000 }).toBe(want.caption);
      expect(want.caption).not.toBe(before);
      expect(await attr(page, "data-held-out")).toBe(String(heldOut));
    }
    await page.getByTestId("train").click(); // pause
  },
};

export default check;
