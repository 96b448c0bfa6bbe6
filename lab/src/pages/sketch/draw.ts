/**
 * The sketch page's pictures: the drawing pad (the learner's strokes, the points the model
 * reads, the model's continuation) and the gallery (held-out sketches, reconstructions, samples).
 * Everything is in the data's units (a sketch spans about 100; y points down, as Quick Draw's).
 */
import type { MixtureStep } from "../../../../src/zoo/sketch/mdn.ts";
import type { Point } from "../../../../src/zoo/sketch/strokes.ts";
import { fitCanvas } from "../memory/heat.ts";
import { GALLERY_ROWS, type SketchPayload } from "./shared.ts";

export const INK = "#1d232b";
export const COMPLETION = "#d1495b";
const RECONSTRUCTION = "#1f6feb";
const SAMPLE = "#2a9d58";
const MUTED = "#5d6875";
/** Data units shown across the pad's height. */
const PAD_SPAN = 200;
/** Data units shown across a gallery cell (one scale for all cells, so sizes compare). */
const CELL_SPAN = 150;

/** Data ↔ CSS pixels on the pad: the origin at its centre, PAD_SPAN units across its height. */
export interface PadTransform {
  toPixel(x: number, y: number): Point;
  toData(px: number, py: number): Point;
}

export function padTransform(width: number, height: number): PadTransform {
  const u = height / PAD_SPAN;
  return {
    toPixel: (x, y) => [width / 2 + x * u, height / 2 + y * u],
    toData: (px, py) => [(px - width / 2) / u, (py - height / 2) / u],
  };
}

/**
 * Strokes the segments of stroke-3 `rows` [n·3] from `start`: the segment into a point is drawn
 * when the pen was down after the previous one (`penDown` for the first row). Pen-up moves are
 * drawn dashed and faint when `moves` is set. Returns the last point and whether the pen is down.
 */
export function traceRows(g: CanvasRenderingContext2D, rows: ArrayLike<number>, start: Point, penDown: boolean, toPixel: (x: number, y: number) => Point, moves: boolean): [Point, boolean] {
  let [x, y] = start;
  let down = penDown;
  for (let i = 0; i < rows.length; i += 3) {
    const [ax, ay] = toPixel(x, y);
    x += rows[i];
    y += rows[i + 1];
    const [bx, by] = toPixel(x, y);
    if (down || moves) {
      g.save();
      if (!down) {
        g.setLineDash([3, 5]);
        g.globalAlpha = 0.35;
        g.lineWidth = 1.2;
      }
      g.beginPath();
      g.moveTo(ax, ay);
      g.lineTo(bx, by);
      g.stroke();
      g.restore();
    }
    down = rows[i + 2] < 0.5;
  }
  return [[x, y], down];
}

export interface PadState {
  /** The learner's strokes as drawn (absolute points). */
  strokes: Point[][];
  /** The simplified points the model reads. */
  points: Point[];
  /** The partial drawing's last point and whether the model continues it with the pen down. */
  end: Point | null;
  penDown: boolean;
  /** The continuation to draw (stroke-3 rows), or null. */
  completion: Float32Array | null;
  /** The distribution of the point after the drawing (data units), drawn with the completion. */
  next: MixtureStep | null;
  hint: string;
}

export function drawPad(canvas: HTMLCanvasElement, s: PadState): void {
  const { g, width, height } = fitCanvas(canvas);
  const t = padTransform(width, height);
  // A faint frame the size of the training sketches (±60 units), to draw at a familiar scale.
  const [fx0, fy0] = t.toPixel(-60, -60);
  const [fx1, fy1] = t.toPixel(60, 60);
  g.strokeStyle = "#eef0f3";
  g.setLineDash([4, 4]);
  g.strokeRect(fx0, fy0, fx1 - fx0, fy1 - fy0);
  g.setLineDash([]);
  g.lineCap = "round";
  g.lineJoin = "round";
  g.strokeStyle = INK;
  g.lineWidth = 3;
  for (const stroke of s.strokes) {
    g.beginPath();
    stroke.forEach(([x, y], i) => {
      const [px, py] = t.toPixel(x, y);
      if (i === 0) g.moveTo(px, py);
      else g.lineTo(px, py);
    });
    if (stroke.length === 1) g.lineTo(...t.toPixel(stroke[0][0] + 0.01, stroke[0][1]));
    g.stroke();
  }
  g.fillStyle = "#9aa4ae";
  for (const [x, y] of s.points) {
    const [px, py] = t.toPixel(x, y);
    g.beginPath();
    g.arc(px, py, 2.6, 0, 2 * Math.PI);
    g.fill();
  }
  if (s.next && s.end) drawMixture(g, s.next, s.end, t.toPixel);
  if (s.completion && s.end) {
    g.strokeStyle = COMPLETION;
    g.lineWidth = 3;
    traceRows(g, s.completion, s.end, s.penDown, t.toPixel, true);
    const [px, py] = t.toPixel(...s.end);
    g.fillStyle = COMPLETION;
    g.beginPath();
    g.arc(px, py, 4, 0, 2 * Math.PI);
    g.fill();
  }
  if (s.hint) {
    g.fillStyle = MUTED;
    g.font = "14px system-ui, sans-serif";
    g.textAlign = "center";
    g.textBaseline = "middle";
    g.fillText(s.hint, width / 2, height / 2);
  }
}

