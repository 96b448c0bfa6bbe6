/**
 * Prints the functions with the most self time in a V8 .cpuprofile (node --cpu-prof). Given
 * a directory, it reads the profile with the most busy (non-idle) time — the main thread's.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] };
const load = (f: string) => JSON.parse(readFileSync(f, "utf8")) as Profile;
function busy(p: Profile): number {
  const idle = new Set(p.nodes.filter((n) => n.callFrame.functionName === "(idle)").map((n) => n.id));
  return p.samples.reduce((acc, id, i) => acc + (idle.has(id) ? 0 : p.timeDeltas[i] ?? 0), 0);
}
const arg = process.argv[2];
const files = statSync(arg).isDirectory() ? readdirSync(arg).filter((f) => f.endsWith(".cpuprofile")).map((f) => join(arg, f)) : [arg];
const prof = files.map(load).sort((a, b) => busy(b) - busy(a))[0];
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map<string, number>();
let total = 0;
prof.samples.forEach((id, i) => {
  const n = byId.get(id)!;
  const f = n.callFrame;
  const file = f.url.split("/").slice(-2).join("/");
  const key = `${f.functionName || "(anonymous)"} ${file}${f.url ? `:${f.lineNumber + 1}` : ""}`;
  const dt = prof.timeDeltas[i] ?? 0;
  self.set(key, (self.get(key) ?? 0) + dt);
  total += dt;
});
const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(process.argv[3] ?? 15));
for (const [k, v] of top) console.log(`${((100 * v) / total).toFixed(1).padStart(5)}%  ${(v / 1000).toFixed(0).padStart(6)} ms  ${k}`);
