import { NNZooError } from "../../core/errors.js";

/**
 * Sketch formats (Ha & Eck 2017, §3.1):
 *
 * - strokes (absolute): a list of pen-down polylines, each a list of [x, y] points.
 * - stroke-3: one row [Δx, Δy, p] per point: the offset from the previous point, and p = 1
 *   if the pen lifts after this point (the end of a stroke). The first row is the first
 *   point's offset from the origin; here sketches start at their first point, so it is [0, 0, p].
 * - stroke-5: one row [Δx, Δy, p₁, p₂, p₃]: p₁ = pen stays down (draw to the next point),
 *   p₂ = pen lifts after this point, p₃ = the sketch has ended (this and every later row).
 *   Sequences are padded to N_max with [0, 0, 0, 0, 1]; the model's first input is
 *   S₀ = [0, 0, 1, 0, 0].
 */
export type Point = [number, number];
export type Stroke3 = Array<[number, number, number]>;
export type Stroke5 = Array<[number, number, number, number, number]>;

/** Absolute polylines → stroke-3 (the first point at the origin). */
export function strokesToStroke3(strokes: readonly (readonly Point[])[]): Stroke3 {
  const out: Stroke3 = [];
  let prev: Point | null = null;
  for (const stroke of strokes) {
    stroke.forEach(([x, y], i) => {
      const [px, py] = prev ?? [x, y];
      out.push([x - px, y - py, i === stroke.length - 1 ? 1 : 0]);
      prev = [x, y];
    });
  }
  return out;
}

/** Stroke-3 → absolute polylines (cumulative sums, split after each pen lift). */
export function stroke3ToStrokes(s: Stroke3): Point[][] {
  const strokes: Point[][] = [];
  let current: Point[] = [];
  let x = 0;
  let y = 0;
  for (const [dx, dy, p] of s) {
    x += dx;
    y += dy;
    current.push([x, y]);
    if (p >= 0.5) {
      strokes.push(current);
      current = [];
    }
  }
  if (current.length) strokes.push(current);
  return strokes;
}

/** Stroke-3 → stroke-5 of length maxLen (sketch-rnn's to_big_strokes); throws if the sketch is longer. */
export function stroke3ToStroke5(s: Stroke3, maxLen = s.length): Stroke5 {
  if (s.length > maxLen) throw new NNZooError(`sketch of ${s.length} points is longer than the maximum ${maxLen}`);
  const out: Stroke5 = s.map(([dx, dy, p]) => [dx, dy, 1 - p, p, 0]);
  while (out.length < maxLen) out.push([0, 0, 0, 0, 1]);
  return out;
}

/** Stroke-5 → stroke-3: rows up to the first end-of-sketch (p₃ = 1), p = p₂. */
export function stroke5ToStroke3(s: Stroke5): Stroke3 {
  const out: Stroke3 = [];
  for (const [dx, dy, , p2, p3] of s) {
    if (p3 >= 0.5) break;
    out.push([dx, dy, p2 >= 0.5 ? 1 : 0]);
  }
  return out;
}

/**
 * Ramer–Douglas–Peucker: the fewest points of a polyline that keep every dropped point within
 * `epsilon` of the simplified line. Quick Draw's "simplified" drawings were made this way, so
 * a drawing made with a mouse (a point every few pixels) must be simplified before a model
 * trained on such data reads it: its offsets would otherwise be far shorter than any it saw.
 */
export function simplifyStroke(points: readonly Point[], epsilon: number): Point[] {
  if (points.length <= 2) return points.map((p) => [p[0], p[1]] as Point);
  const keep = new Uint8Array(points.length);
  keep[0] = keep[points.length - 1] = 1;
  const spans: Array<[number, number]> = [[0, points.length - 1]];
  while (spans.length > 0) {
    const [a, b] = spans.pop()!;
    const [ax, ay] = points[a];
    const [bx, by] = points[b];
    const dx = bx - ax;
    const dy = by - ay;
    const len = Math.hypot(dx, dy);
    let worst = -1;
    let far = 0;
    for (let i = a + 1; i < b; i++) {
      const [px, py] = points[i];
      // Distance to the line through a and b (to a itself when a and b coincide).
      const d = len > 0 ? Math.abs(dy * (px - ax) - dx * (py - ay)) / len : Math.hypot(px - ax, py - ay);
      if (d > far) {
        far = d;
        worst = i;
      }
    }
    if (worst >= 0 && far > epsilon) {
      keep[worst] = 1;
      spans.push([a, worst], [worst, b]);
    }
  }
  return points.filter((_, i) => keep[i] === 1).map((p) => [p[0], p[1]] as Point);
}

