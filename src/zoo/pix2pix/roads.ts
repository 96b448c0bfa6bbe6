/**
 * Synthetic aerial tiles for map → roads: terrain texture, fields (some ploughed in stripes),
 * water (a lake or a river), trees, houses, and a road network — through roads crossing the
 * tile and branches leaving them, each a cubic Bézier curve of its own width and curvature —
 * paired with the road mask.
 *
 * A tile is drawn in two steps: `randomTileSpec` makes every random choice, `renderTile` paints
 * the spec. Roads are painted last, hard-edged, exactly on their mask pixels (the pixels whose
 * centre lies within half the road's width of the curve), so the mask is exactly the drawn roads.
 */
import type { Generator } from "../../core/random.js";

type RGB = [number, number, number];
type Point = [number, number];

export interface RoadSpec {
  /** Cubic Bézier control points (pixels). */
  curve: [Point, Point, Point, Point];
  width: number;
  colour: RGB;
}

export interface TileSpec {
  size: number;
  /** Value-noise lattices (two octaves) for the ground texture. */
  noise: { cells: number; values: Float32Array }[];
  ground: RGB;
  fields: Array<{ cx: number; cy: number; w: number; h: number; angle: number; colour: RGB; stripes: number }>;
  water: { kind: "lake"; cx: number; cy: number; r: number; wobble: number[] } | { kind: "river"; curve: [Point, Point, Point, Point]; width: number } | null;
  waterColour: RGB;
  trees: Array<{ x: number; y: number; r: number; colour: RGB }>;
  houses: Array<{ cx: number; cy: number; w: number; h: number; angle: number; colour: RGB }>;
  roads: RoadSpec[];
  /** Per-pixel sensor noise (fixed by the spec, so a tile renders the same twice). */
  grain: Float32Array;
  light: number;
}

const jitter = (gen: Generator, c: RGB, amount: number): RGB => c.map((v) => Math.min(1, Math.max(0, v + (gen.random() * 2 - 1) * amount))) as RGB;
const pick = <T>(gen: Generator, items: readonly T[]): T => items[gen.randint(0, items.length)];
const uniform = (gen: Generator, lo: number, hi: number) => lo + gen.random() * (hi - lo);

const GROUNDS: RGB[] = [[0.36, 0.48, 0.25], [0.45, 0.5, 0.3], [0.52, 0.47, 0.33], [0.3, 0.42, 0.22]];
const FIELDS: RGB[] = [[0.78, 0.7, 0.38], [0.55, 0.65, 0.3], [0.5, 0.38, 0.25], [0.68, 0.6, 0.42], [0.4, 0.58, 0.25]];
const ROOFS: RGB[] = [[0.62, 0.28, 0.2], [0.55, 0.35, 0.28], [0.45, 0.45, 0.47], [0.7, 0.66, 0.6]];
const ASPHALT: RGB[] = [[0.42, 0.42, 0.44], [0.55, 0.55, 0.56], [0.33, 0.33, 0.35], [0.66, 0.62, 0.55]];

/** A point where a ray from inside leaves the tile: on side 0–3 (top, right, bottom, left) at fraction t. */
function onEdge(size: number, side: number, t: number): Point {
  const m = -2, M = size + 2, s = m + t * (M - m);
  return side === 0 ? [s, m] : side === 1 ? [M, s] : side === 2 ? [s, M] : [m, s];
}

function bezier(c: [Point, Point, Point, Point], t: number): Point {
  const u = 1 - t;
  const a = u * u * u, b = 3 * u * u * t, d = 3 * u * t * t, e = t * t * t;
  return [a * c[0][0] + b * c[1][0] + d * c[2][0] + e * c[3][0], a * c[0][1] + b * c[1][1] + d * c[2][1] + e * c[3][1]];
}

