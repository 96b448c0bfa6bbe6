/**
 * The charlm page: a character-level LSTM or GRU learns first names. Names it invents appear
 * every so often (marked when they are in the training list), and for a name of your choice
 * the heat maps show every gate and state at every character, next to what the model
 * expected to come next.
 */
import { formatNumber, h } from "../../dom.ts";
import { definePage, type Frame } from "../../protocol.ts";
import { divergingColour, fitCanvas, HeatGrid, rampColour } from "../memory/heat.ts";
import { type CharLMParams, type CharLMPayload, MAX_PROBE } from "./shared.ts";

const START: CharLMParams = { kind: "lstm", hidden: 48, lr: 0.01, temperature: 1, probe: "emily" };
const HIDDEN = [16, 32, 48, 64];
const LEARNING_RATES = [0.001, 0.003, 0.01, 0.02];
/** What each panel is, and whether it is a sigmoid gate in (0, 1) or a value in (−1, 1). */
const LSTM_PANELS: Record<string, [string, "gate" | "signed" | "cell"]> = {
  i: ["input gate i", "gate"], f: ["forget gate f", "gate"], g: ["candidate g", "signed"], o: ["output gate o", "gate"],
  c: ["cell state c", "cell"], h: ["hidden state h", "signed"],
};
const GRU_PANELS: Record<string, [string, "gate" | "signed" | "cell"]> = {
  r: ["reset gate r", "gate"], z: ["update gate z", "gate"], n: ["candidate n", "signed"], h: ["hidden state h", "signed"],
};

