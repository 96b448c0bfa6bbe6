/**
 * The attention heat map: one column per letter the encoder read, one row per phoneme the
 * decoder wrote (and the end), each cell the weight αₜⱼ that output step t gave letter j.
 * Main-thread drawing only: the weights come computed from the worker.
 */
import { fitCanvas, HeatGrid, rampColour } from "../memory/heat.ts";
import { alphabetText, type G2PPayload } from "./shared.ts";

const INK = "#1d232b";
const MUTED = "#5d6875";
/** Largest cell side (px): short words stay readable without filling the width with a few huge squares. */
const MAX_CELL = 46;
/** Cells at least this big print their weight. */
const NUMBER_CELL = 30;

export class AttentionMap {
  private readonly heat = new HeatGrid();

  constructor(private readonly canvas: HTMLCanvasElement) {}

  draw(p: G2PPayload): void {
    const { canvas } = this;
    // What is shown, for tests and for anyone inspecting the page.
    canvas.dataset.word = p.word;
    canvas.dataset.phonemes = p.phonemes.join(" ");
    canvas.dataset.dropped = p.typed.filter((_, i) => !p.kept[i]).join("");
    canvas.dataset.match = p.correct === null ? "unknown" : p.correct ? "match" : "differs";
    canvas.dataset.rows = p.rows.join(" ");
    canvas.dataset.attention = rowsText(p);

    const { g, width, height } = fitCanvas(canvas);
    g.textBaseline = "middle";
    const S = p.word.length, T = p.rows.length;
    if (S === 0 || T === 0) {
      g.fillStyle = MUTED;
      g.font = "15px system-ui, sans-serif";
      g.textAlign = "center";
      g.fillText(S === 0 ? `No letters to read: type a word (${alphabetText(p.alphabet)}) in the box on the right.` : "The decoder ended at once: no phonemes yet (it has not learnt to speak).", width / 2, height / 2);
      return;
    }
    const left = 78, top = 58, bottom = 34;
    // Up to 20 letters and 2·20 + 3 rows (the decoder's length limit): small cells rather than overflow.
    const cell = Math.max(3, Math.min(MAX_CELL, (width - left - 16) / S, (height - top - bottom) / T));
    const gw = cell * S, gh = cell * T;
    // The block (row labels + grid) centred in the width.
    const x0 = Math.max(left, Math.round((width - gw + left - 16) / 2));
    // …and in the height, with its titles and scale (a short word leaves room above and below).
    const y0 = Math.max(top, Math.round((height - gh - bottom + top) / 2));
    this.heat.draw(g, p.attention, T, S, x0, y0, gw, gh, (v) => v);
    // Thin separators, so single cells read as cells.
    g.strokeStyle = "rgba(255,255,255,0.35)";
    g.lineWidth = 1;
    g.beginPath();
    for (let j = 1; j < S; j++) { g.moveTo(x0 + j * cell + 0.5, y0); g.lineTo(x0 + j * cell + 0.5, y0 + gh); }
    for (let t = 1; t < T; t++) { g.moveTo(x0, y0 + t * cell + 0.5); g.lineTo(x0 + gw, y0 + t * cell + 0.5); }
    g.stroke();

    const font = Math.max(10, Math.min(16, cell * 0.45));
    if (cell >= NUMBER_CELL) {
      g.font = "11px system-ui, sans-serif";
      g.textAlign = "center";
      for (let t = 0; t < T; t++) for (let j = 0; j < S; j++) {
        const v = p.attention[t * S + j];
        if (v < 0.05) continue;
        g.fillStyle = v > 0.6 ? INK : "#fff";
        g.fillText(v >= 0.995 ? "1" : v.toFixed(2).replace(/^0/, ""), x0 + (j + 0.5) * cell, y0 + (t + 0.5) * cell);
      }
    }
    // Letters across the top, phonemes down the left.
    g.font = `600 ${font}px ui-monospace, monospace`;
    g.textAlign = "center";
    g.fillStyle = INK;
    for (let j = 0; j < S; j++) g.fillText(p.word[j], x0 + (j + 0.5) * cell, y0 - 12);
    g.textAlign = "right";
    g.font = `600 ${Math.min(font, Math.max(9, cell))}px ui-monospace, monospace`;
    // Row labels need ~11 px: with smaller rows label every few (an untrained decoder may babble to its limit).
    const every = Math.ceil(11 / cell);
    for (let t = 0; t < T; t += every) {
      g.fillStyle = p.rows[t] === "</s>" ? MUTED : INK;
      g.fillText(p.rows[t], x0 - 8, y0 + (t + 0.5) * cell);
    }
    g.font = "12px system-ui, sans-serif";
    g.fillStyle = MUTED;
    g.textAlign = "left";
    g.fillText("letters the encoder read →", x0, y0 - 40);
    g.save();
    g.translate(Math.max(14, x0 - 64), y0 + gh / 2);
    g.rotate(-Math.PI / 2);
    g.textAlign = "center";
    g.fillText("phonemes the decoder wrote ↓", 0, 0);
    g.restore();

    // The colour scale.
    const ly = Math.min(height - 14, y0 + gh + 20), lw = 120;
    for (let i = 0; i < lw; i++) {
      g.fillStyle = rampColour(i / (lw - 1));
      g.fillRect(x0 + i, ly - 4.5, 1.5, 9);
    }
    g.fillStyle = MUTED;
    g.font = "11px system-ui, sans-serif";
    g.textAlign = "left";
    g.fillText("attention weight 0 → 1 (each row sums to 1)", x0 + lw + 8, ly);
  }
}

/** The weights as text, rows by ";", two decimals: "0.91 0.09;0.02 0.98" (for tests; small: ≤ 43 × 20 cells). */
function rowsText(p: G2PPayload): string {
  const S = p.word.length;
  return p.rows.map((_, t) => Array.from(p.attention.subarray(t * S, (t + 1) * S), (v) => v.toFixed(2)).join(" ")).join(";");
}