/** A curve from a to b whose two inner control points wander off the straight line by up to `bend` (× length). */
function curveBetween(gen: Generator, a: Point, b: Point, bend: number): [Point, Point, Point, Point] {
  const dx = b[0] - a[0], dy = b[1] - a[1];
  const len = Math.hypot(dx, dy) || 1;
  const nx = -dy / len, ny = dx / len;
  const off = () => uniform(gen, -bend, bend) * len;
  const o1 = off(), o2 = off();
  return [a, [a[0] + dx / 3 + nx * o1, a[1] + dy / 3 + ny * o1], [a[0] + (2 * dx) / 3 + nx * o2, a[1] + (2 * dy) / 3 + ny * o2], b];
}

/** A road width for a tile drawn at `scale` (size/64): thinner on smaller tiles, but at least 1.2 px so it has no gaps. */
const roadWidth = (width: number, scale: number) => Math.max(1.2, width * Math.sqrt(scale));

/** Every random choice of one tile. */
export function randomTileSpec(size: number, gen: Generator): TileSpec {
  const scale = size / 64;
  const noise = [4, 9].map((cells) => ({ cells, values: Float32Array.from({ length: (cells + 1) * (cells + 1) }, () => gen.random()) }));
  const fields = Array.from({ length: gen.randint(0, 4) }, () => ({
    cx: uniform(gen, 0, size), cy: uniform(gen, 0, size), w: uniform(gen, 14, 40) * scale, h: uniform(gen, 10, 30) * scale,
    angle: uniform(gen, -0.6, 0.6), colour: jitter(gen, pick(gen, FIELDS), 0.06), stripes: gen.random() < 0.5 ? uniform(gen, 2.5, 5) * scale : 0,
  }));
  const w = gen.random();
  const water: TileSpec["water"] = w < 0.3
    ? { kind: "lake", cx: uniform(gen, 0, size), cy: uniform(gen, 0, size), r: uniform(gen, 7, 18) * scale, wobble: Array.from({ length: 6 }, () => uniform(gen, -0.25, 0.25)) }
    : w < 0.5
      ? { kind: "river", curve: curveBetween(gen, onEdge(size, 0, gen.random()), onEdge(size, 2, gen.random()), 0.35), width: uniform(gen, 4, 9) * scale }
      : null;
  // Trees grow in clumps around a few centres.
  const clumps = Array.from({ length: gen.randint(1, 4) }, (): Point => [uniform(gen, 0, size), uniform(gen, 0, size)]);
  const trees = Array.from({ length: gen.randint(4, 40) }, () => {
    const [cx, cy] = pick(gen, clumps);
    return { x: cx + gen.normal() * 8 * scale, y: cy + gen.normal() * 8 * scale, r: uniform(gen, 1, 3) * scale, colour: jitter(gen, [0.16, 0.3, 0.13], 0.05) };
  });
  const roads: RoadSpec[] = [];
  const through = gen.randint(1, 3);
  for (let k = 0; k < through; k++) {
    const s1 = gen.randint(0, 4), s2 = (s1 + gen.randint(1, 4)) % 4;
    roads.push({
      curve: curveBetween(gen, onEdge(size, s1, uniform(gen, 0.1, 0.9)), onEdge(size, s2, uniform(gen, 0.1, 0.9)), uniform(gen, 0, 0.3)),
      width: roadWidth(uniform(gen, 1.3, 4.5), scale), colour: jitter(gen, pick(gen, ASPHALT), 0.03),
    });
  }
  const branches = gen.randint(0, 3);
  for (let k = 0; k < branches; k++) {
    const from = bezier(roads[gen.randint(0, roads.length)].curve, uniform(gen, 0.2, 0.8));
    const to: Point = gen.random() < 0.5 ? onEdge(size, gen.randint(0, 4), gen.random()) : [uniform(gen, 0, size), uniform(gen, 0, size)];
    roads.push({ curve: curveBetween(gen, from, to, uniform(gen, 0, 0.25)), width: roadWidth(uniform(gen, 1.1, 3), scale), colour: jitter(gen, pick(gen, ASPHALT), 0.03) });
  }
  // Houses line the roads, a little off to one side.
  const houses = Array.from({ length: gen.randint(0, 7) }, () => {
    const road = roads[gen.randint(0, roads.length)];
    const t = gen.random();
    const [x, y] = bezier(road.curve, t);
    const [x2, y2] = bezier(road.curve, Math.min(1, t + 0.01));
    const angle = Math.atan2(y2 - y, x2 - x);
    const side = (gen.random() < 0.5 ? -1 : 1) * (road.width / 2 + uniform(gen, 2.5, 5) * scale);
    return { cx: x - Math.sin(angle) * side, cy: y + Math.cos(angle) * side, w: uniform(gen, 3, 6) * scale, h: uniform(gen, 2.5, 4.5) * scale, angle, colour: jitter(gen, pick(gen, ROOFS), 0.05) };
  });
  return {
    size, noise, ground: jitter(gen, pick(gen, GROUNDS), 0.05), fields, water,
    waterColour: jitter(gen, [0.18, 0.3, 0.42], 0.05), trees, houses, roads,
    grain: Float32Array.from({ length: size * size }, () => gen.normal() * 0.02), light: uniform(gen, 0.85, 1.12),
  };
}

