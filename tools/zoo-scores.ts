/**
 * npm run zoo:scores — trains every task to its reported score with documented settings and
 * writes docs/scores.md (the table the README links) and docs/scores.json (raw results).
 *
 * Each task lists its runs in src/zoo/<task>/scores.json:
 *   [{ "name": "GRU on first names", "args": ["--model", "gru", "--steps", "5000"],
 *      "report": ["testNll", "bitsPerChar"], "reference": "PyTorch 1.13: 2.075", "command": "train" }]
 * Runs go through the real CLI (node dist/cli/main.js, so run `npm run build` first — the
 * npm script does). Options: --only <task>[,<task>] to run some tasks, --match <regex> to run
 * only the runs whose name matches, --list to print the plan. Results of runs not run this time
 * are kept from docs/scores.json (while the run is still listed in its task's scores.json).
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";

interface Entry { name: string; args: string[]; report: string[]; reference?: string; command?: "train" }
interface Result { task: string; name: string; args: string[]; metrics: Record<string, unknown>; steps: number; seconds: number; reference?: string; report: string[]; date: string }

const root = new URL("..", import.meta.url).pathname;
const { values } = parseArgs({ options: { only: { type: "string" }, match: { type: "string" }, list: { type: "boolean" } } });
const only = values.only ? new Set(values.only.split(",")) : null;
const match = values.match ? new RegExp(values.match, "i") : null;

/** Every listed run, in the order the tasks' scores.json files give (the tables keep it). */
const listed: Array<[string, Entry]> = [];
for (const task of readdirSync(join(root, "src/zoo")).sort()) {
  const file = join(root, "src/zoo", task, "scores.json");
  if (!existsSync(file)) continue;
  for (const e of JSON.parse(readFileSync(file, "utf8")) as Entry[]) listed.push([task, e]);
}
const plan = listed.filter(([task, e]) => (!only || only.has(task)) && (!match || match.test(e.name)));
const rank = (task: string, name: string) => listed.findIndex(([t, e]) => t === task && e.name === name);
if (values.list) {
  for (const [task, e] of plan) console.log(`${task.padEnd(12)} ${e.name}: nnzoo train ${task} ${e.args.join(" ")}`);
  process.exit(0);
}

const resultsFile = join(root, "docs/scores.json");
const previous: Result[] = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, "utf8")) : [];
const results: Result[] = previous.filter((r) => rank(r.task, r.name) >= 0 && !plan.some(([task, e]) => task === r.task && e.name === r.name));
for (const [task, e] of plan) {
  const out = join(root, "runs/scores", `${task}-${e.name.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}`);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(join(root, "runs/scores"), { recursive: true });
  process.stderr.write(`${task}: ${e.name} … `);
  const stdout = execFileSync(process.execPath, [join(root, "dist/cli/main.js"), "train", task, ...e.args, "--out", out, "--json"], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 26 });
  const summary = JSON.parse(stdout.trim().split("\n").at(-1)!);
  process.stderr.write(`${summary.seconds.toFixed(0)} s\n`);
  results.push({ task, name: e.name, args: e.args, metrics: summary.metrics, steps: summary.steps, seconds: summary.seconds, reference: e.reference, report: e.report, date: new Date().toISOString().slice(0, 10) });
  writeFileSync(resultsFile + ".tmp", JSON.stringify(results, null, 2) + "\n");
  renameSync(resultsFile + ".tmp", resultsFile);
}

const fmtNumber = (v: number): string => (Number.isInteger(v) ? String(v) : Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(4));
/** Numbers, and tables of numbers (e.g. an error per unit count, { "1": 0.05, "2": 0.03 }) as "1: 0.05000 · 2: 0.03000". */
const fmt = (v: unknown): string => {
  if (typeof v === "number") return fmtNumber(v);
  if (v === undefined || v === null) return "—";
  if (v !== null && typeof v === "object" && !Array.isArray(v) && Object.values(v).every((x) => typeof x === "number")) {
    return Object.entries(v as Record<string, number>).map(([k, x]) => `${k}: ${fmtNumber(x)}`).join(" · ");
  }
  return JSON.stringify(v);
};
const lines = ["# nnzoo zoo scores", "", "Measured by `npm run zoo:scores` on this project's machine (2 cores, no GPU); each row is one", "`nnzoo train <task> <args>` run. Re-run one task with `npm run zoo:scores -- --only <task>`.", ""];
for (const task of [...new Set(results.map((r) => r.task))].sort()) {
  const rows = results.filter((r) => r.task === task).sort((a, b) => rank(a.task, a.name) - rank(b.task, b.name));
  lines.push(`## ${task}`, "");
  // Consecutive runs that report the same metrics share a table (a task's modes each get theirs).
  for (let i = 0; i < rows.length; ) {
    const keys = rows[i].report;
    let j = i;
    while (j < rows.length && rows[j].report.join() === keys.join()) j++;
    lines.push(`| run | ${keys.join(" | ")} | steps | time | reference | settings |`, `|---|${keys.map(() => "---|").join("")}---|---|---|---|`);
    for (const r of rows.slice(i, j)) lines.push(`| ${r.name} | ${keys.map((k) => fmt(r.metrics[k])).join(" | ")} | ${r.steps} | ${fmtTime(r.seconds)} | ${r.reference ?? ""} | \`${r.args.join(" ")}\` |`);
    lines.push("");
    i = j;
  }
}
writeFileSync(join(root, "docs/scores.md"), lines.join("\n"));
console.log(`wrote docs/scores.md (${results.length} runs)`);

function fmtTime(s: number): string {
  return s < 120 ? `${s.toFixed(0)} s` : `${(s / 60).toFixed(1)} min`;
}
