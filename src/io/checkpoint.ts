/**
 * Checkpoints: model weights + optimizer state + RNG state + step + config (+ user extras).
 *
 * A checkpoint is ONE safetensors file, not a directory. A file can be replaced atomically by
 * rename(2); a directory cannot (rename does not replace a non-empty directory, so swapping
 * directories needs two renames with a window where the name points at nothing, or a pointer
 * file and garbage collection). One file also means one checksum over everything, one fsync,
 * and a checkpoint that is still a valid safetensors file: PyTorch's `safetensors.torch.load_file`
 * reads the model weights straight out of it.
 *
 * Layout of the file:
 * - model weights under their own names (as `stateDict()` gives them);
 * - tensors found in the optimizer state, config or extras under `__nnzoo__.<section>.<i>`;
 * - `__metadata__`: `nnzoo.format` (the format version), `nnzoo.state` (JSON: step, RNG state,
 *   the list of model weights, and the optimizer state / config / extras with each tensor
 *   replaced by `{"$tensor": name}`), and `nnzoo.sha256`: the SHA-256 of the whole file as
 *   written with these 64 hex digits set to "0". Any changed byte, anywhere, fails the check.
 *
 * Saving keeps the file being replaced as `<path>.prev` (when it verifies), and loading falls
 * back to it when `<path>` is missing or corrupt, saying so in the result's `recovered`.
 */
import { NNZooError } from "../core/errors.js";
import { type RngState, getRngState, setRngState } from "../core/random.js";
import { Tensor } from "../core/tensor.js";
import { nodeAtomic, readFileBytes } from "./files.js";
import { type Bytes, parseSafetensors, serializeSafetensors } from "./safetensors.js";

/** The value of the `nnzoo.format` metadata key of a checkpoint file. */
export const CHECKPOINT_FORMAT = "nnzoo.checkpoint/1";

const FORMAT_KEY = "nnzoo.format";
const STATE_KEY = "nnzoo.state";
const DIGEST_KEY = "nnzoo.sha256";
const ZERO_DIGEST = "0".repeat(64);
/** Tensor names under this prefix belong to the optimizer state, config or extras. */
const RESERVED_PREFIX = "__nnzoo__.";

/** What a checkpoint needs of a model: nn.Module has it, and so has any object with these two methods. */
export interface StateDictModule {
  stateDict(): Record<string, Tensor>;
  loadStateDict(dict: Record<string, Tensor>, options?: { strict?: boolean }): unknown;
}

/**
 * What a checkpoint needs of an optimizer: `stateDict()` returns a JSON-like object whose leaves
 * are numbers (NaN, ±Infinity and -0 included), strings, booleans, null or Tensors.
 */
export interface StatefulOptimizer {
  stateDict(): unknown;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each optimizer has its own state type
  loadStateDict(state: any): unknown;
}

/** A JSON-like value that may hold Tensors. */
export type StateValue = number | string | boolean | null | Tensor | StateValue[] | { [key: string]: StateValue };

/** What {@link saveCheckpoint} saves. */
export interface CheckpointState {
  /** A module (its `stateDict()` is saved) or a dict of tensors. */
  model: StateDictModule | Record<string, Tensor>;
  /** An optimizer (its `stateDict()` is saved); omit to save none. */
  optimizer?: StatefulOptimizer | null;
  /** The number of training steps done: a non-negative integer. */
  step: number;
  /** The run's configuration: JSON-like (tensors allowed). */
  config?: unknown;
  /** Anything else to keep (data-loader position, metrics…): JSON-like (tensors allowed). */
  extra?: unknown;
  /** The RNG state to save; defaults to the global generator's `getRngState()`. */
  rng?: RngState;
}

/** A checkpoint as read back: everything {@link CheckpointState} saved, as plain data. */
export interface Checkpoint {
  step: number;
  /** The model weights by name. */
  model: Record<string, Tensor>;
  /** The optimizer's state dict (undefined when none was saved). */
  optimizer?: StateValue;
  rng: RngState;
  config?: StateValue;
  extra?: StateValue;
}

/** A checkpoint loaded from a file. */
export interface LoadedCheckpoint extends Checkpoint {
  /** The file that was loaded: the path asked for, or its `.prev` backup. */
  file: string;
  /** Set when the requested file was missing or corrupt and the backup was used: which file and why. */
  recovered: { file: string; error: string } | null;
}

