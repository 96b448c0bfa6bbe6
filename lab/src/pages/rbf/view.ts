/**
 * The rbf page: an RBF network and an MLP with as many parameters learn the same 2-D classes.
 * Left, the RBF network's field with its centres (dots) and widths (circles of radius σ) over
 * the data; right, the MLP's field. RBF units are local bumps, so the RBF field fades to its
 * bias far from the centres; tanh units are global ridges, so the MLP extrapolates with
 * straight-ish boundaries.
 */
import { formatNumber, h } from "../../dom.ts";
import { definePage, type Frame } from "../../protocol.ts";
import { type Dataset, FIELD, MAX_UNITS, type RBFParams, type RBFPayload } from "./shared.ts";

const START: RBFParams = { dataset: "moons", units: 10, learnCentres: true, lr: 0.05 };
const DATASETS: Array<[Dataset, string]> = [["moons", "two moons"], ["circles", "circles"], ["xor", "XOR"]];
const LEARNING_RATES = [0.005, 0.01, 0.02, 0.05, 0.1];
/** Class 0 blue, class 1 orange: field tints and point colours. */
const TINT0 = [178, 204, 252], TINT1 = [252, 196, 168];
const DOT = ["#1f5fcc", "#d9531e"];

export default definePage<RBFParams, RBFPayload>({
  params: START,
  stepsPerFrame: 10,
  mount(ctx) {
    const canvas = h("canvas", { class: "plot main", "data-testid": "canvas" });
    const mlpInfo = h("span", {}, "–");
    ctx.stage.append(h("figure", {}, canvas, h("figcaption", {},
      "Left: the RBF network — dots are its centres cₖ, circles have radius σₖ (its widths), the colour is P(orange). ",
      "Right: a one-hidden-layer tanh MLP with the same number of parameters (its loss: ", mlpInfo, "). ",
      "Centres start where k-means puts them and widths at the mean distance to the two nearest centres; with \"learn centres and widths\" on, gradient descent moves and resizes them. ",
      "Far from every centre an RBF network falls back to its bias; the MLP's tanh ridges extend without end.")));

    const datasetButtons = DATASETS.map(([name, label]) => h("button", {
      "data-dataset": name, class: name === START.dataset ? "chosen" : undefined,
      onclick: () => {
        datasetButtons.forEach((b) => b.classList.toggle("chosen", b.dataset.dataset === name));
        ctx.setParams({ dataset: name });
      },
    }, label));
    const unitsValue = h("span", { class: "value" }, START.units);
    const units = h("input", {
      type: "range", min: 2, max: MAX_UNITS, value: START.units, "data-testid": "units",
      oninput: () => { unitsValue.textContent = units.value; },
      onchange: () => ctx.setParams({ units: Number(units.value) }),
    });
    const learn = h("input", { type: "checkbox", checked: START.learnCentres, "data-testid": "learn-centres", onchange: () => ctx.setParams({ learnCentres: learn.checked }) });
    const lr = h("select", { "data-testid": "lr", onchange: () => ctx.setParams({ lr: LEARNING_RATES[lr.selectedIndex] }) },
      ...LEARNING_RATES.map((v) => h("option", { selected: v === START.lr }, v)));
    ctx.panel.append(
      h("h3", {}, "Data"),
      h("div", { class: "row" }, ...datasetButtons),
      h("h3", {}, "RBF units (centres)"),
      h("div", { class: "row" }, units, unitsValue),
      h("div", { class: "row" }, h("label", {}, learn, " learn centres and widths")),
      h("h3", {}, "Learning rate (Adam)"),
      h("div", { class: "row" }, lr),
      h("p", { class: "hint" }, "The loss shown is the RBF network's cross-entropy; the MLP's is under the picture. Changing the data or the units restarts both networks (k-means runs again)."));

    const field = document.createElement("canvas");
    field.width = field.height = FIELD;
    const fieldImage = new ImageData(FIELD, FIELD);
    let last: Frame<RBFPayload> | undefined;

    function drawField(g: CanvasRenderingContext2D, p: Float32Array, left: number, top: number, size: number): void {
      const px = fieldImage.data;
      for (let i = 0; i < FIELD * FIELD; i++) {
        const t = p[i];
        for (let c = 0; c < 3; c++) px[4 * i + c] = Math.round(TINT0[c] * (1 - t) + TINT1[c] * t);
        px[4 * i + 3] = 255;
      }
      field.getContext("2d")!.putImageData(fieldImage, 0, 0);
      g.imageSmoothingEnabled = true;
      g.drawImage(field, left, top, size, size);
    }

    function draw(): void {
      const dpr = window.devicePixelRatio || 1;
      const cw = canvas.clientWidth, ch = canvas.clientHeight;
      if (canvas.width !== Math.round(cw * dpr) || canvas.height !== Math.round(ch * dpr)) {
        canvas.width = Math.round(cw * dpr);
        canvas.height = Math.round(ch * dpr);
      }
      const g = canvas.getContext("2d")!;
      g.setTransform(dpr, 0, 0, dpr, 0, 0);
      g.clearRect(0, 0, cw, ch);
      if (!last) return;
      const p = last.payload;
      const gap = 16, titleH = 18;
      const size = Math.max(10, Math.min((cw - gap) / 2, ch - titleH - 4));
      const lefts = [(cw - 2 * size - gap) / 2, (cw - 2 * size - gap) / 2 + size + gap];
      const top = titleH;
      const [bx0, bx1, by0, by1] = p.bounds;
      const sx = (x: number, left: number) => left + ((x - bx0) / (bx1 - bx0)) * size;
      const sy = (y: number) => top + ((by1 - y) / (by1 - by0)) * size;
      g.font = "12px system-ui, sans-serif";
      g.textBaseline = "top";
      g.fillStyle = "#1d232b";
      const m = last.metrics;
      g.fillText(`RBF: ${p.centres.length / 2} units · ${p.params} params · ${fmtPct(m.rbfAccuracy)} right`, lefts[0], 0);
      g.fillText(`MLP: ${p.mlpHidden} tanh units · ${p.params} params · ${fmtPct(m.mlpAccuracy)} right`, lefts[1], 0);
      [p.rbfField, p.mlpField].forEach((f, panel) => {
        const left = lefts[panel];
        drawField(g, f, left, top, size);
        g.strokeStyle = "#c9d0d8";
        g.lineWidth = 1;
        g.strokeRect(left + 0.5, top + 0.5, size - 1, size - 1);
        g.save();
        g.beginPath();
        g.rect(left, top, size, size);
        g.clip();
        // One path per colour: a fill per point costs the software rasteriser a pass each.
        for (const cls of [0, 1]) {
          g.fillStyle = DOT[cls];
          g.beginPath();
          for (let i = 0; i < p.labels.length; i++) {
            if (p.labels[i] !== cls) continue;
            const x = sx(p.points[2 * i], left), y = sy(p.points[2 * i + 1]);
            g.moveTo(x + 2.3, y);
            g.arc(x, y, 2.3, 0, 2 * Math.PI);
          }
          g.fill();
        }
        if (panel === 0) {
          const K = p.widths.length;
          const scale = size / (bx1 - bx0);
          const rings = new Path2D(), centres = new Path2D();
          for (let k = 0; k < K; k++) {
            const cx = sx(p.centres[2 * k], left), cy = sy(p.centres[2 * k + 1]), r = p.widths[k] * scale;
            rings.moveTo(cx + r, cy);
            rings.arc(cx, cy, r, 0, 2 * Math.PI);
            centres.moveTo(cx + 3.5, cy);
            centres.arc(cx, cy, 3.5, 0, 2 * Math.PI);
          }
          g.strokeStyle = "rgba(29, 35, 43, 0.55)";
          g.lineWidth = 1.2;
          g.stroke(rings);
          g.fillStyle = "#1d232b";
          g.fill(centres);
        }
        g.restore();
      });
      mlpInfo.textContent = formatNumber(m.mlpLoss);
    }

    const resize = new ResizeObserver(draw);
    resize.observe(canvas);
    return {
      draw(frame) {
        last = frame;
        draw();
      },
      destroy: () => resize.disconnect(),
    };
  },
});

function fmtPct(v: number | undefined): string {
  return v === undefined || !Number.isFinite(v) ? "–" : `${(100 * v).toFixed(1)}%`;
}
