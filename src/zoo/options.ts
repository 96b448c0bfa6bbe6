import { NNZooError } from "../core/errors.js";
import type { Command, Config, OptionSpec, OptionValue, Task } from "./task.js";

/** Options every task takes; tasks override defaults and add their own. */
export const COMMON_OPTIONS: Record<string, OptionSpec> = {
  model: { type: "string", help: "which network (see the task's list)" },
  hidden: { type: "int", help: "recurrent/hidden size", default: 64, min: 1 },
  layers: { type: "int", help: "stacked layers", default: 1, min: 1, max: 8 },
  steps: { type: "int", help: "training steps (optimizer updates)", default: 1000, min: 1 },
  batch: { type: "int", help: "batch size", default: 32, min: 1 },
  lr: { type: "number", help: "learning rate", default: 1e-3, min: 0 },
  seed: { type: "int", help: "random seed (initialisation, data order, dropout, sampling)", default: 0, min: 0, commands: ["train", "sample", "predict"] },
  clip: { type: "number", help: "clip the global gradient norm to this (0: off)", default: 0, min: 0 },
  data: { type: "string", help: "a data file instead of the built-in data set", commands: ["train", "eval"] },
  evalEvery: { type: "int", help: "evaluate every N steps (0: only at the end)", default: 0, min: 0 },
  checkpointEvery: { type: "int", help: "checkpoint every N steps", default: 500, min: 1 },
  logEvery: { type: "int", help: "append the loss to metrics.jsonl every N steps", default: 50, min: 1 },
};

/** The full option table of a task: common options with its defaults, plus its own. */
export function optionTable(task: Task): Record<string, OptionSpec> {
  const table: Record<string, OptionSpec> = {};
  for (const [name, spec] of Object.entries(COMMON_OPTIONS)) table[name] = { ...spec, ...(task.options[name] ?? {}) } as OptionSpec;
  table.model = { ...table.model, choices: task.models, default: task.models[0] };
  for (const [name, spec] of Object.entries(task.options)) {
    if (name in COMMON_OPTIONS) continue;
    if (!spec.type || !spec.help) throw new Error(`task ${task.name}: option ${name} needs a type and help`);
    table[name] = spec as OptionSpec;
  }
  return table;
}

/** kebab-case on the command line, camelCase in configs: --eval-every ↔ evalEvery. */
export const toKebab = (s: string) => s.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase());

/** Converts and checks one option value, naming the option in the error. */
export function parseValue(name: string, spec: OptionSpec, raw: string | boolean): OptionValue {
  const flag = `--${toKebab(name)}`;
  if (spec.type === "boolean") {
    if (typeof raw === "boolean") return raw;
    throw new NNZooError(`${flag} takes no value`);
  }
  if (typeof raw === "boolean") throw new NNZooError(`${flag} needs a value`);
  if (spec.type === "string") {
    if (spec.choices && !spec.choices.includes(raw)) throw new NNZooError(`${flag} must be one of ${spec.choices.join(", ")}, got ${JSON.stringify(raw)}`);
    return raw;
  }
  const v = Number(raw);
  const kind = spec.type === "int" ? "an integer" : "a number";
  if (raw.trim() === "" || !Number.isFinite(v) || (spec.type === "int" && !Number.isInteger(v))) throw new NNZooError(`${flag} must be ${kind}, got ${JSON.stringify(raw)}`);
  if (spec.min !== undefined && v < spec.min) throw new NNZooError(`${flag} must be ≥ ${spec.min}, got ${v}`);
  if (spec.max !== undefined && v > spec.max) throw new NNZooError(`${flag} must be ≤ ${spec.max}, got ${v}`);
  return v;
}

/** Defaults for every train option of a task, then the given values on top. */
export function resolveConfig(task: Task, given: Record<string, OptionValue>): Config {
  const table = optionTable(task);
  const config: Record<string, OptionValue | undefined> = { task: task.name };
  for (const [name, spec] of Object.entries(table)) {
    if (!(spec.commands ?? ["train"]).includes("train")) continue;
    config[name] = given[name] ?? spec.default;
  }
  return config as Config;
}

/** The options a command accepts for a task. */
export function optionsFor(task: Task, command: Command): Record<string, OptionSpec> {
  const table = optionTable(task);
  return Object.fromEntries(Object.entries(table).filter(([, s]) => (s.commands ?? ["train"]).includes(command)));
}

/** Help text for a task's options under a command. */
export function describeOptions(task: Task, command: Command): string {
  return Object.entries(optionsFor(task, command))
    .map(([name, s]) => {
      const arg = s.type === "boolean" ? "" : s.choices ? ` ${s.choices.join("|")}` : s.type === "string" ? " VALUE" : " N";
      const def = s.default !== undefined && s.type !== "boolean" ? ` (default ${s.default})` : "";
      const flag = `  --${toKebab(name)}${arg}`;
      return (flag.length < 33 ? flag.padEnd(34) : `${flag}  `) + `${s.help}${def}`;
    })
    .join("\n");
}
