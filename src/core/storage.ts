/**
 * Where tensor storage comes from. By default (Node) each tensor owns a fresh typed array and
 * the GC frees it. In browsers fresh memory is slow twice over, measured in Debian's chromium
 * (bench/browser-memory.ts):
 *   - dropping an ArrayBuffer costs ~180 µs of sweeping (GC_YOUNG_ARRAY_BUFFER_SWEEP), against
 *     ~5 µs in Node, and a training step drops hundreds;
 *   - the first write to fresh memory costs 4–10 ms per MB (page faults), against ~0.02–0.1 ms
 *     per MB for memory written before — 100× — and a Lab page's worker spent over half its
 *     time there.
 * So in browsers storage comes from slabs that are recycled: arrays under OWN_BUFFER_BYTES are
 * bump-allocated views into SLAB_BYTES slabs; bigger ones get a buffer of their own, kept by
 * size. A FinalizationRegistry counts each slab's live views; once a full slab has none, it
 * is zeroed and handed out again.
 *
 * Nothing may alias: a slab is reused only when no view of it can be reached. Views of
 * recycled slabs are instances of a subclass (still `instanceof Float32Array` etc., and named
 * so) whose constructor registers every view made from them — `subarray()` and other species
 * copies included — and whose `.buffer` getter pins the slab for good (whoever holds the
 * buffer may make views we cannot see; such a slab is left to the GC). Finalization callbacks
 * run between tasks, so a loop that never yields cannot recycle; storageLimits.heldBytes
 * bounds what is held (live, pending and free), and past it slabs are plain buffers again.
 *
 * A slab view's `.buffer` is the whole slab: never transfer it (postMessage) or reinterpret it
 * from offset 0. `isSlabView` tells; the Lab's worker copies such views before posting.
 */
const SLAB_BYTES = 1 << 20;
/** Arrays at least this big get their own buffer (recycled by size). */
const OWN_BUFFER_BYTES = 1 << 18;
export const storageLimits = {
  /** At most this many bytes of slabs are held for recycling: live, waiting for the GC, or free. */
  heldBytes: 256 << 20,
};

type Storage = Float32Array | Float64Array | Int32Array;
type StorageCtor<T extends Storage> = { new (size: number): T; new (buffer: ArrayBuffer, byteOffset: number, length: number): T; BYTES_PER_ELEMENT: number };

interface Slab {
  readonly buf: ArrayBuffer;
  /** Registered views not yet collected. */
  live: number;
  /** No more views will be cut from it (a small slab that filled up, or an own buffer). */
  retired: boolean;
  /** Its buffer escaped through `.buffer`: never reused. */
  pinned: boolean;
  /** Bytes handed out (what must be zeroed before reuse). */
  used: number;
}

/** Slabs, recycled or not (isSlabBuffer); recycled ones map to their record. */
const slabs = new WeakSet<ArrayBufferLike>();
const tracked = new WeakMap<ArrayBufferLike, Slab>();
/** Free buffers by byte length (SLAB_BYTES for small-array slabs). */
const free = new Map<number, ArrayBuffer[]>();
let freeBytes = 0;
let trackedBytes = 0;
let current: Slab | null = null;
/** An untracked slab in use once storageLimits.heldBytes is reached (never recycled, like a plain buffer). */
let plainSlab: ArrayBuffer | null = null;
let top = 0;

/** Counters for tests and benchmarks. */
export const storageStats = { slabsCreated: 0, slabsReused: 0, pinned: 0, untracked: 0 };

/** Bytes held for recycling now: slabs with views that may be live, and free ones. */
export function heldStorage(): { tracked: number; free: number } {
  return { tracked: trackedBytes, free: freeBytes };
}

const bufferOf = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Int8Array.prototype), "buffer")!.get! as (this: ArrayBufferView) => ArrayBufferLike;

const registry = typeof FinalizationRegistry === "function" ? new FinalizationRegistry<Slab>(viewCollected) : null;

function viewCollected(slab: Slab): void {
  slab.live--;
  if (slab.retired && slab.live === 0) release(slab);
}

/** A slab with no live views: back to the free list (zeroed when taken), or to the GC. */
function release(slab: Slab): void {
  trackedBytes -= slab.buf.byteLength;
  tracked.delete(slab.buf);
  if (slab.pinned || !enabled || slab.buf.byteLength === 0) return;
  if (slab.used > 0) new Uint8Array(slab.buf, 0, slab.used).fill(0);
  const list = free.get(slab.buf.byteLength) ?? [];
  list.push(slab.buf);
  free.set(slab.buf.byteLength, list);
  freeBytes += slab.buf.byteLength;
}

