/**
 * `npm run bench`: runs the workloads of DESIGN.md §6 on nnzoo (js backend; wasm backend on
 * 1 and 2 threads) and, side by side in the same run, on TensorFlow.js (`cpu`, `wasm`) and —
 * when Debian's python3-torch is importable by /usr/bin/python3 — on PyTorch (1 thread) and
 * numpy (1 and 2 threads). Prints a table with ratios and writes bench/results.json.
 *
 *   npm run bench                       all workloads, 3 windows of ≥ 3 s each (median)
 *   npm run bench -- --quick            1 s windows
 *   npm run bench -- --only W0 --engines nnzoo-wasm-2t,tfjs-wasm --no-python
 *   npm run bench -- --smoke            one warm-up and one timed step per engine: does it run?
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { shutdownWasm } from "../src/kernels/wasm/index.js";
import { relaxedSimd } from "../src/kernels/wasm/runtime.js";
import { type BenchOptions, type Measurement, measureInterleaved, type Timed } from "./lib/measure.js";
import { WORKLOADS } from "./workloads/index.js";
import type { JsEngine } from "./workloads/types.js";

const here = dirname(fileURLToPath(import.meta.url));
const JS_ENGINES: JsEngine[] = ["nnzoo-js", "nnzoo-wasm-1t", "nnzoo-wasm-2t", "tfjs-cpu", "tfjs-wasm"];
const PY_ENGINES = ["torch-1t", "numpy-1t", "numpy-2t"];
const PYTHON = "/usr/bin/python3";

interface Args { only: string[] | null; engines: string[] | null; python: boolean; opts: BenchOptions; out: string }

function parseArgs(argv: string[]): Args {
  const a: Args = { only: null, engines: null, python: true, opts: { windowSeconds: 3, windows: 3, warmupSeconds: 1 }, out: join(here, "results.json") };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i];
    if (v === "--quick") a.opts = { windowSeconds: 1, windows: 3, warmupSeconds: 0.5 };
    else if (v === "--only") a.only = argv[++i].split(",");
    else if (v === "--engines") a.engines = argv[++i].split(",");
    else if (v === "--no-python") a.python = false;
    else if (v === "--smoke") a.opts = { windowSeconds: 0, windows: 1, warmupSeconds: 0 };
    else if (v === "--window") a.opts.windowSeconds = Number(argv[++i]);
    else if (v === "--windows") a.opts.windows = Number(argv[++i]);
    else if (v === "--warmup") a.opts.warmupSeconds = Number(argv[++i]);
    else if (v === "--out") a.out = argv[++i];
    else throw new Error(`bench: unknown argument ${v}`);
  }
  return a;
}

/** results[workload][engine][case] = Measurement or a reason it did not run. */
type Results = Record<string, Record<string, Record<string, Measurement | string>>>;

function torchAvailable(): string | null {
  try {
    execFileSync(PYTHON, ["-c", "import torch, numpy"], { stdio: "ignore" });
    return null;
  } catch {
    return `${PYTHON} cannot import torch and numpy (apt-get install python3-torch libopenblas0-pthread)`;
  }
}

function runPython(workload: string, cases: string[], engines: string, threads: number, o: BenchOptions): Record<string, Record<string, Measurement>> {
  const out = execFileSync(PYTHON, [
    join(here, "torch_bench.py"), "--workload", workload, "--engines", engines, "--threads", String(threads), "--cases", cases.join(","),
    "--window", String(o.windowSeconds), "--windows", String(o.windows), "--warmup", String(o.warmupSeconds),
  ], { encoding: "utf8", env: { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) }, maxBuffer: 1 << 24 });
  return JSON.parse(out.trim().split("\n").at(-1)!);
}

const fmt = (v: Measurement | string | undefined): string =>
  v === undefined ? "—" : typeof v === "string" ? "n/a" : v.value >= 100 ? v.value.toFixed(0) : v.value >= 10 ? v.value.toFixed(1) : v.value.toFixed(2);

function ratio(r: Record<string, Record<string, Measurement | string>>, num: string, den: string, c: string): string {
  const a = r[num]?.[c], b = r[den]?.[c];
  if (!a || !b || typeof a === "string" || typeof b === "string") return "—";
  return `${(a.value / b.value).toFixed(2)}×`;
}