/** Options of {@link loadCheckpoint} and {@link restoreCheckpoint}. */
export interface LoadCheckpointOptions {
  /** Use `<path>.prev` when `<path>` is missing or corrupt (default true). */
  fallback?: boolean;
}

/** Options of {@link saveCheckpoint}. */
export interface SaveCheckpointOptions {
  /** Keep the checkpoint being replaced as `<path>.prev`, when it verifies (default true). */
  keepPrevious?: boolean;
}

// ---------------------------------------------------------------------------------------------
// bytes (browser-safe)

/**
 * Serializes a checkpoint into the bytes of one safetensors file (see the module comment for the
 * layout), checksummed with SHA-256. Identical state gives identical bytes.
 */
export async function serializeCheckpoint(state: CheckpointState): Promise<Uint8Array> {
  return encodeCheckpoint("serializeCheckpoint", state);
}

/**
 * Parses and verifies checkpoint bytes: the safetensors structure (sizes, header, dtypes, shapes,
 * offsets), the format version, the SHA-256 of the whole file, and the manifest. Throws an
 * NNZooError saying what is wrong.
 */
export async function parseCheckpoint(bytes: Bytes): Promise<Checkpoint> {
  return decodeCheckpoint("parseCheckpoint", "the checkpoint", bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
}

async function encodeCheckpoint(op: string, state: CheckpointState): Promise<Uint8Array> {
  if (state === null || typeof state !== "object") throw new NNZooError(`${op}: expected { model, optimizer?, step, config?, extra? }, got ${describe(state)}`);
  const { step } = state;
  if (typeof step !== "number" || !Number.isSafeInteger(step) || step < 0) throw new NNZooError(`${op}: step must be a non-negative integer, got ${describe(step)}`);
  const model = state.model;
  if (model === null || typeof model !== "object") throw new NNZooError(`${op}: model must be a module or a dict of tensors, got ${describe(model)}`);
  const weights = isModule(model) ? model.stateDict() : model;

  const tensors: Record<string, Tensor> = {};
  const names: string[] = [];
  for (const name of Object.keys(weights)) {
    const t = weights[name];
    if (!(t instanceof Tensor)) throw new NNZooError(`${op}: model weight "${name}" must be a Tensor, got ${describe(t)}`);
    if (name.startsWith(RESERVED_PREFIX)) throw new NNZooError(`${op}: model weight "${name}" uses the prefix "${RESERVED_PREFIX}", which checkpoints reserve`);
    setOwn(tensors, name, t);
    names.push(name);
  }
  const manifest: Record<string, unknown> = { step, model: names };
  manifest.rng = encodeValue(op, "rng", state.rng ?? getRngState(), tensors);
  if (state.optimizer != null) {
    const opt = state.optimizer;
    if (typeof opt.stateDict !== "function") throw new NNZooError(`${op}: optimizer must have a stateDict() method, got ${describe(opt)}`);
    manifest.optimizer = encodeValue(op, "optimizer", opt.stateDict(), tensors);
  }
  if (state.config !== undefined) manifest.config = encodeValue(op, "config", state.config, tensors);
  if (state.extra !== undefined) manifest.extra = encodeValue(op, "extra", state.extra, tensors);

  const bytes = serializeSafetensors(tensors, {
    [FORMAT_KEY]: CHECKPOINT_FORMAT,
    [DIGEST_KEY]: ZERO_DIGEST,
    [STATE_KEY]: JSON.stringify(manifest),
  });
  const headerEnd = 8 + new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
  const at = findDigest(bytes.subarray(0, headerEnd), ZERO_DIGEST);
  const digest = await sha256Hex(bytes);
  for (let i = 0; i < 64; i++) bytes[at + i] = digest.charCodeAt(i);
  return bytes;
}

async function decodeCheckpoint(op: string, label: string, bytes: Uint8Array): Promise<Checkpoint> {
  const corrupt = (problem: string): never => {
    throw new NNZooError(`${op}: ${label} is corrupt: ${problem}`);
  };
  let file;
  try {
    file = parseSafetensors(bytes);
  } catch (e) {
    return corrupt(stripOp("parseSafetensors", (e as Error).message));
  }
  const meta = file.metadata;
  if (!Object.hasOwn(meta, FORMAT_KEY)) {
    throw new NNZooError(`${op}: ${label} is a valid safetensors file but not an nnzoo checkpoint (its metadata has no "${FORMAT_KEY}")`);
  }
  if (meta[FORMAT_KEY] !== CHECKPOINT_FORMAT) corrupt(`format ${JSON.stringify(meta[FORMAT_KEY])} is not ${JSON.stringify(CHECKPOINT_FORMAT)}`);
  const recorded = meta[DIGEST_KEY];
  if (typeof recorded !== "string" || !/^[0-9a-f]{64}$/.test(recorded)) corrupt(`metadata "${DIGEST_KEY}" is not a SHA-256 digest`);
  const at = findDigest(bytes.subarray(0, file.dataStart), recorded);
  if (at < 0) corrupt(`metadata "${DIGEST_KEY}" is not where the writer puts it`);
  const zeroed = new Uint8Array(bytes);
  zeroed.fill(0x30, at, at + 64);
  const actual = await sha256Hex(zeroed);
  if (actual !== recorded) corrupt(`its SHA-256 is ${actual} but it records ${recorded}: bytes changed after it was written`);

  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(meta[STATE_KEY] ?? "null") as Record<string, unknown>;
  } catch (e) {
    return corrupt(`metadata "${STATE_KEY}" is not valid JSON: ${(e as Error).message}`);
  }
  if (manifest === null || typeof manifest !== "object") corrupt(`metadata "${STATE_KEY}" is missing or not an object`);
  const { step, model: names } = manifest;
  if (typeof step !== "number" || !Number.isSafeInteger(step) || step < 0) corrupt(`step ${JSON.stringify(step)} is not a non-negative integer`);
  if (!Array.isArray(names) || !names.every((n) => typeof n === "string")) corrupt(`the list of model weights is missing`);
  const model: Record<string, Tensor> = {};
  for (const name of names as string[]) {
    if (!Object.hasOwn(file.tensors, name)) corrupt(`model weight "${name}" is listed but not stored`);
    setOwn(model, name, file.tensors[name]);
  }
  for (const name of Object.keys(file.tensors)) {
    if (!name.startsWith(RESERVED_PREFIX) && !Object.hasOwn(model, name)) corrupt(`tensor "${name}" is stored but not listed as a model weight`);
  }
  const decode = (section: string): StateValue | undefined =>
    Object.hasOwn(manifest, section) ? decodeValue(manifest[section], file.tensors, section, corrupt) : undefined;
  const rng = decode("rng") as RngState | undefined;
  if (!isRngState(rng)) return corrupt(`the RNG state is missing or malformed`);
  const out: Checkpoint = { step: step as number, model, rng };
  const optimizer = decode("optimizer");
  if (optimizer !== undefined) out.optimizer = optimizer;
  const config = decode("config");
  if (config !== undefined) out.config = config;
  const extra = decode("extra");
  if (extra !== undefined) out.extra = extra;
  return out;
}

