/**
 * The Lab in a real browser (Debian's chromium, driven by playwright-core), served by the real
 * server CLI from a fresh build. Every live page (lab/src/pages/<route>/view.ts) gets the same
 * checks through the shared contract: data-testid="train", "loss" (a number) and "canvas".
 * Screenshots go to test-artifacts/lab/<route>.png; measured figures to test-artifacts/lab/metrics.json.
 */
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NETWORKS, PAGES } from "../../lab/src/catalog.js";
import { ARTIFACTS, CHROMIUM, MISSING_MESSAGE, browserStatus, buildLab, cpuSeconds, launchChromium, liveRoutes, startServer } from "./browser.js";

const status = browserStatus();
if (status === "missing") console.error(MISSING_MESSAGE);
if (status === "skip") console.warn("\n!! The Lab's browser tests are SKIPPED (NNZOO_SKIP_BROWSER=1).\n");

const LIVE = liveRoutes();
/** How long training may take to halve a page's loss. */
const LOSS_HALVES_WITHIN_MS = 15_000;
/** How long the frame rate and long tasks are measured while training. */
const MEASURE_MS = 2_000;
/**
 * Long tasks (none over 50 ms) and the frame rate (≥ 30 frames/s) are asserted only when other
 * processes (not this test, its chromium and its server) used less than this many cores during
 * the window: on a machine shared with other busy work, a descheduled thread is not the Lab's
 * fault. Both are always measured and reported (test-artifacts/lab/metrics.json).
 */
const QUIET_OTHER_CORES = 0.3;

if (status === "missing") {
  describe("Lab browser tests", () => {
    it(`need chromium at ${CHROMIUM}`, () => {
      throw new Error(MISSING_MESSAGE);
    });
  });
}

