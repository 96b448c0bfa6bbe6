/**
 * The g2p page: type a word and read its pronunciation (ARPAbet) from a sequence-to-sequence
 * model training in the page — a bidirectional encoder reads the letters, an attention
 * decoder writes the phonemes — with the attention matrix as a heat map, the verdict against
 * CMUdict, and the held-out phoneme and word error rates.
 */
import { h } from "../../dom.ts";
import { definePage, type Frame } from "../../protocol.ts";
import { soundHint } from "./arpabet.ts";
import { AttentionMap } from "./attention.ts";
import { alphabetText, type G2PParams, type G2PPayload, MAX_LETTERS } from "./shared.ts";
import "./g2p.css";

/** Words to try: silent letters, digraphs, a held-out word or two, and one CMUdict does not have. */
const EXAMPLES = ["phone", "knight", "through", "photograph", "xylophone", "chemistry", "nnzoo"];
const START: G2PParams = { word: "phone", beam: 3, lr: 0.01, kind: "lstm", hidden: 64 };
const BEAMS = [1, 3, 5];
const LEARNING_RATES = [0.003, 0.01, 0.02];
const HIDDEN = [32, 64, 96];

const pct = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(1)}%` : "–");
/** Phonemes as chips whose tooltip says how each sounds. */
const phones = (list: readonly string[], cls = "") => h("span", { class: `g2p-phones ${cls}` }, ...list.map((p) => h("span", { class: "g2p-phone", title: soundHint(p) }, p)));

export default definePage<G2PParams, G2PPayload>({
  params: START,
  stepsPerFrame: 10,
  mount(ctx) {
    const canvas = h("canvas", { class: "plot g2p-attention", "data-testid": "canvas" });
    const map = new AttentionMap(canvas);
    const result = h("div", { class: "g2p-result", "data-testid": "result" });
    const WAITING = "Held-out scores appear a few seconds after training starts.";
    const scores = h("div", { class: "g2p-scores", "data-testid": "scores" }, WAITING);
    const samples = h("table", { class: "g2p-samples", "data-testid": "samples" });
    const dataInfo = h("span", {}, "");
    ctx.stage.append(
      result,
      h("figure", {}, canvas, h("figcaption", {},
        "Attention: while writing each phoneme (rows), the decoder looks at the letters (columns) through a softmax over them — bright cells are where it looked. ",
        "A trained model reads the word left to right: the bright cells run down the diagonal, and a letter that makes no sound of its own (the k of knight) gets little weight. ",
        "The last row, </s>, is the decision to stop.")),
      h("figure", {}, h("h4", { class: "g2p-title" }, "Words it has never seen"), scores, samples, h("figcaption", {},
        "Phoneme error rate (PER): edits (insert, delete, substitute) to reach the closest CMUdict pronunciation, per phoneme. Word error rate (WER): words not exactly right. ",
        "Measured on held-out words, greedy decoding, a few at a time while training; each pass says when it began. ", dataInfo)));

    const word = h("input", {
      type: "text", value: START.word, maxlength: 40, "data-testid": "word", spellcheck: "false", autocomplete: "off", class: "g2p-word",
      "aria-label": "a word to pronounce", oninput: () => ctx.setParams({ word: word.value }),
    });
    const note = h("p", { class: "g2p-note", "data-testid": "word-note", role: "status" });
    const exampleButtons = EXAMPLES.map((text, i) => h("button", {
      "data-example": i, onclick: () => { word.value = text; ctx.setParams({ word: text }); },
    }, text));
    const select = <T extends string | number>(testid: string, values: readonly T[], current: T, label: (v: T) => string, onchange: (v: T) => void) => {
      const el = h("select", { "data-testid": testid, onchange: () => onchange(values[el.selectedIndex]) }, ...values.map((v) => h("option", { selected: v === current }, label(v))));
      return el;
    };
    ctx.panel.append(
      h("h3", {}, "Your word"),
      word,
      note,
      h("div", { class: "row g2p-examples" }, ...exampleButtons),
      h("h3", {}, "Decoding"),
      h("div", { class: "row" }, select("beam", BEAMS, START.beam, (v) => (v === 1 ? "greedy" : `beam ${v}`), (beam) => ctx.setParams({ beam }))),
      h("h3", {}, "Model"),
      h("div", { class: "row" },
        select("kind", ["lstm", "gru"] as const, START.kind, (v) => v.toUpperCase(), (kind) => ctx.setParams({ kind })),
        select("hidden", HIDDEN, START.hidden, (v) => `${v} units`, (hidden) => ctx.setParams({ hidden })),
        select("lr", LEARNING_RATES, START.lr, (v) => `lr ${v}`, (lr) => ctx.setParams({ lr }))),
      h("p", { class: "hint" },
        "Data: CMUdict 0.7b (the Carnegie Mellon Pronouncing Dictionary), words of letters and apostrophes, stress marks removed: 39 phonemes. 10% of the words are held out (the CLI's split). ",
        "Model: letter embeddings → a bidirectional encoder; its final states start the decoder, which writes one phoneme at a time, attending to the letters (Luong's attention). ",
        "One step is one Adam update on 32 pronunciations (teacher forcing). The loss readout is the cross-entropy per phoneme, a running average over recent batches (ln 41 ≈ 3.7 is a guess among the phonemes and the end). ",
        "The cell and the units restart training; the rest changes live."));

    let last: Frame<G2PPayload> | undefined;
    let drawnSeq = -1, drawnScores = "";

    function drawResult(p: G2PPayload): void {
      const dropped = p.typed.filter((_, i) => !p.kept[i]);
      let letters = 0;
      const typed = h("div", { class: "g2p-typed", "data-testid": "typed" },
        h("span", { class: "g2p-label" }, "reads"),
        ...p.typed.map((c, i) => {
          if (p.kept[i]) letters++;
          const cut = p.kept[i] && letters > MAX_LETTERS;
          return h("span", { class: p.kept[i] ? (cut ? "g2p-char cut" : "g2p-char") : "g2p-char dropped", title: p.kept[i] ? (cut ? `past the ${MAX_LETTERS}-letter limit: not read` : undefined) : "not in the model's alphabet: dropped" }, c === " " ? "␣" : c);
        }));
      const lines: Node[] = [typed];
      if (p.word.length === 0) {
        lines.push(h("div", { class: "g2p-prediction empty", "data-testid": "prediction" }, p.typed.length === 0 ? "Type a word to hear it." : "No letters the model knows."));
      } else {
        lines.push(h("div", { class: "g2p-prediction", "data-testid": "prediction" },
          h("span", { class: "g2p-spelling" }, p.word), h("span", { class: "g2p-arrow" }, "→"),
          p.phonemes.length > 0 ? phones(p.phonemes, "big") : h("span", { class: "g2p-muted" }, "(nothing yet)"),
          h("span", { class: "g2p-logp" }, `log p = ${p.logProb.toFixed(2)}${p.finished ? "" : " · stopped at the length limit"}`)));
        const where = p.split === "train" ? "a training word" : p.split === "test" ? "a held-out word — the model never trained on it" : "";
        lines.push(h("div", { class: `g2p-verdict ${p.correct === null ? "unknown" : p.correct ? "match" : "differs"}`, "data-testid": "verdict" },
          p.dictionary === null
            ? `Not in CMUdict: nothing to check against — the model's guess is all there is.`
            : h("span", {}, p.correct ? "✓ matches CMUdict " : "✗ CMUdict says ",
              ...p.dictionary.flatMap((d, k) => (k === 0 ? [phones(d)] : [h("span", { class: "g2p-muted" }, " or "), phones(d)])),
              h("span", { class: "g2p-muted" }, ` (${where})`))));
        if (p.alternatives.length > 0) lines.push(h("div", { class: "g2p-alternatives" }, h("span", { class: "g2p-label" }, "the beam's other readings"),
          ...p.alternatives.map((a) => h("span", { class: "g2p-alt" }, phones(a.phonemes), h("span", { class: "g2p-muted" }, ` ${a.logProb.toFixed(2)}`)))));
      }
      result.replaceChildren(...lines);
      // The note under the box: what was dropped or cut, in words.
      const problems: string[] = [];
      if (dropped.length > 0) problems.push(`Dropped ${dropped.map((c) => `“${c === " " ? "space" : c}”`).join(", ")}: the model reads only ${alphabetText(p.alphabet)} (capitals are read as small letters).`);
      if (p.truncated) problems.push(`Only the first ${MAX_LETTERS} letters are read.`);
      if (p.typed.length === 0) problems.push("Empty: type a word.");
      note.textContent = problems.join(" ");
      note.classList.toggle("warn", problems.length > 0);
    }

    function drawScores(p: G2PPayload): void {
      if (!Number.isFinite(p.per)) {
        scores.replaceChildren(WAITING);
        samples.replaceChildren();
        return;
      }
      const figure = (label: string, v: number) => h("div", { class: "g2p-score" }, h("span", { class: "g2p-label" }, label), h("b", {}, pct(v)), h("meter", { min: 0, max: 1, low: 0.3, high: 0.6, optimum: 0, value: Math.min(1, v) }));
      scores.replaceChildren(figure("PER", p.per), figure("WER", p.wer),
        h("span", { class: "g2p-muted" }, `on ${p.scoredWords} held-out words, pass begun at step ${p.scoredAtStep.toLocaleString("en")}`));
      samples.replaceChildren(
        h("tr", {}, h("th", {}, "word"), h("th", {}, "model (greedy)"), h("th", {}, "CMUdict"), h("th", {}, "")),
        ...p.samples.map((s) => h("tr", { class: s.correct ? "ok" : "bad" },
          h("td", { class: "g2p-spelling" }, s.word), h("td", {}, s.phonemes.length > 0 ? phones(s.phonemes) : h("span", { class: "g2p-muted" }, "(nothing)")), h("td", {}, phones(s.dictionary[0])), h("td", {}, s.correct ? "✓" : "✗"))));
    }

    const redraw = () => { if (last) map.draw(last.payload); };
    const resize = new ResizeObserver(redraw);
    resize.observe(canvas);
    return {
      draw(frame) {
        last = frame;
        const p = frame.payload;
        dataInfo.textContent = `${p.trainWords.toLocaleString("en")} training words (${p.trainPronunciations.toLocaleString("en")} pronunciations), ${p.testWords.toLocaleString("en")} held out; ${p.epochs.toFixed(2)} epochs so far.`;
        const scoresKey = Number.isFinite(p.per) ? `${frame.run}:${p.scoredAtStep}` : `${frame.run}`;
        if (scoresKey !== drawnScores) {
          drawnScores = scoresKey;
          drawScores(p);
        }
        // The word's pictures change only when the worker decoded it again.
        if (p.pictureSeq === drawnSeq) return;
        drawnSeq = p.pictureSeq;
        map.draw(p);
        drawResult(p);
      },
      destroy: () => resize.disconnect(),
    };
  },
});