function valueNoise(lattice: { cells: number; values: Float32Array }, u: number, v: number): number {
  const { cells, values } = lattice;
  const x = u * cells, y = v * cells;
  const i = Math.min(cells - 1, Math.floor(x)), j = Math.min(cells - 1, Math.floor(y));
  const fx = x - i, fy = y - j;
  const sx = fx * fx * (3 - 2 * fx), sy = fy * fy * (3 - 2 * fy);
  const at = (a: number, b: number) => values[b * (cells + 1) + a];
  return (at(i, j) * (1 - sx) + at(i + 1, j) * sx) * (1 - sy) + (at(i, j + 1) * (1 - sx) + at(i + 1, j + 1) * sx) * sy;
}

/** Squared distance from p to the segment ab. */
function segmentDistance2(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax, dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.min(1, Math.max(0, ((px - ax) * dx + (py - ay) * dy) / len2));
  const qx = ax + t * dx - px, qy = ay + t * dy - py;
  return qx * qx + qy * qy;
}

/** Marks mask pixels whose centre is within width/2 of the curve (a polyline of ~1-pixel segments). */
export function strokeCurve(mask: Uint8Array, size: number, curve: [Point, Point, Point, Point], width: number): void {
  const approx = Math.hypot(curve[1][0] - curve[0][0], curve[1][1] - curve[0][1]) + Math.hypot(curve[2][0] - curve[1][0], curve[2][1] - curve[1][1]) + Math.hypot(curve[3][0] - curve[2][0], curve[3][1] - curve[2][1]);
  const segments = Math.max(8, Math.ceil(approx));
  const r = width / 2, r2 = r * r;
  let prev = bezier(curve, 0);
  for (let s = 1; s <= segments; s++) {
    const next = bezier(curve, s / segments);
    const x0 = Math.max(0, Math.floor(Math.min(prev[0], next[0]) - r)), x1 = Math.min(size - 1, Math.ceil(Math.max(prev[0], next[0]) + r));
    const y0 = Math.max(0, Math.floor(Math.min(prev[1], next[1]) - r)), y1 = Math.min(size - 1, Math.ceil(Math.max(prev[1], next[1]) + r));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        if (segmentDistance2(x + 0.5, y + 0.5, prev[0], prev[1], next[0], next[1]) <= r2) mask[y * size + x] = 1;
      }
    }
    prev = next;
  }
}

/** Calls paint(i, u) for every pixel whose centre is inside the rotated rectangle (u: the coordinate along its length). */
function fillRect(S: number, r: { cx: number; cy: number; w: number; h: number; angle: number }, paint: (i: number, u: number) => void): void {
  const c = Math.cos(r.angle), s = Math.sin(r.angle);
  const ex = (Math.abs(r.w * c) + Math.abs(r.h * s)) / 2, ey = (Math.abs(r.w * s) + Math.abs(r.h * c)) / 2;
  for (let y = Math.max(0, Math.floor(r.cy - ey)); y <= Math.min(S - 1, Math.ceil(r.cy + ey)); y++) {
    for (let x = Math.max(0, Math.floor(r.cx - ex)); x <= Math.min(S - 1, Math.ceil(r.cx + ex)); x++) {
      const dx = x + 0.5 - r.cx, dy = y + 0.5 - r.cy;
      const u = dx * c + dy * s, v = -dx * s + dy * c;
      if (Math.abs(u) <= r.w / 2 && Math.abs(v) <= r.h / 2) paint(y * S + x, u);
    }
  }
}

