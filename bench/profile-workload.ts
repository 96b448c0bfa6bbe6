/**
 * Any bench workload's step, for `node --cpu-prof`: sets up one engine on one case (as
 * bench/run.ts does), runs one untimed step and then `steps` more, and prints wall and CPU time
 * per step (CPU time is steadier when other processes share the cores).
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/profile-workload.ts W5 nnzoo-wasm-1t [steps] [case]
 *   npx tsx bench/profile-summary.ts /tmp/prof
 */
import { shutdownWasm } from "../src/kernels/wasm/index.js";
import { WORKLOADS } from "./workloads/index.js";
import type { JsEngine } from "./workloads/types.js";

const [id = "W1", engine = "nnzoo-wasm-1t", n = "5", caseArg] = process.argv.slice(2);
const w = WORKLOADS.find((x) => x.id === id) ?? (() => { throw new Error(`no workload ${id}`); })();
const caseName = caseArg ?? w.cases[0];
const t = await w.setup(engine as JsEngine, caseName);
if (typeof t === "string") throw new Error(`${id} on ${engine}: ${t}`);
const steps = Number(n);
await t.step();
const t0 = performance.now(), c0 = process.cpuUsage();
for (let i = 0; i < steps; i++) await t.step();
const ms = (performance.now() - t0) / steps, cpu = process.cpuUsage(c0);
console.log(`${id} ${caseName} on ${engine}: ${ms.toFixed(1)} ms/step wall (${((1000 / ms) * t.scale).toFixed(1)} ${w.unit}), ${((cpu.user + cpu.system) / 1000 / steps).toFixed(1)} ms/step CPU`);
t.dispose?.();
shutdownWasm();
