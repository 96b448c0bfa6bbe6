import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { NNZooError } from "../../core/errors.js";
import { Generator } from "../../core/random.js";
import { randint, tensor } from "../../core/ops/creation.js";
import type { Tensor } from "../../core/tensor.js";
import { trainTestSplit } from "../../data/split.js";
import { AdamW } from "../../optim/adam.js";
import type { Config, Task, TrainState } from "../task.js";
import { generateSketches } from "./generator.js";
import { type LoadedSketch, readQuickDrawNdjson, readSketchNpz } from "./loaders.js";
import { SketchRNN } from "./model.js";
import { continueSketches, encodeMu, type KLSchedule, type SketchExample, sketchLosses, sketchObjective } from "./sequences.js";
import { offsetScale, scaleStroke3, type Stroke3, stroke3ToStroke5, sketchesToSvg, type SvgPart } from "./strokes.js";

/**
 * sketch — SketchRNN (Ha & Eck 2017): a VAE whose encoder reads a sketch in stroke-5 format
 * with a bidirectional LSTM and whose LSTM decoder, conditioned on the latent z, draws it
 * back one point at a time from a mixture of bivariate Gaussians plus a 3-way pen state
 * (model.ts, mdn.ts; batches, the loss and sampling in sequences.ts, shared with the Lab).
 * Data: generated hand-drawn-looking sketches of 7 classes (generator.ts), or --data FILE:
 * Quick Draw simplified .ndjson or sketch-rnn .npz (loaders.ts). Offsets are divided by the
 * training set's offset standard deviation.
 *
 * Training loss (§3.3):  L = L_R + w_KL · η_step · max(L_KL, KL_min),
 *                        η_step = 1 − (1 − η_min) · R^step   (KL annealing)
 * Held-out metrics: reconNll = L_R (= L_s + L_p, per N_max steps, z = μ) and kl = L_KL.
 */
export interface SketchState extends TrainState {
  model: SketchRNN;
  train: Example[];
  test: Example[];
  /** N_max: every sequence is padded to this many points. */
  maxLen: number;
  /** Offsets are divided by this (the training set's offset std). */
  scale: number;
  batch: number;
  labels: string[];
  /** KL schedule: w_KL, KL_min, R, η_min. */
  kl: KLSchedule;
}

type Example = SketchExample;

/** Train and test sketches of the run (generated, or from --data). */
function loadSketches(config: Config): { train: LoadedSketch[]; test: LoadedSketch[] } {
  const path = config.data;
  const maxPoints = config.maxPoints as number;
  const keep = (items: LoadedSketch[]) => items.filter((s) => s.sketch.length >= 2 && s.sketch.length <= maxPoints);
  if (!path) {
    const per = config.perClass as number;
    return {
      train: generateSketches(per, new Generator(config.seed + 101)),
      test: generateSketches(Math.max(1, Math.round(per / 10)), new Generator(config.seed + 202)),
    };
  }
  if (!existsSync(path)) throw new NNZooError(`data file ${path} does not exist`);
  let split: { train: LoadedSketch[]; test: LoadedSketch[] };
  if (path.endsWith(".npz")) {
    const splits = readSketchNpz(path);
    const test = splits.test ?? splits.valid;
    if (!splits.train || !test) throw new NNZooError(`${path} needs "train" and "test" (or "valid") arrays, has ${Object.keys(splits).join(", ")}`);
    split = { train: keep(splits.train), test: keep(test) };
  } else if (path.endsWith(".ndjson")) {
    split = trainTestSplit(keep(readQuickDrawNdjson(path)), config.seed);
  } else throw new NNZooError(`${path}: sketch reads Quick Draw simplified .ndjson or sketch-rnn .npz files`);
  if (split.train.length === 0 || split.test.length === 0) throw new NNZooError(`${path}: no sketches of 2–${maxPoints} points in the train or test split`);
  return split;
}

