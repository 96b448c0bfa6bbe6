/**
 * The caption page's main picture: the learner's scene as the task renders it (48×48, scaled up
 * without smoothing) beside the grammar's caption and the model's, word by word. Each model
 * word is green where it agrees with the truth at that position, red where not, with a bar of
 * its probability; held-out colour–shape pairs in the truth are marked orange.
 */
import { isHeldOut, SIZE } from "../../../../src/zoo/caption/scenes.ts";
import { fitCanvas } from "../memory/heat.ts";
import type { CaptionPayload } from "./shared.ts";

const INK = "#1d232b", MUTED = "#5d6875", LINE = "#dfe3e8";
const GOOD = { fill: "#e6f4ea", line: "#2a9d58" }, BAD = { fill: "#fdecea", line: "#d1495b" };
const TRUTH = { fill: "#f0f2f4", line: "#c9d0d8" }, HELD = { fill: "#fff1e0", line: "#e8590c" };
const FONT = "14px system-ui, sans-serif";
const LABEL = "600 12px system-ui, sans-serif";

/** An RGB byte picture painted into a reusable small canvas (drawn scaled from there). */
export class Picture {
  readonly canvas = document.createElement("canvas");
  private readonly image = new ImageData(SIZE, SIZE);
  constructor() {
    this.canvas.width = SIZE;
    this.canvas.height = SIZE;
  }
  paint(rgb: Uint8Array, offset = 0): HTMLCanvasElement {
    const d = this.image.data;
    for (let i = 0; i < SIZE * SIZE; i++) {
      d[i * 4] = rgb[offset + i * 3];
      d[i * 4 + 1] = rgb[offset + i * 3 + 1];
      d[i * 4 + 2] = rgb[offset + i * 3 + 2];
      d[i * 4 + 3] = 255;
    }
    this.canvas.getContext("2d")!.putImageData(this.image, 0, 0);
    return this.canvas;
  }
}

interface Chip { text: string; fill: string; line: string; bar?: number }

/** Lays words out as chips from (x0, y), wrapping at x0 + width; returns the y below the last line. */
function chips(g: CanvasRenderingContext2D, words: Chip[], x0: number, y: number, width: number): number {
  g.font = FONT;
  g.textBaseline = "middle";
  g.textAlign = "left";
  const H = 24, gap = 5, lineH = words.some((w) => w.bar !== undefined) ? H + 12 : H + 6;
  let x = x0;
  for (const w of words) {
    const cw = g.measureText(w.text).width + 12;
    if (x > x0 && x + cw > x0 + width) {
      x = x0;
      y += lineH;
    }
    g.fillStyle = w.fill;
    g.strokeStyle = w.line;
    g.lineWidth = 1;
    g.beginPath();
    g.roundRect(x + 0.5, y + 0.5, cw - 1, H - 1, 5);
    g.fill();
    g.stroke();
    g.fillStyle = INK;
    g.fillText(w.text, x + 6, y + H / 2 + 1);
    if (w.bar !== undefined) {
      g.fillStyle = LINE;
      g.fillRect(x + 2, y + H + 3, cw - 4, 4);
      g.fillStyle = "#1f6feb";
      g.fillRect(x + 2, y + H + 3, (cw - 4) * Math.min(1, Math.max(0, w.bar)), 4);
    }
    x += cw + gap;
  }
  return y + lineH;
}

/** Which words of a caption belong to a held-out colour–shape pair ("… green triangle …"). */
function heldOutWords(words: string[]): boolean[] {
  const marks = words.map(() => false);
  for (let i = 0; i + 1 < words.length; i++) if (isHeldOut(words[i], words[i + 1])) marks[i] = marks[i + 1] = true;
  return marks;
}

/** Draws the main picture; returns where the scene is, [x, y, side] in CSS pixels. */
export function drawMain(canvas: HTMLCanvasElement, p: CaptionPayload, picture: Picture, step: number): [number, number, number] {
  const { g, width, height } = fitCanvas(canvas);
  // The scene: a square as tall as the canvas allows, crisp pixels.
  const side = Math.min(height - 8, Math.floor(width * 0.4));
  g.imageSmoothingEnabled = false;
  g.drawImage(picture.paint(p.image), 4, 4, side, side);
  g.strokeStyle = LINE;
  g.strokeRect(4.5, 4.5, side - 1, side - 1);

  const x0 = side + 28, w = width - x0 - 8;
  const label = (text: string, y: number, colour = MUTED) => {
    g.font = LABEL;
    g.fillStyle = colour;
    g.textBaseline = "alphabetic";
    g.fillText(text, x0, y);
  };
  const truth = p.truth.split(" ");
  const held = heldOutWords(truth);
  label("THE GRAMMAR'S CAPTION (THE TRUTH)", 20);
  let y = chips(g, truth.map((t, i) => ({ text: t, ...(held[i] ? HELD : TRUTH) })), x0, 28, w);

  const words = p.caption.split(" ").filter(Boolean);
  const exact = p.caption === p.truth;
  label(`THE MODEL'S CAPTION AT STEP ${step.toLocaleString("en")}`, y + 16);
  y = words.length === 0
    ? (label("(no words: it ended the caption at once)", y + 42, INK), y + 56)
    : chips(g, words.map((t, i) => ({ text: t, bar: p.probs[i], ...(t === truth[i] ? GOOD : BAD) })), x0, y + 24, w);

  g.font = "13px system-ui, sans-serif";
  g.textBaseline = "alphabetic";
  g.fillStyle = exact ? GOOD.line : BAD.line;
  g.fillText(exact ? "✓ exactly the grammar's caption" : `✗ ${words.length === truth.length ? "differs" : `${words.length} words for ${truth.length}`}`, x0, y + 14);
  // The key, at the foot of the text column.
  const keyY = Math.max(y + 40, height - 44);
  g.font = "12px system-ui, sans-serif";
  let kx = x0;
  for (const [style, text] of [[GOOD, "the truth's word at that place"], [BAD, "another word"], [HELD, "a held-out pair"]] as const) {
    g.fillStyle = style.fill;
    g.strokeStyle = style.line;
    g.beginPath();
    g.roundRect(kx + 0.5, keyY - 10.5, 16, 14, 3);
    g.fill();
    g.stroke();
    g.fillStyle = MUTED;
    g.fillText(text, kx + 21, keyY + 1);
    kx += 21 + g.measureText(text).width + 16;
  }
  g.fillText("Bars: the probability of each word it chose (greedy: always the likeliest).", x0, keyY + 24, w);
  return [4, 4, side];
}
