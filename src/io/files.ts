/**
 * safetensors from and to files. Paths need Node: the Node modules are imported lazily, so that
 * this module (and everything the io index exports) loads in a browser, where the same functions
 * take bytes.
 */
import { NNZooError } from "../core/errors.js";
import type { Tensor } from "../core/tensor.js";
import { type Bytes, type SafetensorsFile, parseSafetensors, serializeSafetensors } from "./safetensors.js";

/** A file path (Node) or the file's bytes (anywhere). */
export type Source = string | URL | Bytes;

/**
 * Loads the tensors of a safetensors file, from a path (Node) or from bytes (browser or Node),
 * validating it strictly (see {@link parseSafetensors}).
 *
 * @example
 *   const dict = await io.loadSafetensors("weights.safetensors");
 *   lstm.loadStateDict(dict, { strict: true });
 */
export async function loadSafetensors(source: Source): Promise<Record<string, Tensor>> {
  return (await read("loadSafetensors", source)).tensors;
}

/**
 * Like {@link loadSafetensors} but returns the whole parsed file: tensors, `__metadata__` and
 * each tensor's header entry (its stored dtype, e.g. F16 before the upcast).
 */
export async function readSafetensors(source: Source): Promise<SafetensorsFile> {
  return read("readSafetensors", source);
}

async function read(op: string, source: Source): Promise<SafetensorsFile> {
  if (typeof source === "string" || source instanceof URL) {
    const bytes = await readFileBytes(op, source);
    try {
      return parseSafetensors(bytes);
    } catch (e) {
      throw new NNZooError(`${op}: ${String(source)}: ${(e as Error).message}`);
    }
  }
  return parseSafetensors(source);
}

/**
 * Writes tensors (and optional string metadata) to a safetensors file, atomically: a crash at any
 * moment leaves either the old file or the complete new one (Node only; in the browser use
 * {@link serializeSafetensors} and save the bytes).
 *
 * @example
 *   await io.saveSafetensors("out.safetensors", lstm.stateDict(), { note: "epoch 3" });
 */
export async function saveSafetensors(path: string, dict: Record<string, Tensor>, metadata?: Record<string, string>): Promise<void> {
  const bytes = serializeSafetensors(dict, metadata);
  const { writeFileAtomic } = await nodeAtomic("saveSafetensors");
  writeFileAtomic(path, bytes);
}

/** @internal Reads a whole file, with an NNZooError naming it when that fails. */
export async function readFileBytes(op: string, file: string | URL): Promise<Uint8Array> {
  let fs: typeof import("node:fs/promises");
  try {
    fs = await import("node:fs/promises");
  } catch {
    throw new NNZooError(`${op}: reading a path needs Node; in the browser pass the file's bytes (a Uint8Array)`);
  }
  try {
    return await fs.readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new NNZooError(`${op}: ${String(file)} does not exist`);
    throw new NNZooError(`${op}: cannot read ${String(file)}: ${(e as Error).message}`);
  }
}

/** @internal The Node-only atomic writer, imported on first use. */
export async function nodeAtomic(op: string): Promise<typeof import("./atomic.js")> {
  try {
    return await import("./atomic.js");
  } catch (e) {
    throw new NNZooError(`${op}: writing files needs Node (${(e as Error).message}); in the browser serialize to bytes instead`);
  }
}
