/**
 * The gan2d page (GAN Lab's 2-D game): real points (green) and generated points (purple) over
 * the discriminator's field (green where D believes "real", purple where "fake"), each
 * generated point's gradient arrow (where G's loss pushes it), step D / step G, and a target
 * the learner can draw.
 */
import { formatNumber, h } from "../../dom.ts";
import { Plot, type Ranges } from "../../plot.ts";
import { definePage, type Frame } from "../../protocol.ts";
import { BOX, FIELD, type Gan2dParams, type Gan2dPayload } from "./shared.ts";

const START: Gan2dParams = {
  target: "ring", points: new Float32Array(0), loss: "nonsaturating", gLr: 0.002, dLr: 0.002,
  gOptimizer: "adam", dOptimizer: "adam", dSteps: 1, gSteps: 1, hidden: 64, zDim: 2, stepD: 0, stepG: 0,
};
const TARGETS: Array<[Gan2dParams["target"], string]> = [["ring", "ring"], ["grid", "grid"], ["line", "line"], ["moons", "two moons"], ["spiral", "spiral"]];
const LEARNING_RATES = [0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01];
const MIN_DRAWN = 20;
const REAL = "#1a9850", FAKE = "#7b3294";

export default definePage<Gan2dParams, Gan2dPayload>({
  params: START,
  stepsPerFrame: 10,
  mount(ctx) {
    const params = { ...START };
    let last: Frame<Gan2dPayload> | undefined;
    let drawing = false, drawMode = false;
    let drawn: number[] = [];

    const canvas = h("canvas", { class: "plot main draw", "data-testid": "canvas" });
    canvas.style.height = "auto";
    canvas.style.aspectRatio = "1";
    canvas.style.maxWidth = "600px";
    canvas.style.margin = "0 auto";
    const status = h("div", { class: "hint", "data-testid": "gan2d-status" }, "–");
    ctx.stage.append(h("figure", {}, canvas, status, h("figcaption", {},
      "Green dots: real points from the target. Purple dots: the generator's points G(z) for 400 fixed noise vectors z. ",
      "Background: the discriminator's belief D(x) that a point is real (green: real, purple: fake, white: undecided). ",
      "Arrows: −∂L_G/∂G(z), the way the generator's loss pushes each of its points — up the discriminator's slope, towards the green. ",
      "Dashed circles: the target's modes (filled when the generator covers them).")));

    // ---- panel
    const targetButtons = TARGETS.map(([name, label]) => h("button", { "data-target": name, class: name === START.target ? "chosen" : undefined, onclick: () => chooseTarget(name) }, label));
    const drawButton = h("button", { "data-testid": "draw", "data-target": "drawn", onclick: () => startDrawing() }, "draw your own");
    const select = <T extends string | number>(testid: string, values: readonly T[], current: T, label: (v: T) => string, onchange: (v: T) => void) => {
      const el = h("select", { "data-testid": testid, onchange: () => onchange(values[el.selectedIndex]) }, ...values.map((v) => h("option", { selected: v === current }, label(v))));
      return el;
    };
    const stepD = h("button", { "data-testid": "step-d", title: "one discriminator update", onclick: () => ctx.setParams({ stepD: ++params.stepD }) }, "Step D");
    const stepG = h("button", { "data-testid": "step-g", title: "one generator update", onclick: () => ctx.setParams({ stepG: ++params.stepG }) }, "Step G");
    const counts = h("span", { class: "hint" }, "");
    const toggles = { field: true, arrows: true, modes: true };
    const toggle = (key: keyof typeof toggles, label: string) => h("label", {}, h("input", { type: "checkbox", checked: true, onchange: (e: Event) => { toggles[key] = (e.target as HTMLInputElement).checked; redraw(); } }), ` ${label}`);
    ctx.panel.append(
      h("h3", {}, "Target distribution"),
      h("div", { class: "row" }, ...targetButtons, drawButton),
      h("p", { class: "hint" }, "Draw your own: press “draw your own”, then drag on the plot to spray points (at least 20); the game goes on against your drawing."),
      h("h3", {}, "One player at a time"),
      h("div", { class: "row" }, stepD, stepG, counts),
      h("h3", {}, "Loss"),
      h("div", { class: "row" }, select("gan-loss", ["nonsaturating", "lsgan"] as const, START.loss, (v) => (v === "lsgan" ? "least squares" : "log loss (non-saturating)"), (loss) => ctx.setParams({ loss }))),
      h("h3", {}, "Generator"),
      h("div", { class: "row" },
        select("g-optimizer", ["adam", "sgd", "rmsprop"] as const, START.gOptimizer, (v) => v, (gOptimizer) => ctx.setParams({ gOptimizer })),
        select("g-lr", LEARNING_RATES, START.gLr, (v) => `lr ${v}`, (gLr) => ctx.setParams({ gLr })),
        select("g-steps", [1, 2, 3, 5], START.gSteps, (v) => `${v} step${v > 1 ? "s" : ""}`, (gSteps) => ctx.setParams({ gSteps }))),
      h("h3", {}, "Discriminator"),
      h("div", { class: "row" },
        select("d-optimizer", ["adam", "sgd", "rmsprop"] as const, START.dOptimizer, (v) => v, (dOptimizer) => ctx.setParams({ dOptimizer })),
        select("d-lr", LEARNING_RATES, START.dLr, (v) => `lr ${v}`, (dLr) => ctx.setParams({ dLr })),
        select("d-steps", [1, 2, 3, 5], START.dSteps, (v) => `${v} step${v > 1 ? "s" : ""}`, (dSteps) => ctx.setParams({ dSteps }))),
      h("h3", {}, "Networks"),
      h("div", { class: "row" },
        select("hidden", [16, 32, 64, 128], START.hidden, (v) => `${v} units × 2 layers`, (hidden) => ctx.setParams({ hidden })),
        select("z-dim", [1, 2, 4, 8], START.zDim, (v) => `noise ${v}-d`, (zDim) => ctx.setParams({ zDim }))),
      h("h3", {}, "Show"),
      h("div", { class: "row" }, toggle("field", "D's field"), toggle("arrows", "G's gradients"), toggle("modes", "modes")),
      h("p", { class: "hint" },
        "The loss shown is the Jensen–Shannon divergence (bits) between 2,000 generated and 2,000 real points on a 20 × 20 histogram: 1 when they do not overlap, 0 when they match. ",
        "Changing the optimizers, the units or the noise size restarts training; the rest changes live."));

    function chooseTarget(name: Gan2dParams["target"]): void {
      drawMode = false;
      params.target = name;
      for (const b of [...targetButtons, drawButton]) b.classList.toggle("chosen", b.dataset.target === name);
      ctx.setParams({ target: name });
    }
    function startDrawing(): void {
      drawMode = true;
      drawn = [];
      for (const b of targetButtons) b.classList.remove("chosen");
      drawButton.classList.add("chosen");
      redraw();
    }

    // ---- drawing a target: each pointer move sprays a few points around the pointer
    const plot = new Plot(canvas, ranges(), { left: 34, top: 10, right: 10, bottom: 22 });
    let spray = 1;
    const addAt = (e: PointerEvent) => {
      const r = canvas.getBoundingClientRect();
      const [x, y] = plot.fromPixel(e.clientX - r.left, e.clientY - r.top);
      for (let k = 0; k < 2; k++) {
        // A tiny deterministic scatter (no Math.random on the page: runs are reproducible).
        spray = (spray * 16807) % 2147483647;
        const a = (spray / 2147483647) * 2 * Math.PI, d = 0.06 * ((spray % 1000) / 1000);
        drawn.push(clamp(x + d * Math.cos(a), BOX.x0, BOX.x1), clamp(y + d * Math.sin(a), BOX.y0, BOX.y1));
      }
      redraw();
    };
    canvas.addEventListener("pointerdown", (e) => {
      if (!drawMode) return;
      drawing = true;
      canvas.setPointerCapture(e.pointerId);
      addAt(e);
    });
    canvas.addEventListener("pointermove", (e) => drawing && addAt(e));
    const stop = () => {
      if (!drawing) return;
      drawing = false;
      if (drawn.length / 2 >= MIN_DRAWN) {
        params.target = "drawn";
        ctx.setParams({ target: "drawn", points: Float32Array.from(drawn) });
      }
      redraw();
    };
    canvas.addEventListener("pointerup", stop);
    canvas.addEventListener("pointercancel", stop);

    // ---- the picture
    const fieldImage = document.createElement("canvas");
    fieldImage.width = FIELD;
    fieldImage.height = FIELD;
    const fieldData = new ImageData(FIELD, FIELD);

    function redraw(): void {
      const g = plot.begin();
      const p = last?.payload;
      const { left, top, right, bottom } = plot.box;
      if (p && toggles.field) {
        const px = fieldData.data;
        for (let r = 0; r < FIELD; r++) for (let c = 0; c < FIELD; c++) {
          const v = p.field[r * FIELD + c];
          const at = ((FIELD - 1 - r) * FIELD + c) * 4; // row 0 is the bottom of the box
          const [R, G, B] = fieldColour(v);
          px[at] = R;
          px[at + 1] = G;
          px[at + 2] = B;
          px[at + 3] = 255;
        }
        fieldImage.getContext("2d")!.putImageData(fieldData, 0, 0);
        g.imageSmoothingEnabled = true;
        g.drawImage(fieldImage, plot.px(BOX.x0), plot.py(BOX.y1), plot.px(BOX.x1) - plot.px(BOX.x0), plot.py(BOX.y0) - plot.py(BOX.y1));
      }
      if (p && toggles.modes) {
        g.lineWidth = 1.2;
        for (let k = 0; k < p.modes.length / 3; k++) {
          const x = plot.px(p.modes[3 * k]), y = plot.py(p.modes[3 * k + 1]);
          const r = Math.max(3, plot.px(p.modes[3 * k + 2]) - plot.px(0));
          g.beginPath();
          g.arc(x, y, r, 0, 2 * Math.PI);
          g.setLineDash([4, 3]);
          g.strokeStyle = "rgba(40, 40, 40, 0.55)";
          g.stroke();
          g.setLineDash([]);
          if (p.covered[k]) {
            g.fillStyle = "rgba(255, 255, 255, 0.35)";
            g.fill();
          }
        }
      }
      if (drawMode) dots(g, Float32Array.from(drawn), "#222", 2.2);
      else if (p) dots(g, p.real, REAL, 2.3);
      if (p) {
        if (toggles.arrows) {
          g.strokeStyle = "rgba(60, 20, 80, 0.75)";
          g.lineWidth = 1;
          let scale = 0;
          for (let i = 0; i < p.fakeGrad.length; i += 2) scale = Math.max(scale, Math.hypot(p.fakeGrad[i], p.fakeGrad[i + 1]));
          const len = scale > 0 ? 0.35 / scale : 0; // the longest arrow is 0.35 data units
          g.beginPath();
          for (let i = 0; i < p.fake.length; i += 2) {
            const x0 = plot.px(p.fake[i]), y0 = plot.py(p.fake[i + 1]);
            const x1 = plot.px(p.fake[i] + len * p.fakeGrad[i]), y1 = plot.py(p.fake[i + 1] + len * p.fakeGrad[i + 1]);
            g.moveTo(x0, y0);
            g.lineTo(x1, y1);
          }
          g.stroke();
        }
        dots(g, p.fake, FAKE, 2.3);
      }
      g.strokeStyle = "#c9d0d8";
      g.strokeRect(left, top, right - left, bottom - top);
      plot.end();
      status.textContent = (drawMode ? drawHint() + " " : "") + metricsLine;
    }

    let metricsLine = "";
    const drawHint = () => {
      const n = drawn.length / 2;
      return n >= MIN_DRAWN ? `${n} points drawn (drag to add more) — the generator chases them.` : `Drag on the plot to draw points (${n} of at least ${MIN_DRAWN}).`;
    };

    function dots(g: CanvasRenderingContext2D, pts: Float32Array, colour: string, r: number): void {
      g.fillStyle = colour;
      g.beginPath();
      for (let i = 0; i < pts.length; i += 2) {
        const x = plot.px(pts[i]), y = plot.py(pts[i + 1]);
        g.moveTo(x + r, y);
        g.arc(x, y, r, 0, 2 * Math.PI);
      }
      g.fill();
    }

    const resize = new ResizeObserver(redraw);
    resize.observe(canvas);
    redraw();

    return {
      draw(frame) {
        last = frame;
        const m = frame.metrics;
        counts.textContent = `${frame.payload.dUpdates.toLocaleString("en")} D · ${frame.payload.gUpdates.toLocaleString("en")} G updates`;
        metricsLine = `JS divergence ${formatNumber(m.jsDivergence)} bits · modes covered ${m.modesCovered} of ${m.modesTotal} · ` +
          `${Math.round(100 * m.samplesOnModes)}% of generated points on a mode · D(real) ${pct(m.dReal)}, D(fake) ${pct(m.dFake)}`;
        redraw();
      },
      destroy: () => resize.disconnect(),
    };
  },
});

function ranges(): Ranges {
  const ticks = [-2, -1, 0, 1, 2];
  return { x: [BOX.x0, BOX.x1], y: [BOX.y0, BOX.y1], xTicks: ticks, yTicks: ticks };
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

function pct(v: number): string {
  return Number.isFinite(v) ? `${Math.round(100 * v)}%` : "–";
}

/** D's belief → colour: purple (0, fake) · white (½) · green (1, real), pale so the dots stay visible. */
function fieldColour(v: number): [number, number, number] {
  const t = Math.min(1, Math.max(0, v));
  const fake = [222, 203, 228], mid = [250, 250, 250], real = [204, 235, 197];
  const [a, b, s] = t < 0.5 ? [fake, mid, t / 0.5] : [mid, real, (t - 0.5) / 0.5];
  return [a[0] + (b[0] - a[0]) * s, a[1] + (b[1] - a[1]) * s, a[2] + (b[2] - a[2]) * s];
}
