/**
 * The sketch page: draw the start of a sketch with the mouse and a live SketchRNN finishes it
 * (in red) from your last point; below, held-out sketches, their reconstructions and samples
 * from the prior, redrawn as it trains. The class picker chooses where the completion's latent
 * z comes from (your drawing, or a held-out sketch of a class); the temperature how boldly it draws.
 */
import { Generator } from "../../../../src/core/random.ts";
import { generateSketch, SKETCH_CLASSES, type SketchClass } from "../../../../src/zoo/sketch/generator.ts";
import { type Point, simplifyStroke, type Stroke3, stroke3ToStrokes, strokesToStroke3 } from "../../../../src/zoo/sketch/strokes.ts";
import { formatNumber, h } from "../../dom.ts";
import { definePage, type Frame } from "../../protocol.ts";
import { drawGallery, drawPad, padTransform } from "./draw.ts";
import { BATCH, DEC_HIDDEN, ENC_HIDDEN, LATENT, MAX_PREFIX_ROWS, MIXTURES, PER_CLASS, type SketchParams, type SketchPayload } from "./shared.ts";

/** RDP tolerance in data units: a drawn circle keeps about as many points as a training circle (12–16). */
const SIMPLIFY = 1.5;
/** The first half of a generated sketch of `label`, centred where the whole sketch would be. */
function halfExample(label: SketchClass, g: Generator): Point[][] {
  const full = generateSketch(label, g);
  const all = stroke3ToStrokes(full).flat();
  const cx = (Math.min(...all.map((p) => p[0])) + Math.max(...all.map((p) => p[0]))) / 2;
  const cy = (Math.min(...all.map((p) => p[1])) + Math.max(...all.map((p) => p[1]))) / 2;
  return stroke3ToStrokes(full.slice(0, Math.ceil(full.length / 2))).map((s) => s.map(([x, y]) => [x - cx, y - cy] as Point));
}

/** The drawing as the model reads it: simplified strokes → stroke-3 (the first row is the first point). */
function toPrefix(strokes: readonly Point[][], continueStroke: boolean): { rows: Stroke3; points: Point[] } {
  const count = (ss: Point[][]) => ss.reduce((n, s) => n + s.length, 0);
  let eps = SIMPLIFY;
  let simple = strokes.map((s) => simplifyStroke(s, eps));
  // A long scribble: coarser until it fits (a long prefix would hold up training), and if
  // many strokes still do not fit, the model reads only the latest ones.
  for (let k = 0; k < 8 && count(simple) > MAX_PREFIX_ROWS; k++) simple = strokes.map((s) => simplifyStroke(s, (eps *= 1.5)));
  while (simple.length > 1 && count(simple) > MAX_PREFIX_ROWS) simple = simple.slice(1);
  const rows = strokesToStroke3(simple);
  if (continueStroke && rows.length) rows[rows.length - 1][2] = 0;
  return { rows, points: simple.flat() };
}

const examples = new Generator(7);
const START_STROKES = halfExample("circle", examples);
const START: SketchParams = { temperature: 0.4, label: "", prefix: Float32Array.from(toPrefix(START_STROKES, true).rows.flat()), request: 0 };

