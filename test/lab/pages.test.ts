/**
 * The Lab in a real browser (Debian's chromium, driven by playwright-core), served by the real
 * server CLI from a fresh build. Every live page (lab/src/pages/<route>/view.ts) gets the same
 * checks through the shared contract: data-testid="train", "loss" (a number) and "canvas".
 * Screenshots go to test-artifacts/lab/<route>.png; measured figures to test-artifacts/lab/metrics.json.
 */
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NETWORKS, PAGES } from "../../lab/src/catalog.js";
import { parseSafetensors } from "../../src/io/index.js";
import type { PageCheck } from "./checks/check.js";
import { ARTIFACTS, CHROMIUM, MISSING_MESSAGE, REPO, browserStatus, buildLab, cpuSeconds, launchChromium, liveRoutes, longMainThreadTasks, startServer } from "./browser.js";

const status = browserStatus();
if (status === "missing") console.error(MISSING_MESSAGE);
if (status === "skip") console.warn("\n!! The Lab's browser tests are SKIPPED (NNZOO_SKIP_BROWSER=1).\n");

const LIVE = liveRoutes();
/**
 * Page-specific browser checks, one file per page (test/lab/checks/<route>.ts, default export
 * a PageCheck), so each page's interactions are tested beside the shared contract without
 * every page editing this file.
 */
const CHECKS_DIR = path.join(REPO, "test/lab/checks");
const CHECKS: Array<[string, PageCheck]> = [];
for (const file of fs.existsSync(CHECKS_DIR) ? fs.readdirSync(CHECKS_DIR).filter((f) => f.endsWith(".ts")).sort() : []) {
  const route = file.replace(/\.ts$/, "");
  if (LIVE.includes(route)) CHECKS.push([route, (await import(path.join(CHECKS_DIR, file))).default as PageCheck]);
}
/** How long training may take to bring a page's loss down to `falls` × its start. */
const LOSS_FALLS_WITHIN_MS = 30_000;
/**
 * What each page's shown loss must reach within that time (and still be below at the end of
 * the measured window): half its start, except the GAN pages, whose shown value is a distance
 * between real and generated data (gan2d's 2-D distance, gan-mnist's pixel Fréchet distance,
 * pix2pix's L1 error to the real image) that an adversarial game brings down more slowly and
 * less monotonically than a plain loss. gan-mnist's reached 0.5× in 1.3 s and was back at
 * 0.54× when the window ended, in a fresh-clone run once training got faster (46 frames/s).
 */
const FALLS: Record<string, number> = { gan2d: 0.8, "gan-mnist": 0.8, pix2pix: 0.8 };
/**
 * The 2-D pages (a few hundred points per frame) stream at least 30 frames/s on a quiet
 * machine (issue #9); image pages post a frame per training slice, and one step of a conv
 * GAN can take longer than a 30 Hz frame, so they must stream, not hit a rate.
 */
const TWO_D = new Set(["approx", "gan2d", "rbf"]);
/**
 * The frame rate each 2-D page must reach on a quiet machine: the 30 issue #9 asks, for all
 * three. Measured here: approx 56, rbf 55 (it draws each class's points as one path), gan2d 46
 * (9–15 before the browser's storage slabs, 27–30 before they were recycled: its worker spent
 * over half its time in first writes to fresh memory, src/core/storage.ts).
 */
const FPS_FLOOR: Record<string, number> = { approx: 30, gan2d: 30, rbf: 30 };
/** How long the frame rate and long tasks are measured while training. */
const MEASURE_MS = 2_000;
/**
 * Long tasks (none over 50 ms) and the frame rate (≥ 30 frames/s) are asserted only when other
 * processes (not this test, its chromium and its server) used less than this many cores during
 * the window: on a machine shared with other busy work, a descheduled thread is not the Lab's
 * fault. Both are always measured and reported (test-artifacts/lab/metrics.json).
 */