/**
 * The mixture of bivariate Gaussians for the next offset, centred on the drawing's last point:
 * each component's 1σ ellipse filled (darker = larger weight πⱼ) and its 2σ ellipse outlined.
 * The ellipse is the unit circle mapped by the covariance's Cholesky factor
 * [[σx, 0], [ρσy, σy√(1−ρ²)]]. The pen state's probabilities are written in the corner.
 */
function drawMixture(g: CanvasRenderingContext2D, m: MixtureStep, [ex, ey]: Point, toPixel: (x: number, y: number) => Point): void {
  const ellipse = (j: number, k: number) => {
    g.beginPath();
    for (let i = 0; i <= 48; i++) {
      const a = (2 * Math.PI * i) / 48;
      const [c, s] = [Math.cos(a), Math.sin(a)];
      const x = ex + m.muX[j] + k * m.sigmaX[j] * c;
      const y = ey + m.muY[j] + k * m.sigmaY[j] * (m.rho[j] * c + Math.sqrt(Math.max(0, 1 - m.rho[j] ** 2)) * s);
      const [px, py] = toPixel(x, y);
      if (i === 0) g.moveTo(px, py);
      else g.lineTo(px, py);
    }
  };
  g.save();
  g.lineWidth = 1;
  m.pi.forEach((pi, j) => {
    if (pi < 0.01) return;
    ellipse(j, 1);
    g.fillStyle = `rgba(209, 73, 91, ${(0.06 + 0.34 * pi).toFixed(3)})`;
    g.fill();
    ellipse(j, 2);
    g.strokeStyle = `rgba(209, 73, 91, ${(0.15 + 0.5 * pi).toFixed(3)})`;
    g.stroke();
  });
  g.fillStyle = MUTED;
  g.font = "12px system-ui, sans-serif";
  g.textAlign = "left";
  g.textBaseline = "top";
  const pct = (v: number) => `${Math.round(100 * v)}%`;
  g.fillText("Next point: the pink clouds are the mixture's Gaussians (1σ filled, 2σ outlined; darker = more weight)", 8, 6);
  g.fillText(`Its pen state: stays down ${pct(m.q[0])} · lifts after it ${pct(m.q[1])} · the sketch ends ${pct(m.q[2])}`, 8, 22);
  g.restore();
}

const ROW_TITLES = ["held-out", "reconstructed", "sampled z ~ N(0, I)"];
const ROW_COLOURS = [INK, RECONSTRUCTION, SAMPLE];

/** The gallery: a column per class, rows as ROW_TITLES; each sketch centred on its own box. */
export function drawGallery(canvas: HTMLCanvasElement, p: SketchPayload): void {
  const { g, width, height } = fitCanvas(canvas);
  const cols = p.labels.length;
  const left = 92, top = 18;
  const cw = (width - left) / cols, ch = (height - top) / GALLERY_ROWS;
  const u = Math.min(cw, ch) / CELL_SPAN;
  g.font = "12px system-ui, sans-serif";
  g.fillStyle = MUTED;
  g.textAlign = "center";
  g.textBaseline = "top";
  p.labels.forEach((label, c) => g.fillText(label, left + (c + 0.5) * cw, 2));
  g.textAlign = "left";
  g.textBaseline = "middle";
  g.lineCap = "round";
  g.lineJoin = "round";
  for (let r = 0; r < GALLERY_ROWS; r++) {
    g.fillStyle = ROW_COLOURS[r];
    const words = ROW_TITLES[r].split(" ");
    g.fillText(words[0], 2, top + (r + 0.5) * ch - (words.length > 1 ? 8 : 0));
    if (words.length > 1) g.fillText(words.slice(1).join(" "), 2, top + (r + 0.5) * ch + 8);
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      const from = p.gallery.starts[i] * 3, to = p.gallery.starts[i + 1] * 3;
      const rows = p.gallery.rows.subarray(from, to);
      // The sketch's box, to centre it in its cell.
      let x = 0, y = 0, x0 = 0, x1 = 0, y0 = 0, y1 = 0;
      for (let k = 0; k < rows.length; k += 3) {
        x += rows[k];
        y += rows[k + 1];
        x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
      }
      const cx = left + (c + 0.5) * cw, cy = top + (r + 0.5) * ch;
      const mx = (x0 + x1) / 2, my = (y0 + y1) / 2;
      g.save();
      g.beginPath();
      g.rect(left + c * cw + 1, top + r * ch + 1, cw - 2, ch - 2);
      g.clip();
      g.strokeStyle = ROW_COLOURS[r];
      g.lineWidth = 1.8;
      traceRows(g, rows, [0, 0], true, (a, b) => [cx + (a - mx) * u, cy + (b - my) * u], false);
      g.restore();
    }
  }
  g.strokeStyle = "#f0f2f4";
  g.lineWidth = 1;
  for (let r = 1; r < GALLERY_ROWS; r++) {
    g.beginPath();
    g.moveTo(left, top + r * ch);
    g.lineTo(width, top + r * ch);
    g.stroke();
  }
}