describe.skipIf(status !== "ok")("Lab in chromium", () => {
  let browser: Browser;
  let server: ChildProcess | undefined;
  let dist = "";
  let base = "";
  const metrics: Record<string, unknown> = {};

  beforeAll(async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    dist = await buildLab();
    const started = await startServer(dist);
    server = started.child;
    base = started.url;
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    server?.kill();
    if (dist) fs.rmSync(dist, { recursive: true, force: true });
    if (Object.keys(metrics).length) fs.writeFileSync(path.join(ARTIFACTS, "metrics.json"), `${JSON.stringify(metrics, null, 2)}\n`);
  });

  /** Opens a route in a fresh page that records console errors, page errors, failed requests and long tasks. */
  async function open(route: string): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    const errors: string[] = [];
    page.on("console", (m) => { if (m.type() === "error") errors.push(`console: ${m.text()}`); });
    page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
    page.on("requestfailed", (r) => errors.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
    page.on("response", (r) => { if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`); });
    await page.addInitScript(() => {
      const w = window as unknown as { longTasks: Array<{ start: number; duration: number }> };
      w.longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.longTasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: "longtask", buffered: true });
    });
    await page.goto(`${base}#/${route}`);
    return { page, errors };
  }

  const readLoss = async (page: Page) => Number(await page.getByTestId("loss").textContent());
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

  it("home: the lesson's map, one card per network; live pages linked, the rest say which issue brings them", async () => {
    const { page, errors } = await open("");
    expect(await page.evaluate(() => self.crossOriginIsolated), "cross-origin isolated (SharedArrayBuffer for the engine)").toBe(true);
    await page.getByTestId("card").first().waitFor();
    expect(await page.getByTestId("card").count()).toBe(NETWORKS.length);
    for (const route of LIVE) expect(await page.locator(`a[href="#/${route}"]`).count(), route).toBeGreaterThan(0);
    const text = await page.locator("main").innerText();
    for (const p of PAGES.filter((q) => !LIVE.includes(q.route))) expect(text).toContain(`coming with issue #${p.issue}`);
    expect(await page.locator('a[href^="#/"]').evaluateAll((as) => as.map((a) => a.getAttribute("href")))).toEqual(
      expect.arrayContaining(LIVE.map((r) => `#/${r}`)));
    await shot(page, "home");
    await page.getByRole("link", { name: /Universal approximation/ }).click();
    await page.getByTestId("train").waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });

  it("pages not built yet say so honestly (no fake pages)", async () => {
    const { page, errors } = await open("");
    for (const info of PAGES.filter((p) => !LIVE.includes(p.route))) {
      await page.evaluate((route) => { location.hash = `#/${route}`; }, info.route);
      await page.getByRole("heading", { name: info.title }).waitFor();
      expect(await page.locator("main").innerText()).toContain(`This page is coming with issue #${info.issue}`);
      expect(await page.getByTestId("train").count()).toBe(0);
      await shot(page, info.route);
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  for (const route of LIVE) {
    it(`${route}: trains in the worker — the loss falls, the canvas changes, the main thread stays responsive`, async () => {
      const { page, errors } = await open(route);
      const loss = page.getByTestId("loss");
      await expect.poll(async () => Number.isFinite(Number(await loss.textContent())) && (await loss.textContent()) !== "", { timeout: 10_000 }).toBe(true);
      const initial = await readLoss(page);
      const canvas = page.getByTestId("canvas");
      const before = await canvas.evaluate((c) => (c as HTMLCanvasElement).toDataURL());

      const clickedAt = await page.evaluate(() => performance.now());
      const t0 = Date.now();
      await page.getByTestId("train").click();
      await expect.poll(() => readLoss(page), { timeout: LOSS_HALVES_WITHIN_MS, interval: 50 }).toBeLessThan(initial / 2);
      const halvedMs = Date.now() - t0;

      // Frame rate and long tasks over a fixed window while training.
      const frames = async () => page.evaluate(() => [performance.now(), Number(document.querySelector<HTMLElement>('[data-testid="fps"]')!.dataset.frames)]);
      const cpu0 = cpuSeconds();
      const [s0, f0] = await frames();
      await page.waitForTimeout(MEASURE_MS);
      const [s1, f1] = await frames();
      const cpu1 = cpuSeconds();
      const fps = ((f1 - f0) * 1000) / (s1 - s0);
      const otherCores = cpu0 && cpu1 ? ((cpu1.machine - cpu0.machine) - (cpu1.ours - cpu0.ours)) / ((s1 - s0) / 1000) : 0;
      const tenthMs = (await readLoss(page)) < initial / 10 ? Date.now() - t0 : null;
      const longTasks = await page.evaluate((since) =>
        (window as unknown as { longTasks: Array<{ start: number; duration: number }> }).longTasks.filter((t) => t.start >= since), clickedAt);
      const after = await canvas.evaluate((c) => (c as HTMLCanvasElement).toDataURL());
      const final = await readLoss(page);
      await shot(page, route);

      const figures = {
        initialLoss: initial, finalLoss: final, lossHalvedMs: halvedMs, lossTenthMs: tenthMs,
        framesPerSecond: Math.round(fps * 10) / 10,
        longTasksWhileTraining: longTasks.length, longestTaskMs: Math.max(0, ...longTasks.map((t) => Math.round(t.duration))),
        otherProcessesCores: Math.round(otherCores * 100) / 100,
        backend: await page.getByTestId("backend").textContent(),
      };
      metrics[route] = figures;
      console.log(`[lab] ${route}: ${JSON.stringify(figures)}`);

      expect(final).toBeLessThan(initial / 2);
      expect(after).not.toBe(before);
      expect(fps, "worker frames per second (streaming at all)").toBeGreaterThan(5);
      if (otherCores < QUIET_OTHER_CORES) {
        expect(longTasks, "main-thread tasks over 50 ms while training").toEqual([]);
        expect(fps, "worker frames per second on a quiet machine").toBeGreaterThanOrEqual(30);
      } else {
        console.warn(`[lab] ${route}: other processes used ${otherCores.toFixed(2)} cores during the measurement; its long tasks (${longTasks.length}) and frame rate are reported, not asserted`);
      }
      expect(errors).toEqual([]);
      await page.close();
    });
  }

  it.runIf(LIVE.includes("approx"))("approx: the drawn target, the presets and the units slider drive the fit", async () => {
    const { page, errors } = await open("approx");
    const canvas = page.getByTestId("canvas");
    await page.getByTestId("loss").filter({ hasText: /\d/ }).waitFor();
    const before = await canvas.evaluate((c) => (c as HTMLCanvasElement).toDataURL());
    // Draw a line across the upper half of the plot: the target changes, so does the picture.
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.1, box.y + box.height * 0.2);
    await page.mouse.down();
    for (let k = 1; k <= 10; k++) await page.mouse.move(box.x + box.width * (0.1 + 0.08 * k), box.y + box.height * 0.2);
    await page.mouse.up();
    await expect.poll(() => canvas.evaluate((c) => (c as HTMLCanvasElement).toDataURL())).not.toBe(before);

    await page.locator('[data-preset="step"]').click();
    await page.getByTestId("units").evaluate((el) => {
      (el as HTMLInputElement).value = "24";
      el.dispatchEvent(new Event("input"));
    });
    await page.getByTestId("train").click();
    // A units change restarts training from fresh weights; 24 units fit the step.
    await expect.poll(() => readLoss(page), { timeout: 15_000 }).toBeLessThan(0.02);
    await page.getByTestId("train").click(); // pause
    expect(await page.getByTestId("train").textContent()).toBe("Train");
    expect(errors).toEqual([]);
    await page.close();
  });
});
