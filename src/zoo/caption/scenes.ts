import { NNZooError } from "../../core/errors.js";
import type { Generator } from "../../core/random.js";
import type { Image } from "../../data/png.js";

/**
 * Scenes for captioning: 48×48 RGB pictures of 1–3 flat shapes on a grey background, and
 * their one canonical caption from a small grammar:
 *
 *   caption  := object                                   (1 shape)
 *             | object ("left of" | "above") object      (2 shapes: left one / top one first)
 *             | object "," object "and" object           (3 shapes, left to right)
 *   object   := "a" size colour shape
 *   size     := "small" | "large"
 *
 * Layouts keep the relation unambiguous (centres at least a shape apart along the named
 * axis), so a caption is a function of the picture and exact match is a fair metric.
 * Some colour–shape pairs (HELD_OUT) never appear in training scenes: the unseen test set
 * is made of scenes holding at least one of them, so it measures composition, not memory.
 */
export const SIZE = 48;
export const COLOURS = ["red", "green", "blue", "yellow", "purple"] as const;
export const SHAPES = ["circle", "square", "triangle", "diamond"] as const;
export const SIZES = ["small", "large"] as const;
export type Colour = (typeof COLOURS)[number];
export type Shape = (typeof SHAPES)[number];

/** Colour–shape pairs kept out of every training scene. Each colour and shape is still seen with others. */
export const HELD_OUT: ReadonlyArray<readonly [Colour, Shape]> = [["green", "triangle"], ["blue", "circle"], ["red", "square"], ["yellow", "diamond"]];

const RGB: Record<Colour, [number, number, number]> = {
  red: [0.85, 0.12, 0.12],
  green: [0.15, 0.65, 0.2],
  blue: [0.15, 0.3, 0.85],
  yellow: [0.92, 0.82, 0.1],
  purple: [0.6, 0.2, 0.7],
};

export interface SceneObject {
  colour: Colour;
  shape: Shape;
  size: (typeof SIZES)[number];
  /** Centre and radius in pixels. */
  x: number;
  y: number;
  r: number;
}

export interface Scene {
  objects: SceneObject[];
  layout: "single" | "row" | "column";
  caption: string;
}

export const isHeldOut = (colour: string, shape: string): boolean => HELD_OUT.some(([c, s]) => c === colour && s === shape);

/** Does a scene hold a held-out colour–shape pair? */
export const hasUnseenCombo = (scene: Scene): boolean => scene.objects.some((o) => isHeldOut(o.colour, o.shape));

/** Every word of the grammar; index 0 is reserved for the start/end token. */
export const WORDS: readonly string[] = ["<s>", "a", "left", "of", "above", ",", "and", ...SIZES, ...COLOURS, ...SHAPES];

const describe = (o: SceneObject): string => `a ${o.size} ${o.colour} ${o.shape}`;

export function captionOf(objects: readonly SceneObject[], layout: Scene["layout"]): string {
  if (objects.length === 1) return describe(objects[0]);
  if (objects.length === 2) return `${describe(objects[0])} ${layout === "row" ? "left of" : "above"} ${describe(objects[1])}`;
  return `${describe(objects[0])} , ${describe(objects[1])} and ${describe(objects[2])}`;
}

const pick = <T>(items: readonly T[], gen: Generator): T => items[gen.randint(0, items.length)];
const uniform = (a: number, b: number, gen: Generator) => a + (b - a) * gen.random();

/**
 * A random scene. `combos`: "seen" draws only pairs outside HELD_OUT; "unseen" puts at least
 * one held-out pair in (the rest are any pair); "any" draws freely.
 */
export function randomScene(gen: Generator, combos: "seen" | "unseen" | "any" = "seen"): Scene {
  const count = 1 + gen.randint(0, 3);
  const layout: Scene["layout"] = count === 1 ? "single" : count === 3 ? "row" : gen.random() < 0.5 ? "row" : "column";
  const unseenAt = combos === "unseen" ? gen.randint(0, count) : -1;
  const objects: SceneObject[] = [];
  for (let i = 0; i < count; i++) {
    let colour: Colour;
    let shape: Shape;
    if (i === unseenAt) [colour, shape] = pick(HELD_OUT, gen);
    else {
      do {
        colour = pick(COLOURS, gen);
        shape = pick(SHAPES, gen);
      } while (combos !== "any" && unseenAt < 0 && isHeldOut(colour, shape));
    }
    const size = pick(SIZES, gen);
    // Radii: small 3.5–5 px, large 6.5–8 px (3 in a row still fit in 48 px).
    const r = size === "small" ? uniform(3.5, 5, gen) : uniform(6.5, 8, gen);
    objects.push({ colour, shape, size, r, x: 0, y: 0 });
  }
  // Positions: along the layout's axis, slot i of `count` with jitter; across it, anywhere that fits.
  const slot = SIZE / count;
  objects.forEach((o, i) => {
    const along = slot * (i + 0.5) + uniform(-1, 1, gen) * Math.max(0, slot / 2 - o.r - 1);
    const across = uniform(o.r + 1, SIZE - o.r - 1, gen);
    if (layout === "column") [o.x, o.y] = [across, along];
    else [o.x, o.y] = [along, layout === "single" ? uniform(o.r + 1, SIZE - o.r - 1, gen) : across];
  });
  return { objects, layout, caption: captionOf(objects, layout) };
}

