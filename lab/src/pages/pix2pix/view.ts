/**
 * The pix2pix page: draw edges and get a digit; or fill a hole in a digit, colourise a photo,
 * find the roads on an aerial tile (the built-in example or your own PNG/JPEG). Above, held-out
 * pairs — input | the generator's output | the truth — improving while the conditional GAN trains.
 */
import { h } from "../../dom.ts";
import { definePage } from "../../protocol.ts";
import { EDGE_SIDE, EXAMPLES, type Picture, type Pix2PixMode, type Pix2PixParams, type Pix2PixPayload, UPLOAD_SIDE } from "./shared.ts";

/** A starting drawing: the outline of a slanted "0" (two ellipses), as Canny draws a digit. */
function startDrawing(): Float32Array {
  const d = new Float32Array(EDGE_SIDE * EDGE_SIDE);
  for (const [rx, ry] of [[6.5, 9.5], [3, 6]]) {
    for (let t = 0; t < 400; t++) {
      const a = (t / 400) * 2 * Math.PI;
      const x = 14 + rx * Math.cos(a) + 1.2 * Math.sin(a), y = 14 + ry * Math.sin(a);
      d[Math.round(y) * EDGE_SIDE + Math.round(x)] = 1;
    }
  }
  return d;
}

const START: Pix2PixParams = { mode: "edges", adversarial: true, lambda: 100, lr: 0.0005, drawing: startDrawing(), example: 0, hole: [14, 13], upload: null };
const MODES: Array<[Pix2PixMode, string]> = [["edges", "edges → digit"], ["inpaint", "fill in"], ["colorize", "colourise"], ["roads", "map → roads"]];
const HINTS: Record<Pix2PixMode, string> = {
  edges: "Draw light edges on the dark square (drag; right-click or Shift-drag erases). The generator fills in the digit whose outline you drew.",
  inpaint: "Click the digit to move the red hole; the generator paints what is missing. “Another digit” picks the next held-out digit.",
  colorize: "The generator sees only the lightness and predicts the colour (CIELAB a*, b*). The built-in photos are toned 19th-century prints: expect sepia. Upload any photo to try yours.",
  roads: "A synthetic aerial map (four held-out tiles); the generator marks the roads. Upload a map picture to try yours.",
};

/** Draws a picture (RGB in [0, 1]) into a canvas, scaled without smoothing to fit. */
function drawPicture(canvas: HTMLCanvasElement, p: Picture): void {
  const image = new ImageData(p.width, p.height);
  for (let i = 0; i < p.width * p.height; i++) {
    for (let c = 0; c < 3; c++) image.data[i * 4 + c] = Math.round(255 * Math.min(1, Math.max(0, p.data[i * 3 + c])));
    image.data[i * 4 + 3] = 255;
  }
  const off = document.createElement("canvas");
  off.width = p.width;
  off.height = p.height;
  off.getContext("2d")!.putImageData(image, 0, 0);
  const dpr = window.devicePixelRatio || 1;
  const cw = Math.max(1, Math.round(canvas.clientWidth * dpr)), ch = Math.max(1, Math.round(canvas.clientHeight * dpr));
  if (canvas.width !== cw || canvas.height !== ch) {
    canvas.width = cw;
    canvas.height = ch;
  }
  const g = canvas.getContext("2d")!;
  g.fillStyle = "#fff";
  g.fillRect(0, 0, cw, ch);
  g.imageSmoothingEnabled = false;
  const scale = Math.min(cw / p.width, ch / p.height);
  g.drawImage(off, Math.round((cw - p.width * scale) / 2), Math.round((ch - p.height * scale) / 2), Math.round(p.width * scale), Math.round(p.height * scale));
}

/** The examples as one picture: a row per pair (input | output | target), 2-pixel white gaps. */
function exampleSheet(examples: Float32Array, size: number): Picture {
  const gap = 2, W = 3 * size + 4 * gap, H = EXAMPLES * size + (EXAMPLES + 1) * gap;
  const data = new Float32Array(W * H * 3).fill(1);
  for (let k = 0; k < EXAMPLES; k++) {
    for (let j = 0; j < 3; j++) {
      const src = (k * 3 + j) * size * size * 3;
      const x0 = gap + j * (size + gap), y0 = gap + k * (size + gap);
      for (let y = 0; y < size; y++) data.set(examples.subarray(src + y * size * 3, src + (y + 1) * size * 3), ((y0 + y) * W + x0) * 3);
    }
  }
  return { width: W, height: H, data };
}

