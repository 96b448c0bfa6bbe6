/**
 * Where tensor storage comes from. By default each tensor owns a fresh typed array (the GC
 * frees it). In browsers that is slow: measured in Debian's chromium 2026-11, allocating and
 * dropping one 32 KB Float32Array costs ~180 µs (node: ~5 µs), nearly all of it V8 sweeping
 * the freed ArrayBuffer backing stores (GC_YOUNG_ARRAY_BUFFER_SWEEP in a trace) — and a
 * training step allocates hundreds. So in browsers small arrays are views into shared slabs:
 * one backing store per SLAB_BYTES, bump-allocated, never reused (a slab is freed by the GC
 * when its last view dies, so no lifetime tracking is needed and nothing can alias).
 *
 * A slab view's `.buffer` is the whole slab: never transfer it (postMessage) or reinterpret
 * it from offset 0. `isSlabView` tells; the Lab's worker copies such views before posting.
 */
const SLAB_BYTES = 1 << 20;
/** Arrays at least this big get their own buffer (a slab would pin too much memory for them). */
const OWN_BUFFER_BYTES = 1 << 18;

const slabs = new WeakSet<ArrayBufferLike>();
let slab: ArrayBuffer | null = null;
let top = 0;

const inBrowser = (): boolean => {
  const g = globalThis as { process?: { versions?: { node?: string } }; document?: unknown; WorkerGlobalScope?: unknown };
  return g.process?.versions?.node === undefined && (g.document !== undefined || g.WorkerGlobalScope !== undefined);
};
let enabled = inBrowser();

/** Turns slab allocation on or off (default: on in browsers, off in Node); returns the previous setting. */
export function useStorageSlabs(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  slab = null;
  return was;
}

/** True if `a` is a view into a shared slab (its buffer holds other tensors' data too). */
export function isSlabView(a: ArrayBufferView): boolean {
  return slabs.has(a.buffer);
}

/** True if `b` is a slab (see isSlabView). */
export function isSlabBuffer(b: ArrayBufferLike): boolean {
  return slabs.has(b);
}

/** A zero-filled array of `size` elements, from a slab when slabs are on and it is small. */
export function allocStorage<T extends Float32Array | Float64Array | Int32Array>(
  Ctor: { new (size: number): T; new (buffer: ArrayBuffer, byteOffset: number, length: number): T; BYTES_PER_ELEMENT: number },
  size: number,
): T {
  const bytes = size * Ctor.BYTES_PER_ELEMENT;
  if (!enabled || bytes >= OWN_BUFFER_BYTES || bytes === 0) return new Ctor(size);
  const at = Math.ceil(top / 16) * 16; // 16-byte aligned, like a fresh buffer's SIMD-friendly start
  if (!slab || at + bytes > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabs.add(slab);
    top = 0;
    return allocStorage(Ctor, size);
  }
  top = at + bytes;
  return new Ctor(slab, at, size);
}
