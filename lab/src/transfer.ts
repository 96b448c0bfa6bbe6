/**
 * Tensor storage in the browser may be a view into a shared slab (src/core/storage.ts), whose
 * buffer holds other tensors too: transferring it would detach them all, and cloning it would
 * copy the whole slab. ownBuffers makes a frame's payload safe to post: slab views (a trainer
 * handing over `tensor.data`) become copies, which are transferred instead, and slab buffers
 * leave the transfer list. Other values are kept as they are (same objects).
 */
import { isSlabBuffer, isSlabView } from "../../src/core/storage.js";

/** Payloads nest a few levels (e.g. payload.gallery.images); deeper slab views are cloned, not lost. */
const MAX_DEPTH = 4;

export function ownBuffers<T>(payload: T, transfer: readonly Transferable[]): { payload: T; transfer: Transferable[] } {
  const out = transfer.filter((b) => !(b instanceof ArrayBuffer && isSlabBuffer(b)));
  return { payload: walk(payload, out, 0) as T, transfer: out };
}

function walk(value: unknown, transfer: Transferable[], depth: number): unknown {
  if (ArrayBuffer.isView(value)) {
    if (value instanceof DataView || !isSlabView(value)) return value;
    const copy = (value as Float32Array).slice();
    transfer.push(copy.buffer);
    return copy;
  }
  if (depth >= MAX_DEPTH || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => walk(v, transfer, depth + 1));
  if (Object.getPrototypeOf(value) !== Object.prototype) return value; // class instances are posted as they are
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = walk(v, transfer, depth + 1);
  return out;
}
