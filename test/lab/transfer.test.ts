import { afterEach, expect, it } from "vitest";
import { ownBuffers } from "../../lab/src/transfer.js";
import { allocArray } from "../../src/core/dtype.js";
import { isSlabView, useStorageSlabs } from "../../src/core/index.js";

afterEach(() => {
  useStorageSlabs(false);
});

it("ownBuffers: slab views in a payload become copies that are transferred; the slab never is", () => {
  useStorageSlabs(true);
  const slabbed = allocArray("float32", 4).fill(2) as Float32Array;
  const neighbour = allocArray("float32", 4).fill(5) as Float32Array; // shares the slab
  const own = new Float32Array([1, 2, 3]);
  const payload = { a: slabbed, nested: { list: [slabbed, own] }, n: 3, own };
  const { payload: out, transfer } = ownBuffers(payload, [slabbed.buffer, own.buffer]);
  expect(isSlabView(out.a)).toBe(false);
  expect(Array.from(out.a)).toEqual([2, 2, 2, 2]);
  expect(isSlabView(out.nested.list[0] as Float32Array)).toBe(false);
  expect(out.own).toBe(own); // not a slab view: the same object, still transferred
  expect(out.n).toBe(3);
  expect(transfer).not.toContain(slabbed.buffer);
  expect(transfer).toContain(own.buffer);
  expect(transfer).toContain(out.a.buffer);
  // Posting it detaches only the copies and the payload's own buffers, never the slab.
  const { port1 } = new MessageChannel();
  port1.postMessage(out, transfer);
  port1.close();
  expect(Array.from(neighbour)).toEqual([5, 5, 5, 5]);
  expect(slabbed.length).toBe(4);
  expect(own.length).toBe(0); // detached, as a transferred buffer should be
});