// ---------------------------------------------------------------------------------------------
// files (Node)

/**
 * Saves a checkpoint to one file, atomically (temp file, fsync, rename, fsync of the directory):
 * a crash at any instant leaves the last complete checkpoint at `path`. The file being replaced
 * is kept as `<path>.prev` when it verifies (`keepPrevious`, default true), so that a checkpoint
 * damaged later on disk still has a fallback. Creates the directory if needed.
 *
 * @example
 *   await io.saveCheckpoint("runs/lm/ckpt.safetensors", { model, optimizer: opt, step, config });
 */
export async function saveCheckpoint(path: string, state: CheckpointState, options: SaveCheckpointOptions = {}): Promise<{ path: string; bytes: number }> {
  const op = "saveCheckpoint";
  const bytes = await encodeCheckpoint(op, state);
  const { writeFileAtomic } = await nodeAtomic(op);
  const fs = await import("node:fs");
  let backup;
  if (options.keepPrevious ?? true) {
    // Demote the current file to .prev only if it verifies; a file this process wrote and nobody
    // touched since (same inode, size and mtime) needs no second reading.
    const current = statSignature(fs, path);
    const keep = current !== null && (current === written.get(path) || (await loadOne(op, path).then(() => true, () => false)));
    backup = { path: `${path}.prev`, shouldKeep: () => keep };
  }
  writeFileAtomic(path, bytes, { backup });
  const signature = statSignature(fs, path);
  if (signature !== null) written.set(path, signature);
  return { path, bytes: bytes.length };
}

/** The checkpoint files this process wrote: path → inode:size:mtime when it wrote them. */
const written = new Map<string, string>();

