#!/usr/bin/env node
import { parseArgs } from "node:util";
import { NNZooError } from "../core/errors.js";
import { fitSine } from "./demo.js";

const USAGE = `nnzoo — the neural-network zoo

Usage:
  nnzoo demo [--hidden N] [--steps N] [--lr X] [--seed N] [--json] [--quiet]
      Fit sin(x) with a one-hidden-layer MLP and show the loss falling.

Options:
  -h, --help   show this help`;

/** Reads a positive number option, naming it in the error. */
function num(name: string, value: string | undefined, fallback: number, integer: boolean): number {
  if (value === undefined) return fallback;
  const v = Number(value);
  if (!Number.isFinite(v) || v <= 0 || (integer && !Number.isInteger(v))) {
    throw new NNZooError(`--${name} must be a positive ${integer ? "integer" : "number"}, got ${JSON.stringify(value)}`);
  }
  return v;
}

export function main(argv: string[]): number {
  const [command, ...rest] = argv;
  if (command === undefined || command === "-h" || command === "--help" || command === "help") {
    console.log(USAGE);
    return command === undefined ? 1 : 0;
  }
  if (command !== "demo") throw new NNZooError(`unknown command "${command}"\n\n${USAGE}`);
  const { values } = parseArgs({
    args: rest,
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

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  const err = e as Error & { code?: string };
  if (e instanceof NNZooError || err.code?.startsWith("ERR_PARSE_ARGS")) {
    console.error(`nnzoo: ${err.message}`);
    process.exitCode = 2;
  } else throw e;
}
