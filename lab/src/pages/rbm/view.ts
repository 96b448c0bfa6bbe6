/**
 * The rbm page: a restricted Boltzmann machine learns binarised digits by contrastive
 * divergence. Its filters (each hidden unit's weights as a 28×28 picture), Gibbs samples from
 * the model as it is now, and held-out digits with their reconstructions, live.
 */
import { h } from "../../dom.ts";
import { DigitTiles } from "../../tiles.ts";
import { definePage } from "../../protocol.ts";
import { PIXELS, RECON_DIGITS, type RBMParams, type RBMPayload, SAMPLE_CHAINS } from "./shared.ts";

const START: RBMParams = { hidden: 64, method: "cd", k: 1, lr: 0.05, gibbsPerFrame: 5, chainRestarts: 0, stacked: false };
const HIDDEN = [16, 36, 64, 100, 144];
const LEARNING_RATES = [0.01, 0.02, 0.05, 0.1];
const GIBBS = [0, 1, 5, 20, 100];

export default definePage<RBMParams, RBMPayload>({
  params: START,
  stepsPerFrame: 10,
  mount(ctx) {
    const params = { ...START };
    const filtersEl = h("canvas", { class: "plot main", "data-testid": "canvas" });
    const samplesEl = h("canvas", { class: "plot sub", "data-testid": "samples-canvas" });
    const reconEl = h("canvas", { class: "plot sub", "data-testid": "recon-canvas" });
    const topEl = h("canvas", { class: "plot sub", "data-testid": "top-filters-canvas" });
    const topFigure = h("figure", { hidden: true }, topEl, h("figcaption", {},
      "Layer 2 of the deep belief network, seen in pixel space: each tile is one second-layer unit's weights on the first-layer units times their filters (a row of W₂W₁). Layer 1 is frozen; layer 2 learns from p(h₁ | v)."));
    const gibbsInfo = h("span", {}, "0");
    const layerInfo = h("span", {}, "one RBM");
    ctx.stage.append(
      h("figure", {}, filtersEl, h("figcaption", {},
        "Filters: each tile is one hidden unit's weights Wⱼ over the 28×28 pixels (white: this pixel on makes the unit likelier to fire; black: less likely; grey: no effect). They start as noise and become strokes and blobs.")),
      topFigure,
      h("figure", {}, samplesEl, h("figcaption", {},
        "Gibbs samples from ", layerInfo, ": ", String(SAMPLE_CHAINS), " chains alternate h ~ p(h|v) and v ~ p(v|h) under the current model (shown: E[v|h]; for the DBN, Gibbs runs in the top RBM and one down-pass gives the pixels), started from held-out digits — ", gibbsInfo, " Gibbs steps since the start. A good model keeps them looking like digits.")),
      h("figure", {}, reconEl, h("figcaption", {},
        "Top: held-out digits. Bottom: their mean-field reconstructions E[v | h = p(h|v)] — one up-pass and one down-pass. The loss is the reconstruction error of each training batch (with h sampled, as CD does it); once a second RBM is stacked, its error in reconstructing p(h₁ | v).")));

    const stack = h("input", { type: "checkbox", "data-testid": "stack", onchange: () => ctx.setParams({ stacked: stack.checked }) });
    const select = <T extends string | number>(testid: string, values: readonly T[], current: T, label: (v: T) => string, onchange: (v: T) => void) => {
      const el = h("select", { "data-testid": testid, onchange: () => onchange(values[el.selectedIndex]) },
        ...values.map((v) => h("option", { selected: v === current }, label(v))));
      return el;
    };
    ctx.panel.append(
      h("h3", {}, "Training"),
      h("div", { class: "row" },
        select("method", ["cd", "pcd"] as const, START.method, (v) => (v === "cd" ? "CD" : "persistent CD"), (method) => ctx.setParams({ method })),
        select("k", [1, 3, 10], START.k, (v) => `k = ${v}`, (k) => ctx.setParams({ k }))),
      h("h3", {}, "Hidden units"),
      h("div", { class: "row" }, select("hidden", HIDDEN, START.hidden, String, (hidden) => ctx.setParams({ hidden }))),
      h("h3", {}, "Learning rate (SGD, momentum 0.9)"),
      h("div", { class: "row" }, select("lr", LEARNING_RATES, START.lr, String, (lr) => ctx.setParams({ lr }))),
      h("h3", {}, "Gibbs steps per frame"),
      h("div", { class: "row" },
        select("gibbs", GIBBS, START.gibbsPerFrame, String, (gibbsPerFrame) => ctx.setParams({ gibbsPerFrame })),
        h("button", { "data-testid": "restart-chains", onclick: () => ctx.setParams({ chainRestarts: ++params.chainRestarts }) }, "Restart the chains")),
      h("h3", {}, "Deep belief network"),
      h("div", { class: "row" }, h("label", {}, stack, " stack a second RBM on this one")),
      h("p", { class: "hint" },
        "CD-k starts each update's chain at the data and runs k Gibbs steps; persistent CD keeps its chains running between updates (Tieleman 2008). Stacking freezes the first RBM and trains a second on its hidden probabilities (greedy layer-wise pretraining); the loss is then layer 2's reconstruction error of h₁. Changing the method, k or the hidden units, or unstacking, restarts training; the rest changes live."));

    const filters = new DigitTiles(filtersEl, "signed"), samples = new DigitTiles(samplesEl, "unit"), recon = new DigitTiles(reconEl, "unit"), topFilters = new DigitTiles(topEl, "signed");
    const both = new Float32Array(2 * RECON_DIGITS * PIXELS);
    let run = -1;
    let drawnSeq = -1;
    let filtersAt = -Infinity;
    return {
      draw(frame) {
        const p = frame.payload;
        // A rebuilt trainer (reset, seed, a restarting change) starts with one RBM again.
        const rebuilt = frame.run !== run;
        if (rebuilt) {
          run = frame.run;
          stack.checked = p.layer === 2;
        }
        // Filters change with every step: redraw them about 12 times a second (always when paused).
        const now = performance.now();
        if (rebuilt || !frame.running || now - filtersAt > 80) {
          filtersAt = now;
          filters.draw(p.filters, p.filterCount, Math.min(p.filterCount, 16));
        }
        // The rest changes only when the trainer refreshed its pictures.
        if (!rebuilt && p.pictureSeq === drawnSeq) return;
        drawnSeq = p.pictureSeq;
        samples.draw(p.samples, SAMPLE_CHAINS, SAMPLE_CHAINS / 2);
        both.set(p.digits, 0);
        both.set(p.reconstructions, RECON_DIGITS * PIXELS);
        recon.draw(both, 2 * RECON_DIGITS, RECON_DIGITS);
        gibbsInfo.textContent = p.gibbsSteps.toLocaleString("en");
        topFigure.hidden = p.layer !== 2;
        layerInfo.textContent = p.layer === 2 ? "the two-layer DBN" : "the RBM";
        if (p.layer === 2) topFilters.draw(p.topFilters, p.filterCount, Math.min(p.filterCount, 16));
      },
    };
  },
});
