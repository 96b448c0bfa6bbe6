import type { Tensor } from "../core/tensor.js";
import type { Module } from "../nn/module.js";
import type { Optimizer } from "../optim/optimizer.js";
import type { LRScheduler } from "../optim/schedule.js";

/**
 * A zoo task: a network on real data with a score. The runner (runner.ts) owns everything
 * a serious training run needs — run directories, checkpoints, resume, Ctrl-C, progress,
 * divergence checks, metrics files — so a task file holds only its model, data, loss and
 * metric, readable in one place.
 */
export type Command = "train" | "eval" | "sample" | "predict";

export type OptionValue = string | number | boolean;

export interface OptionSpec {
  type: "int" | "number" | "string" | "boolean";
  help: string;
  default?: OptionValue;
  /** Allowed values for strings. */
  choices?: readonly string[];
  /** Inclusive bounds for numbers. */
  min?: number;
  max?: number;
  /** The commands that take this option (default: train). Options of train are saved in config.json. */
  commands?: readonly Command[];
}

/** The resolved options of a run: common ones (model, hidden, steps, …) and the task's own. */
export interface Config {
  task: string;
  model: string;
  seed: number;
  steps: number;
  batch: number;
  lr: number;
  hidden: number;
  layers: number;
  /** Clip the global gradient norm to this (0: no clipping). */
  clip: number;
  evalEvery: number;
  checkpointEvery: number;
  logEvery: number;
  data?: string;
  [option: string]: OptionValue | undefined;
}

/** Metrics are JSON: numbers for scores, arrays and objects for curves and tables. */
export type Metrics = Record<string, unknown>;

export interface TrainState {
  model: Module;
  optimizer: Optimizer;
  scheduler?: LRScheduler | null;
}

export interface StepLogs {
  loss: number;
  [name: string]: number;
}

/** What a task may use from the runner. */
export interface TaskContext {
  /** Prints a line for people (stderr; silent with --json or --quiet). */
  log(line: string): void;
  /** The run directory. */
  out: string;
  /** Throws the runner's divergence error when x is not finite. */
  assertFinite(step: number, what: string, x: number | Tensor): void;
  /**
   * Training steps so far and how many of them had a pre-clip gradient norm above --clip
   * (clipped is 0 when --clip is 0); null when unknown (a custom step(), or an old checkpoint).
   */
  clipping?(): { steps: number; clipped: number } | null;
}

export interface Task<S extends TrainState = TrainState> {
  name: string;
  /** One line for `nnzoo tasks`. */
  summary: string;
  /** The values --model takes; the first is the default. */
  models: readonly string[];
  /** Task options, and the task's defaults for the common ones (e.g. { steps: { default: 3000 } }). */
  options: Record<string, Partial<OptionSpec>>;
  /** Builds data, model, optimizer; randomness comes from the global generator, seeded by the runner. */
  setup(config: Config, ctx: TaskContext): S | Promise<S>;
  /** The run's step count when the task derives it from its data (e.g. epochs × batches per epoch); called after setup. Default: config.steps. */
  totalSteps?(state: S, config: Config): number;
  /** The loss of one training batch; the runner runs backward, checks, clips and steps. */
  loss?(state: S, step: number): { loss: Tensor; logs?: Record<string, number> };
  /** A whole custom step (e.g. two players in a GAN), used instead of loss(). */
  step?(state: S, step: number, ctx: TaskContext): StepLogs;
  /** Held-out metrics (camelCase keys); must not draw from the global generator's stream in a way that matters — the runner restores it after. */
  evaluate(state: S, config: Config, ctx: TaskContext): Metrics | Promise<Metrics>;
  sample?(state: S, config: Config, ctx: TaskContext): string | Promise<string>;
  predict?(state: S, config: Config, input: string, ctx: TaskContext): { text: string; json: unknown } | Promise<{ text: string; json: unknown }>;
}
