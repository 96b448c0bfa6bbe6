/**
 * Why tensor memory costs more in the browser than in Node: the same loops in Node and in
 * Debian's chromium (headless, as the Lab's tests run it). `npx tsx bench/browser-memory.ts`
 *
 * - alloc+drop: allocate a Float32Array, touch it, drop it (what a training step does to
 *   every temporary tensor when each owns its buffer); chromium pays for sweeping each freed
 *   ArrayBuffer (trace: V8.GC_YOUNG_ARRAY_BUFFER_SWEEP);
 * - slab views: the same sizes as views into one 1 MB buffer (src/core/storage.ts in browsers);
 * - fresh 1 MB write vs reused: first-touch page faults on new memory (why storage.ts recycles slabs).
 */
import { launchChromium } from "../test/lab/browser.js";

function measure(): Record<string, string> {
  const out: Record<string, string> = {};
  const us = (t0: number, n: number) => `${(((performance.now() - t0) / n) * 1000).toFixed(1)} µs`;
  let sink = 0;
  for (const n of [1024, 8192]) {
    let t0 = performance.now();
    for (let i = 0; i < 5000; i++) { const a = new Float32Array(n); a[0] = i; sink += a[n - 1]; }
    out[`alloc+drop ${n * 4 / 1024} KB`] = us(t0, 5000);
    t0 = performance.now();
    let slab = new ArrayBuffer(1 << 20), top = 0;
    for (let i = 0; i < 5000; i++) {
      if (top + n * 4 > slab.byteLength) { slab = new ArrayBuffer(1 << 20); top = 0; }
      const a = new Float32Array(slab, top, n);
      top += n * 4;
      a[0] = i;
      sink += a[n - 1];
    }
    out[`slab view ${n * 4 / 1024} KB`] = us(t0, 5000);
  }
  const src = new Float32Array(1 << 18).fill(1);
  let t0 = performance.now();
  for (let i = 0; i < 200; i++) { const a = new Float32Array(1 << 18); a.set(src); sink += a[5]; }
  out["fresh 1 MB, first write"] = us(t0, 200);
  const keep = new Float32Array(1 << 18);
  t0 = performance.now();
  for (let i = 0; i < 200; i++) { keep.set(src); sink += keep[5]; }
  out["reused 1 MB, write"] = us(t0, 200);
  if (sink < 0) out.sink = String(sink);
  return out;
}

const node = measure();
const browser = await launchChromium();
const page = await browser.newPage();
await page.goto("about:blank");
await page.evaluate("globalThis.__name = (f) => f"); // tsx's keep-names helper, which the serialised function calls
const chromium = await page.evaluate(`(${measure.toString()})()`) as Record<string, string>;
await browser.close();
console.log(`${"".padEnd(26)} ${"node".padStart(10)} ${"chromium".padStart(10)}`);
for (const k of Object.keys(node)) console.log(`${k.padEnd(26)} ${node[k].padStart(10)} ${chromium[k].padStart(10)}`);
