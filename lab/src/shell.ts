/**
 * The frame around every page: its engine worker, the shared controls (train/pause, step,
 * reset, speed, seed), the loss readout and the loss chart. The page's own view draws the
 * pictures in `stage` and adds its controls to `panel`.
 */
import type { PageInfo } from "./catalog.ts";
import { LossChart } from "./chart.ts";
import { formatNumber, h } from "./dom.ts";
import { persistControls } from "./persist.ts";
import type { Frame, FromWorker, PageDefinition, ToWorker } from "./protocol.ts";

/** The shortest time between two drawings of the page (ms). */
const DRAW_MS = 1000 / 30;
const SPEEDS: Array<[string, number]> = [["1", 1], ["3", 3], ["10", 10], ["30", 30], ["100", 100], ["max", Infinity]];

/** Mounts a page in `root`; returns the function that unmounts it (and ends its worker). */
export function mountPage<P, F>(root: HTMLElement, info: PageInfo, page: PageDefinition<P, F>): () => void {
  const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module", name: `nnzoo ${info.route}` });
  const send = (message: ToWorker<P>) => worker.postMessage(message);
  let running = false;

  const train = h("button", { class: "primary", "data-testid": "train", onclick: () => setRunning(!running) }, "Train");
  const step = h("button", { "data-testid": "step", title: "one optimisation step", onclick: () => { setRunning(false); send({ type: "step", steps: 1 }); } }, "Step");
  const reset = h("button", { "data-testid": "reset", title: "fresh weights from the seed, step 0", onclick: () => send({ type: "reset" }) }, "Reset");
  const initialSpeed = page.stepsPerFrame ?? 10;
  const speed = h("select", { "data-testid": "speed", onchange: () => send({ type: "speed", stepsPerFrame: Number(speed.value) }) },
    ...SPEEDS.map(([label, n]) => h("option", { value: n, selected: n === initialSpeed }, label)));
  const seed = h("input", { type: "number", min: 0, step: 1, value: 0, "data-testid": "seed", onchange: () => send({ type: "seed", seed: Math.trunc(Number(seed.value)) || 0 }) });

  const loss = h("output", { "data-testid": "loss", class: "loss" });
  const stepCount = h("span", { "data-testid": "step-count" }, "0");
  const speedNow = h("span", {}, "0");
  const fps = h("span", { "data-testid": "fps", "data-frames": 0 }, "0");
  const backend = h("span", { "data-testid": "backend", title: "the engine's kernel backend" });
  const error = h("div", { class: "error", role: "alert", hidden: true });
  const chartBox = h("div", { class: "chart" });
  const persist = persistControls(info.route, send as (m: ToWorker) => void);
  const panel = h("div", { class: "panel" });
  const stage = h("div", { class: "stage" });

  root.append(h("article", { class: "page", "data-route": info.route },
    h("header", { class: "page-head" },
      h("h1", {}, info.title),
      h("p", {}, info.blurb)),
    h("div", { class: "layout" },
      stage,
      h("aside", { class: "side" },
        h("div", { class: "controls" }, train, step, reset),
        h("div", { class: "controls small" },
          h("label", {}, "steps/frame ", speed),
          h("label", {}, "seed ", seed)),
        h("div", { class: "readout" },
          h("div", {}, h("span", { class: "label" }, "loss "), loss),
          h("div", { class: "stats" }, "step ", stepCount, " · ", speedNow, " steps/s · ", fps, " frames/s · ", backend)),
        error,
        chartBox,
        persist.element,
        panel))));

  const chart = new LossChart(chartBox);
  const view = page.mount({ stage, panel, setParams: (params) => send({ type: "params", params }) });

  function setRunning(on: boolean): void {
    running = on;
    train.textContent = on ? "Pause" : "Train";
    train.classList.toggle("running", on);
    send({ type: on ? "start" : "pause" });
  }

  // Frames arrive at the worker's pace; the picture is drawn at most once per animation frame.
  let latest: Frame<F> | undefined;
  let drawPending = false;
  let run = -1;
  let frames = 0;
  let chartDrawnAt = 0;
  let drawnAt = -Infinity;
  const arrivals: number[] = [];

  worker.onmessage = (event: MessageEvent<FromWorker<F>>) => {
    const msg = event.data;
    if (msg.type === "weights" || msg.type === "loaded") {
      persist.onMessage(msg);
      return;
    }
    if (msg.type === "error") {
      error.textContent = `Training stopped: ${msg.message}`;
      error.hidden = false;
      if (running) setRunning(false);
      return;
    }
    frames++;
    const now = performance.now();
    arrivals.push(now);
    while (arrivals.length > 0 && now - arrivals[0] > 1000) arrivals.shift();
    if (msg.run !== run) {
      run = msg.run;
      chart.clear();
      error.hidden = true;
    }
    chart.push(msg.step, msg.loss);
    latest = msg;
    if (!drawPending) {
      drawPending = true;
      requestAnimationFrame(draw);
    }
  };
  worker.onerror = (event) => {
    error.textContent = `The engine worker failed: ${event.message || "see the browser console"}`;
    error.hidden = false;
  };

  function draw(now: number): void {
    // Pictures at up to 30 Hz: half the main thread's drawing and the compositor's work of
    // 60 Hz, which on a 2-core machine shares a core with the training worker.
    if (now - drawnAt < DRAW_MS - 2) {
      requestAnimationFrame(draw);
      return;
    }
    drawnAt = now;
    drawPending = false;
    if (!latest) return;
    loss.textContent = formatNumber(latest.loss);
    stepCount.textContent = latest.step.toLocaleString("en");
    speedNow.textContent = Math.round(latest.stepsPerSecond).toLocaleString("en");
    fps.textContent = String(arrivals.length);
    fps.dataset.frames = String(frames);
    backend.textContent = latest.backend;
    // The curve needs no 30 Hz: redraw it about 15 times a second, and on every frame when paused.
    if (!latest.running || now - chartDrawnAt > 66) {
      chart.render();
      chartDrawnAt = now;
    }
    view.draw(latest);
  }

  send({ type: "init", route: info.route, params: page.params, seed: 0, stepsPerFrame: initialSpeed });

  return () => {
    worker.terminate();
    view.destroy?.();
    chart.destroy();
  };
}
