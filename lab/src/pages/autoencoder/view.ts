/**
 * The autoencoder page: the 2-D latent map of a live autoencoder (click anywhere on it to see
 * what the decoder draws there), a noise slider with the denoising autoencoder's output, and a
 * code-size slider with what that many 8-bit numbers per image keep.
 */
import { CLASS_COLOURS } from "../../../../src/zoo/autoencoder/plots.ts";
import { formatNumber, h } from "../../dom.ts";
import { Plot, type Ranges } from "../../plot.ts";
import { definePage } from "../../protocol.ts";
import { DigitTiles } from "../../tiles.ts";
import { type AEParams, type AEPayload, CODE_SIZES, MAX_NOISE, PIXELS, SHOWN } from "./shared.ts";

const START: AEParams = { code: 16, noise: 0.3, probe: null, lr: 0.002 };
const LEARNING_RATES = [0.0005, 0.001, 0.002, 0.005];
const COLOURS = CLASS_COLOURS.map(([r, g, b]) => `rgb(${Math.round(r * 255)} ${Math.round(g * 255)} ${Math.round(b * 255)})`);

/** Sets inline styles through the CSSOM (the Lab's CSP blocks style attributes, not this). */
function styled<E extends HTMLElement>(el: E, css: Partial<CSSStyleDeclaration>): E {
  Object.assign(el.style, css);
  return el;
}

/** A tick step of 1, 2 or 5 × 10ᵏ giving about `count` ticks over a span. */
function tickStep(span: number, count = 5): number {
  const raw = span / count, k = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * k).find((s) => s >= raw) ?? 10 * k;
}

/** Axis ranges covering the 1st–99th percentile of the points on each axis, padded, with ticks. */
function mapRanges(points: Float32Array): Ranges {
  const n = points.length / 2;
  const axis = (a: number): [number, number] => {
    const v = Float32Array.from({ length: n }, (_, i) => points[2 * i + a]).sort();
    const lo = v[Math.floor(0.01 * (n - 1))], hi = v[Math.ceil(0.99 * (n - 1))];
    const pad = Math.max((hi - lo) * 0.12, 1e-3);
    return [lo - pad, hi + pad];
  };
  const x = axis(0), y = axis(1);
  const ticks = ([lo, hi]: [number, number]) => {
    const s = tickStep(hi - lo);
    const out: number[] = [];
    for (let t = Math.ceil(lo / s) * s; t <= hi; t += s) out.push(Number(t.toPrecision(6)));
    return out;
  };
  return { x, y, xTicks: ticks(x), yTicks: ticks(y) };
}

