/**
 * The caption page: compose a scene of shapes (or draw a random one) and read the caption a
 * CNN encoder + LSTM decoder gives it while it trains in the page, next to the grammar's true
 * caption; scenes holding a colour–shape pair kept out of training test composition. Below,
 * the first scenes of the task's seen and unseen test sets with their captions, BLEU-4 and
 * exact match.
 */
import "./caption.css";
import { SIZE } from "../../../../src/zoo/caption/scenes.ts";
import { h } from "../../dom.ts";
import { definePage, type Frame } from "../../protocol.ts";
import { sceneComposer, startScene } from "./composer.ts";
import { drawMain, Picture } from "./draw.ts";
import { type CaptionParams, type CaptionPayload, GALLERY, type SetScore } from "./shared.ts";

const START: CaptionParams = { scene: startScene(), lr: 0.003, hidden: 64 };
const LEARNING_RATES = [0.001, 0.003, 0.01];
const HIDDEN = [32, 64, 128];
/** Text (gallery captions, scores) is rewritten at most this often while training. */
const TEXT_MS = 250;

const pct = (v: number) => (Number.isFinite(v) ? `${(100 * v).toFixed(0)}%` : "–");
const num = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : "–");

export default definePage<CaptionParams, CaptionPayload>({
  params: START,
  stepsPerFrame: 10,
  mount(ctx) {
    const canvas = h("canvas", { class: "plot caption-main", "data-testid": "canvas" });
    const verdict = h("p", { class: "caption-verdict", "data-testid": "held-out" });
    const scores = h("table", { class: "caption-scores", "data-testid": "scores" });
    const gallery = h("div", { class: "caption-gallery", "data-testid": "gallery" });
    const cells = Array.from({ length: 2 * GALLERY }, (_, i) => {
      const picture = h("canvas", { class: "caption-thumb", width: SIZE, height: SIZE });
      const said = h("div", { class: "caption-said" }), truth = h("div", { class: "caption-truth" });
      const cell = h("div", { class: `caption-cell ${i < GALLERY ? "seen" : "unseen"}` }, picture, said, truth);
      return { cell, picture, said, truth };
    });
    gallery.append(
      h("div", { class: "caption-gallery-head" }, "Seen pairs only (like training)"), ...cells.slice(0, GALLERY).map((c) => c.cell),
      h("div", { class: "caption-gallery-head" }, "Each holds a held-out pair"), ...cells.slice(GALLERY).map((c) => c.cell));

    ctx.stage.append(
      h("figure", {}, canvas, verdict, h("figcaption", {},
        "Your scene, rendered by the task's generator (48×48 pixels), and what the network says about it. ",
        "The CNN encoder turns the picture into a feature vector that sets the LSTM decoder's first state and is fed again with every word; ",
        "the decoder then writes the caption one word at a time. It trains on fresh random scenes every step — never one holding a held-out pair.")),
      h("figure", {}, scores, gallery, h("figcaption", {},
        "Test scenes the network never trained on: the first of the task's seen and unseen test sets (the CLI scores 300 of each). ",
        "The two sets are re-captioned in turn every few seconds while training; green: the caption is exactly right.")));

    const select = <T extends number>(testid: string, values: readonly T[], current: T, label: (v: T) => string, onchange: (v: T) => void) => {
      const el = h("select", { "data-testid": testid, onchange: () => onchange(values[el.selectedIndex]) }, ...values.map((v) => h("option", { selected: v === current }, label(v))));
      return el;
    };
    const modelInfo = h("span", {});
    ctx.panel.append(
      h("h3", {}, "Your scene"),
      sceneComposer((scene) => ctx.setParams({ scene })),
      h("h3", {}, "Training"),
      h("div", { class: "row" },
        select("lr", LEARNING_RATES, START.lr, (v) => `lr ${v}`, (lr) => ctx.setParams({ lr })),
        select("hidden", HIDDEN, START.hidden, (v) => `${v} LSTM units`, (hidden) => ctx.setParams({ hidden }))),
      h("p", { class: "hint" },
        "The loss: the cross-entropy of each next word (and of ending the caption) given the picture and the true words before it (teacher forcing), on the step's batch. ",
        "ln 18 ≈ 2.89 is a guess among the grammar's 18 words; knowing the grammar but not the picture gets to about 0.8; below that, the network is reading the picture. ",
        modelInfo, " The units restart training; the learning rate changes live."));

    const picture = new Picture();
    const thumb = new Picture();
    let last: Frame<CaptionPayload> | undefined;
    let galleryRun = -1, textAt = -Infinity;

    const row = (name: string, s: SetScore, heldOut: boolean) => h("tr", {},
      h("th", {}, name), h("td", {}, num(s.bleu)), h("td", {}, pct(s.exact)), h("td", {}, heldOut ? pct(s.namesHeldOut) : ""),
      h("td", { class: "caption-at" }, s.atStep >= 0 ? `step ${s.atStep.toLocaleString("en")}` : "not yet"));

    function drawText(f: Frame<CaptionPayload>): void {
      const p = f.payload;
      verdict.textContent = p.heldOut
        ? "This scene holds a held-out colour–shape pair (orange): the network has seen that colour and that shape, never together."
        : "Every colour–shape pair in this scene appears in training scenes.";
      verdict.classList.toggle("held", p.heldOut);
      scores.replaceChildren(
        h("tr", {}, h("th", {}, `${p.testScenes} scenes each`), h("th", {}, "BLEU-4"), h("th", {}, "exact"), h("th", {}, "names a held-out pair"), h("th", {}, "measured")),
        row("seen pairs", p.seen, false), row("held-out pairs", p.unseen, true));
      cells.forEach((c, i) => {
        const said = p.gallery.captions[i], truth = p.gallery.truths[i];
        c.cell.classList.toggle("right", said === truth);
        c.said.textContent = said ? `${said === truth ? "✓" : "✗"} ${said}` : "…";
        c.truth.textContent = said === truth ? "" : `truth: ${truth}`;
      });
      modelInfo.textContent = `This network: ${p.parameters.toLocaleString("en")} weights, ${p.batch} scenes per step (the CLI's is larger: feature 128, 128 units, 32 scenes).`;
    }

    function draw(f: Frame<CaptionPayload>): void {
      const p = f.payload;
      canvas.dataset.truth = p.truth;
      canvas.dataset.caption = p.caption;
      canvas.dataset.heldOut = String(p.heldOut);
      // Where the scene is drawn, so a test can read its pixels.
      canvas.dataset.picture = drawMain(canvas, p, picture, f.step).join(",");
      if (f.run !== galleryRun) {
        // The test scenes are fixed for a run: paint them once.
        galleryRun = f.run;
        cells.forEach((c, i) => {
          const g = c.picture.getContext("2d")!;
          g.drawImage(thumb.paint(p.gallery.images, i * SIZE * SIZE * 3), 0, 0);
        });
      }
    }

    const resize = new ResizeObserver(() => { if (last) draw(last); });
    resize.observe(canvas);
    return {
      draw(frame) {
        last = frame;
        draw(frame);
        const now = performance.now();
        if (!frame.running || now - textAt > TEXT_MS) {
          textAt = now;
          drawText(frame);
        }
      },
      destroy: () => resize.disconnect(),
    };
  },
});