export default definePage<CharLMParams, CharLMPayload>({
  params: START,
  stepsPerFrame: 10,
  mount(ctx) {
    const maps = h("canvas", { class: "plot charlm-maps", "data-testid": "canvas" });
    const steps = h("table", { class: "charlm-steps", "data-testid": "charlm-steps" });
    const invented = h("div", { class: "charlm-samples", "data-testid": "samples" });
    const testInfo = h("span", {}, "–");
    const mapsCaption = h("span", {}, "");
    ctx.stage.append(
      h("figure", {}, maps, h("figcaption", {},
        "Inside the recurrent layer while it reads the name: one column per character read (the first, “.”, is the start token), one row per hidden unit. ",
        "Gates (σ, 0 → 1): dark = closed, yellow = open. Candidate, hidden and cell states: blue negative, red positive. ", mapsCaption)),
      h("figure", {}, steps, h("figcaption", {},
        "At each step: the character read, the one that actually comes next, the probability the model gave it, and its own likeliest guess.")),
      h("figure", {}, h("h4", { class: "charlm-title" }, "Names it invents as it learns"), invented, h("figcaption", {},
        "Every 1.5 s the model writes ", "8 names from the start token, one character at a time, sampled at the temperature set on the right (newest at the bottom). ",
        "Names marked ◦ (grey) are in the training list — recalled, not invented. Held-out NLL: ", testInfo, ".")));

    const select = <T extends string | number>(testid: string, values: readonly T[], current: T, label: (v: T) => string, onchange: (v: T) => void) => {
      const el = h("select", { "data-testid": testid, onchange: () => onchange(values[el.selectedIndex]) }, ...values.map((v) => h("option", { selected: v === current }, label(v))));
      return el;
    };
    const probe = h("input", {
      type: "text", value: START.probe, maxlength: MAX_PROBE, "data-testid": "probe", spellcheck: "false", class: "charlm-probe",
      oninput: () => ctx.setParams({ probe: probe.value }),
    });
    const tempValue = h("span", { class: "value", "data-testid": "temperature-value" }, START.temperature.toFixed(1));
    const temperature = h("input", {
      type: "range", min: 0, max: 2, step: 0.1, value: START.temperature, "data-testid": "temperature",
      oninput: () => {
        tempValue.textContent = Number(temperature.value).toFixed(1);
        ctx.setParams({ temperature: Number(temperature.value) });
      },
    });
    ctx.panel.append(
      h("h3", {}, "Look inside while it reads"),
      h("div", { class: "row" }, probe),
      h("h3", {}, "Sampling temperature"),
      h("div", { class: "row" }, temperature, tempValue),
      h("h3", {}, "Model"),
      h("div", { class: "row" },
        select("kind", ["lstm", "gru"] as const, START.kind, (v) => v.toUpperCase(), (kind) => ctx.setParams({ kind })),
        select("hidden", HIDDEN, START.hidden, (v) => `${v} units`, (hidden) => ctx.setParams({ hidden })),
        select("lr", LEARNING_RATES, START.lr, (v) => `lr ${v}`, (lr) => ctx.setParams({ lr }))),
      h("p", { class: "hint" },
        "Data: the 8,000-odd English first names of the @stdlib female and male lists, lower-cased; 885 held out. One step is one AdamW update on 32 names. ",
        "The loss readout is the perplexity e^NLL per character — how many characters the model is, in effect, still choosing among (vocabulary + end at the start). ",
        "Temperature below 1 picks likelier characters (common, safe names); above 1, stranger ones; 0 always takes the likeliest. ",
        "The cell and the hidden units restart training; the rest changes live."));

    const heat = new HeatGrid();
    let last: Frame<CharLMPayload> | undefined;
    let drawnSeq = -1, drawnSamples = "";

    function drawMaps(p: CharLMPayload): void {
      maps.dataset.kind = p.kind;
      maps.dataset.probe = p.probe;
      const { g, width, height } = fitCanvas(maps);
      const panels = p.kind === "lstm" ? LSTM_PANELS : GRU_PANELS;
      const keys = Object.keys(panels);
      const T = p.inputs.length, H = p.units;
      const gap = 14, top = 20, bottom = 34;
      const pw = (width - gap * (keys.length - 1)) / keys.length;
      const ph = height - top - bottom;
      let cellMax = 1e-6;
      for (const v of p.cell) cellMax = Math.max(cellMax, Math.abs(v));
      // Values arrive [T, H]: rows = units, columns = steps, so transpose into the grid's order.
      const grid = new Float32Array(H * T);
      keys.forEach((key, k) => {
        const [title, kind] = panels[key];
        const x = k * (pw + gap);
        const gi = p.gateNames.indexOf(key);
        const source = gi >= 0 ? p.gates.subarray(gi * T * H, (gi + 1) * T * H) : key === "c" ? p.cell : p.hidden;
        for (let t = 0; t < T; t++) for (let u = 0; u < H; u++) grid[u * T + t] = source[t * H + u];
        if (kind === "gate") heat.draw(g, grid, H, T, x, top, pw, ph, (v) => v);
        else heat.draw(g, grid, H, T, x, top, pw, ph, (v) => (kind === "cell" ? v / cellMax : v), true);
        g.fillStyle = "#1d232b";
        g.font = "12px system-ui, sans-serif";
        g.textAlign = "left";
        g.textBaseline = "bottom";
        g.fillText(kind === "cell" ? `${title} (±${cellMax.toFixed(1)})` : title, x, top - 4);
        g.font = "12px ui-monospace, monospace";
        g.textAlign = "center";
        g.textBaseline = "top";
        const cw = pw / T;
        for (let t = 0; t < T; t++) if (cw >= 7 || t % 2 === 0) g.fillText(p.inputs[t], x + (t + 0.5) * cw, top + ph + 3);
      });
      // Legends: the two colour ramps.
      const y = height - 13, w = Math.min(120, width / 4);
      for (let i = 0; i < w; i++) {
        g.fillStyle = rampColour(i / (w - 1));
        g.fillRect(i, y, 1.5, 9);
        g.fillStyle = divergingColour((2 * i) / (w - 1) - 1);
        g.fillRect(w + 150 + i, y, 1.5, 9);
      }
      g.fillStyle = "#5d6875";
      g.font = "11px system-ui, sans-serif";
      g.textAlign = "left";
      g.textBaseline = "middle";
      g.fillText("gate 0 → 1", w + 6, y + 4.5);
      g.fillText("−1 → +1 (cell: ± its largest |c|)", 2 * w + 156, y + 4.5);
    }

    function drawSteps(p: CharLMPayload): void {
      const row = (label: string, cells: string[], cls = "") => h("tr", {}, h("th", {}, label), ...cells.map((c) => h("td", { class: cls }, c)));
      steps.replaceChildren(
        row("read", p.inputs),
        row("next", p.targets),
        row("p(next)", Array.from(p.targetProbs, (v) => (v >= 0.995 ? "1.00" : v.toFixed(2))), "num"),
        row("guess", p.guesses));
    }

    function drawSamples(p: CharLMPayload): void {
      invented.replaceChildren(...p.samples.map((s) => h("div", { class: "charlm-line" },
        h("span", { class: "charlm-step" }, `step ${s.step.toLocaleString("en")} · T ${s.temperature.toFixed(1)}`),
        ...s.names.map((n, i) => h("span", { class: s.known[i] ? "charlm-name known" : "charlm-name", title: s.known[i] ? "in the training list" : "not in the training list" }, s.known[i] ? `◦${n || "∅"}` : n || "∅")))));
    }

    const redraw = () => { if (last) drawMaps(last.payload); };
    const resize = new ResizeObserver(redraw);
    resize.observe(maps);
    return {
      draw(frame) {
        last = frame;
        const p = frame.payload;
        testInfo.textContent = Number.isFinite(p.testNll) ? `${formatNumber(p.testNll)} nats/char (${formatNumber(p.testNll / Math.LN2)} bits, perplexity ${formatNumber(Math.exp(p.testNll))})` : "–";
        const key = p.samples.map((s) => s.step + s.names.join()).join("|");
        if (key !== drawnSamples) {
          drawnSamples = key;
          drawSamples(p);
        }
        if (p.pictureSeq === drawnSeq) return;
        drawnSeq = p.pictureSeq;
        mapsCaption.textContent = p.kind === "lstm"
          ? "LSTM: cₜ = f⊙cₜ₋₁ + i⊙g, hₜ = o⊙tanh(cₜ) — a forget gate near 1 keeps the cell; the input gate lets the candidate in."
          : "GRU: hₜ = (1 − z)⊙n + z⊙hₜ₋₁ — an update gate near 1 keeps the old state; the reset gate decides how much of it the candidate sees.";
        drawMaps(p);
        drawSteps(p);
      },
      destroy: () => resize.disconnect(),
    };
  },
});