export default definePage<AEParams, AEPayload>({
  params: START,
  stepsPerFrame: 10,
  mount(ctx) {
    const params = { ...START };
    let map: { points: Float32Array; labels: Uint8Array } | null = null;
    let last: AEPayload | null = null;

    // Stage: the map with the decoded probe; the noise rows; the code-size rows.
    const mapEl = h("canvas", { class: "plot main draw", "data-testid": "canvas", title: "click to decode this point" });
    const probeEl = styled(h("canvas", { class: "plot", "data-testid": "probe-canvas" }), { height: "150px", width: "150px", background: "#000" });
    const probeInfo = styled(h("div", { "data-testid": "probe-info" }, "click the map"), { fontSize: "0.82rem", color: "var(--muted)", textAlign: "center", marginTop: "0.3rem" });
    const noiseEl = styled(h("canvas", { class: "plot", "data-testid": "noise-canvas" }), { height: "170px" });
    const codeEl = styled(h("canvas", { class: "plot", "data-testid": "code-canvas" }), { height: "118px" });
    const noiseInfo = h("span", { "data-testid": "noise-info" }, "–");
    const codeInfo = h("span", { "data-testid": "code-info" }, "–");
    const legend = styled(h("div", {},
      ...COLOURS.map((c, d) => h("span", {}, styled(h("span"), { display: "inline-block", width: "0.7rem", height: "0.7rem", borderRadius: "50%", background: c, marginRight: "0.25rem", verticalAlign: "-1px" }), String(d)))),
    { display: "flex", gap: "0.7rem", flexWrap: "wrap", fontSize: "0.8rem", marginTop: "0.3rem" });
    ctx.stage.append(
      h("figure", {},
        styled(h("div", {},
          styled(h("div", {}, mapEl, legend), { flex: "1", minWidth: "0" }),
          styled(h("div", {}, probeEl, probeInfo), { width: "150px", flex: "none" })),
        { display: "flex", gap: "0.8rem", alignItems: "flex-start" }),
        h("figcaption", {}, "The latent map: each dot is a training digit placed at its 2-D code z = E(x) (600 of the 1,000 the page trains on; colour: its class, which the network never sees). Click anywhere — the right square is what the decoder draws for that point, ", h("i", {}, "including"), " between the clusters.")),
      h("figure", {}, noiseEl, h("figcaption", {},
        "Denoising: held-out digits (top), with Gaussian noise of the slider's σ (middle), and what the denoising autoencoder makes of them (bottom). ", noiseInfo)),
      h("figure", {}, codeEl, h("figcaption", {},
        "Compression: the same digits (top) rebuilt from their code of the slider's size, each number quantised to 8 bits (bottom). ", codeInfo)));

    // Panel: noise, code size, learning rate.
    const noiseValue = h("span", { class: "value" }, START.noise.toFixed(2));
    const noise = h("input", {
      type: "range", min: 0, max: MAX_NOISE, step: 0.05, value: START.noise, "data-testid": "noise",
      oninput: () => {
        params.noise = Number(noise.value);
        noiseValue.textContent = params.noise.toFixed(2);
        ctx.setParams({ noise: params.noise });
      },
    });
    const codeValue = h("span", { class: "value" }, START.code);
    const code = h("input", {
      type: "range", min: 0, max: CODE_SIZES.length - 1, step: 1, value: CODE_SIZES.indexOf(START.code as (typeof CODE_SIZES)[number]), "data-testid": "code",
      oninput: () => {
        params.code = CODE_SIZES[Number(code.value)];
        codeValue.textContent = String(params.code);
        ctx.setParams({ code: params.code });
      },
    });
    const lr = h("select", { "data-testid": "lr", onchange: () => ctx.setParams({ lr: Number(lr.value) }) },
      ...LEARNING_RATES.map((v) => h("option", { value: v, selected: v === START.lr }, v)));
    ctx.panel.append(
      h("h3", {}, "Noise σ"),
      h("div", { class: "row" }, noise, noiseValue),
      h("h3", {}, "Code size (numbers per image)"),
      h("div", { class: "row" }, code, codeValue),
      h("h3", {}, "Learning rate (Adam)"),
      h("div", { class: "row" }, lr),
      h("p", { class: "hint" }, "Two networks train by turns: the map's (784→64→2→64→784) and the codec's (784→64→code→64→784, trained on noisy inputs). A new code size restarts the codec only. Loss: the mean of their MSEs."));

    // Clicking the map decodes that point.
    const plot = new Plot(mapEl, { x: [-1, 1], y: [-1, 1], xTicks: [-1, 0, 1], yTicks: [-1, 0, 1] }, { left: 40, top: 10, right: 10, bottom: 22 });
    mapEl.addEventListener("pointerdown", (e) => {
      const r = mapEl.getBoundingClientRect();
      const [x, y] = plot.fromPixel(e.clientX - r.left, e.clientY - r.top);
      params.probe = [x, y];
      ctx.setParams({ probe: [x, y] });
      drawMap();
    });

    function drawMap(): void {
      const g = plot.begin();
      if (map) {
        // One path and one fill per colour: ten fills instead of one per point.
        const { points, labels } = map;
        for (let digit = 0; digit < 10; digit++) {
          g.fillStyle = COLOURS[digit];
          g.beginPath();
          for (let i = 0; i < labels.length; i++) {
            if (labels[i] === digit) g.rect(plot.px(points[2 * i]) - 1.5, plot.py(points[2 * i + 1]) - 1.5, 3, 3);
          }
          g.fill();
        }
      }
      if (params.probe) {
        const [x, y] = params.probe;
        g.strokeStyle = "#1d232b";
        g.lineWidth = 2;
        g.beginPath();
        g.arc(plot.px(x), plot.py(y), 7, 0, 2 * Math.PI);
        g.stroke();
      }
      plot.end();
    }

    const probeTiles = new DigitTiles(probeEl), noiseTiles = new DigitTiles(noiseEl), codeTiles = new DigitTiles(codeEl);
    const noiseRows = new Float32Array(3 * SHOWN * PIXELS), codeRows = new Float32Array(2 * SHOWN * PIXELS);
    const blank = new Float32Array(PIXELS).fill(-1);
    // The map is redrawn only when it changed (a new map, a click, a resize), not every frame.
    let mapDirty = true;
    // While training, one picture per animation frame in turn (probe, noise row, code row):
    // drawing all three scaled tile sheets in one frame took 25–30 ms of main-thread CPU.
    let turn = 0;
    const redraw = (all = true) => {
      if (mapDirty) drawMap();
      mapDirty = false;
      if (!last) return;
      const which = all ? -1 : turn++ % 3;
      if (which <= 0) probeTiles.draw(last.probe ?? blank, 1, 1);
      if (which === -1 || which === 1) {
        noiseRows.set(last.clean, 0);
        noiseRows.set(last.noisy, SHOWN * PIXELS);
        noiseRows.set(last.denoised, 2 * SHOWN * PIXELS);
        noiseTiles.draw(noiseRows, 3 * SHOWN, SHOWN);
      }
      if (which === -1 || which === 2) {
        codeRows.set(last.clean, 0);
        codeRows.set(last.reconstructed, SHOWN * PIXELS);
        codeTiles.draw(codeRows, 2 * SHOWN, SHOWN);
      }
    };
    const resize = new ResizeObserver(() => {
      mapDirty = true;
      redraw();
    });
    resize.observe(mapEl);
    redraw();

    return {
      draw(frame) {
        const p = frame.payload;
        if (p.map) {
          map = p.map;
          plot.setRanges(mapRanges(p.map.points));
          mapDirty = true;
        }
        last = p;
        const m = frame.metrics;
        if (params.probe) probeInfo.textContent = `z = (${params.probe[0].toFixed(2)}, ${params.probe[1].toFixed(2)})`;
        if (m.psnrNoisy !== undefined) {
          noiseInfo.textContent = `PSNR over 200 held-out digits: noisy ${formatNumber(m.psnrNoisy)} dB → denoised ${formatNumber(m.psnrDenoised)} dB.`;
          codeInfo.textContent = `${p.code} bytes per image (vs 784 raw): PSNR ${formatNumber(m.psnrCode)} dB over 200 held-out digits.`;
        }
        redraw(!frame.running);
      },
      destroy: () => resize.disconnect(),
    };
  },
});
