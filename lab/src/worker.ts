/**
 * The engine worker: one per open page. It loads the page's trainer (pages/<route>/trainer.ts),
 * trains in time slices of at most SLICE_MS, posts one Frame after each slice and yields, so
 * the page gets a steady stream of frames and its own thread never trains.
 */
import { getBackend, manualSeed } from "../../src/index.ts";
import { FRAME_MS, type Frame, type FromWorker, SLICE_MS, type ToWorker, type Trainer, type TrainerModule } from "./protocol.ts";

type AnyTrainer = Trainer<Record<string, unknown>, unknown>;
type AnyModule = TrainerModule<Record<string, unknown>, unknown>;

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
  const { payload, metrics = {}, transfer } = trainer!.frame();
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

async function handle(msg: ToWorker<Record<string, unknown>>): Promise<void> {
  switch (msg.type) {
    case "init": {
      const load = trainers[`./pages/${msg.route}/trainer.ts`];
      if (!load) throw new Error(`no trainer for page "${msg.route}"`);
      module = await load();
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
  }
  if (trainer) sendFrame();
}

// Commands run one after another, in order, even while `init` is still loading the trainer.
let queue = Promise.resolve();
self.onmessage = (event: MessageEvent<ToWorker<Record<string, unknown>>>) => {
  queue = queue.then(() => handle(event.data)).catch(fail);
};
