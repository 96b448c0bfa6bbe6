import type { Generator } from "../../core/random.js";
import { type Point, type Stroke3, strokesToStroke3 } from "./strokes.js";

/**
 * Hand-drawn-looking sketches of simple classes, so SketchRNN trains here without a download.
 * Each sketch is drawn in a ~100-unit frame like Quick Draw's simplified data (before the
 * 0–255 rescale): a random size (0.6–1.2 of the frame), a small rotation, an aspect stretch,
 * a random start point and direction for closed shapes, a random order of a class's parts,
 * and a wobble on every point — smooth (a low-frequency radial/offset term) plus a little
 * jitter. Points are sparse, like the Ramer–Douglas–Peucker-simplified Quick Draw strokes.
 */
export const SKETCH_CLASSES = ["circle", "square", "triangle", "star", "spiral", "house", "face"] as const;
export type SketchClass = (typeof SKETCH_CLASSES)[number];

export interface LabelledSketch {
  label: string;
  sketch: Stroke3;
}

const uniform = (a: number, b: number, g: Generator) => a + (b - a) * g.random();

/** A closed loop through `corners` (in order), starting at a random corner in a random direction, with `between` extra points on each side. */
function closedPolygon(corners: Point[], between: number, g: Generator): Point[] {
  const start = g.randint(0, corners.length);
  let order = [...corners.slice(start), ...corners.slice(0, start)];
  if (g.random() < 0.5) order = [order[0], ...order.slice(1).reverse()];
  const pts: Point[] = [];
  for (let i = 0; i < order.length; i++) {
    const [a, b] = [order[i], order[(i + 1) % order.length]];
    for (let k = 0; k <= between; k++) {
      const t = k / (between + 1);
      pts.push([a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t]);
    }
  }
  pts.push([...order[0]] as Point);
  return pts;
}

/** An ellipse-ish loop of n points from a random angle, in a random direction, overshooting the start a little. */
function loop(cx: number, cy: number, rx: number, ry: number, n: number, g: Generator): Point[] {
  const a0 = uniform(0, 2 * Math.PI, g);
  const dir = g.random() < 0.5 ? 1 : -1;
  const overshoot = uniform(0, 0.15, g);
  const phase = uniform(0, 2 * Math.PI, g);
  const bulge = uniform(0, 0.08, g);
  return Array.from({ length: n + 1 }, (_, i) => {
    const a = a0 + dir * 2 * Math.PI * (i / n) * (1 + overshoot);
    const r = 1 + bulge * Math.sin(2 * a + phase);
    return [cx + rx * r * Math.cos(a), cy + ry * r * Math.sin(a)] as Point;
  });
}

/** Parts of a sketch of `label` in a unit frame [−1, 1]², each a polyline. */
function parts(label: SketchClass, g: Generator): Point[][] {
  switch (label) {
    case "circle":
      return [loop(0, 0, 1, uniform(0.85, 1.15, g), 12 + g.randint(0, 5), g)];
    case "square": {
      const h = uniform(0.8, 1.1, g);
      return [closedPolygon([[-1, -h], [1, -h], [1, h], [-1, h]], g.randint(0, 2), g)];
    }
    case "triangle":
      return [closedPolygon([[0, -1], [1, 0.8], [-1, 0.8]], g.randint(0, 2), g)];
    case "star": {
      const inner = uniform(0.35, 0.5, g);
      const corners = Array.from({ length: 10 }, (_, i) => {
        const a = -Math.PI / 2 + (i * Math.PI) / 5;
        const r = i % 2 === 0 ? 1 : inner;
        return [r * Math.cos(a), r * Math.sin(a)] as Point;
      });
      return [closedPolygon(corners, 0, g)];
    }
    case "spiral": {
      const turns = uniform(2, 3, g);
      const n = Math.round(turns * 9);
      const dir = g.random() < 0.5 ? 1 : -1;
      const a0 = uniform(0, 2 * Math.PI, g);
      const pts = Array.from({ length: n + 1 }, (_, i) => {
        const t = i / n;
        const a = a0 + dir * 2 * Math.PI * turns * t;
        return [(0.08 + 0.92 * t) * Math.cos(a), (0.08 + 0.92 * t) * Math.sin(a)] as Point;
      });
      return [g.random() < 0.7 ? pts : pts.reverse()];
    }
    case "house": {
      const top = uniform(-0.15, 0.1, g);
      const body = closedPolygon([[-0.8, top], [0.8, top], [0.8, 1], [-0.8, 1]], 0, g);
      const roof: Point[] = [[-0.9, top], [0, -1], [0.9, top]];
      const dw = uniform(0.15, 0.25, g);
      const dx = uniform(-0.4, 0.4, g);
      const door: Point[] = [[dx - dw, 1], [dx - dw, 0.45], [dx + dw, 0.45], [dx + dw, 1]];
      const rest = g.random() < 0.5 ? [roof, door] : [door, roof];
      return g.random() < 0.75 ? [body, ...rest] : [roof, body, door];
    }
    case "face": {
      const outline = loop(0, 0, 1, uniform(1, 1.2, g), 14, g);
      const ey = uniform(-0.45, -0.2, g);
      const ex = uniform(0.3, 0.45, g);
      const eye = (x: number): Point[] => [[x - 0.06, ey], [x + 0.06, ey + 0.02]];
      const smile = uniform(0.1, 0.3, g);
      const mouth: Point[] = Array.from({ length: 5 }, (_, i) => {
        const t = -1 + i / 2;
        return [0.45 * t, 0.4 + smile * (1 - t * t)] as Point;
      });
      if (g.random() < 0.5) mouth.reverse();
      const features = [eye(-ex), eye(ex), mouth];
      if (g.random() < 0.3) features.reverse();
      return g.random() < 0.8 ? [outline, ...features] : [...features, outline];
    }
  }
}

/** One sketch of `label` as stroke-3, in Quick Draw-like units (a frame of ~100). */
export function generateSketch(label: SketchClass, g: Generator): Stroke3 {
  const size = 50 * uniform(0.6, 1.2, g);
  const angle = uniform(-0.2, 0.2, g);
  const stretch = uniform(0.85, 1.15, g);
  const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
  // A smooth offset field: a hand wanders slowly, then a little jitter per point.
  const [fx, fy, px, py] = [uniform(1, 3, g), uniform(1, 3, g), uniform(0, 6.3, g), uniform(0, 6.3, g)];
  const wander = 0.04 * size;
  const strokes = parts(label, g).map((stroke) =>
    stroke.map(([x, y]) => {
      const sx = x * stretch;
      const sy = y / stretch;
      const wx = wander * Math.sin(fx * y + px) + g.normal() * 0.012 * size;
      const wy = wander * Math.sin(fy * x + py) + g.normal() * 0.012 * size;
      return [size * (cos * sx - sin * sy) + wx, size * (sin * sx + cos * sy) + wy] as Point;
    }),
  );
  return strokesToStroke3(strokes);
}

/** `perClass` sketches of every class, interleaved by class. */
export function generateSketches(perClass: number, g: Generator, classes: readonly SketchClass[] = SKETCH_CLASSES): LabelledSketch[] {
  const out: LabelledSketch[] = [];
  for (let i = 0; i < perClass; i++) for (const label of classes) out.push({ label, sketch: generateSketch(label, g) });
  return out;
}
