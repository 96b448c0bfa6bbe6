/**
 * The sentiment page: type a sentence and read, for an RNN, an LSTM, a GRU and a BiLSTM
 * trained side by side in the page, p(positive) and each word's contribution (occlusion: how
 * much p drops when the word is replaced by <unk>), with their held-out accuracy next to a
 * bag-of-words baseline.
 */
import { h } from "../../dom.ts";
import { definePage, type Frame } from "../../protocol.ts";
import { divergingColour, fitCanvas } from "../memory/heat.ts";
import { KIND_NAMES, KINDS, type SentimentParams, type SentimentPayload } from "./shared.ts";

const EXAMPLES = [
  "The food was not good at all.",
  "Great phone, the battery lasts for days!",
  "I would not recommend this place.",
  "Not bad, actually pretty great.",
  "The service was slow but the pizza was delicious.",
];
const START: SentimentParams = { sentence: EXAMPLES[0], lr: 0.03, hidden: 16, readout: "max" };
const LEARNING_RATES = [0.003, 0.01, 0.03];
const HIDDEN = [16, 32, 64];
/** A contribution of this size (in p) gets the strongest colour. */
const SCALE = 0.5;

export default definePage<SentimentParams, SentimentPayload>({
  params: START,
  stepsPerFrame: 10,
  mount(ctx) {
    const canvas = h("canvas", { class: "plot sentiment-words", "data-testid": "canvas" });
    const verdicts = h("div", { class: "sentiment-verdicts", "data-testid": "verdicts" });
    const scores = h("div", { class: "sentiment-scores", "data-testid": "scores" });
    const dataInfo = h("span", {}, "");
    ctx.stage.append(
      h("figure", {}, canvas, h("figcaption", {},
        "Each row is one model reading your sentence. The bar: its p(positive). Each word is coloured by its contribution — p minus p with that word replaced by <unk> ",
        "(red: the word makes the sentence read more positive; blue: more negative; full colour at ±0.5). Dashed words are not in the vocabulary: every model reads them as <unk>.")),
      verdicts,
      h("figure", {}, scores, h("figcaption", {},
        "Accuracy on the held-out sentences (the models are measured in turn, one every few seconds while training, so each figure says when), next to the bag-of-words logistic regression (word counts, order ignored) fitted on the same split. ", dataInfo)));

    const sentence = h("textarea", { class: "sentiment-input", rows: 3, maxlength: 300, "data-testid": "sentence", spellcheck: "false",
      oninput: () => ctx.setParams({ sentence: sentence.value }) });
    sentence.value = START.sentence;
    const select = <T extends string | number>(testid: string, values: readonly T[], current: T, label: (v: T) => string, onchange: (v: T) => void) => {
      const el = h("select", { "data-testid": testid, onchange: () => onchange(values[el.selectedIndex]) }, ...values.map((v) => h("option", { selected: v === current }, label(v))));
      return el;
    };
    ctx.panel.append(
      h("h3", {}, "Your sentence"),
      sentence,
      h("div", { class: "row sentiment-examples" }, ...EXAMPLES.map((text, i) => h("button", {
        "data-example": i, title: text,
        onclick: () => { sentence.value = text; ctx.setParams({ sentence: text }); },
      }, text.length > 24 ? `${text.slice(0, 22)}…` : text))),
      h("h3", {}, "Training"),
      h("div", { class: "row" },
        select("lr", LEARNING_RATES, START.lr, (v) => `lr ${v}`, (lr) => ctx.setParams({ lr })),
        select("hidden", HIDDEN, START.hidden, (v) => `${v} units`, (hidden) => ctx.setParams({ hidden })),
        select("readout", ["max", "mean", "last"] as const, START.readout, (v) => `${v} readout`, (readout) => ctx.setParams({ readout }))),
      h("p", { class: "hint" },
        "Data: the UCI sentiment labelled sentences of the `sentiment` package (amazon and yelp reviews, 2,000 sentences, 20% held out). ",
        "One step updates one model in turn (64 sentences, Adam, dropout 0.1); the loss readout is the mean of the four models' training cross-entropies, each a running average over its recent batches (ln 2 ≈ 0.69 is a coin toss). ",
        "The sentence vector is the max (or mean, or last state) of the hidden states over the words; the BiLSTM also reads right to left. ",
        "The hidden units and the readout restart training; the rest changes live."));

    let last: Frame<SentimentPayload> | undefined;

    function drawWords(p: SentimentPayload): void {
      canvas.dataset.tokens = p.tokens.join(" ");
      canvas.dataset.unknown = p.tokens.filter((_, t) => p.unknown[t]).join(" ");
      const { g, width, height } = fitCanvas(canvas);
      const rows = KINDS.length, top = 8, rowH = (height - top - 24) / rows;
      const nameW = 64, barW = 110, wordsLeft = nameW + barW + 56;
      const n = p.tokens.length;
      // One font size for every row, small enough that the sentence fits.
      let font = 15;
      const measure = (size: number) => {
        g.font = `${size}px system-ui, sans-serif`;
        return p.tokens.reduce((w, t) => w + g.measureText(t).width + 12, 0);
      };
      while (font > 9 && measure(font) > width - wordsLeft - 4) font--;
      for (let k = 0; k < rows; k++) {
        const y = top + k * rowH, mid = y + rowH / 2;
        g.font = "600 13px system-ui, sans-serif";
        g.fillStyle = "#1d232b";
        g.textAlign = "left";
        g.textBaseline = "middle";
        g.fillText(KIND_NAMES[KINDS[k]], 0, mid);
        // p(positive) bar with the 0.5 mark.
        const prob = p.probs[k];
        const bx = nameW, bh = Math.min(16, rowH - 10);
        g.fillStyle = "#eef0f3";
        g.fillRect(bx, mid - bh / 2, barW, bh);
        if (Number.isFinite(prob)) {
          g.fillStyle = divergingColour(prob >= 0.5 ? Math.max(0.45, (prob - 0.5) * 2) : Math.min(-0.45, (prob - 0.5) * 2));
          g.fillRect(bx, mid - bh / 2, barW * prob, bh);
          g.strokeStyle = "#8a95a1";
          g.strokeRect(bx + 0.5, mid - bh / 2 + 0.5, barW - 1, bh - 1);
          g.fillStyle = "#1d232b";
          g.fillRect(bx + barW / 2 - 0.5, mid - bh / 2 - 3, 1, bh + 6);
          g.font = "12px system-ui, sans-serif";
          g.fillText(prob.toFixed(2), bx + barW + 8, mid);
        }
        // The words.
        g.font = `${font}px system-ui, sans-serif`;
        let x = wordsLeft;
        const wh = Math.min(font + 12, rowH - 8);
        for (let t = 0; t < n; t++) {
          const c = p.contributions[k * n + t];
          const w = g.measureText(p.tokens[t]).width + 8;
          g.fillStyle = divergingColour(Math.max(-1, Math.min(1, c / SCALE)));
          g.fillRect(x, mid - wh / 2, w, wh);
          if (p.unknown[t]) {
            g.setLineDash([3, 2]);
            g.strokeStyle = "#5d6875";
            g.strokeRect(x + 0.5, mid - wh / 2 + 0.5, w - 1, wh - 1);
            g.setLineDash([]);
          }
          g.fillStyle = Math.abs(c / SCALE) > 0.7 ? "#fff" : "#1d232b";
          g.textAlign = "left";
          g.fillText(p.tokens[t], x + 4, mid + 1);
          x += w + 4;
        }
      }
      // The contribution scale.
      const ly = height - 14, lw = 140;
      for (let i = 0; i < lw; i++) {
        g.fillStyle = divergingColour((2 * i) / (lw - 1) - 1);
        g.fillRect(wordsLeft + i, ly, 1.5, 9);
      }
      g.fillStyle = "#5d6875";
      g.font = "11px system-ui, sans-serif";
      g.textAlign = "left";
      g.fillText("contribution −0.5 … +0.5 (in p)", wordsLeft + lw + 8, ly + 5);
      g.fillText("p(positive), 0 … 1", nameW, ly + 5);
    }

    function drawText(p: SentimentPayload): void {
      verdicts.replaceChildren(...KINDS.map((kind, k) => {
        const prob = p.probs[k];
        const n = p.tokens.length;
        let best = -1;
        for (let t = 0; t < n; t++) if (best < 0 || Math.abs(p.contributions[k * n + t]) > Math.abs(p.contributions[k * n + best])) best = t;
        return h("div", { class: "sentiment-verdict", "data-kind": kind },
          h("b", {}, KIND_NAMES[kind]), ": ",
          Number.isFinite(prob) ? `${prob >= 0.5 ? "positive" : "negative"} (p = ${prob.toFixed(3)})` : "no words to read",
          best >= 0 ? ` · weightiest word “${p.tokens[best]}” ${p.contributions[k * n + best] >= 0 ? "+" : "−"}${Math.abs(p.contributions[k * n + best]).toFixed(3)}` : "");
      }));
      const pct = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : "–");
      const row = (label: string, v: number, extra: string, cls = "") => h("div", { class: `sentiment-score ${cls}` },
        h("span", { class: "name" }, label),
        h("meter", { min: 0.5, max: 1, value: Number.isFinite(v) ? v : 0.5 }),
        h("span", { class: "pct" }, pct(v)),
        h("span", { class: "extra" }, extra));
      scores.replaceChildren(
        ...KINDS.map((kind, k) => row(KIND_NAMES[kind], p.accuracy[k],
          `${Number.isFinite(p.accuracy[k]) ? `after ${p.accuracyAtUpdate[k].toLocaleString("en")} of its ${p.updates[k].toLocaleString("en")} updates` : "not measured yet"} · ${p.epochs[k].toFixed(1)} epochs · train loss ${p.losses[k].toFixed(3)}`)),
        row("bag of words", p.bowAccuracy, "logistic regression on word counts", "baseline"));
      dataInfo.textContent = `${p.trainSize.toLocaleString("en")} training and ${p.testSize} held-out sentences; vocabulary ${p.vocab.toLocaleString("en")} words (seen at least twice in training).`;
    }

    const redraw = () => { if (last) drawWords(last.payload); };
    const resize = new ResizeObserver(redraw);
    resize.observe(canvas);
    let textAt = -Infinity;
    return {
      draw(frame) {
        last = frame;
        drawWords(frame.payload);
        const now = performance.now();
        if (!frame.running || now - textAt > 150) {
          textAt = now;
          drawText(frame.payload);
        }
      },
      destroy: () => resize.disconnect(),
    };
  },
});