/** The standard deviation of all offsets (Δx and Δy together): sketch-rnn's normalising scale. */
export function offsetScale(sketches: readonly Stroke3[]): number {
  let n = 0;
  let sum = 0;
  let sq = 0;
  for (const s of sketches) {
    for (const [dx, dy] of s) {
      sum += dx + dy;
      sq += dx * dx + dy * dy;
      n += 2;
    }
  }
  if (n === 0) throw new NNZooError("no points to compute the offset scale from");
  const mean = sum / n;
  const std = Math.sqrt(Math.max(sq / n - mean * mean, 0));
  return std > 0 ? std : 1;
}

export const scaleStroke3 = (s: Stroke3, factor: number): Stroke3 => s.map(([dx, dy, p]) => [dx * factor, dy * factor, p]);

export interface SvgPart {
  sketch: Stroke3;
  colour?: string;
}

/**
 * SVG of sketches in a grid (`columns` per row, `cell` px each). Each cell holds one or more
 * parts drawn from the same origin (a partial drawing and its continuation in another colour).
 */
export function sketchesToSvg(cells: ReadonlyArray<readonly SvgPart[]>, options: { columns?: number; cell?: number; labels?: readonly string[] } = {}): string {
  const cols = Math.max(1, Math.min(options.columns ?? 4, cells.length));
  const size = options.cell ?? 200;
  const rows = Math.ceil(cells.length / cols);
  const body: string[] = [];
  cells.forEach((parts, k) => {
    // Absolute points of all parts, continuing from one to the next.
    let x = 0;
    let y = 0;
    let penDown = false;
    const drawn = parts.map((part) => {
      const strokes: Point[][] = [];
      // A continuation draws on from the previous part's last point if the pen was still down.
      let cur: Point[] = penDown ? [[x, y]] : [];
      for (const [dx, dy, p] of part.sketch) {
        x += dx;
        y += dy;
        cur.push([x, y]);
        penDown = p < 0.5;
        if (!penDown) {
          strokes.push(cur);
          cur = [];
        }
      }
      if (cur.length > 1) strokes.push(cur);
      return { strokes: strokes.map((s) => (s.length === 1 ? [s[0], s[0]] : s)), colour: part.colour ?? "#222" };
    });
    const all = drawn.flatMap((d) => d.strokes.flat());
    const xs = all.map((p) => p[0]);
    const ys = all.map((p) => p[1]);
    const [minX, maxX, minY, maxY] = all.length ? [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)] : [0, 1, 0, 1];
    const pad = size * 0.08;
    const scale = (size - 2 * pad) / Math.max(maxX - minX, maxY - minY, 1e-6);
    const ox = (k % cols) * size + pad + ((size - 2 * pad) - (maxX - minX) * scale) / 2;
    const oy = Math.floor(k / cols) * size + pad + ((size - 2 * pad) - (maxY - minY) * scale) / 2;
    for (const d of drawn) {
      for (const s of d.strokes) {
        const pts = s.map(([px, py]) => `${(ox + (px - minX) * scale).toFixed(1)},${(oy + (py - minY) * scale).toFixed(1)}`).join(" ");
        body.push(`<polyline points="${pts}" fill="none" stroke="${d.colour}" stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round"/>`);
      }
    }
    const label = options.labels?.[k];
    if (label) body.push(`<text x="${(k % cols) * size + 6}" y="${Math.floor(k / cols) * size + 16}" font-family="sans-serif" font-size="12" fill="#888">${label.replace(/[<&>]/g, "")}</text>`);
  });
  const w = cols * size;
  const h = rows * size;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">\n<rect width="${w}" height="${h}" fill="white"/>\n${body.join("\n")}\n</svg>\n`;
}
