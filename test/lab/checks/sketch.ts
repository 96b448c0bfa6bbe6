/**
 * sketch: a stroke drawn with the mouse becomes the prefix; Finish it brings a completion from
 * the worker, drawn in red from the stroke's last point; training redraws it; the temperature
 * redraws it too; Clear empties the pad.
 */
import type { Page } from "playwright-core";
import { expect } from "vitest";
import type { PageCheck } from "./check.js";

const attr = (page: Page, name: string) => page.getByTestId("canvas").getAttribute(name).then((v) => v ?? "");
const num = async (page: Page, name: string) => Number(await attr(page, name));

/** Pixels of the completion's red (#d1495b, antialiased) on the pad, and whether the pixel at (x, y) (CSS px in the canvas) is red. */
function redPixels(page: Page, at?: [number, number]): Promise<{ count: number; atPoint: boolean }> {
  return page.getByTestId("canvas").evaluate((el, point) => {
    const c = el as HTMLCanvasElement;
    const data = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
    const red = (i: number) => data[i + 3] > 100 && data[i] > 170 && data[i + 1] < 120 && data[i + 2] < 140;
    let count = 0;
    for (let i = 0; i < data.length; i += 4) if (red(i)) count++;
    let atPoint = false;
    if (point) {
      const k = c.width / c.clientWidth;
      // Any red within 2 px of the point (the red dot marks where the completion starts).
      for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) {
        const x = Math.round(point[0] * k) + dx, y = Math.round(point[1] * k) + dy;
        if (red((y * c.width + x) * 4)) atPoint = true;
      }
    }
    return { count, atPoint };
  }, at);
}

const check: PageCheck = {
  title: "a mouse stroke is finished by the model in red from its last point; training and the temperature redraw it; Clear empties the pad",
  timeoutMs: 150_000,
  async run({ page, shot }) {
    const canvas = page.getByTestId("canvas");
    const stepCount = () => page.getByTestId("step-count").textContent().then((t) => Number(t?.replace(/,/g, "")));
    // The page opens with half an example and the untrained model's completion of it (red dot, clouds).
    await expect.poll(() => attr(page, "data-completion-request"), { timeout: 15_000 }).toBe("0");
    expect((await redPixels(page)).count).toBeGreaterThan(20);
    // An untrained decoder often ends the sketch at once; a few dozen steps teach it to draw on.
    await page.getByTestId("train").click();
    await expect.poll(stepCount, { timeout: 60_000 }).toBeGreaterThanOrEqual(40);
    await page.getByTestId("train").click(); // pause

    await page.getByTestId("clear").click();
    expect(await num(page, "data-strokes")).toBe(0);
    expect(await num(page, "data-prefix-points")).toBe(0);
    expect(await num(page, "data-completion-points")).toBe(0);
    expect((await redPixels(page)).count).toBe(0);
    // Nothing to finish: nothing happens.
    await page.getByTestId("complete").click();
    await page.waitForTimeout(500);
    expect(await num(page, "data-completion-points")).toBe(0);

    // Half a circle, clockwise from the left, in ~30 mouse moves.
    const box = (await canvas.boundingBox())!;
    const [cx, cy, r] = [box.width / 2, box.height / 2, box.height * 0.22];
    const at = (a: number): [number, number] => [cx - r * Math.cos(a), cy - r * Math.sin(a)];
    await page.mouse.move(box.x + at(0)[0], box.y + at(0)[1]);
    await page.mouse.down();
    for (let k = 1; k <= 30; k++) {
      const [x, y] = at((Math.PI * k) / 30);
      await page.mouse.move(box.x + x, box.y + y);
    }
    await page.mouse.up();
    const end = at(Math.PI);
    expect(await num(page, "data-strokes")).toBe(1);
    // Simplified to a handful of points (not one per mouse move).
    const points = await num(page, "data-prefix-points");
    expect(points).toBeGreaterThanOrEqual(4);
    expect(points).toBeLessThan(25);
    expect((await redPixels(page)).count, "no completion before Finish it").toBe(0);

    const before = await attr(page, "data-completion-request");
    await page.getByTestId("complete").click();
    await expect.poll(() => num(page, "data-completion-points"), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await attr(page, "data-completion-request")).not.toBe(before);
    const drawn = await redPixels(page, end);
    expect(drawn.count, "the completion is drawn in red").toBeGreaterThan(20);
    expect(drawn.atPoint, "the completion starts at the stroke's last point").toBe(true);
    expect(await page.getByTestId("completion-info").textContent()).toMatch(/^This completion: \+\d+ points, z from your drawing, τ 0\.40/);
    await shot("sketch-completion");

    // Training redraws the completion (same draws, newer weights); so does a new temperature.
    const seq = await num(page, "data-completion-seq");
    await page.getByTestId("train").click();
    await expect.poll(() => num(page, "data-completion-seq"), { timeout: 20_000 }).toBeGreaterThan(seq);
    await page.getByTestId("train").click(); // pause
    await page.getByTestId("temperature").evaluate((el) => {
      (el as HTMLInputElement).value = "1.2";
      el.dispatchEvent(new Event("input"));
    });
    await expect.poll(() => page.getByTestId("completion-info").textContent(), { timeout: 15_000 }).toMatch(/τ 1\.20/);
    expect(await num(page, "data-completion-points")).toBeGreaterThan(0);

    await page.getByTestId("clear").click();
    expect(await num(page, "data-strokes")).toBe(0);
    expect(await num(page, "data-completion-points")).toBe(0);
    expect((await redPixels(page)).count, "Clear removes the completion").toBe(0);
  },
};

export default check;