/**
 * Paints a tile: planar RGB [3, size, size] in [0, 1] and the road mask [size, size] (0/1).
 * `roads: false` paints the same tile without its roads (the mask is still the roads').
 */
export function renderTile(spec: TileSpec, options: { roads?: boolean } = {}): { rgb: Float32Array; mask: Float32Array } {
  const S = spec.size, n = S * S;
  const rgb = new Float32Array(3 * n);
  const set = (i: number, c: RGB, shade = 1) => { rgb[i] = c[0] * shade; rgb[n + i] = c[1] * shade; rgb[2 * n + i] = c[2] * shade; };
  const tex = new Float32Array(n);
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      const i = y * S + x, u = (x + 0.5) / S, v = (y + 0.5) / S;
      tex[i] = 0.65 * valueNoise(spec.noise[0], u, v) + 0.35 * valueNoise(spec.noise[1], u, v);
      set(i, spec.ground, 0.8 + 0.4 * tex[i]);
    }
  }
  for (const f of spec.fields) {
    fillRect(S, f, (i, u) => set(i, f.colour, (f.stripes > 0 && Math.floor(u / f.stripes) % 2 === 0 ? 0.88 : 1) * (0.93 + 0.14 * tex[i])));
  }
  const w = spec.water;
  if (w) {
    const water = new Uint8Array(n);
    if (w.kind === "river") strokeCurve(water, S, w.curve, w.width);
    else {
      for (let y = 0; y < S; y++) {
        for (let x = 0; x < S; x++) {
          const px = x + 0.5, py = y + 0.5;
          const d = Math.hypot(px - w.cx, py - w.cy);
          if (d > w.r * 1.8) continue;
          const a = Math.atan2(py - w.cy, px - w.cx);
          let wobble = 0;
          for (let k = 0; k < w.wobble.length; k++) wobble += w.wobble[k] * Math.sin((k + 1) * a + k);
          if (d <= w.r * (1 + wobble / 2)) water[y * S + x] = 1;
        }
      }
    }
    for (let i = 0; i < n; i++) if (water[i]) set(i, spec.waterColour, 0.9 + 0.2 * tex[i]);
  }
  for (const t of spec.trees) {
    for (let y = Math.max(0, Math.floor(t.y - t.r)); y <= Math.min(S - 1, Math.ceil(t.y + t.r)); y++) {
      for (let x = Math.max(0, Math.floor(t.x - t.r)); x <= Math.min(S - 1, Math.ceil(t.x + t.r)); x++) {
        const d = Math.hypot(x + 0.5 - t.x, y + 0.5 - t.y);
        if (d <= t.r) set(y * S + x, t.colour, 0.8 + 0.35 * (1 - d / t.r));
      }
    }
  }
  for (const h of spec.houses) fillRect(S, h, (i, u) => set(i, h.colour, u > 0 ? 0.85 : 1.05));
  const mask = new Uint8Array(n);
  for (const road of spec.roads) {
    const one = new Uint8Array(n);
    strokeCurve(one, S, road.curve, road.width);
    for (let i = 0; i < n; i++) {
      if (!one[i]) continue;
      mask[i] = 1;
      if (options.roads !== false) set(i, road.colour);
    }
  }
  for (let i = 0; i < n; i++) for (let k = 0; k < 3; k++) rgb[k * n + i] = Math.min(1, Math.max(0, rgb[k * n + i] * spec.light + spec.grain[i]));
  return { rgb, mask: Float32Array.from(mask) };
}
