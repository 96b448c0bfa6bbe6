/**
 * The detect-fakes page ("Spot the fake"): a quiz digit that is real or generated; the learner
 * guesses, the detector guesses, and both are scored. Beside it, the detector's view of a mixed
 * gallery as it trains — and a generator that keeps improving unless frozen.
 */
import { formatNumber, h } from "../../dom.ts";
import { definePage, type Frame } from "../../protocol.ts";
import { DigitTiles } from "../../tiles.ts";
import { type DetectParams, type DetectPayload, GALLERY } from "./shared.ts";

const START: DetectParams = { lr: 0.001, trainGenerator: true, quiz: 0 };
const GALLERY_COLUMNS = 8;

export default definePage<DetectParams, DetectPayload>({
  params: START,
  stepsPerFrame: 3,
  mount(ctx) {
    const params = { ...START };
    let last: Frame<DetectPayload> | undefined;
    /** The learner's answer to the current quiz digit, once given. */
    let answered: { quiz: number; guessFake: boolean; detectorFake: boolean; pFake: number; truth: boolean } | null = null;
    const score = { you: 0, detector: 0, rounds: 0 };

    const galleryEl = h("canvas", { class: "plot main", "data-testid": "canvas" });
    galleryEl.style.height = "260px";
    const quizEl = h("canvas", { class: "plot", "data-testid": "quiz-canvas" });
    quizEl.style.width = "168px";
    quizEl.style.height = "168px";
    const verdict = h("div", { class: "hint", "data-testid": "verdict" }, "Real or generated? Make your guess.");
    const tally = h("div", { class: "hint", "data-testid": "tally" }, "You 0 of 0 · detector 0 of 0");
    const real = h("button", { "data-testid": "guess-real", onclick: () => guess(false) }, "Real");
    const fake = h("button", { "data-testid": "guess-fake", onclick: () => guess(true) }, "Generated");
    const next = h("button", { class: "primary", "data-testid": "next", disabled: true, onclick: () => nextQuiz() }, "Next digit");
    const status = h("div", { class: "hint", "data-testid": "detect-status" }, "–");
    ctx.stage.append(
      h("figure", {},
        h("div", { class: "row" }, quizEl, h("div", {}, h("p", {}, h("strong", {}, "Spot the fake. "), "Is this digit a real handwritten one, or did the generator make it?"),
          h("div", { class: "row" }, real, fake, next), verdict, tally)),
        h("figcaption", {}, "Half of the quiz digits are real (held-out MNIST digits the generator never saw), half come from the generator as it is now. The detector answers too: P(generated) > ½ means it says “generated”.")),
      h("figure", {}, galleryEl, status, h("figcaption", {},
        "The detector's view of 8 real and 8 generated digits (mixed): the bar under each is its P(generated), red when it says “generated”, green when it says “real”; a ✓ marks it right. ",
        "With the generator training too, this is the GAN game seen from outside: as the fakes improve, the detector must keep learning.")));

    const freeze = h("input", { type: "checkbox", "data-testid": "train-generator", checked: true, onchange: () => ctx.setParams({ trainGenerator: freeze.checked }) });
    const lr = h("select", { "data-testid": "lr", onchange: () => ctx.setParams({ lr: Number(lr.value) }) },
      ...[0.0003, 0.001, 0.003].map((v) => h("option", { value: v, selected: v === START.lr }, v)));
    ctx.panel.append(
      h("h3", {}, "Generator"),
      h("div", { class: "row" }, h("label", {}, freeze, " keeps training (uncheck to freeze it)")),
      h("h3", {}, "Detector learning rate (Adam)"),
      h("div", { class: "row" }, lr),
      h("p", { class: "hint" },
        "Detector: a small CNN (src/zoo/detect-fakes, as in the CLI: two strided convolutions and a linear read-out). Generator: the MLP GAN of src/zoo/gan-mnist, trained here from scratch on 1,000 real digits. ",
        "Each step trains the generator once (a D and a G update of its own GAN) and the detector once on 32 real and 32 generated digits, rounded to 8-bit pixels as saved images would be. The loss is the detector's binary cross-entropy. ",
        "The CLI's nnzoo train detect-fakes trains on a saved GAN's fakes and also tests on a second GAN's fakes it never saw."));

    function guess(guessFake: boolean): void {
      if (!last || answered) return;
      const p = last.payload;
      answered = { quiz: p.quiz, guessFake, detectorFake: p.quizPFake > 0.5, pFake: p.quizPFake, truth: p.quizFake };
      score.rounds++;
      if (guessFake === p.quizFake) score.you++;
      if (answered.detectorFake === p.quizFake) score.detector++;
      const word = (f: boolean) => (f ? "generated" : "real");
      verdict.textContent = `It was ${word(p.quizFake)}. You said ${word(guessFake)} ${guessFake === p.quizFake ? "✓" : "✗"}; ` +
        `the detector said ${word(answered.detectorFake)} (P(generated) = ${p.quizPFake.toFixed(2)}) ${answered.detectorFake === p.quizFake ? "✓" : "✗"}.`;
      tally.textContent = `You ${score.you} of ${score.rounds} · detector ${score.detector} of ${score.rounds}`;
      real.disabled = fake.disabled = true;
      next.disabled = false;
    }
    function nextQuiz(): void {
      answered = null;
      real.disabled = fake.disabled = false;
      next.disabled = true;
      verdict.textContent = "Real or generated? Make your guess.";
      ctx.setParams({ quiz: ++params.quiz });
    }

    const gallery = new DigitTiles(galleryEl), quiz = new DigitTiles(quizEl);
    return {
      draw(frame) {
        last = frame;
        const p = frame.payload;
        const g = gallery.draw(p.gallery, GALLERY, GALLERY_COLUMNS);
        const { x0, y0, tile, columns } = gallery.layout;
        for (let i = 0; i < GALLERY; i++) {
          const x = x0 + (i % columns) * tile, y = y0 + Math.floor(i / columns) * tile;
          const says = p.pFake[i] > 0.5;
          g.fillStyle = says ? "#d73027" : "#1a9850";
          g.fillRect(x + 2, y + tile - 6, Math.max(1, (tile - 4) * p.pFake[i]), 4);
          g.font = `${Math.max(10, Math.round(tile / 5))}px system-ui, sans-serif`;
          g.textBaseline = "top";
          g.fillStyle = "#f5a623";
          g.fillText(`${p.isFake[i] ? "G" : "R"}${says === Boolean(p.isFake[i]) ? " ✓" : ""}`, x + 3, y + 2);
        }
        quiz.draw(p.quizImage, 1, 1);
        status.textContent = `detector accuracy on 100 held-out real + 100 fresh generated digits: ${Number.isFinite(frame.metrics.detectorAccuracy) ? `${(100 * frame.metrics.detectorAccuracy).toFixed(1)}%` : "–"} · ` +
          `generator updates ${p.ganIterations.toLocaleString("en")} · loss ${formatNumber(frame.loss)}`;
      },
    };
  },
});
