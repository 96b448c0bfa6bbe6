#!/usr/bin/env node
import { mkdirSync } from "node:fs";
import { parseArgs } from "node:util";
import { NNZooError } from "../core/errors.js";
import { TASKS } from "../zoo/index.js";
import { describeOptions, optionsFor, parseValue, resolveConfig, toKebab } from "../zoo/options.js";
import { DivergenceError, evaluateRun, loadRun, train } from "../zoo/runner.js";
import type { Command, OptionSpec, OptionValue, Task } from "../zoo/task.js";
import { fitSine } from "./demo.js";

const USAGE = `nnzoo — the neural-network zoo

Usage:
  nnzoo tasks                                   list the tasks
  nnzoo help <task>                             a task's options
  nnzoo train <task> [options] [--out DIR] [--resume] [--json] [--quiet]
  nnzoo eval <task> --from DIR [--data FILE] [--json]
  nnzoo sample <task> --from DIR [options] [--json]
  nnzoo predict <task> --from DIR "input" [--json]
  nnzoo demo [--hidden N] [--steps N] [--lr X] [--seed N] [--json]
      fit sin(x) with a one-hidden-layer MLP

Exit codes: 0 done, 2 bad arguments or data, 3 training diverged, 130 interrupted (resumable).`;

const RUN_FLAGS: Record<Command, Record<string, { type: "string" | "boolean" }>> = {
  train: { out: { type: "string" }, resume: { type: "boolean" }, json: { type: "boolean" }, quiet: { type: "boolean" } },
  eval: { from: { type: "string" }, json: { type: "boolean" } },
  sample: { from: { type: "string" }, json: { type: "boolean" } },
  predict: { from: { type: "string" }, json: { type: "boolean" } },
};

function taskNamed(name: string | undefined): Task {
  if (name === undefined) throw new NNZooError(`name a task: ${Object.keys(TASKS).join(", ")}`);
  const task = TASKS[name];
  if (!task) throw new NNZooError(`unknown task "${name}"; tasks: ${Object.keys(TASKS).join(", ")}`);
  return task;
}

/** Parses a task command's arguments: the task's options (kebab-case) plus the command's own flags. */
function parseTaskArgs(command: Command, task: Task, args: string[]) {
  const specs = optionsFor(task, command);
  const options: Record<string, { type: "string" | "boolean" }> = { ...RUN_FLAGS[command] };
  const byFlag = new Map<string, [string, OptionSpec]>();
  for (const [name, spec] of Object.entries(specs)) {
    const flag = toKebab(name);
    options[flag] = { type: spec.type === "boolean" ? "boolean" : "string" };
    byFlag.set(flag, [name, spec]);
  }
  let parsed;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: command === "predict" });
  } catch (e) {
    throw new NNZooError(`${(e as Error).message.split("\n")[0]}\n\nOptions of ${command} ${task.name}:\n${describeOptions(task, command)}`);
  }
  const values: Record<string, OptionValue> = {};
  for (const [flag, raw] of Object.entries(parsed.values)) {
    const entry = byFlag.get(flag);
    if (entry && raw !== undefined) values[entry[0]] = parseValue(entry[0], entry[1], raw as string | boolean);
  }
  return { values, flags: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals };
}

function timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
}

/**
 * A new directory for a run without --out: runs/<task>-<model>-<time>, claimed with an atomic
 * mkdir so two runs started in the same second get -2, -3… instead of colliding.
 */
