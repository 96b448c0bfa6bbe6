/**
 * The engine worker: one per open page. It loads the page's trainer (pages/<route>/trainer.ts),
 * trains in time slices of at most SLICE_MS, posts one Frame after each slice and yields, so
 * the page gets a steady stream of frames and its own thread never trains.
 */
import { getBackend, io, manualSeed, setNumThreads, type Tensor } from "../../src/index.ts";
import { ownBuffers } from "./transfer.ts";
import { FRAME_MS, type Frame, type FromWorker, LAB_FORMAT, SLICE_MS, type ToWorker, type Trainer, type TrainerModule } from "./protocol.ts";

type AnyTrainer = Trainer<Record<string, unknown>, unknown>;
type AnyModule = TrainerModule<Record<string, unknown>, unknown>;

// Leave a core to the page: its drawing and the compositor must never queue behind GEMM
// threads that spin while waiting for work (on a 2-core laptop the engine trains on one).
setNumThreads(Math.max(1, (navigator.hardwareConcurrency || 1) - 1));

const trainers = import.meta.glob<AnyModule>("./pages/*/trainer.ts", { import: "default" });

let module: AnyModule | undefined;
let trainer: AnyTrainer | undefined;
let params: Record<string, unknown> = {};
let seed = 0;
let stepsPerFrame = 10;
let running = false;
let run = 0, step = 0, seq = 0, loss = NaN, sliceMs = 0;
let timer: ReturnType<typeof setTimeout> | undefined;
/** Recent (time, step) marks for the steps-per-second figure. */
let marks: Array<[number, number]> = [];

function send(message: FromWorker, transfer: Transferable[] = []): void {
  self.postMessage(message, { transfer });
}

function sendFrame(): void {
  const made = trainer!.frame();
  const { metrics = {} } = made;
  const { payload, transfer } = ownBuffers(made.payload, made.transfer ?? []);
  const now = performance.now();
  marks.push([now, step]);
  while (marks.length > 2 && now - marks[0][0] > 1000) marks.shift();
  const [t0, s0] = marks[0];
  const stepsPerSecond = now > t0 ? ((step - s0) * 1000) / (now - t0) : 0;
  const frame: Frame = { type: "frame", seq: seq++, run, step, loss, metrics, running, stepsPerSecond, sliceMs, backend: getBackend().name, payload };
  send(frame, transfer);
}

async function rebuild(): Promise<void> {
  manualSeed(seed);
  trainer = (await module!.create(params, seed)) as AnyTrainer;
  run++;
  step = 0;
  marks = [];
  loss = trainer.loss();
}

/** Runs up to `limit` steps, stopping early when the slice's time is up. */
function train(limit: number): void {
  const t0 = performance.now();
  let n = 0;
  while (n < limit && (n === 0 || performance.now() - t0 < SLICE_MS)) {
    const value = trainer!.step();
    if (!Number.isFinite(value)) throw new Error(`the loss became ${value} at step ${step + 1}; training stopped (reset, or lower the learning rate)`);
    loss = value;
    step++;
    n++;
  }
  sliceMs = performance.now() - t0;
}

function tick(): void {
  timer = undefined;
  if (!running || !trainer) return;
  const t0 = performance.now();
  try {
    train(stepsPerFrame);
  } catch (e) {
    fail(e);
    return;
  }
  sendFrame();
  schedule(FRAME_MS - (performance.now() - t0));
}

function schedule(delay: number): void {
  if (running && timer === undefined) timer = setTimeout(tick, Math.max(0, delay));
}

function fail(e: unknown): void {
  running = false;
  send({ type: "error", message: e instanceof Error ? e.message : String(e) });
}

let route = "";

/** The trainer's modules, or an error saying the page has nothing to save. */
function persisted(): Record<string, import("./protocol.ts").Persistable> {
  const modules = trainer?.modules?.();
  if (!modules || Object.keys(modules).length === 0) throw new Error(`the ${route} page has no model to save or load`);
  return modules;
}

/** The trainer's weights as one safetensors file: `<module>.<key>`, with the page and step in the metadata. */
function exportWeights(): Uint8Array {
  const dict: Record<string, Tensor> = {};
  for (const [name, m] of Object.entries(persisted())) for (const [key, t] of Object.entries(m.stateDict())) dict[`${name}.${key}`] = t;
  return io.serializeSafetensors(dict, { format: LAB_FORMAT, page: route, step: String(step) });
}