function printTable(id: string, title: string, unit: string, cases: string[], r: Record<string, Record<string, Measurement | string>>, notes: Record<string, string>, load: number[]): void {
  const engines = Object.keys(r);
  const ratios: Array<[string, string, string]> = [
    ["wasm-2t/tfjs-wasm", "nnzoo-wasm-2t", "tfjs-wasm"],
    ["wasm-1t/tfjs-wasm", "nnzoo-wasm-1t", "tfjs-wasm"],
    ["wasm-1t/torch-1t", "nnzoo-wasm-1t", "torch-1t"],
    ["wasm-2t/numpy-2t", "nnzoo-wasm-2t", "numpy-2t"],
  ];
  // Only the ratios whose engines ran this workload (numpy has no training twin).
  const shown = ratios.filter(([, n, d]) => n in r && d in r);
  const header = ["case", ...engines, ...shown.map((x) => x[0])];
  const rows = cases.map((c) => [c, ...engines.map((e) => fmt(r[e][c])), ...shown.map(([, n, d]) => ratio(r, n, d, c))]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => "| " + cells.map((s, i) => (i === 0 ? s.padEnd(widths[i]) : s.padStart(widths[i]))).join(" | ") + " |";
  console.log(`\n${id} — ${title} (${unit}, median of windows; higher is better; load average ${fmtLoad(load)})\n`);
  console.log(line(header));
  console.log("|" + widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : "-".repeat(w + 1) + ":")).join("|") + "|");
  for (const row of rows) console.log(line(row));
  for (const e of engines) {
    const why = [...new Set(cases.map((c) => r[e][c]).filter((v): v is string => typeof v === "string"))];
    if (why.length > 0) console.log(`  ${e}: not run (${why.join("; ")})`);
  }
  for (const [e, note] of Object.entries(notes)) console.log(`  ${e}: ${note}`);
}

const fmtLoad = (l: readonly number[]): string => l.map((x) => x.toFixed(2)).join(" ");

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const load0 = os.loadavg();
  const results: Results = {};
  // Load average (1, 5, 15 min) before and after each workload: other processes on the cores skew the numbers.
  const loads: Record<string, { start: number[]; end: number[] }> = {};
  const allNotes: Record<string, Record<string, string>> = {};
  const noPython = args.python ? torchAvailable() : "--no-python";
  const wantedEngine = (e: string) => !args.engines || args.engines.includes(e);
  const started = new Date();
  console.log(`nnzoo bench — ${os.cpus()[0]?.model ?? "cpu"} ×${os.availableParallelism()}, Node ${process.version}, wasm ${relaxedSimd() ? "relaxed SIMD (fused multiply-add)" : "SIMD"}; windows ${args.opts.windows}×≥${args.opts.windowSeconds}s after ≥${args.opts.warmupSeconds}s warm-up; load average ${fmtLoad(load0)}`);
  for (const w of WORKLOADS) {
    if (args.only && !args.only.includes(w.id)) continue;
    const r: Record<string, Record<string, Measurement | string>> = {};
    const notes: Record<string, string> = {};
    const loadBefore = os.loadavg();
    const engines = JS_ENGINES.filter(wantedEngine);
    for (const e of engines) r[e] = {};
    for (const c of w.cases) {
      const runnable: Array<[JsEngine, Timed]> = [];
      for (const engine of engines) {
        const t = await w.setup(engine, c);
        if (typeof t === "string") r[engine][c] = t;
        else {
          runnable.push([engine, t]);
          if (t.note) notes[engine] = t.note;
        }
      }
      const ms = await measureInterleaved(runnable.map(([, t]) => t), args.opts);
      runnable.forEach(([engine], i) => (r[engine][c] = ms[i]));
      for (const engine of engines) process.stderr.write(`  ${w.id} ${c} ${engine}: ${fmt(r[engine][c])} ${typeof r[engine][c] === "string" ? r[engine][c] : w.unit}\n`);
    }
    if (w.python) {
      const wanted = (e: string) => wantedEngine(e) && (w.pythonEngines ?? PY_ENGINES).includes(e);
      for (const e of PY_ENGINES.filter(wanted)) r[e] = Object.fromEntries(w.cases.map((c) => [c, noPython ?? "not run"]));
      if (!noPython) {
        try {
          if (wanted("torch-1t") || wanted("numpy-1t")) {
            const engines = ["torch", "numpy"].filter((e) => wanted(`${e}-1t`)).join(",");
            Object.assign(r, runPython(w.id, w.cases, engines, 1, args.opts));
          }
          if (wanted("numpy-2t")) Object.assign(r, runPython(w.id, w.cases, "numpy", 2, args.opts));
        } catch (e) {
          console.warn(`bench: the python twin of ${w.id} failed: ${(e as Error).message.split("\n")[0]}`);
        }
      }
    }
    results[w.id] = r;
    loads[w.id] = { start: loadBefore, end: os.loadavg() };
    if (Object.keys(notes).length > 0) allNotes[w.id] = notes;
    printTable(w.id, w.title, w.unit, w.cases, r, notes, loadBefore);
  }
  const load1 = os.loadavg();
  console.log(`\nload average at the end: ${fmtLoad(load1)} (other processes on these cores skew the numbers)`);
  writeFileSync(args.out, JSON.stringify({
    started: started.toISOString(),
    machine: { cpu: os.cpus()[0]?.model, cores: os.availableParallelism(), node: process.version, relaxedSimd: relaxedSimd(), loadavgStart: load0, loadavgEnd: load1 },
    protocol: args.opts,
    load: loads,
    notes: allNotes,
    results,
  }, null, 2) + "\n");
  console.log(`wrote ${args.out}`);
  shutdownWasm();
}

await main();