function freshRunDir(base: string): string {
  mkdirSync("runs", { recursive: true });
  for (let k = 1; ; k++) {
    const dir = k === 1 ? base : `${base}-${k}`;
    try {
      mkdirSync(dir);
      return dir;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
  }
}

function requireFrom(flags: Record<string, unknown>, command: string): string {
  if (typeof flags.from !== "string") throw new NNZooError(`${command} needs --from DIR (a run directory made by nnzoo train)`);
  return flags.from;
}

/**
 * Settings of a run that eval/sample/predict may change: the command's own options — those
 * given, and the defaults of options that train does not save (e.g. sample's --count).
 */
function overrides(values: Record<string, OptionValue>, task?: Task, command?: Command): Record<string, OptionValue> {
  const o: Record<string, OptionValue> = {};
  if (task && command) {
    for (const [name, spec] of Object.entries(optionsFor(task, command))) {
      if (!(spec.commands ?? ["train"]).includes("train") && spec.default !== undefined) o[name] = spec.default;
    }
  }
  Object.assign(o, values);
  // eval --data FILE evaluates on FILE; the training data (and vocabulary) stay as saved.
  if ("data" in o) {
    o.evalData = o.data;
    delete o.data;
  }
  return o;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case "-h":
    case "--help":
      console.log(USAGE);
      return command === undefined ? 1 : 0;
    case "help":
      if (rest[0] === undefined) {
        console.log(USAGE);
        return 0;
      }
      for (const c of ["train", "eval", "sample", "predict"] as Command[]) {
        const task = taskNamed(rest[0]);
        if (c !== "train" && !(c === "eval" || task[c])) continue;
        console.log(`nnzoo ${c} ${task.name}\n${describeOptions(task, c)}\n`);
      }
      return 0;
    case "tasks":
      for (const t of Object.values(TASKS)) console.log(`${t.name.padEnd(14)} ${t.summary}\n${"".padEnd(14)} models: ${t.models.join(", ")}`);
      return 0;
    case "demo":
      return demo(rest);
    case "train": {
      const task = taskNamed(rest[0]);
      const { values, flags } = parseTaskArgs("train", task, rest.slice(1));
      const config = resolveConfig(task, values);
      if (flags.resume && flags.out === undefined) throw new NNZooError("--resume needs --out DIR (the run to continue)");
      const out = (flags.out as string | undefined) ?? freshRunDir(`runs/${task.name}-${config.model}-${timestamp()}`);
      const summary = await train(task, config, { out, resume: Boolean(flags.resume), quiet: Boolean(flags.quiet || flags.json) });
      if (summary.interrupted) {
        console.error(`nnzoo: interrupted at step ${summary.steps}: checkpoint saved in ${summary.out}; continue with --resume --out ${summary.out}`);
        return 130;
      }
      console.log(flags.json ? JSON.stringify(summary) : formatSummary(summary));
      return 0;
    }
    case "eval": {
      const task = taskNamed(rest[0]);
      const { values, flags } = parseTaskArgs("eval", task, rest.slice(1));
      const summary = await evaluateRun(task, requireFrom(flags, "eval"), overrides(values, task, "eval"));
      console.log(flags.json ? JSON.stringify(summary) : formatSummary(summary));
      return 0;
    }
    case "sample": {
      const task = taskNamed(rest[0]);
      if (!task.sample) throw new NNZooError(`task ${task.name} has no sample command`);
      const { values, flags } = parseTaskArgs("sample", task, rest.slice(1));
      const { state, config, ctx } = await loadRun(task, requireFrom(flags, "sample"), overrides(values, task, "sample"));
      const text = await task.sample(state, config, ctx);
      console.log(flags.json ? JSON.stringify({ task: task.name, model: config.model, samples: text.split("\n") }) : text);
      return 0;
    }
    case "predict": {
      const task = taskNamed(rest[0]);
      if (!task.predict) throw new NNZooError(`task ${task.name} has no predict command`);
      const { values, flags, positionals } = parseTaskArgs("predict", task, rest.slice(1));
      if (positionals.length !== 1) throw new NNZooError(`predict takes one input (quote it), got ${positionals.length}`);
      const { state, config, ctx } = await loadRun(task, requireFrom(flags, "predict"), overrides(values, task, "predict"));
      const result = await task.predict(state, config, positionals[0], ctx);
      console.log(flags.json ? JSON.stringify({ task: task.name, model: config.model, ...(result.json as object) }) : result.text);
      return 0;
    }
    default:
      throw new NNZooError(`unknown command "${command}"\n\n${USAGE}`);
  }
}

function formatSummary(s: { task: string; model: string; metrics: Record<string, unknown>; steps: number; seconds: number; out: string }): string {
  const lines = [`${s.task} ${s.model}: ${s.steps} steps, ${s.seconds.toFixed(1)} s, run in ${s.out}`];
  for (const [k, v] of Object.entries(s.metrics)) {
    if (typeof v === "number") lines.push(`  ${k.padEnd(16)} ${Number.isInteger(v) ? v : v.toFixed(4)}`);
    else if (Array.isArray(v) && v.every((x) => typeof x === "string")) lines.push(`  ${k}:`, ...v.map((x) => `    ${x}`));
  }
  return lines.join("\n");
}

/** Reads a positive number option, naming it in the error. */
function num(name: string, value: string | undefined, fallback: number, integer: boolean): number {
  if (value === undefined) return fallback;
  const v = Number(value);
  if (!Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) {
    throw new NNZooError(`--${name} must be a positive ${integer ? "integer" : "number"}, got ${JSON.stringify(value)}`);
  }
  return v;
}

function demo(args: string[]): number {
  const { values } = parseArgs({
    args,
    options: {
      hidden: { type: "string" }, steps: { type: "string" }, lr: { type: "string" }, seed: { type: "string" },
      json: { type: "boolean" }, quiet: { type: "boolean" },
    },
    strict: true,
  });
  const result = fitSine({
    hidden: num("hidden", values.hidden, 16, true),
    steps: num("steps", values.steps, 2000, true),
    lr: num("lr", values.lr, 0.01, false),
    seed: values.seed === undefined ? 0 : num("seed", values.seed, 0, true),
    quiet: Boolean(values.quiet || values.json),
  });
  if (values.json) console.log(JSON.stringify({ task: "demo", model: "mlp", metrics: { mse: result.finalLoss, initialMse: result.initialLoss }, steps: result.steps, seconds: result.seconds }));
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e) => {
    const err = e as Error & { code?: string };
    if (e instanceof DivergenceError) {
      console.error(`nnzoo: ${err.message}`);
      process.exitCode = 3;
    } else if (e instanceof NNZooError || err.code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`nnzoo: ${err.message}`);
      process.exitCode = 2;
    } else {
      console.error(e);
      process.exitCode = 1;
    }
  },
);