/** A tracked slab of `bytes`: a free one if there is one, else fresh; null past storageLimits.heldBytes. */
function takeSlab(bytes: number): Slab | null {
  if (!registry) return null;
  let buf = free.get(bytes)?.pop();
  if (buf) {
    freeBytes -= bytes;
    storageStats.slabsReused++;
  } else {
    // Free buffers of other sizes make room first (the sizes a program uses change over time).
    for (const [size, list] of free) {
      while (list.length > 0 && trackedBytes + freeBytes + bytes > storageLimits.heldBytes) {
        list.pop();
        freeBytes -= size;
      }
    }
    if (trackedBytes + freeBytes + bytes > storageLimits.heldBytes) return null;
    buf = new ArrayBuffer(bytes);
    storageStats.slabsCreated++;
  }
  const slab: Slab = { buf, live: 0, retired: false, pinned: false, used: 0 };
  slabs.add(buf);
  tracked.set(buf, slab);
  trackedBytes += bytes;
  return slab;
}

function retire(slab: Slab): void {
  slab.retired = true;
  if (slab.live === 0) release(slab);
}

/** The subclass views of tracked slabs are made from (see the module comment). */
function trackedClass<T extends Storage>(Base: StorageCtor<T>): StorageCtor<T> {
  const B = Base as unknown as new (...args: unknown[]) => ArrayBufferView;
  class Tracked extends B {
    constructor(...args: unknown[]) {
      super(...args);
      // Every view onto a tracked slab counts, however it was made (subarray, species copies).
      const slab = args[0] instanceof ArrayBuffer ? tracked.get(args[0]) : undefined;
      if (slab && registry) {
        slab.live++;
        registry.register(this, slab);
      }
    }
  }
  Object.defineProperty(Tracked, "name", { value: (Base as unknown as { name: string }).name });
  Object.defineProperty(Tracked.prototype, "buffer", {
    get(this: ArrayBufferView) {
      const buf = bufferOf.call(this);
      const slab = tracked.get(buf);
      if (slab && !slab.pinned) {
        slab.pinned = true;
        storageStats.pinned++;
      }
      return buf;
    },
  });
  return Tracked as unknown as StorageCtor<T>;
}

const TRACKED = new Map<unknown, StorageCtor<Storage>>([
  [Float32Array, trackedClass(Float32Array)],
  [Float64Array, trackedClass(Float64Array)],
  [Int32Array, trackedClass(Int32Array)],
]);

const inBrowser = (): boolean => {
  const g = globalThis as { process?: { versions?: { node?: string } }; document?: unknown; WorkerGlobalScope?: unknown };
  return g.process?.versions?.node === undefined && (g.document !== undefined || g.WorkerGlobalScope !== undefined);
};
let enabled = inBrowser();

/** Turns slab allocation on or off (default: on in browsers, off in Node); returns the previous setting. */
export function useStorageSlabs(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  if (current) retire(current);
  current = null;
  plainSlab = null;
  if (!on) {
    free.clear();
    freeBytes = 0;
  }
  return was;
}

/** True if `a` is a view into a slab (its buffer may hold other tensors' data too). Does not pin. */
export function isSlabView(a: ArrayBufferView): boolean {
  return slabs.has(bufferOf.call(a));
}

/** True if `b` is a slab (see isSlabView). */
export function isSlabBuffer(b: ArrayBufferLike): boolean {
  return slabs.has(b);
}

/** A zero-filled array of `size` elements, from a slab when slabs are on. */
export function allocStorage<T extends Storage>(Ctor: StorageCtor<T>, size: number): T {
  const bytes = size * Ctor.BYTES_PER_ELEMENT;
  if (!enabled || bytes === 0) return new Ctor(size);
  const View = TRACKED.get(Ctor) as StorageCtor<T>;
  if (bytes >= OWN_BUFFER_BYTES) {
    // Rounded to 4 KB so sizes that differ a little share buffers.
    const slab = takeSlab(Math.ceil(bytes / 4096) * 4096);
    if (!slab) {
      storageStats.untracked++;
      return new Ctor(size);
    }
    slab.used = bytes;
    const view = new View(slab.buf, 0, size);
    retire(slab);
    return view;
  }
  const at = Math.ceil(top / 16) * 16; // 16-byte aligned, like a fresh buffer's SIMD-friendly start
  if (current && at + bytes <= SLAB_BYTES) {
    top = at + bytes;
    current.used = top;
    return new View(current.buf, at, size);
  }
  if (plainSlab && at + bytes <= SLAB_BYTES) {
    top = at + bytes;
    return new Ctor(plainSlab, at, size);
  }
  // The slab in use is full: a recycled or fresh one, or past the cap (storageLimits) a plain one.
  if (current) retire(current);
  current = takeSlab(SLAB_BYTES);
  plainSlab = null;
  if (!current) {
    storageStats.untracked++;
    plainSlab = new ArrayBuffer(SLAB_BYTES);
    slabs.add(plainSlab);
  }
  top = 0;
  return allocStorage(Ctor, size);
}