function statSignature(fs: typeof import("node:fs"), file: string): string | null {
  try {
    const st = fs.statSync(file, { bigint: true });
    return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}`;
  } catch {
    return null;
  }
}

/**
 * Loads and verifies a checkpoint file (see {@link parseCheckpoint}). When `path` is missing or
 * corrupt and `fallback` is on (the default), loads `<path>.prev` instead and says so in
 * `recovered`; when neither is usable, throws an NNZooError naming each file and its problem.
 */
export async function loadCheckpoint(path: string, options: LoadCheckpointOptions = {}): Promise<LoadedCheckpoint> {
  const op = "loadCheckpoint";
  try {
    return { ...(await loadOne(op, path)), file: path, recovered: null };
  } catch (first) {
    if (!(options.fallback ?? true)) throw first;
    const prev = `${path}.prev`;
    let ck: Checkpoint;
    try {
      ck = await loadOne(op, prev);
    } catch (second) {
      if (/does not exist$/.test((second as Error).message)) throw first;
      throw new NNZooError(`${(first as Error).message}; and the previous checkpoint: ${stripOp(op, (second as Error).message)}`);
    }
    return { ...ck, file: prev, recovered: { file: path, error: (first as Error).message } };
  }
}

/**
 * Loads a checkpoint into a live run: the model's weights (`loadStateDict`, strict), the
 * optimizer's state (when an optimizer is given; the checkpoint must have one) and the global RNG
 * state. Returns the step, config and extras to continue from. Falls back to `<path>.prev` as
 * {@link loadCheckpoint} does.
 *
 * @example
 *   const { step } = await io.restoreCheckpoint("runs/lm/ckpt.safetensors", { model, optimizer: opt });
 *   for (let s = step + 1; s <= totalSteps; s++) trainStep(s);
 */
export async function restoreCheckpoint(
  path: string,
  target: { model: StateDictModule; optimizer?: StatefulOptimizer | null },
  options: LoadCheckpointOptions = {},
): Promise<{ step: number; config?: StateValue; extra?: StateValue; file: string; recovered: LoadedCheckpoint["recovered"] }> {
  const op = "restoreCheckpoint";
  const ck = await loadCheckpoint(path, options);
  if (target.optimizer != null && ck.optimizer === undefined) throw new NNZooError(`${op}: ${ck.file} has no optimizer state to restore`);
  const apply = (what: string, fn: () => unknown): void => {
    try {
      fn();
    } catch (e) {
      throw new NNZooError(`${op}: ${ck.file}: ${what} failed: ${(e as Error).message}`);
    }
  };
  apply("model.loadStateDict", () => target.model.loadStateDict(ck.model, { strict: true }));
  if (target.optimizer != null) apply("optimizer.loadStateDict", () => target.optimizer!.loadStateDict(ck.optimizer));
  setRngState(ck.rng);
  const out: Awaited<ReturnType<typeof restoreCheckpoint>> = { step: ck.step, file: ck.file, recovered: ck.recovered };
  if (ck.config !== undefined) out.config = ck.config;
  if (ck.extra !== undefined) out.extra = ck.extra;
  return out;
}

/** Whether a checkpoint (or its `.prev` backup) exists at `path` (Node). */
export async function checkpointExists(path: string): Promise<boolean> {
  const fs = await import("node:fs");
  return fs.existsSync(path) || fs.existsSync(`${path}.prev`);
}

async function loadOne(op: string, file: string): Promise<Checkpoint> {
  const bytes = await readFileBytes(op, file);
  return decodeCheckpoint(op, file, bytes);
}

function stripOp(op: string, message: string): string {
  return message.startsWith(`${op}: `) ? message.slice(op.length + 2) : message;
}

// ---------------------------------------------------------------------------------------------
// state values ↔ JSON + tensors

/**
 * JSON has no NaN, Infinity or -0, and no tensors: those become tagged objects. A plain object
 * whose own keys start with "$" is wrapped as {"$object": …} so that tags stay unambiguous.
 */
function encodeValue(op: string, section: string, value: unknown, tensors: Record<string, Tensor>): unknown {
  let count = 0;
  const walk = (v: unknown, where: string): unknown => {
    if (v instanceof Tensor) {
      const name = `${RESERVED_PREFIX}${section}.${count++}`;
      setOwn(tensors, name, v.detach());
      return { $tensor: name };
    }
    if (typeof v === "number") {
      if (Number.isNaN(v)) return { $number: "NaN" };
      if (v === Infinity) return { $number: "Infinity" };
      if (v === -Infinity) return { $number: "-Infinity" };
      if (Object.is(v, -0)) return { $number: "-0" };
      return v;
    }
    if (v === null || typeof v === "string" || typeof v === "boolean") return v;
    if (Array.isArray(v)) {
      return v.map((x, i) => {
        if (x === undefined) throw new NNZooError(`${op}: ${where}[${i}] is undefined; checkpoint state must be JSON-like`);
        return walk(x, `${where}[${i}]`);
      });
    }
    if (typeof v === "object" && isPlainObject(v)) {
      const out: Record<string, unknown> = {};
      let tagged = false;
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        if (x === undefined) continue;
        if (k.startsWith("$")) tagged = true;
        setOwn(out, k, walk(x, `${where}.${k}`));
      }
      return tagged ? { $object: out } : out;
    }
    throw new NNZooError(`${op}: ${where} is ${describe(v)}; checkpoint state must hold only numbers, strings, booleans, null, Tensors, arrays and plain objects`);
  };
  return walk(value, section);
}

function decodeValue(v: unknown, tensors: Record<string, Tensor>, where: string, corrupt: (m: string) => never): StateValue {
  if (v === null || typeof v === "number" || typeof v === "string" || typeof v === "boolean") return v;
  if (Array.isArray(v)) return v.map((x, i) => decodeValue(x, tensors, `${where}[${i}]`, corrupt));
  if (typeof v !== "object") return corrupt(`${where} holds ${describe(v)}`);
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1 && keys[0] === "$tensor") {
    const name = o.$tensor;
    if (typeof name !== "string" || !name.startsWith(RESERVED_PREFIX) || !Object.hasOwn(tensors, name)) corrupt(`${where} refers to tensor ${JSON.stringify(name)}, which is not stored`);
    return tensors[name as string];
  }
  if (keys.length === 1 && keys[0] === "$number") {
    const s = o.$number;
    if (s === "NaN") return NaN;
    if (s === "Infinity") return Infinity;
    if (s === "-Infinity") return -Infinity;
    if (s === "-0") return -0;
    return corrupt(`${where} has an unknown number tag ${JSON.stringify(s)}`);
  }
  let fields = o;
  if (keys.length === 1 && keys[0] === "$object") {
    if (o.$object === null || typeof o.$object !== "object" || Array.isArray(o.$object)) corrupt(`${where}.$object is not an object`);
    fields = o.$object as Record<string, unknown>;
  } else if (keys.some((k) => k.startsWith("$"))) {
    corrupt(`${where} has an unknown tag among ${JSON.stringify(keys)}`);
  }
  const out: { [key: string]: StateValue } = {};
  for (const k of Object.keys(fields)) setOwn(out, k, decodeValue(fields[k], tensors, `${where}.${k}`, corrupt));
  return out;
}

// ---------------------------------------------------------------------------------------------
// helpers

function isModule(x: object): x is StateDictModule {
  return typeof (x as StateDictModule).stateDict === "function";
}

function isPlainObject(x: object): boolean {
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

function isRngState(x: unknown): x is RngState {
  if (x === null || typeof x !== "object") return false;
  const r = x as RngState;
  return Array.isArray(r.s) && r.s.length === 4 && r.s.every((w) => Number.isInteger(w) && w >= 0 && w < 4294967296) && (r.spare === null || typeof r.spare === "number");
}

/** Where `"nnzoo.sha256":"<digest>"` sits in the header: the offset of the 64 digits, or -1 (also when it occurs twice). */
function findDigest(bytes: Uint8Array, digest: string): number {
  const pattern = new TextEncoder().encode(`"${DIGEST_KEY}":"${digest}"`);
  let found = -1;
  outer: for (let i = 8; i + pattern.length <= bytes.length; i++) {
    for (let j = 0; j < pattern.length; j++) if (bytes[i + j] !== pattern[j]) continue outer;
    if (found >= 0) return -1;
    found = i + pattern.length - 65;
  }
  return found;
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new NNZooError("checkpoint: SHA-256 needs WebCrypto (crypto.subtle: Node ≥ 20, or a browser page served over https or localhost)");
  const digest = new Uint8Array(await subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  let hex = "";
  for (const b of digest) hex += b.toString(16).padStart(2, "0");
  return hex;
}

function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function describe(x: unknown): string {
  if (x === null) return "null";
  if (x === undefined) return "undefined";
  if (Array.isArray(x)) return "an array";
  if (typeof x === "object") return `a ${(x as object).constructor?.name ?? "object"}`;
  return `${typeof x} ${String(x)}`;
}
