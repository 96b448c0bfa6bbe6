import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { NNZooError } from "../core/errors.js";
import { getRngState, manualSeed, setRngState } from "../core/random.js";
import { Tensor } from "../core/tensor.js";
import { noGrad } from "../core/autograd.js";
import { clipGradNorm } from "../nn/utils.js";
import { restoreCheckpoint, saveCheckpoint } from "../io/checkpoint.js";
import { progressBar } from "../cli/progress.js";
import type { Config, Metrics, Task, TaskContext, TrainState } from "./task.js";

export const CHECKPOINT_FILE = "checkpoint.safetensors";

/** The one line `--json` prints, and final.json holds. */
export interface RunSummary {
  task: string;
  model: string;
  metrics: Metrics;
  steps: number;
  seconds: number;
  out: string;
  /** Set when Ctrl-C stopped the run (a checkpoint was saved; --resume continues). */
  interrupted?: boolean;
}

export interface RunOptions {
  out: string;
  resume?: boolean;
  quiet?: boolean;
  /** Called with each progress line for people (stderr by default). */
  log?: (line: string) => void;
}

/** A run stopped because a loss or gradient stopped being finite. */
export class DivergenceError extends NNZooError {
  override name = "DivergenceError";
}

/** Steps run and steps whose pre-clip gradient norm exceeded --clip (kept in the checkpoint). */
interface ClipStats {
  steps: number;
  clipped: number | null;
}

function context(out: string, quiet: boolean, log?: (line: string) => void, clip: ClipStats = { steps: 0, clipped: null }): TaskContext {
  return {
    out,
    clipping: () => (clip.clipped === null ? null : { steps: clip.steps, clipped: clip.clipped }),
    log: quiet ? () => {} : (log ?? ((line) => process.stderr.write(line + "\n"))),
    assertFinite(step, what, x) {
      const data = x instanceof Tensor ? x.data : [x];
      for (let i = 0; i < data.length; i++) {
        if (!Number.isFinite(data[i])) {
          const where = x instanceof Tensor && data.length > 1 ? ` at flat index ${i}` : "";
          throw new DivergenceError(`step ${step}: ${what} is ${data[i]}${where}`);
        }
      }
    },
  };
}

function writeJson(path: string, value: unknown): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(value, null, 2) + "\n");
  renameSync(tmp, path);
}

export function readRunConfig(dir: string): Config {
  const file = join(dir, "config.json");
  if (!existsSync(file)) throw new NNZooError(`${dir} is not a run directory: ${file} does not exist`);
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Config;
  } catch (e) {
    throw new NNZooError(`${file}: not valid JSON (${(e as Error).message})`);
  }
}

/** Drops metrics lines past `step` (they came after the checkpoint a resume starts from). */
function trimMetrics(file: string, step: number): void {
  if (!existsSync(file)) return;
  const kept = readFileSync(file, "utf8").split("\n").filter((line) => {
    if (!line.trim()) return false;
    try {
      return (JSON.parse(line) as { step?: number }).step! <= step;
    } catch {
      return false;
    }
  });
  writeFileSync(file, kept.map((l) => l + "\n").join(""));
}

/** Evaluates without disturbing the training run's random stream (so resumes stay bit-exact). */
async function evaluateIsolated<S extends TrainState>(task: Task<S>, state: S, config: Config, ctx: TaskContext): Promise<Metrics> {
  const rng = getRngState();
  const wasTraining = state.model.training;
  state.model.eval();
  try {
    return await noGrad(() => task.evaluate(state, config, ctx));
  } finally {
    state.model.train(wasTraining);
    setRngState(rng);
  }
}

/**
 * Trains a task: zeroGrad → loss → backward → finite checks → clip → step, with progress,
 * metrics.jsonl, periodic checkpoints, Ctrl-C (saves, then stops), and --resume. A
 * non-finite loss or gradient stops the run with the step and the tensor named, and the
 * last good checkpoint is left as it was.
 */