const QUIET_OTHER_CORES = 0.3;
/** A main-thread task longer than this is a long task (the Long Tasks API's threshold). */
const LONG_TASK_MS = 50;

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

  it("pages not built yet say so honestly (no fake pages); built ones never say so", async () => {
    const { page, errors } = await open("");
    await page.getByTestId("card").first().waitFor();
    if (LIVE.length === PAGES.length) expect(await page.locator("main").innerText()).not.toContain("coming with issue");
    for (const route of LIVE) {
      await page.evaluate((r) => { location.hash = `#/${r}`; }, route);
      await page.getByTestId("train").waitFor();
      expect(await page.locator("main").innerText(), route).not.toContain("This page is coming with issue");
    }
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
      const falls = FALLS[route] ?? 0.5;
      let fellMs: number | null = null;
      for (let t = Date.now(); Date.now() - t < LOSS_FALLS_WITHIN_MS; await page.waitForTimeout(50)) {
        if ((await readLoss(page)) < initial * falls) {
          fellMs = Date.now() - t0;
          break;
        }
      }

      // Frame rate and long tasks over a fixed window while training; a Chrome trace of the
      // window gives each long task's CPU time next to its wall-clock time.
      const frames = async () => page.evaluate(() => [performance.now(), Number(document.querySelector<HTMLElement>('[data-testid="fps"]')!.dataset.frames)]);
      await browser.startTracing(page, { categories: ["disabled-by-default-devtools.timeline"] });
      const cpu0 = cpuSeconds();
      const [s0, f0] = await frames();
      await page.waitForTimeout(MEASURE_MS);
      const [s1, f1] = await frames();
      const cpu1 = cpuSeconds();
      const traced = longMainThreadTasks(await browser.stopTracing(), LONG_TASK_MS);
      const fps = ((f1 - f0) * 1000) / (s1 - s0);
      const otherCores = cpu0 && cpu1 ? ((cpu1.machine - cpu0.machine) - (cpu1.ours - cpu0.ours)) / ((s1 - s0) / 1000) : 0;
      const tenthMs = (await readLoss(page)) < initial / 10 ? Date.now() - t0 : null;
      const longTasks = await page.evaluate((since) =>
        (window as unknown as { longTasks: Array<{ start: number; duration: number }> }).longTasks.filter((t) => t.start >= since), clickedAt);
      const after = await canvas.evaluate((c) => (c as HTMLCanvasElement).toDataURL());
      const final = await readLoss(page);
      await shot(page, route);

      const figures = {
        initialLoss: initial, finalLoss: final, lossFellTo: falls, lossFellMs: fellMs, lossTenthMs: tenthMs,
        framesPerSecond: Math.round(fps * 10) / 10,
        longTasksWhileTraining: longTasks.length, longestTaskMs: Math.max(0, ...longTasks.map((t) => Math.round(t.duration))),
        tracedLongTasks: traced.length, longestTaskCpuMs: Math.max(0, ...traced.map((t) => t.cpuMs)),
        otherProcessesCores: Math.round(otherCores * 100) / 100,
        backend: await page.getByTestId("backend").textContent(),
      };
      metrics[route] = figures;
      console.log(`[lab] ${route}: ${JSON.stringify(figures)}`);

      expect(fellMs, `the loss reached ${falls} × its start (${initial}) within ${LOSS_FALLS_WITHIN_MS} ms`).not.toBeNull();
      expect(final).toBeLessThan(initial * falls);
      expect(after).not.toBe(before);
      // Streaming at all: a frame at least every two seconds (one pix2pix step in the browser can take half a second).
      expect(fps, "worker frames per second (streaming at all)").toBeGreaterThan(0.5);
      // The page's own work: no main-thread task may use 50 ms of CPU, however busy the machine.
      expect(traced.filter((t) => t.cpuMs > LONG_TASK_MS), "main-thread tasks using over 50 ms of CPU while training").toEqual([]);
      // Wall-clock long tasks are reported, not asserted: on two cores the page's main thread
      // shares the machine with its own engine worker (a core while training) and chromium's
      // compositor, so a 15 ms task can wait 100 ms for a core even when nothing else runs —
      // measured on a quiet machine: memory 8 tasks over 50 ms wall, none over 16 ms of CPU.
      if (otherCores < QUIET_OTHER_CORES) {
        if (TWO_D.has(route)) expect(fps, "worker frames per second on a quiet machine (a 2-D page)").toBeGreaterThanOrEqual(FPS_FLOOR[route] ?? 30);
      } else {
        console.warn(`[lab] ${route}: other processes used ${otherCores.toFixed(2)} cores during the measurement; its frame rate is reported, not asserted`);
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

  it.runIf(LIVE.includes("rbm"))("rbm: stacking a second RBM makes a deep belief network (layer-2 filters appear, training goes on)", async () => {
    const { page, errors } = await open("rbm");
    await page.getByTestId("loss").filter({ hasText: /\d/ }).waitFor();
    const stepCount = () => page.getByTestId("step-count").textContent().then((t) => Number(t?.replace(/,/g, "")));
    await page.getByTestId("train").click();
    await expect.poll(stepCount, { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await page.getByTestId("top-filters-canvas").isVisible()).toBe(false);
    await page.getByTestId("stack").check();
    await page.getByTestId("top-filters-canvas").waitFor({ state: "visible", timeout: 15_000 });
    const steps = await stepCount();
    await expect.poll(stepCount, { timeout: 15_000 }).toBeGreaterThan(steps + 3);
    expect(Number.isFinite(Number(await page.getByTestId("loss").textContent()))).toBe(true);
    await shot(page, "rbm-dbn");
    await page.getByTestId("train").click(); // pause
    expect(errors).toEqual([]);
    await page.close();
  });

  it.runIf(LIVE.includes("rbf"))("rbf: the data buttons and the units slider restart both networks on new data", async () => {
    const { page, errors } = await open("rbf");
    const canvas = page.getByTestId("canvas");
    await page.getByTestId("loss").filter({ hasText: /\d/ }).waitFor();
    const moons = await canvas.evaluate((c) => (c as HTMLCanvasElement).toDataURL());
    await page.locator('[data-dataset="circles"]').click();
    await expect.poll(() => canvas.evaluate((c) => (c as HTMLCanvasElement).toDataURL())).not.toBe(moons);
    await page.getByTestId("units").evaluate((el) => {
      (el as HTMLInputElement).value = "20";
      el.dispatchEvent(new Event("change"));
    });
    await page.getByTestId("train").click();
    // Circles are not linearly separable; 20 RBF units separate them (from ln 2 ≈ 0.69).
    await expect.poll(() => readLoss(page), { timeout: 30_000 }).toBeLessThan(0.3);
    await page.getByTestId("train").click(); // pause
    expect(errors).toEqual([]);
    await page.close();
  });

  it.runIf(LIVE.includes("gan2d"))("gan2d: step D / step G move one player at a time; a drawn distribution becomes the target", async () => {
    const { page, errors } = await open("gan2d");
    await page.getByTestId("loss").filter({ hasText: /\d/ }).waitFor();
    for (let k = 0; k < 2; k++) await page.getByTestId("step-d").click();
    await page.getByTestId("step-g").click();
    await expect.poll(() => page.getByText(/2 D · 1 G updates/).count(), { timeout: 15_000 }).toBe(1);
    const canvas = page.getByTestId("canvas");
    const before = await canvas.evaluate((c) => (c as HTMLCanvasElement).toDataURL());
    await page.getByTestId("draw").click();
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.3);
    await page.mouse.down();
    for (let k = 1; k <= 20; k++) await page.mouse.move(box.x + box.width * (0.3 + 0.02 * k), box.y + box.height * (0.3 + 0.01 * k));
    await page.mouse.up();
    await expect.poll(() => page.getByTestId("gan2d-status").textContent()).toMatch(/4\d points drawn/);
    await expect.poll(() => page.getByTestId("gan2d-status").textContent(), { timeout: 15_000 }).toMatch(/modes covered \d of 1\b/);
    expect(await canvas.evaluate((c) => (c as HTMLCanvasElement).toDataURL())).not.toBe(before);
    expect(errors).toEqual([]);
    await page.close();
  });

  it.runIf(LIVE.includes("gan-mnist"))("gan-mnist: the conditional GAN's digit picker and \"this digit does not exist\"", async () => {
    const { page, errors } = await open("gan-mnist");
    await page.getByTestId("loss").filter({ hasText: /\d/ }).waitFor();
    expect(await page.locator('[data-digit="7"]').isDisabled()).toBe(true);
    await page.getByTestId("model").selectOption({ index: 1 });
    await expect.poll(() => page.locator('[data-digit="7"]').isDisabled()).toBe(false);
    const fresh = page.getByTestId("fresh-canvas");
    const before = await fresh.evaluate((c) => (c as HTMLCanvasElement).toDataURL());
    await page.locator('[data-digit="7"]').click();
    await page.getByTestId("fresh").click();
    await expect.poll(() => fresh.evaluate((c) => (c as HTMLCanvasElement).toDataURL()), { timeout: 15_000 }).not.toBe(before);
    await expect.poll(() => page.getByText("(asked for a 7)").count(), { timeout: 15_000 }).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it.runIf(LIVE.includes("detect-fakes"))("detect-fakes: the learner and the detector each guess, and both are scored", async () => {
    const { page, errors } = await open("detect-fakes");
    await page.getByTestId("loss").filter({ hasText: /\d/ }).waitFor();
    expect(await page.getByTestId("next").isDisabled()).toBe(true);
    await page.getByTestId("guess-real").click();
    await expect.poll(() => page.getByTestId("verdict").textContent()).toMatch(/^It was (real|generated)\. You said real [✓✗]; the detector said (real|generated) \(P\(generated\) = \d\.\d\d\) [✓✗]\.$/);
    expect(await page.getByTestId("tally").textContent()).toMatch(/You [01] of 1 · detector [01] of 1/);
    await page.getByTestId("next").click();
    await expect.poll(() => page.getByTestId("verdict").textContent()).toBe("Real or generated? Make your guess.");
    expect(await page.getByTestId("guess-fake").isDisabled()).toBe(false);
    expect(errors).toEqual([]);
    await page.close();
  });

  it.runIf(LIVE.includes("autoencoder"))("autoencoder: clicking the map decodes that point; the noise and code-size sliders change their pictures", async () => {
    const { page, errors } = await open("autoencoder");
    await page.getByTestId("loss").filter({ hasText: /\d/ }).waitFor();
    const picture = (id: string) => page.getByTestId(id).evaluate((c) => (c as HTMLCanvasElement).toDataURL());
    const probe = await picture("probe-canvas");
    const box = (await page.getByTestId("canvas").boundingBox())!;
    await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.5);
    await expect.poll(() => picture("probe-canvas"), { timeout: 15_000 }).not.toBe(probe);
    expect(await page.getByTestId("probe-info").textContent()).toMatch(/^z = \(/);
    const noisy = await picture("noise-canvas");
    await page.getByTestId("noise").evaluate((el) => {
      (el as HTMLInputElement).value = "0.6";
      el.dispatchEvent(new Event("input"));
    });
    await expect.poll(() => picture("noise-canvas"), { timeout: 15_000 }).not.toBe(noisy);
    await page.getByTestId("code").evaluate((el) => {
      (el as HTMLInputElement).value = "5"; // the largest code size, 64
      el.dispatchEvent(new Event("input"));
    });
    await expect.poll(() => page.getByTestId("code-info").textContent(), { timeout: 15_000 }).toMatch(/^64 bytes per image/);
    expect(errors).toEqual([]);
    await page.close();
  });

  const text = async (page: Page, id: string) => (await page.getByTestId(id).textContent()) ?? "";
  const statusText = (page: Page) => text(page, "persist-status");

  it("save → reload → load restores the model; download gives a safetensors file; bad uploads change nothing", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${base}#/approx`);
    await page.getByTestId("loss").filter({ hasText: /\d/ }).waitFor();
    const fresh = await text(page, "loss");
    // Train a while, then pause: the readouts hold still.
    await page.getByTestId("train").click();
    await expect.poll(async () => Number((await text(page, "step-count")).replace(/,/g, "")), { timeout: 15_000 }).toBeGreaterThan(200);
    await page.getByTestId("train").click();
    await page.waitForTimeout(300);
    const [trainedLoss, trainedStep] = [await text(page, "loss"), await text(page, "step-count")];
    expect(trainedLoss).not.toBe(fresh);

    await page.getByTestId("save").click();
    await expect.poll(() => statusText(page)).toBe(`Saved step ${trainedStep} in this browser.`);

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download").click()]);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "nnzoo-lab-")), download.suggestedFilename());
    await download.saveAs(file);
    expect(download.suggestedFilename()).toBe(`nnzoo-approx-step${trainedStep.replace(/,/g, "")}.safetensors`);
    const parsed = parseSafetensors(fs.readFileSync(file));
    expect(parsed.metadata).toMatchObject({ format: "nnzoo.lab/1", page: "approx", step: trainedStep.replace(/,/g, "") });
    expect(Object.keys(parsed.tensors).sort()).toEqual(["model.hidden.bias", "model.hidden.weight", "model.output.bias", "model.output.weight"]);

    // A reload starts from fresh weights; Load brings the saved ones back (same loss, same step).
    await page.reload();
    await page.getByTestId("loss").filter({ hasText: /\d/ }).waitFor();
    expect(await text(page, "loss")).toBe(fresh);
    await page.getByTestId("load").click();
    await expect.poll(() => statusText(page)).toMatch(/^Loaded the model saved .* \(step [\d,]+\)$/);
    // The readout showed the last step's loss (before its update); a load shows the loss of the
    // weights themselves, so the two agree to well within the gap to a fresh model.
    await expect.poll(async () => Math.abs(Number(await text(page, "loss")) / Number(trainedLoss) - 1)).toBeLessThan(0.01);
    expect(Number(fresh) / Number(trainedLoss)).toBeGreaterThan(5);
    expect(await text(page, "step-count")).toBe(trainedStep);

    // Malformed bytes, a file of another page, a model that does not fit: refused, nothing changes.
    const garbage = { name: "garbage.safetensors", mimeType: "application/octet-stream", buffer: Buffer.from("not a model at all, just text") };
    await page.getByTestId("upload").setInputFiles(garbage);
    await expect.poll(() => statusText(page)).toMatch(/^Nothing changed: garbage\.safetensors is not a safetensors file \(parseSafetensors: .+\)$/);
    await page.getByTestId("units").evaluate((el) => {
      (el as HTMLInputElement).value = "16";
      el.dispatchEvent(new Event("input"));
    });
    await expect.poll(() => text(page, "step-count")).toBe("0");
    const rebuilt = await text(page, "loss");
    await page.getByTestId("upload").setInputFiles(file);
    await expect.poll(() => statusText(page)).toMatch(/^Nothing changed: nnzoo-approx-step\d+\.safetensors does not fit this page's model as it is set now: ApproxMLP\.loadStateDict: [^]*size mismatch for "hidden\.weight": the dict has \[8,1\], the module has \[16,1\]/);
    expect(await text(page, "loss")).toBe(rebuilt);
    expect(await page.getByTestId("persist-status").evaluate((el) => el.classList.contains("error"))).toBe(true);

    await page.goto(`${base}#/rbf`);
    await page.getByTestId("loss").filter({ hasText: /\d/ }).waitFor();
    await page.getByTestId("upload").setInputFiles(file);
    await expect.poll(() => statusText(page)).toMatch(/holds a model of the approx page, not of rbf$/);
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);

  it.runIf(LIVE.includes("memory"))("memory: the copy task and the length restart all three models; clipping turns off live", async () => {
    const { page, errors } = await open("memory");
    await page.getByTestId("loss").filter({ hasText: /\d/ }).waitFor();
    const canvas = page.getByTestId("canvas");
    const stepCount = () => page.getByTestId("step-count").textContent().then((t) => Number(t?.replace(/,/g, "")));
    await expect.poll(() => canvas.getAttribute("data-length")).toBe("20");
    // The copy task: 5 symbols, a gap of T = 20 blanks, the delimiter, 5 recall steps: 31 steps.
    await page.locator('[data-problem="copy"]').click();
    await expect.poll(() => canvas.getAttribute("data-problem"), { timeout: 15_000 }).toBe("copy");
    expect(await canvas.getAttribute("data-length")).toBe("31");
    await page.getByTestId("seq-len").evaluate((el) => {
      (el as HTMLInputElement).value = "0"; // T = 10
      el.dispatchEvent(new Event("change"));
    });
    await expect.poll(() => canvas.getAttribute("data-length"), { timeout: 15_000 }).toBe("21");
    await page.getByTestId("clip").selectOption({ label: "off" });
    await page.getByTestId("train").click();
    await expect.poll(stepCount, { timeout: 20_000 }).toBeGreaterThan(12);
    const summary = await page.getByTestId("memory-summary").innerText();
    for (const name of ["RNN (tanh)", "LSTM", "GRU"]) expect(summary).toContain(name);
    expect(summary.match(/clipped 0% of recent updates/g)?.length).toBe(3);
    // From ln 8 (guessing) the copy loss must not blow up.
    expect(Number(await page.getByTestId("loss").textContent())).toBeLessThan(3);
    await page.getByTestId("train").click(); // pause
    expect(errors).toEqual([]);
    await page.close();
  });

  it.runIf(LIVE.includes("charlm"))("charlm: the probe name drives the gate maps; temperature and the GRU switch act on the samples and the maps", async () => {
    const { page, errors } = await open("charlm");
    await page.getByTestId("loss").filter({ hasText: /\d/ }).waitFor();
    const canvas = page.getByTestId("canvas");
    await page.getByTestId("probe").fill("Zoe!");
    // Lower-cased, characters outside the vocabulary dropped; the table reads “.”, z, o, e and predicts z, o, e, end.
    await expect.poll(() => canvas.getAttribute("data-probe"), { timeout: 15_000 }).toBe("zoe");
    const rows = await page.getByTestId("charlm-steps").locator("tr").allInnerTexts();
    expect(rows[0].split(/\s+/).filter(Boolean)).toEqual(["read", ".", "z", "o", "e"]);
    expect(rows[1].split(/\s+/).filter(Boolean)).toEqual(["next", "z", "o", "e", "."]);
    await page.getByTestId("temperature").evaluate((el) => {
      (el as HTMLInputElement).value = "0";
      el.dispatchEvent(new Event("input"));
    });
    await page.getByTestId("train").click();
    await expect.poll(() => page.getByTestId("samples").innerText(), { timeout: 15_000 }).toContain("T 0.0");
    await page.getByTestId("kind").selectOption("GRU");
    await expect.poll(() => canvas.getAttribute("data-kind"), { timeout: 15_000 }).toBe("gru");
    await expect.poll(() => page.locator("figcaption").first().innerText()).toContain("update gate");
    await page.getByTestId("train").click(); // pause
    expect(errors).toEqual([]);
    await page.close();
  });

  it.runIf(LIVE.includes("sentiment"))("sentiment: a typed sentence is read by all four models, word by word; unknown words are flagged", async () => {
    const { page, errors } = await open("sentiment");
    await page.getByTestId("loss").filter({ hasText: /\d/ }).waitFor();
    const canvas = page.getByTestId("canvas");
    await page.getByTestId("sentence").fill("I loved this place, zqxv!");
    await expect.poll(() => canvas.getAttribute("data-tokens"), { timeout: 15_000 }).toBe("i loved this place , zqxv !");
    expect(await canvas.getAttribute("data-unknown")).toBe("zqxv");
    await page.getByTestId("train").click();
    // Every model gets its held-out accuracy; every verdict names a probability.
    await expect.poll(() => page.getByTestId("scores").innerText(), { timeout: 40_000 }).not.toContain("–");
    const verdicts = await page.getByTestId("verdicts").innerText();
    for (const name of ["RNN", "LSTM", "GRU", "BiLSTM"]) expect(verdicts).toMatch(new RegExp(`${name}: (positive|negative) \\(p = (0\\.\\d{3}|1\\.000)\\)`)); // a sure model shows p = 1.000
    await page.locator('[data-example="0"]').click();
    await expect.poll(() => canvas.getAttribute("data-tokens"), { timeout: 15_000 }).toBe("the food was not good at all .");
    await page.getByTestId("train").click(); // pause
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  for (const [route, check] of CHECKS) {
    it(`${route}: ${check.title}`, async () => {
      const { page, errors } = await open(route);
      await page.getByTestId("loss").filter({ hasText: /\d/ }).waitFor();
      await check.run({ page, shot: (name) => shot(page, name) });
      expect(errors).toEqual([]);
      await page.close();
    }, check.timeoutMs ?? 60_000);
  }
});
