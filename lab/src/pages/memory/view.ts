/**
 * The memory page: a plain RNN, an LSTM and a GRU learn the adding problem (or the copy task)
 * side by side. The heat strip shows ‖∂L/∂hₜ‖ for every time step t: how much the loss still
 * "feels" the state at step t — the gradient that must reach the early steps for a model to
 * learn what happened there. Initialisation, recurrent gain, clipping and the length change it.
 */
import { formatNumber, h } from "../../dom.ts";
import { Plot } from "../../plot.ts";
import { definePage, type Frame } from "../../protocol.ts";
import { fitCanvas, HeatGrid, rampColour } from "./heat.ts";
import { KIND_NAMES, KINDS, type MemoryParams, type MemoryPayload } from "./shared.ts";

const START: MemoryParams = { problem: "adding", seqLen: 20, init: "default", gain: 1, clip: 1, lr: 0.01, hidden: 32 };
const LENGTHS = [10, 20, 30, 50, 75, 100, 150];
const GAINS = [0.5, 0.8, 1, 1.2, 1.5, 2];
const CLIPS = [0, 0.1, 1, 10];
const LEARNING_RATES = [0.001, 0.003, 0.01, 0.03];
const HIDDEN = [16, 32, 64];
const COLOURS = ["#d1495b", "#1f6feb", "#2a9d58"];
/** Decades the colour scale spans at most. */
const DECADES = 8;

