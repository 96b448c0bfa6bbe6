/**
 * The caption page's scene composer: how many shapes and how they are arranged, each shape's
 * size, colour, kind and place in its part of the picture (the generator's vocabulary), and a
 * random scene from the task's own generator. It owns the learner's scene and reports each
 * change as the task's Scene (composeScene: placed as the generator places shapes).
 */
import { Generator } from "../../../../src/core/random.ts";
import {
  COLOURS, composeScene, HELD_OUT, isHeldOut, randomScene, type Scene, SHAPES, type ShapeSpec, SIZES, specsOf,
} from "../../../../src/zoo/caption/scenes.ts";
import { h } from "../../dom.ts";

/** How the shapes are arranged: the grammar's layouts by shape count. */
export const ARRANGEMENTS = [
  { id: "1", label: "1 shape", count: 1, layout: "row" },
  { id: "2-row", label: "2 side by side", count: 2, layout: "row" },
  { id: "2-column", label: "2, one above the other", count: 2, layout: "column" },
  { id: "3", label: "3 in a row", count: 3, layout: "row" },
] as const;
type Arrangement = (typeof ARRANGEMENTS)[number];

/** Where a shape sits in its part of the picture, as seen: (horizontal, vertical), each −1 … 1. */
const PLACES: Array<[string, number, number]> = [
  ["top left", -1, -1], ["top", 0, -1], ["top right", 1, -1],
  ["left", -1, 0], ["centre", 0, 0], ["right", 1, 0],
  ["bottom left", -1, 1], ["bottom", 0, 1], ["bottom right", 1, 1],
];

/** Screen place → the spec's fractions: "along" runs with the layout's axis (x in a row, y in a column). */
function placeSpec(place: number, layout: "row" | "column"): Pick<ShapeSpec, "along" | "across"> {
  const [, hx, vy] = PLACES[place];
  return layout === "column" ? { along: vy, across: (hx + 1) / 2 } : { along: hx, across: (vy + 1) / 2 };
}

/** The nearest listed place of a spec (a random scene's shapes sit anywhere). */
function nearestPlace(spec: ShapeSpec, layout: "row" | "column"): number {
  const [hx, vy] = layout === "column" ? [spec.across * 2 - 1, spec.along] : [spec.along, spec.across * 2 - 1];
  let best = 0;
  PLACES.forEach(([, x, y], i) => { if (Math.hypot(x - hx, y - vy) < Math.hypot(PLACES[best][1] - hx, PLACES[best][2] - vy)) best = i; });
  return best;
}

/** Each slot's name in the picture, by arrangement. */
const SLOT_NAMES: Record<Arrangement["id"], string[]> = {
  "1": ["the shape"], "2-row": ["left", "right"], "2-column": ["top", "bottom"], "3": ["left", "middle", "right"],
};

export const START_SPECS: ShapeSpec[] = [
  { size: "large", colour: "purple", shape: "circle", along: 0, across: 0.5 },
  { size: "small", colour: "yellow", shape: "triangle", along: 0, across: 0 },
  { size: "small", colour: "blue", shape: "square", along: 0, across: 1 },
];
export const START_ARRANGEMENT: Arrangement = ARRANGEMENTS[1];
export const startScene = (): Scene => composeScene(START_SPECS.slice(0, START_ARRANGEMENT.count), START_ARRANGEMENT.layout);

/** Builds the composer's controls; `onScene` gets every new scene. */
export function sceneComposer(onScene: (scene: Scene) => void): HTMLElement {
  let arrangement: Arrangement = START_ARRANGEMENT;
  let specs = START_SPECS.map((s) => ({ ...s }));
  let draws = 0;
  const select = (testid: string, labels: readonly string[], onchange: (index: number) => void) => {
    const el = h("select", { "data-testid": testid, onchange: () => onchange(el.selectedIndex) }, ...labels.map((l) => h("option", {}, l)));
    return el;
  };
  const arrange = select("arrangement", ARRANGEMENTS.map((a) => a.label), (i) => {
    arrangement = ARRANGEMENTS[i];
    emit(composeScene(specs.slice(0, arrangement.count), arrangement.layout));
  });
  const rows = specs.map((_, i) => {
    const name = h("span", { class: "caption-slot" });
    const flag = h("span", { class: "caption-flag", title: "this colour–shape pair never appears in a training scene" }, "held out");
    const size = select(`size-${i}`, SIZES, (k) => edit(i, { size: SIZES[k] }));
    const colour = select(`colour-${i}`, COLOURS, (k) => edit(i, { colour: COLOURS[k] }));
    const shape = select(`shape-${i}`, SHAPES, (k) => edit(i, { shape: SHAPES[k] }));
    const place = select(`position-${i}`, PLACES.map(([label]) => label), (k) => edit(i, placeSpec(k, arrangement.layout)));
    const element = h("div", { class: "caption-shape", "data-testid": `shape-row-${i}` },
      h("div", { class: "caption-shape-head" }, name, flag, h("label", { class: "caption-place", title: "where in its part of the picture" }, "at ", place)),
      h("div", { class: "row" }, size, colour, shape));
    return { element, name, flag, size, colour, shape, place };
  });

  function edit(i: number, change: Partial<ShapeSpec>): void {
    specs[i] = { ...specs[i], ...change };
    emit(composeScene(specs.slice(0, arrangement.count), arrangement.layout));
  }

  /** Hands a new scene on, after showing its shapes in the selects. */
  function emit(scene: Scene): void {
    show();
    onScene(scene);
  }

  function show(): void {
    arrange.selectedIndex = ARRANGEMENTS.indexOf(arrangement);
    rows.forEach((row, i) => {
      row.element.hidden = i >= arrangement.count;
      const s = specs[i];
      row.name.textContent = `Shape ${i + 1}${arrangement.count > 1 ? ` · ${SLOT_NAMES[arrangement.id][i]}` : ""}`;
      row.size.selectedIndex = SIZES.indexOf(s.size);
      row.colour.selectedIndex = COLOURS.indexOf(s.colour);
      row.shape.selectedIndex = SHAPES.indexOf(s.shape);
      row.place.selectedIndex = nearestPlace(s, arrangement.layout);
      row.flag.hidden = !isHeldOut(s.colour, s.shape);
    });
  }

  const random = h("button", {
    "data-testid": "random-scene",
    title: "a scene from the task's generator: half the time with a held-out colour–shape pair in it",
    onclick: () => {
      // A fresh generator per draw; every other draw holds a held-out pair, so both kinds come up.
      const gen = new Generator(Math.floor(Math.random() * 2 ** 31));
      const scene = randomScene(gen, draws++ % 2 === 0 ? "unseen" : "seen");
      const count = scene.objects.length;
      arrangement = ARRANGEMENTS.find((a) => a.count === count && (count !== 2 || a.layout === scene.layout))!;
      // The random shapes replace the first slots; the rest keep what the learner chose.
      const placed = specsOf(scene);
      specs = specs.map((s, i) => placed[i] ?? s);
      emit(scene);
    },
  }, "Random scene");
  show(); // the start scene is the page's initial params: nothing to send

  return h("div", { class: "caption-composer" },
    h("div", { class: "row" }, arrange, random),
    ...rows.map((r) => r.element),
    h("p", { class: "hint" },
      "The first shape is the leftmost (or the top one); the place is within its part of the picture. ",
      `Held out of every training scene: ${HELD_OUT.map(([c, s]) => `${c} ${s}`).join(", ")}. `,
      "Each colour and each shape is still trained with the others: can the model put a known colour and a known shape together?"));
}