export default definePage<SketchParams, SketchPayload>({
  params: START,
  stepsPerFrame: 10,
  mount(ctx) {
    let strokes: Point[][] = START_STROKES.map((s) => s.map((p) => [...p] as Point));
    let continueStroke = true;
    let prefix = toPrefix(strokes, continueStroke);
    let request = START.request;
    /** The request whose completion belongs on the pad; null once the drawing changed after it (or was cleared). */
    let showing: number | null = request;
    let last: Frame<SketchPayload> | undefined;
    let drawnCompletion = -1, drawnGallery = -1;

    const pad = h("canvas", { class: "plot main draw", "data-testid": "canvas", "data-strokes": 0, "data-prefix-points": 0, "data-completion-points": 0 });
    pad.style.height = "380px";
    const gallery = h("canvas", { class: "plot", "data-testid": "gallery" });
    gallery.style.height = "300px";
    const info = h("span", { "data-testid": "completion-info" }, "");
    const galleryInfo = h("span", {}, "");
    const finish = h("button", { "data-testid": "complete", title: "the model continues your drawing from its last point", onclick: () => complete() }, "Finish it");
    const clear = h("button", { "data-testid": "clear", onclick: () => setStrokes([]) }, "Clear");
    const example = h("button", { "data-testid": "example", title: "the first half of a generated sketch of the class chosen on the right", onclick: () => startExample() }, "Half an example");
    const cont = h("input", {
      type: "checkbox", checked: true, "data-testid": "continue-stroke",
      onchange: () => { continueStroke = cont.checked; drawingChanged(); },
    });
    ctx.stage.append(
      h("figure", {},
        h("div", { class: "controls" }, finish, clear, example, h("label", { title: "off: the pen is lifted after your last stroke, and the model starts a new one" }, cont, " continue my last stroke")),
        pad,
        h("figcaption", {},
          "Draw with the mouse (black); the grey dots are the points the model reads (the stroke simplified like Quick Draw's data). ",
          "Finish it: the decoder reads your points, then draws on from the red dot, one offset at a time (red; dashed: the pen lifted). While it trains, the completion is redrawn every 1.5 s with the same random draws, so what changes is the model.",
          h("br"), info)),
      h("figure", {},
        gallery,
        h("figcaption", {},
          "Every column is a class. Held-out sketches (black), what the model draws back from their latent z = μ (blue), and sketches from random z ~ N(0, I) (green), at the temperature on the right. ",
          galleryInfo)));

    // Panel: where z comes from, and the temperature.
    const classSelect = h("select", { "data-testid": "class", onchange: () => ctx.setParams({ label: classSelect.value }) },
      h("option", { value: "", selected: true }, "your drawing (the encoder's μ)"),
      ...SKETCH_CLASSES.map((c) => h("option", { value: c }, `a held-out ${c}`)));
    const tempValue = h("span", { class: "value", "data-testid": "temperature-value" }, START.temperature.toFixed(2));
    const temperature = h("input", {
      type: "range", min: 0.05, max: 1.5, step: 0.05, value: START.temperature, "data-testid": "temperature",
      oninput: () => {
        tempValue.textContent = Number(temperature.value).toFixed(2);
        ctx.setParams({ temperature: Number(temperature.value) });
      },
    });
    ctx.panel.append(
      h("h3", {}, "Finish it with z from"),
      h("div", { class: "row" }, classSelect),
      h("h3", {}, "Sampling temperature"),
      h("div", { class: "row" }, temperature, tempValue),
      h("p", { class: "hint" },
        `SketchRNN (Ha & Eck 2017): a bidirectional LSTM (${ENC_HIDDEN} units each way) reads a sketch in stroke-5 format (offsets Δx, Δy and a pen state) into a Gaussian latent z (${LATENT} numbers); `,
        `an LSTM decoder (${DEC_HIDDEN} units) draws it back one point at a time from a mixture of ${MIXTURES} bivariate Gaussians and a 3-way pen state (down, lifted, end). `,
        `Data: ${(PER_CLASS * SKETCH_CLASSES.length).toLocaleString("en")} generated hand-drawn-looking sketches of ${SKETCH_CLASSES.length} classes; one step is one AdamW update on ${BATCH} of them.`),
      h("p", { class: "hint" },
        "The loss readout is e^L_R, L_R the reconstruction loss (nats per point: offsets + pen). L_R is a negative log-density, which goes below 0 as the model grows sure of its strokes — a log-scale chart cannot show that; e^L_R falls exactly when L_R does, and the chart of it is L_R's on a linear scale."),
      h("p", { class: "hint" },
        "τ divides the mixture's and the pen's logits and scales the Gaussians' variance: low τ draws the likeliest strokes, high τ wilder ones. ",
        "With a class, the completion takes its z from one of that class's held-out sketches (each Finish it the next one) instead of from your drawing."));

    // Drawing: a stroke per press; the pad keeps absolute points in the data's units.
    let current: Point[] | null = null;
    const toData = (e: PointerEvent): Point => {
      const r = pad.getBoundingClientRect();
      return padTransform(r.width, r.height).toData(e.clientX - r.left, e.clientY - r.top);
    };
    pad.addEventListener("pointerdown", (e) => {
      pad.setPointerCapture(e.pointerId);
      current = [toData(e)];
      strokes.push(current);
      drawingChanged();
    });
    pad.addEventListener("pointermove", (e) => {
      if (!current) return;
      const p = toData(e), q = current[current.length - 1];
      if (Math.hypot(p[0] - q[0], p[1] - q[1]) < 0.5) return;
      current.push(p);
      redraw();
    });
    const stop = () => {
      if (!current) return;
      current = null;
      drawingChanged();
    };
    pad.addEventListener("pointerup", stop);
    pad.addEventListener("pointercancel", stop);

    function drawingChanged(): void {
      prefix = toPrefix(strokes, continueStroke);
      showing = null; // the old completion no longer continues this drawing
      redraw();
    }

    function setStrokes(next: Point[][]): void {
      strokes = next;
      drawingChanged();
      if (next.length === 0) ctx.setParams({ prefix: new Float32Array(0) });
    }

    function startExample(): void {
      const label = (classSelect.value || SKETCH_CLASSES[examples.randint(0, SKETCH_CLASSES.length)]) as SketchClass;
      setStrokes(halfExample(label, examples));
      complete();
    }

    function complete(): void {
      if (prefix.rows.length === 0) return;
      showing = ++request;
      ctx.setParams({ prefix: Float32Array.from(prefix.rows.flat()), request });
      redraw();
    }

    function redraw(): void {
      const c = last?.payload.completion;
      const shown = c && c.request === showing ? c : null;
      const end = strokes.length ? strokes[strokes.length - 1] : null;
      drawPad(pad, {
        strokes, points: prefix.points,
        end: end ? end[end.length - 1] : null,
        penDown: continueStroke,
        completion: shown ? shown.rows : null,
        next: shown ? shown.next : null,
        hint: strokes.length ? "" : "Draw the start of a sketch here, then press Finish it",
      });
      pad.dataset.strokes = String(strokes.length);
      pad.dataset.prefixPoints = String(prefix.rows.length);
      pad.dataset.completionPoints = String(shown ? shown.rows.length / 3 : 0);
      pad.dataset.completionRequest = shown ? String(shown.request) : "";
      pad.dataset.completionSeq = shown ? String(shown.seq) : "";
      info.textContent = shown
        ? `This completion: +${shown.rows.length / 3} points, z from ${shown.source}, τ ${shown.temperature.toFixed(2)}, the weights of step ${shown.step.toLocaleString("en")}; ${shown.rows.length === 0 ? "the model ended the sketch at once (pen state p₃)." : shown.ended ? "the model ended the sketch itself." : "it had not ended the sketch after N_max points."}`
        : showing !== null ? "Waiting for the model…" : "";
      drawnCompletion = c?.seq ?? -1;
    }

    const redrawAll = () => {
      redraw();
      if (last) drawGallery(gallery, last.payload);
    };
    const resize = new ResizeObserver(redrawAll);
    resize.observe(pad);
    resize.observe(gallery);
    redraw();

    return {
      draw(frame) {
        last = frame;
        const p = frame.payload;
        const { reconNll, kl } = frame.metrics;
        galleryInfo.textContent = `Drawn with the weights of step ${p.galleryStep.toLocaleString("en")}. Reconstruction loss L_R ${reconNll === undefined ? "–" : formatNumber(reconNll)} nats per point, KL ${kl === undefined || !Number.isFinite(kl) ? "–" : formatNumber(kl)} nats per latent dimension.`;
        // Redraw only what changed: the pad when a new completion arrives (or while drawing), the gallery on its own schedule.
        if ((p.completion?.seq ?? -1) !== drawnCompletion && !current) redraw();
        if (p.gallerySeq !== drawnGallery) {
          drawnGallery = p.gallerySeq;
          drawGallery(gallery, p);
        }
      },
      destroy: () => resize.disconnect(),
    };
  },
});

