/**
 * The approx page: draw a target curve, watch a one-hidden-layer MLP fit it, and see each
 * hidden unit's contribution wᵢ·tanh(aᵢx + bᵢ) — the bumps whose sum is the fit.
 */
import { grid, sampleTarget, type TargetName } from "../../../../src/zoo/approx/functions.ts";
import { formatNumber, h } from "../../dom.ts";
import { niceCeil, Plot, type Ranges } from "../../plot.ts";
import { definePage, type Frame } from "../../protocol.ts";
import { type ApproxParams, type ApproxPayload, MAX_UNITS, POINTS } from "./shared.ts";

const PRESETS: Array<[TargetName, string]> = [["step", "step"], ["sin", "sin"], ["abs", "|x|"], ["bumpy", "bumpy sum"]];
const LEARNING_RATES = [0.003, 0.01, 0.02, 0.05, 0.1];
const START: ApproxParams = { units: 8, lr: 0.02, target: sampleTarget("bumpy", POINTS) };
/** The fit panel's y range (a drawn target is clamped to it). */
const Y_MAX = 1.25;
const TRAIN_X = grid(POINTS);

export default definePage<ApproxParams, ApproxPayload>({
  params: START,
  stepsPerFrame: 10,
  mount(ctx) {
    const target = START.target.slice();
    let last: Frame<ApproxPayload> | undefined;

    // Stage: the fit (drawable) and the hidden units' contributions.
    const fitEl = h("canvas", { class: "plot main draw", "data-testid": "canvas" });
    const unitsEl = h("canvas", { class: "plot sub", "data-testid": "units-canvas" });
    const maxError = h("span", {}, "–");
    ctx.stage.append(
      h("figure", {},
        fitEl,
        h("figcaption", {}, "Grey: the target — draw on it with the mouse. Blue: the network's fit ŷ(x). Largest error |ŷ − y|: ", maxError)),
      h("figure", {},
        unitsEl,
        h("figcaption", {}, "The hidden units: each coloured curve is one unit's contribution wᵢ·tanh(aᵢx + bᵢ), a smooth step centred at −bᵢ/aᵢ (▲). The dashed curve is their sum; the sum plus the bias c is the fit above.")));

    // Panel: presets, units, learning rate.
    const presetButtons = PRESETS.map(([name, label]) => h("button", {
      "data-preset": name,
      class: name === "bumpy" ? "chosen" : undefined,
      onclick: () => choosePreset(name),
    }, label));
    const unitsValue = h("span", { class: "value" }, START.units);
    const units = h("input", {
      type: "range", min: 1, max: MAX_UNITS, value: START.units, "data-testid": "units",
      oninput: () => {
        unitsValue.textContent = units.value;
        ctx.setParams({ units: Number(units.value) });
      },
    });
    const lr = h("select", { "data-testid": "lr", onchange: () => ctx.setParams({ lr: Number(lr.value) }) },
      ...LEARNING_RATES.map((v) => h("option", { value: v, selected: v === START.lr }, v)));
    ctx.panel.append(
      h("h3", {}, "Target"),
      h("div", { class: "row" }, ...presetButtons),
      h("h3", {}, "Hidden units"),
      h("div", { class: "row" }, units, unitsValue),
      h("h3", {}, "Learning rate (Adam)"),
      h("div", { class: "row" }, lr),
      h("p", { class: "hint" }, "Changing the units restarts training from fresh weights; the target and the learning rate change live."));

    function choosePreset(name: TargetName): void {
      target.set(sampleTarget(name, POINTS));
      presetButtons.forEach((b) => b.classList.toggle("chosen", b.dataset.preset === name));
      ctx.setParams({ target: target.slice() });
      redraw();
    }

    // Drawing the target: each pointer move sets the grid points between the last and this position.
    let drawing = false;
    let lastIndex = -1, lastY = 0;
    const toData = (e: PointerEvent): [number, number] => {
      const r = fitEl.getBoundingClientRect();
      const [x, y] = fitPlot.fromPixel(e.clientX - r.left, e.clientY - r.top);
      return [Math.round(((Math.min(1, Math.max(-1, x)) + 1) / 2) * (POINTS - 1)), Math.min(Y_MAX, Math.max(-Y_MAX, y))];
    };
    const paint = (e: PointerEvent, first: boolean) => {
      const [i, y] = toData(e);
      if (first || lastIndex < 0) target[i] = y;
      else {
        const span = Math.abs(i - lastIndex), dir = Math.sign(i - lastIndex);
        for (let k = 0; k <= span; k++) target[lastIndex + dir * k] = span === 0 ? y : lastY + ((y - lastY) * k) / span;
      }
      lastIndex = i;
      lastY = y;
      presetButtons.forEach((b) => b.classList.remove("chosen"));
      ctx.setParams({ target: target.slice() });
      redraw();
    };
    fitEl.addEventListener("pointerdown", (e) => {
      drawing = true;
      fitEl.setPointerCapture(e.pointerId);
      paint(e, true);
    });
    fitEl.addEventListener("pointermove", (e) => drawing && paint(e, false));
    const stop = () => { drawing = false; lastIndex = -1; };
    fitEl.addEventListener("pointerup", stop);
    fitEl.addEventListener("pointercancel", stop);

    const fitPlot = new Plot(fitEl, fitRanges());
    const unitsPlot = new Plot(unitsEl, unitRanges(1));
    const unitsScale = { yMax: 1 };
    const redraw = () => {
      drawFit(fitPlot, target, last?.payload);
      if (last) drawUnits(unitsPlot, last.payload, unitsScale);
    };
    const resize = new ResizeObserver(redraw);
    resize.observe(fitEl);
    redraw();

    return {
      draw(frame) {
        last = frame;
        maxError.textContent = frame.metrics.maxError === undefined ? "–" : formatNumber(frame.metrics.maxError);
        redraw();
      },
      destroy: () => resize.disconnect(),
    };
  },
});