/** A user's picture file as RGB floats, shrunk to at most UPLOAD_SIDE (decoded by the browser). */
async function readUpload(file: File): Promise<Picture> {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, UPLOAD_SIDE / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale)), height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const g = canvas.getContext("2d")!;
  g.fillStyle = "#fff";
  g.fillRect(0, 0, width, height);
  g.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  const px = g.getImageData(0, 0, width, height).data;
  const data = new Float32Array(width * height * 3);
  for (let i = 0; i < width * height; i++) for (let c = 0; c < 3; c++) data[i * 3 + c] = px[i * 4 + c] / 255;
  return { width, height, data };
}

export default definePage<Pix2PixParams, Pix2PixPayload>({
  params: START,
  stepsPerFrame: 1,
  mount(ctx) {
    const params: Pix2PixParams = { ...START, drawing: START.drawing.slice() };
    const sheetEl = h("canvas", { class: "plot", "data-testid": "canvas" });
    sheetEl.style.height = "360px";
    const inputEl = h("canvas", { class: "plot draw", "data-testid": "pix2pix-input" });
    const outputEl = h("canvas", { class: "plot", "data-testid": "pix2pix-output" });
    for (const el of [inputEl, outputEl]) {
      el.style.width = "224px";
      el.style.height = "224px";
    }
    const status = h("p", { class: "hint", "data-testid": "pix2pix-status" }, "Loading the data…");
    const hint = h("p", { class: "hint" }, HINTS[params.mode]);
    const file = h("input", { type: "file", accept: "image/png,image/jpeg", "data-testid": "upload" });
    const clear = h("button", { "data-testid": "clear", onclick: () => { params.drawing.fill(0); sendDrawing(); } }, "Clear");
    const reset = h("button", { onclick: () => { params.drawing = startDrawing(); sendDrawing(); } }, "The 0");
    const another = h("button", { "data-testid": "another", onclick: () => ctx.setParams({ example: ++params.example }) }, "Another digit");
    const builtin = h("button", { "data-testid": "example", onclick: () => { params.upload = null; file.value = ""; ctx.setParams({ upload: null }); } }, "Built-in example");
    const tools = h("div", { class: "controls" });

    ctx.stage.append(
      h("figure", {}, sheetEl, h("figcaption", {},
        "Held-out pairs, one per row: the input | the generator's output | the truth. They improve as the conditional GAN trains: ",
        "a U-Net generator (skip connections) against a PatchGAN discriminator that judges every 34×34 patch of (input, output), plus λ·L1 to the truth.")),
      h("figure", {},
        h("div", { class: "controls" }, inputEl, h("span", { class: "arrow" }, "→"), outputEl),
        tools, status, hint));

    const modeButtons = MODES.map(([mode, label]) => h("button", { "data-mode": mode, class: mode === params.mode ? "chosen" : undefined, onclick: () => chooseMode(mode) }, label));
    const adversary = h("input", { type: "checkbox", checked: params.adversarial, "data-testid": "adversarial", onchange: () => ctx.setParams({ adversarial: (params.adversarial = adversary.checked) }) });
    const lambda = h("select", { "data-testid": "lambda", onchange: () => ctx.setParams({ lambda: (params.lambda = Number(lambda.value)) }) },
      ...[10, 30, 100, 300].map((v) => h("option", { value: v, selected: v === params.lambda }, `λ = ${v}`)));
    ctx.panel.append(
      h("h3", {}, "Translate"),
      h("div", { class: "row", "data-testid": "modes" }, ...modeButtons),
      h("h3", {}, "Loss"),
      h("div", { class: "row" }, h("label", {}, adversary, " adversary (pix2pix)"), lambda),
      h("p", { class: "hint" },
        "With the adversary off, the generator learns λ·L1 alone (the ablation): blurrier strokes, greyer colours. ",
        "The loss shown is the generator's L1 term. Changing the mode restarts training; the loss settings change live."));

    function chooseMode(mode: Pix2PixMode): void {
      if (mode === params.mode) return;
      params.mode = mode;
      params.upload = null;
      modeButtons.forEach((b) => b.classList.toggle("chosen", b.dataset.mode === mode));
      hint.textContent = HINTS[mode];
      status.textContent = "Loading the data…";
      layoutTools();
      ctx.setParams({ mode, upload: null });
    }

    function layoutTools(): void {
      tools.replaceChildren(...(params.mode === "edges" ? [clear, reset] : params.mode === "inpaint" ? [another] : [file, builtin]));
      inputEl.classList.toggle("draw", params.mode === "edges" || params.mode === "inpaint");
    }
    layoutTools();

    file.addEventListener("change", async () => {
      const f = file.files?.[0];
      if (!f) return;
      try {
        params.upload = await readUpload(f);
        status.textContent = `${f.name}: ${params.upload.width}×${params.upload.height}`;
        ctx.setParams({ upload: params.upload });
      } catch (e) {
        status.textContent = `Could not read ${f.name}: ${(e as Error).message}`;
      }
    });

    // Drawing edges (or placing the hole) on the input canvas, in EDGE_SIDE-pixel coordinates.
    let drawing = false, erase = false, last: [number, number] | null = null;
    const toGrid = (e: PointerEvent): [number, number] => {
      const r = inputEl.getBoundingClientRect();
      const side = Math.min(r.width, r.height);
      const x0 = r.left + (r.width - side) / 2, y0 = r.top + (r.height - side) / 2;
      return [((e.clientX - x0) / side) * EDGE_SIDE, ((e.clientY - y0) / side) * EDGE_SIDE];
    };
    const paint = (p: [number, number]) => {
      const from = last ?? p;
      const n = Math.max(1, Math.ceil(Math.hypot(p[0] - from[0], p[1] - from[1]) * 2));
      for (let k = 0; k <= n; k++) {
        const x = Math.floor(from[0] + ((p[0] - from[0]) * k) / n), y = Math.floor(from[1] + ((p[1] - from[1]) * k) / n);
        if (x >= 0 && y >= 0 && x < EDGE_SIDE && y < EDGE_SIDE) params.drawing[y * EDGE_SIDE + x] = erase ? 0 : 1;
      }
      last = p;
    };
    function sendDrawing(): void {
      ctx.setParams({ drawing: params.drawing.slice() });
    }
    inputEl.addEventListener("contextmenu", (e) => e.preventDefault());
    inputEl.addEventListener("pointerdown", (e) => {
      if (params.mode === "inpaint") {
        const [x, y] = toGrid(e);
        ctx.setParams({ hole: (params.hole = [Math.min(EDGE_SIDE, Math.max(0, x)), Math.min(EDGE_SIDE, Math.max(0, y))]) });
        return;
      }
      if (params.mode !== "edges") return;
      drawing = true;
      erase = e.button === 2 || e.shiftKey;
      last = null;
      inputEl.setPointerCapture(e.pointerId);
      paint(toGrid(e));
      sendDrawing();
    });
    inputEl.addEventListener("pointermove", (e) => {
      if (!drawing) return;
      paint(toGrid(e));
      sendDrawing();
    });
    const stop = () => { drawing = false; last = null; };
    inputEl.addEventListener("pointerup", stop);
    inputEl.addEventListener("pointercancel", stop);

    let shownVersion = -1;
    return {
      draw(frame) {
        const p = frame.payload;
        if (!p || p.version === shownVersion) return;
        shownVersion = p.version;
        if (p.mode !== params.mode) return;
        drawPicture(sheetEl, exampleSheet(p.examples, p.size));
        drawPicture(inputEl, p.user.input);
        drawPicture(outputEl, p.user.output);
        if (!params.upload) status.textContent = `Step ${frame.step}: ${p.mode === "edges" ? "your drawing" : p.mode === "inpaint" ? "a held-out digit with a hole" : "the built-in example"} → the generator's output.`;
      },
    };
  },
});
