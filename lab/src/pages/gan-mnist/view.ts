/**
 * The gan-mnist page: a grid of generated digits (the same noise vectors all along, so the
 * learner watches them turn from grey fog into digits), a digit picker for the conditional GAN,
 * and "this digit does not exist" — one fresh sample, drawn large.
 */
import { formatNumber, h } from "../../dom.ts";
import { definePage } from "../../protocol.ts";
import { GRID, GRID_COLUMNS, type GanMnistParams, type GanMnistPayload, REAL_SHOWN } from "./shared.ts";
import { DigitTiles } from "../../tiles.ts";

const START: GanMnistParams = { model: "mlp", lr: 0.0005, hidden: 128, digit: -1, fresh: 0 };
const LEARNING_RATES = [0.0001, 0.0002, 0.0005, 0.001, 0.002];

export default definePage<GanMnistParams, GanMnistPayload>({
  params: START,
  stepsPerFrame: 3,
  mount(ctx) {
    const params = { ...START };
    const gridEl = h("canvas", { class: "plot main", "data-testid": "canvas" });
    gridEl.style.height = "400px";
    const freshEl = h("canvas", { class: "plot", "data-testid": "fresh-canvas" });
    freshEl.style.width = "196px";
    freshEl.style.height = "196px";
    const realEl = h("canvas", { class: "plot", "data-testid": "real-canvas" });
    realEl.style.height = "64px";
    const status = h("div", { class: "hint", "data-testid": "gan-mnist-status" }, "–");
    const freshCaption = h("span", {}, "");
    ctx.stage.append(
      h("figure", {}, gridEl, status, h("figcaption", {},
        "Generated digits: G(z) for 60 fixed noise vectors z (10 per row; for the conditional GAN each column asks for its digit, 0 to 9). ",
        "They start as grey fog (an untrained generator outputs tanh(≈0) everywhere) and turn into strokes, then digits.")),
      h("figure", {}, realEl, h("figcaption", {}, "Real digits from the training set, for comparison.")),
      h("figure", {},
        h("div", { class: "row" }, freshEl),
        h("figcaption", {}, h("strong", {}, "This digit does not exist. "), freshCaption,
          " A fresh noise vector through the generator as it is now; it keeps changing while the generator learns. ",
          h("button", { "data-testid": "fresh", onclick: () => ctx.setParams({ fresh: ++params.fresh }) }, "Another one"))));

    const select = <T extends string | number>(testid: string, values: readonly T[], current: T, label: (v: T) => string, onchange: (v: T) => void) => {
      const el = h("select", { "data-testid": testid, onchange: () => onchange(values[el.selectedIndex]) }, ...values.map((v) => h("option", { selected: v === current }, label(v))));
      return el;
    };
    const digitButtons = [-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((d) => h("button", {
      "data-digit": d, class: d === START.digit ? "chosen" : undefined, disabled: START.model !== "conditional",
      onclick: () => chooseDigit(d),
    }, d < 0 ? "all" : String(d)));
    ctx.panel.append(
      h("h3", {}, "GAN"),
      h("div", { class: "row" }, select("model", ["mlp", "conditional"] as const, START.model, (v) => (v === "mlp" ? "MLP GAN" : "conditional GAN"), (model) => {
        params.model = model;
        for (const b of digitButtons) b.disabled = model !== "conditional";
        ctx.setParams({ model });
      })),
      h("h3", {}, "Digit (conditional GAN)"),
      h("div", { class: "row", "data-testid": "digit-picker" }, ...digitButtons),
      h("h3", {}, "Learning rate (Adam, β1 0.5, both players)"),
      h("div", { class: "row" }, select("lr", LEARNING_RATES, START.lr, String, (lr) => ctx.setParams({ lr }))),
      h("h3", {}, "Width"),
      h("div", { class: "row" }, select("hidden", [64, 128, 256], START.hidden, (v) => `${v} units × 2 layers (G and D)`, (hidden) => ctx.setParams({ hidden }))),
      h("p", { class: "hint" },
        "Both players are MLPs (src/zoo/gan-mnist, as in the CLI): G maps 64 noise numbers (plus the digit's one-hot code, conditioned) to 784 pixels; D maps 784 pixels (plus the digit) to one logit. ",
        "Trained here on 1,000 real digits, batch 32. The loss shown is the distance between generated and real pixel statistics (Σ over pixels of the squared differences of mean and standard deviation): it needs no judge network and falls as the digits take shape. ",
        "The CLI's nnzoo train gan-mnist scores with a trained classifier instead (FID-style). Changing the GAN or the width restarts training."));

    function chooseDigit(d: number): void {
      params.digit = d;
      for (const b of digitButtons) b.classList.toggle("chosen", Number(b.dataset.digit) === d);
      ctx.setParams({ digit: d });
    }

    const grid = new DigitTiles(gridEl), fresh = new DigitTiles(freshEl), real = new DigitTiles(realEl);
    return {
      draw(frame) {
        const p = frame.payload, m = frame.metrics;
        const g = grid.draw(p.grid, GRID, GRID_COLUMNS);
        if (p.gridDigits.length) {
          // The asked-for digit in each tile's corner.
          const { x0, y0, tile, columns } = grid.layout;
          g.font = `${Math.max(9, Math.round(tile / 4))}px system-ui, sans-serif`;
          g.fillStyle = "#f5a623";
          g.textBaseline = "top";
          for (let t = 0; t < GRID; t++) g.fillText(String(p.gridDigits[t]), x0 + (t % columns) * tile + 3, y0 + Math.floor(t / columns) * tile + 2);
        }
        fresh.draw(p.fresh, 1, 1);
        real.draw(p.real, REAL_SHOWN, REAL_SHOWN);
        freshCaption.textContent = p.freshDigit >= 0 ? `(asked for a ${p.freshDigit})` : "";
        status.textContent = `pixel-statistics distance ${formatNumber(m.pixelDistance)} · D(real) ${pct(m.dReal)}, D(fake) ${pct(m.dFake)} · D loss ${formatNumber(m.dLoss)}, G loss ${formatNumber(m.gLoss)}`;
      },
    };
  },
});

function pct(v: number): string {
  return Number.isFinite(v) ? `${Math.round(100 * v)}%` : "–";
}