const X_TICKS = [-1, -0.5, 0, 0.5, 1];

function fitRanges(): Ranges {
  return { x: [-1, 1], y: [-Y_MAX, Y_MAX], xTicks: X_TICKS, yTicks: [-1, -0.5, 0, 0.5, 1] };
}

function unitRanges(yMax: number): Ranges {
  return { x: [-1, 1], y: [-yMax, yMax], xTicks: X_TICKS, yTicks: [-yMax, -yMax / 2, 0, yMax / 2, yMax] };
}

function drawFit(plot: Plot, target: Float32Array, p: ApproxPayload | undefined): void {
  const g = plot.begin();
  g.lineJoin = "round";
  g.lineCap = "round";
  g.strokeStyle = "rgba(110, 122, 135, 0.42)";
  g.lineWidth = 8;
  plot.curve(TRAIN_X, target);
  if (p) {
    g.strokeStyle = "#1f6feb";
    g.lineWidth = 2.5;
    plot.curve(p.x, p.fit);
  }
  plot.end();
}

/** A distinct colour per unit (golden-angle hues). */
function unitColour(i: number): string {
  return `hsl(${Math.round((i * 137.508) % 360)} 68% 46%)`;
}

/** The units panel's y range: grows at once, shrinks only when the curves fit well inside it. */
function drawUnits(plot: Plot, p: ApproxPayload, scale: { yMax: number }): void {
  const n = p.x.length, units = p.units.length;
  const sum = p.fit.map((v) => v - p.bias);
  let maxAbs = 0.5;
  for (const v of p.contributions) maxAbs = Math.max(maxAbs, Math.abs(v));
  for (const v of sum) maxAbs = Math.max(maxAbs, Math.abs(v));
  if (maxAbs > scale.yMax || maxAbs < scale.yMax / 2.5) scale.yMax = niceCeil(maxAbs * 1.15);
  plot.setRanges(unitRanges(scale.yMax));
  const g = plot.begin();
  g.lineJoin = "round";
  g.lineWidth = units > 24 ? 1.1 : 1.7;
  for (let i = 0; i < units; i++) {
    g.strokeStyle = unitColour(i);
    plot.curve(p.x, p.contributions.subarray(i * n, (i + 1) * n));
  }
  g.setLineDash([6, 4]);
  g.strokeStyle = "#1d232b";
  g.lineWidth = 2;
  plot.curve(p.x, sum);
  g.setLineDash([]);
  plot.end();
  // Each unit's centre −b/a, where its step is steepest.
  const bottom = plot.box.bottom;
  p.units.forEach((u, i) => {
    const c = -u.b / u.a;
    if (!(Math.abs(c) <= 1)) return;
    g.fillStyle = unitColour(i);
    g.beginPath();
    g.moveTo(plot.px(c), bottom - 7);
    g.lineTo(plot.px(c) - 4, bottom);
    g.lineTo(plot.px(c) + 4, bottom);
    g.fill();
  });
  g.fillStyle = "#5d6875";
  g.font = "11px system-ui, sans-serif";
  g.textAlign = "left";
  g.textBaseline = "top";
  g.fillText(`${units} unit${units === 1 ? "" : "s"} · c = ${p.bias.toFixed(3)}`, plot.box.left + 6, plot.box.top + 2);
}