/**
 * Loads a file written by exportWeights: it must parse, be for this page, and fit every module
 * (strict keys and shapes). All or nothing: on any failure the weights in place are restored.
 */
function importWeights(bytes: Uint8Array, source: string): number {
  let file: ReturnType<typeof io.parseSafetensors>;
  try {
    file = io.parseSafetensors(bytes);
  } catch (e) {
    throw new Error(`${source} is not a safetensors file (${(e as Error).message})`);
  }
  const { format, page, step: saved } = file.metadata;
  if (format !== LAB_FORMAT || page === undefined) throw new Error(`${source} is a safetensors file but not a Lab model (its metadata has no format "${LAB_FORMAT}" and page)`);
  if (page !== route) throw new Error(`${source} holds a model of the ${page} page, not of ${route}`);
  const modules = persisted();
  const groups = new Map<string, Record<string, Tensor>>(Object.keys(modules).map((n) => [n, {}]));
  for (const [key, t] of Object.entries(file.tensors)) {
    const dot = key.indexOf(".");
    const group = dot > 0 ? groups.get(key.slice(0, dot)) : undefined;
    if (!group) throw new Error(`${source}: tensor "${key}" belongs to no model of this page (${[...groups.keys()].join(", ")})`);
    group[key.slice(dot + 1)] = t;
  }
  const backup = Object.fromEntries(Object.entries(modules).map(([n, m]) => [n, Object.fromEntries(Object.entries(m.stateDict()).map(([k, t]) => [k, t.clone()]))]));
  try {
    for (const [name, m] of Object.entries(modules)) m.loadStateDict(groups.get(name)!, { strict: true });
  } catch (e) {
    for (const [name, m] of Object.entries(modules)) m.loadStateDict(backup[name], { strict: true });
    throw new Error(`${source} does not fit this page's model as it is set now: ${(e as Error).message}`);
  }
  const n = Number(saved);
  return Number.isInteger(n) && n >= 0 ? n : 0;
}

async function handle(msg: ToWorker<Record<string, unknown>>): Promise<void> {
  switch (msg.type) {
    case "init": {
      const load = trainers[`./pages/${msg.route}/trainer.ts`];
      if (!load) throw new Error(`no trainer for page "${msg.route}"`);
      module = await load();
      route = msg.route;
      params = msg.params;
      seed = msg.seed;
      stepsPerFrame = msg.stepsPerFrame;
      await rebuild();
      break;
    }
    case "start":
      running = true;
      schedule(0);
      break;
    case "pause":
      running = false;
      break;
    case "step":
      train(msg.steps);
      break;
    case "reset":
      await rebuild();
      break;
    case "speed":
      stepsPerFrame = msg.stepsPerFrame;
      return; // nothing to redraw
    case "seed":
      seed = msg.seed;
      await rebuild();
      break;
    case "params":
      params = { ...params, ...msg.params };
      if (!trainer!.update?.(msg.params)) await rebuild();
      else if (!running) loss = trainer!.loss();
      break;
    case "export": {
      let bytes: Uint8Array;
      try {
        bytes = exportWeights();
      } catch (e) {
        send({ type: "loaded", id: msg.id, ok: false, message: (e as Error).message, step });
        return;
      }
      send({ type: "weights", id: msg.id, bytes, step }, [bytes.buffer]);
      return;
    }
    case "import": {
      try {
        const at = importWeights(msg.bytes, msg.source);
        // A loaded model starts a new curve at its saved step.
        run++;
        step = at;
        marks = [];
        loss = trainer!.loss();
        send({ type: "loaded", id: msg.id, ok: true, message: `Loaded ${msg.source} (step ${at.toLocaleString("en")})`, step: at });
      } catch (e) {
        send({ type: "loaded", id: msg.id, ok: false, message: `Nothing changed: ${(e as Error).message}`, step });
        return;
      }
      break;
    }
  }
  if (trainer) sendFrame();
}

// Commands run one after another, in order, even while `init` is still loading the trainer.
let queue = Promise.resolve();
self.onmessage = (event: MessageEvent<ToWorker<Record<string, unknown>>>) => {
  queue = queue.then(() => handle(event.data)).catch(fail);
};