/** A shape placed by hand (the Lab's scene composer): what it is and where in its slot. */
export interface ShapeSpec {
  colour: Colour;
  shape: Shape;
  size: (typeof SIZES)[number];
  /** Along the layout's axis within the shape's slot: −1 (its start) … 1 (its end), as far as randomScene's jitter goes. */
  along: number;
  /** Across the axis: 0 (left or top edge) … 1 (right or bottom edge), as far as the shape fits. */
  across: number;
}

/** The middle of randomScene's radius ranges, so a composed shape is a typical one of its size. */
const SPEC_RADIUS = { small: 4.25, large: 7.25 } as const;

/**
 * A scene of 1–3 chosen shapes, placed as randomScene places them (slot i of `count` along the
 * layout's axis, the first shape leftmost or topmost), so its caption is the grammar's own.
 * Layout: one shape is "single", three are a "row", two either.
 */
export function composeScene(specs: readonly ShapeSpec[], layout: "row" | "column" = "row"): Scene {
  const count = specs.length;
  if (count < 1 || count > 3) throw new NNZooError(`a scene holds 1 to 3 shapes, got ${count}`);
  if (count === 3 && layout === "column") throw new NNZooError("three shapes go in a row (the grammar has no three-way \"above\")");
  const kind: Scene["layout"] = count === 1 ? "single" : layout;
  const slot = SIZE / count;
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
  const objects = specs.map((s, i): SceneObject => {
    const r = SPEC_RADIUS[s.size];
    const along = slot * (i + 0.5) + clamp(s.along, -1, 1) * Math.max(0, slot / 2 - r - 1);
    const across = r + 1 + clamp(s.across, 0, 1) * (SIZE - 2 * r - 2);
    const [x, y] = kind === "column" ? [across, along] : [along, across];
    return { colour: s.colour, shape: s.shape, size: s.size, r, x, y };
  });
  return { objects, layout: kind, caption: captionOf(objects, kind) };
}

/** composeScene's inverse: where each shape of a scene sits in its slot (the fractions it would be composed from). */
export function specsOf(scene: Scene): ShapeSpec[] {
  const count = scene.objects.length;
  const slot = SIZE / count;
  return scene.objects.map((o, i) => {
    const [along, across] = scene.layout === "column" ? [o.y, o.x] : [o.x, o.y];
    const jitter = Math.max(0, slot / 2 - o.r - 1);
    const room = SIZE - 2 * o.r - 2;
    return {
      colour: o.colour, shape: o.shape, size: o.size,
      along: jitter > 0 ? Math.min(1, Math.max(-1, (along - slot * (i + 0.5)) / jitter)) : 0,
      across: room > 0 ? Math.min(1, Math.max(0, (across - o.r - 1) / room)) : 0.5,
    };
  });
}

/** Is pixel centre (px, py) inside the object? */
function inside(o: SceneObject, px: number, py: number): boolean {
  const dx = px - o.x;
  const dy = py - o.y;
  switch (o.shape) {
    case "circle": return dx * dx + dy * dy <= o.r * o.r;
    case "square": return Math.abs(dx) <= o.r * 0.85 && Math.abs(dy) <= o.r * 0.85;
    case "diamond": return Math.abs(dx) + Math.abs(dy) <= o.r * 1.1;
    case "triangle": {
      // Apex up: y from −r to +0.8r, half-width growing linearly from 0 to r.
      const t = (dy + o.r) / (1.8 * o.r);
      return t >= 0 && t <= 1 && Math.abs(dx) <= t * o.r * 1.05;
    }
  }
}

/** Renders a scene: background grey 0.8–1 with faint pixel noise, each shape flat-coloured (±5% tint). */
export function renderScene(scene: Scene, gen: Generator): Image {
  const data = new Float32Array(SIZE * SIZE * 3);
  const bg = uniform(0.8, 1, gen);
  const tints = scene.objects.map((o) => RGB[o.colour].map((v) => Math.min(1, Math.max(0, v + uniform(-0.05, 0.05, gen)))));
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      let rgb = [bg, bg, bg];
      scene.objects.forEach((o, k) => {
        if (inside(o, x + 0.5, y + 0.5)) rgb = tints[k];
      });
      for (let c = 0; c < 3; c++) data[(y * SIZE + x) * 3 + c] = Math.min(1, Math.max(0, rgb[c] + uniform(-0.03, 0.03, gen)));
    }
  }
  return { width: SIZE, height: SIZE, channels: 3, data };
}

/** HWC image → CHW floats in [−1, 1], written at `offset` of `out` (a batch buffer [batch, 3, 48, 48]). */
export function imageToCHW(img: Image, out: Float32Array, offset = 0): void {
  if (img.width !== SIZE || img.height !== SIZE || img.channels !== 3) throw new NNZooError(`caption images are ${SIZE}×${SIZE} RGB, got ${img.width}×${img.height}×${img.channels}`);
  const plane = SIZE * SIZE;
  for (let i = 0; i < plane; i++) for (let c = 0; c < 3; c++) out[offset + c * plane + i] = img.data[i * 3 + c] * 2 - 1;
}

/** Word ids of a caption (no start/end token); throws on a word outside the grammar. */
export function encodeCaption(caption: string): number[] {
  return caption.split(" ").map((w) => {
    const id = WORDS.indexOf(w);
    if (id <= 0) throw new NNZooError(`"${w}" is not a word of the caption grammar`);
    return id;
  });
}

export const decodeCaption = (ids: readonly number[]): string => ids.map((i) => WORDS[i]).join(" ");