export default definePage<MemoryParams, MemoryPayload>({
  params: START,
  stepsPerFrame: 10,
  mount(ctx) {
    const strip = h("canvas", { class: "plot heat-strip", "data-testid": "canvas" });
    const lossEl = h("canvas", { class: "plot sub", "data-testid": "memory-loss-canvas" });
    const summary = h("div", { class: "memory-summary", "data-testid": "memory-summary" });
    const stripCaption = h("span", {}, "");
    ctx.stage.append(
      h("figure", {}, strip, h("figcaption", {},
        "‖∂L/∂hₜ‖ for every time step t (log₁₀ colour scale, the same for all three rows): the gradient of the batch's loss with respect to the hidden state at step t, ",
        "through every later step — what backpropagation through time delivers to step t. Dark at the left means the early steps get almost no learning signal (vanishing); ",
        "bright at the left, far above the right, means it grows going back (exploding). ", stripCaption)),
      h("figure", {}, lossEl, h("figcaption", {},
        "Each model's training loss (average of its recent batches, log₁₀ scale). Dashed: what a model that remembers nothing scores. ",
        "The readout on the right is the mean of the three models' latest batch losses.")),
      summary);

    // ---- panel
    const select = <T extends string | number>(testid: string, values: readonly T[], current: T, label: (v: T) => string, onchange: (v: T) => void) => {
      const el = h("select", { "data-testid": testid, onchange: () => onchange(values[el.selectedIndex]) }, ...values.map((v) => h("option", { selected: v === current }, label(v))));
      return el;
    };
    const problemButtons = (["adding", "copy"] as const).map((p) => h("button", {
      "data-problem": p, class: p === START.problem ? "chosen" : undefined,
      onclick: () => {
        problemButtons.forEach((b) => b.classList.toggle("chosen", b.dataset.problem === p));
        lengthLabel.textContent = p === "adding" ? "Sequence length T" : "Blank gap T (sequence 2·5 + T + 1)";
        ctx.setParams({ problem: p });
      },
    }, p === "adding" ? "adding problem" : "copy task"));
    const lengthValue = h("span", { class: "value", "data-testid": "seq-len-value" }, START.seqLen);
    const lengthLabel = h("h3", {}, "Sequence length T");
    const length = h("input", {
      type: "range", min: 0, max: LENGTHS.length - 1, value: LENGTHS.indexOf(START.seqLen), "data-testid": "seq-len",
      oninput: () => { lengthValue.textContent = String(LENGTHS[Number(length.value)]); },
      onchange: () => ctx.setParams({ seqLen: LENGTHS[Number(length.value)] }),
    });
    ctx.panel.append(
      h("h3", {}, "Task"),
      h("div", { class: "row" }, ...problemButtons),
      lengthLabel,
      h("div", { class: "row" }, length, lengthValue),
      h("h3", {}, "Recurrent weights W_hh"),
      h("div", { class: "row" },
        select("init", ["default", "orthogonal", "identity"] as const, START.init, (v) => (v === "default" ? "uniform ±1/√H" : v), (init) => ctx.setParams({ init })),
        h("label", {}, "× gain ", select("gain", GAINS, START.gain, String, (gain) => ctx.setParams({ gain })))),
      h("h3", {}, "Gradient clipping (global norm)"),
      h("div", { class: "row" }, select("clip", CLIPS, START.clip, (v) => (v === 0 ? "off" : `clip at ${v}`), (clip) => ctx.setParams({ clip }))),
      h("h3", {}, "Adam learning rate · hidden units"),
      h("div", { class: "row" },
        select("lr", LEARNING_RATES, START.lr, String, (lr) => ctx.setParams({ lr })),
        select("hidden", HIDDEN, START.hidden, (v) => `${v} units`, (hidden) => ctx.setParams({ hidden }))),
      h("p", { class: "hint" },
        "Adding problem: two channels per step, a random value and a marker; two steps are marked (one in each half) and the target is the sum of their values — ",
        "predicting the mean, 1, scores MSE 1/6. Copy task: 5 symbols (of 8), T blanks, a delimiter, then the 5 symbols must be written back; guessing scores ln 8 ≈ 2.08 nats. ",
        "One step updates one model in turn (batches of 32). The task, length, init, gain and hidden units restart all three; clipping and the learning rate change live."));

    const heat = new HeatGrid();
    const lossPlot = new Plot(lossEl, { x: [0, 1], y: [-2, 0.5], xTicks: [0], yTicks: [-2, -1, 0] });
    let last: Frame<MemoryPayload> | undefined;
    let run = -1;
    // Each model's loss history: (updates, log₁₀ loss), thinned when long.
    let history: Array<{ x: number[]; y: number[] }> = [];

    function drawStrip(p: MemoryPayload): void {
      strip.dataset.problem = p.problem;
      strip.dataset.length = String(p.length);
      const { g, width, height } = fitCanvas(strip);
      const L = p.length, rows = KINDS.length;
      const left = 92, right = 124, top = 22, rowH = Math.max(14, (height - top - 46) / rows - 6), gap = 6;
      const w = Math.max(10, width - left - right);
      let hi = -Infinity, lo = Infinity;
      for (const v of p.logGradNorms) { hi = Math.max(hi, v); lo = Math.min(lo, v); }
      hi = Math.ceil(hi);
      lo = Math.max(hi - DECADES, Math.floor(lo));
      if (hi - lo < 1) lo = hi - 1;
      const map = (v: number) => (v - lo) / (hi - lo);
      g.font = "12px system-ui, sans-serif";
      g.textBaseline = "middle";
      for (let r = 0; r < rows; r++) {
        const y = top + r * (rowH + gap);
        heat.draw(g, p.logGradNorms.subarray(r * L, (r + 1) * L), 1, L, left, y, w, rowH, map);
        g.fillStyle = COLOURS[r];
        g.textAlign = "right";
        g.fillText(KIND_NAMES[KINDS[r]], left - 8, y + rowH / 2);
        // ‖∂L/∂h₀‖ / ‖∂L/∂h_{L−1}‖ in decades.
        const ratio = p.logGradNorms[r * L] - p.logGradNorms[r * L + L - 1];
        g.fillStyle = "#1d232b";
        g.textAlign = "left";
        g.fillText(`first ÷ last ≈ ${power(Math.round(ratio))}`, left + w + 8, y + rowH / 2);
      }
      // Time axis, and where the task puts its information.
      const x = (t: number) => left + (t / L) * w;
      g.fillStyle = "#5d6875";
      g.font = "11px system-ui, sans-serif";
      g.textAlign = "center";
      g.textBaseline = "bottom";
      const tick = L <= 20 ? 5 : L <= 60 ? 10 : L <= 120 ? 20 : 50;
      for (let t = 0; t < L; t += tick) g.fillText(String(t), x(t + 0.5), top - 4);
      g.textAlign = "left";
      g.fillText("t →", left + w + 8, top - 4);
      const bottom = top + rows * (rowH + gap) - gap;
      g.strokeStyle = "#1d232b";
      g.lineWidth = 1.5;
      g.textBaseline = "top";
      g.fillStyle = "#1d232b";
      if (p.problem === "adding") {
        const half = Math.floor(L / 2);
        g.setLineDash([4, 3]);
        g.beginPath();
        g.moveTo(x(half), top - 2);
        g.lineTo(x(half), bottom + 2);
        g.stroke();
        g.setLineDash([]);
        g.fillText("first marker somewhere here", left, bottom + 4);
        g.fillText("second marker · read-out at the end", x(half) + 4, bottom + 4);
      } else {
        const K = p.symbols, T = L - 2 * K - 1;
        const bracket = (t0: number, t1: number, label: string) => {
          g.beginPath();
          g.moveTo(x(t0), bottom + 3);
          g.lineTo(x(t1), bottom + 3);
          g.stroke();
          g.fillText(label, x(t0), bottom + 5);
        };
        bracket(0, K, "symbols");
        bracket(K + T, K + T + 1, ":");
        bracket(L - K, L, "recall");
      }
      // The colour bar.
      const barY = height - 16, barW = Math.min(260, w);
      for (let i = 0; i < barW; i++) {
        g.fillStyle = rampColour(i / (barW - 1));
        g.fillRect(left + i, barY, 1.5, 10);
      }
      g.fillStyle = "#5d6875";
      g.textBaseline = "middle";
      g.textAlign = "right";
      g.fillText(power(lo), left - 6, barY + 5);
      g.textAlign = "left";
      g.fillText(`${power(hi)}   ‖∂L/∂hₜ‖, log scale`, left + barW + 6, barY + 5);
    }

    function drawLosses(p: MemoryPayload): void {
      const maxX = Math.max(10, ...history.map((s) => s.x[s.x.length - 1] ?? 0));
      let yMin = Math.log10(p.baseline) - 0.5, yMax = Math.log10(p.baseline) + 0.5;
      for (const s of history) for (const v of s.y) { yMin = Math.min(yMin, v); yMax = Math.max(yMax, v); }
      yMin = Math.floor(yMin);
      yMax = Math.ceil(yMax * 2) / 2;
      const yTicks: number[] = [];
      for (let v = Math.ceil(yMin); v <= yMax; v++) yTicks.push(v);
      const step = niceStep(maxX);
      const xTicks: number[] = [];
      for (let v = 0; v <= maxX; v += step) xTicks.push(v);
      lossPlot.setRanges({ x: [0, maxX], y: [yMin, yMax], xTicks, yTicks });
      const g = lossPlot.begin();
      g.lineWidth = 1.2;
      g.setLineDash([6, 4]);
      g.strokeStyle = "#5d6875";
      lossPlot.curve([0, maxX], [Math.log10(p.baseline), Math.log10(p.baseline)]);
      g.setLineDash([]);
      g.lineWidth = 1.8;
      history.forEach((s, k) => {
        g.strokeStyle = COLOURS[k];
        lossPlot.curve(s.x, s.y);
      });
      lossPlot.end();
      g.font = "11px system-ui, sans-serif";
      g.textBaseline = "top";
      g.textAlign = "left";
      g.fillStyle = "#5d6875";
      g.fillText("log₁₀ loss vs updates of each model", lossPlot.box.left + 6, lossPlot.box.top + 2);
    }

    function redraw(): void {
      if (!last) return;
      const p = last.payload;
      drawStrip(p);
      drawLosses(p);
    }

    const resize = new ResizeObserver(redraw);
    resize.observe(strip);
    return {
      draw(frame) {
        last = frame;
        const p = frame.payload;
        if (frame.run !== run) {
          run = frame.run;
          history = KINDS.map(() => ({ x: [], y: [] }));
        }
        KINDS.forEach((_, k) => {
          const s = history[k];
          const n = p.updates[k];
          if (s.x.length > 0 && s.x[s.x.length - 1] === n) return;
          s.x.push(n);
          s.y.push(Math.log10(Math.max(p.losses[k], 1e-12)));
          if (s.x.length > 1500) {
            s.x = s.x.filter((_, i) => i % 2 === 0 || i === s.x.length - 1);
            s.y = s.y.filter((_, i) => i % 2 === 0 || i === s.y.length - 1);
          }
        });
        stripCaption.textContent = p.problem === "adding"
          ? "The loss is read at the last step only, so ‖∂L/∂hₜ‖ there is direct; everything to its left arrives through the recurrence."
          : "The loss is read at the last 5 steps (recall); the symbols it needs were seen at the first 5.";
        summary.replaceChildren(...KINDS.map((kind, k) => h("span", { class: `memory-model ${kind}` },
          h("b", {}, KIND_NAMES[kind]), ` loss ${formatNumber(p.losses[k])}`,
          ` (${Math.round((100 * p.losses[k]) / p.baseline)}% of the baseline)`,
          ` · clipped ${Math.round(100 * p.clipped[k])}% of recent updates · ${p.updates[k].toLocaleString("en")} updates`)));
        redraw();
      },
      destroy: () => resize.disconnect(),
    };
  },
});

const SUPERSCRIPT: Record<string, string> = { "-": "⁻", "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹" };

/** 10 to an integer power, as text: 10⁻³. */
function power(k: number): string {
  return `10${[...String(k)].map((c) => SUPERSCRIPT[c] ?? c).join("")}`;
}

function niceStep(max: number): number {
  const raw = max / 5;
  const k = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5]) if (m * k >= raw) return m * k;
  return 10 * k;
}