function splitLoss(state: SketchState, examples: readonly Example[]) {
  let offsets = 0;
  let pen = 0;
  let kl = 0;
  for (let i = 0; i < examples.length; i += 100) {
    const chunk = examples.slice(i, i + 100);
    const l = sketchLosses(state.model, chunk, state.maxLen, false);
    offsets += l.offsets.item() * chunk.length;
    pen += l.pen.item() * chunk.length;
    kl += l.kl.item() * chunk.length;
  }
  const n = examples.length;
  return { offsets: offsets / n, pen: pen / n, kl: kl / n };
}

function encodeMuOf(state: SketchState, examples: readonly Example[]): Tensor {
  return encodeMu(state.model, examples, state.maxLen);
}

function outPath(config: Config, dir: string, name: string): string {
  return (config.out as string | undefined) || join(dir, name);
}

/** A class name's held-out sketches (or an error listing the classes). */
function ofClass(state: SketchState, label: string): Example[] {
  const found = state.test.filter((e) => e.label === label);
  if (found.length === 0) throw new NNZooError(`no held-out sketches of class "${label}"; classes: ${state.labels.join(", ")}`);
  return found;
}

export const sketch: Task<SketchState> = {
  name: "sketch",
  summary: "SketchRNN: BiLSTM encoder → latent → LSTM + mixture-density decoder on stroke-5 sketches; held-out reconstruction NLL and KL; SVG samples and completions",
  models: ["sketch-rnn"],
  options: {
    steps: { default: 3000 },
    lr: { default: 1e-3 },
    hidden: { default: 128, help: "decoder LSTM size" },
    batch: { default: 64 },
    clip: { default: 1 },
    encHidden: { type: "int", help: "encoder LSTM size (each direction)", default: 64, min: 1 },
    latent: { type: "int", help: "latent size Nz", default: 32, min: 1 },
    mixtures: { type: "int", help: "Gaussians in the offset mixture (M)", default: 20, min: 1 },
    klWeight: { type: "number", help: "w_KL, the KL term's weight", default: 0.5, min: 0 },
    klMin: { type: "number", help: "KL floor: no KL gradient below this many nats per latent dimension", default: 0.2, min: 0 },
    klDecay: { type: "number", help: "R in η = 1 − (1 − η_min)·R^step (KL annealing)", default: 0.999, min: 0, max: 1 },
    klEtaMin: { type: "number", help: "η_min, the KL weight's starting fraction", default: 0.01, min: 0, max: 1 },
    perClass: { type: "int", help: "generated training sketches per class (a tenth as many held out)", default: 1000, min: 1 },
    maxPoints: { type: "int", help: "skip loaded sketches longer than this", default: 200, min: 2 },
    out: { type: "string", help: "the SVG to write (default: sample.svg / completion.svg in the run directory)", commands: ["sample", "predict"] },
    count: { type: "int", help: "how many drawings", default: 8, min: 1, max: 64, commands: ["sample", "predict"] },
    class: { type: "string", help: "sample: draw from the latents of this class's held-out sketches (default: z ~ N(0, I))", default: "", commands: ["sample"] },
    temperature: { type: "number", help: "sampling temperature τ (π̂/τ, q̂/τ, σ²·τ)", default: 0.4, min: 0, commands: ["sample", "predict"] },
    keep: { type: "number", help: "predict CLASS: the fraction of a held-out sketch's points given as the partial drawing", default: 0.5, min: 0, max: 1, commands: ["predict"] },
  },

  setup(config) {
    const data = loadSketches(config);
    const scale = offsetScale(data.train.map((s) => s.sketch));
    const norm = (items: LoadedSketch[]) => items.map((s) => ({ label: s.label, sketch: scaleStroke3(s.sketch, 1 / scale) }));
    const train = norm(data.train);
    const test = norm(data.test);
    const maxLen = Math.max(...train.map((s) => s.sketch.length), ...test.map((s) => s.sketch.length));
    const model = new SketchRNN(config.encHidden as number, config.hidden, config.latent as number, config.mixtures as number);
    const labels = [...new Set(train.map((s) => s.label))];
    const kl = { weight: config.klWeight as number, min: config.klMin as number, decay: config.klDecay as number, etaMin: config.klEtaMin as number };
    return { model, optimizer: new AdamW(model.parameters(), { lr: config.lr, weightDecay: 0 }), train, test, maxLen, scale, batch: config.batch, labels, kl };
  },

  loss(state, step) {
    const idx = randint(0, state.train.length, [state.batch]).data;
    const { loss, reconNll, kl, eta } = sketchObjective(state.model, Array.from(idx, (i) => state.train[i]), state.maxLen, state.kl, step);
    return { loss, logs: { reconNll, kl, eta } };
  },

  evaluate(state) {
    const test = splitLoss(state, state.test);
    return {
      reconNll: test.offsets + test.pen,
      kl: test.kl,
      offsetNll: test.offsets,
      penNll: test.pen,
      maxLen: state.maxLen,
      scale: state.scale,
      trainSketches: state.train.length,
      testSketches: state.test.length,
    };
  },

  sample(state, config, ctx) {
    const g = new Generator(config.seed);
    const n = config.count as number;
    const label = config.class as string;
    let z: Tensor;
    if (label) {
      const pool = ofClass(state, label);
      z = encodeMuOf(state, Array.from({ length: n }, (_, i) => pool[i % pool.length]));
    } else z = tensor(Float32Array.from({ length: n * state.model.latent }, () => g.normal()), { shape: [n, state.model.latent] });
    const drawings = continueSketches(state.model, z, [], state.maxLen, config.temperature as number, g);
    const file = outPath(config, ctx.out, "sample.svg");
    writeFileSync(file, sketchesToSvg(drawings.map((d) => [{ sketch: d }]), { columns: 4 }));
    const strokes = (d: Stroke3) => d.filter((r) => r[2] === 1).length + (d.length && d[d.length - 1][2] !== 1 ? 1 : 0);
    return [`wrote ${file}: ${n} ${label ? `"${label}" ` : ""}sketches at temperature ${config.temperature}`, ...drawings.map((d, i) => `  ${i}: ${d.length} points, ${strokes(d)} strokes`)].join("\n");
  },

  predict(state, config, input, ctx) {
    // The partial drawing: a prefix of a held-out sketch of a class, or the first drawing of an .ndjson file.
    let partial: Stroke3;
    let source: string;
    if (input.endsWith(".ndjson")) {
      if (!existsSync(input)) throw new NNZooError(`${input} does not exist`);
      partial = scaleStroke3(readQuickDrawNdjson(input)[0].sketch, 1 / state.scale);
      source = input;
    } else {
      const full = ofClass(state, input)[0].sketch;
      partial = full.slice(0, Math.max(1, Math.round(full.length * (config.keep as number))));
      source = `the first ${partial.length} of ${full.length} points of a held-out "${input}"`;
    }
    if (partial.length > state.maxLen) throw new NNZooError(`the partial drawing has ${partial.length} points; this model draws at most ${state.maxLen}`);
    const n = config.count as number;
    const ex = { label: input, sketch: partial };
    const z = encodeMuOf(state, Array.from({ length: n }, () => ex));
    const prefix = stroke3ToStroke5(partial).map((r) => [...r]);
    const g = new Generator(config.seed);
    const endings = continueSketches(state.model, z, prefix, state.maxLen, config.temperature as number, g);
    const file = outPath(config, ctx.out, "completion.svg");
    const cells: SvgPart[][] = endings.map((e) => [{ sketch: partial }, { sketch: e, colour: "#d33" }]);
    writeFileSync(file, sketchesToSvg(cells, { columns: 4 }));
    // Back in the data's units (stroke-3 rows [Δx, Δy, pen lifted]).
    const unscale = (s: Stroke3) => scaleStroke3(s, state.scale).map((r) => r.map((v) => Math.round(v * 100) / 100));
    return {
      text: `wrote ${file}: ${n} completions (red) of ${source} (black) at temperature ${config.temperature}\n${endings.map((e, i) => `  ${i}: +${e.length} points`).join("\n")}`,
      json: { out: file, partial: unscale(partial), completions: endings.map(unscale) },
    };
  },
};