export async function train<S extends TrainState>(task: Task<S>, given: Config, options: RunOptions): Promise<RunSummary> {
  const out = options.out;
  const ckptPath = join(out, CHECKPOINT_FILE);
  const metricsPath = join(out, "metrics.jsonl");
  let config = given;
  if (options.resume) {
    const saved = readRunConfig(out);
    if (saved.task !== task.name) throw new NNZooError(`--resume: ${out} holds a ${saved.task} run, not ${task.name}`);
    config = { ...saved, steps: given.steps };
    if (!existsSync(ckptPath) && !existsSync(ckptPath + ".prev")) throw new NNZooError(`--resume: no checkpoint in ${out}`);
  } else {
    if (existsSync(join(out, "config.json"))) throw new NNZooError(`${out} already holds a run; pass --resume to continue it or choose another --out`);
    mkdirSync(out, { recursive: true });
  }
  const clip: ClipStats = { steps: 0, clipped: task.step ? null : 0 };
  const ctx = context(out, options.quiet ?? false, options.log, clip);
  manualSeed(config.seed);
  const state = await task.setup(config, ctx);
  // Written once setup has accepted the data and options, so a run that could not start leaves no run behind.
  if (!options.resume) writeJson(join(out, "config.json"), config);
  if (task.totalSteps) config = { ...config, steps: task.totalSteps(state, config) };
  let step = 0;
  if (options.resume) {
    const restored = await restoreCheckpoint(ckptPath, { model: state.model, optimizer: state.optimizer });
    step = restored.step;
    const extra = restored.extra as { scheduler?: unknown; clipped?: number } | undefined;
    clip.steps = step;
    clip.clipped = task.step ? null : typeof extra?.clipped === "number" ? extra.clipped : config.clip > 0 ? null : 0;
    if (state.scheduler && extra?.scheduler) state.scheduler.loadStateDict(extra.scheduler as never);
    if (restored.recovered) ctx.log(`note: ${restored.recovered.file} was unreadable (${restored.recovered.error}); resumed from ${restored.file}`);
    trimMetrics(metricsPath, step);
    ctx.log(`resuming ${task.name} at step ${step} of ${config.steps}`);
  }

  const save = async (at: number) => {
    await saveCheckpoint(ckptPath, { model: state.model, optimizer: state.optimizer, step: at, config, extra: { scheduler: state.scheduler?.stateDict() ?? null, clipped: clip.clipped } as never });
  };
  const params = state.model.namedParameters();
  let interrupted = false;
  const onSigint = () => { interrupted = true; };
  process.on("SIGINT", onSigint);
  const bar = progressBar(config.steps, `${task.name} ${config.model}`, options.quiet ?? false);
  const start = performance.now();
  let lastYield = start;
  let lastLoss = NaN;
  state.model.train();
  try {
    while (step < config.steps) {
      step++;
      let logs: Record<string, number>;
      if (task.step) {
        logs = task.step(state, step, ctx);
        ctx.assertFinite(step, "the loss", logs.loss);
      } else {
        state.optimizer.zeroGrad();
        const { loss, logs: extra } = task.loss!(state, step);
        ctx.assertFinite(step, "the loss", loss);
        loss.backward();
        for (const [name, p] of params) if (p.grad) ctx.assertFinite(step, `the gradient of ${name}`, p.grad);
        logs = { loss: loss.item(), ...extra };
        if (config.clip > 0) {
          logs.gradNorm = clipGradNorm(state.model.parameters(), config.clip);
          if (logs.gradNorm > config.clip && clip.clipped !== null) clip.clipped++;
        }
        state.optimizer.step();
        state.scheduler?.step();
      }
      clip.steps = step;
      lastLoss = logs.loss;
      if (step % config.logEvery === 0 || step === config.steps) {
        appendFileSync(metricsPath, JSON.stringify({ step, ...logs, seconds: (performance.now() - start) / 1000 }) + "\n");
        bar.update(step, logs.loss);
      }
      if (config.evalEvery > 0 && step % config.evalEvery === 0 && step < config.steps) {
        const m = await evaluateIsolated(task, state, config, ctx);
        appendFileSync(metricsPath, JSON.stringify({ step, eval: m }) + "\n");
      }
      if (step % config.checkpointEvery === 0) await save(step);
      // Let signals in (Ctrl-C) without slowing small steps down.
      if (performance.now() - lastYield > 50) {
        await new Promise((r) => setImmediate(r));
        lastYield = performance.now();
      }
      if (interrupted) break;
    }
  } catch (e) {
    bar.stop();
    if (e instanceof DivergenceError) {
      throw new DivergenceError(`${task.name}: training diverged — ${e.message}. The last good checkpoint in ${out} was kept; try a lower --lr or --clip`);
    }
    throw e;
  } finally {
    process.off("SIGINT", onSigint);
  }
  bar.stop();
  await save(step);
  const seconds = (performance.now() - start) / 1000;
  if (interrupted) {
    return { task: task.name, model: config.model, metrics: { loss: lastLoss }, steps: step, seconds, out, interrupted: true };
  }
  const metrics = await evaluateIsolated(task, state, config, ctx);
  const summary: RunSummary = { task: task.name, model: config.model, metrics, steps: step, seconds, out };
  writeJson(join(out, "final.json"), summary);
  return summary;
}

/** Loads a finished (or interrupted) run for eval/sample/predict: the task state with the saved weights. */
export async function loadRun<S extends TrainState>(task: Task<S>, dir: string, overrides: Partial<Config>, quiet = true): Promise<{ state: S; config: Config; ctx: TaskContext; step: number }> {
  const saved = readRunConfig(dir);
  if (saved.task !== task.name) throw new NNZooError(`--from ${dir} holds a ${saved.task} run, not ${task.name}`);
  const config = { ...saved, ...overrides } as Config;
  const clip: ClipStats = { steps: 0, clipped: null };
  const ctx = context(dir, quiet, undefined, clip);
  manualSeed(config.seed);
  const state = await task.setup(config, ctx);
  const { step, extra } = await restoreCheckpoint(join(dir, CHECKPOINT_FILE), { model: state.model });
  const clipped = (extra as { clipped?: unknown } | undefined)?.clipped;
  clip.steps = step;
  clip.clipped = typeof clipped === "number" ? clipped : !task.step && !(config.clip > 0) ? 0 : null;
  state.model.eval();
  return { state, config, ctx, step };
}

export async function evaluateRun<S extends TrainState>(task: Task<S>, dir: string, overrides: Partial<Config>): Promise<RunSummary> {
  const start = performance.now();
  const { state, config, ctx, step } = await loadRun(task, dir, overrides);
  const metrics = await evaluateIsolated(task, state, config, ctx);
  return { task: task.name, model: config.model, metrics, steps: step, seconds: (performance.now() - start) / 1000, out: dir };
}
