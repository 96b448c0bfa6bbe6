/**
 * io: weights and checkpoints.
 *
 * - safetensors, exactly as Hugging Face and PyTorch write it: {@link serializeSafetensors} /
 *   {@link parseSafetensors} on bytes (browser and Node), {@link loadSafetensors} /
 *   {@link saveSafetensors} on paths (Node) or bytes.
 * - checkpoints (model + optimizer + RNG + step + config), one verified safetensors file written
 *   atomically: {@link saveCheckpoint}, {@link loadCheckpoint}, {@link restoreCheckpoint}.
 *
 * Nothing here imports Node modules at load time; the functions that touch files import them
 * when called, so the Lab can use the byte-level functions in a browser.
 */
export {
  serializeSafetensors, parseSafetensors, MAX_HEADER_BYTES,
  type SafetensorsFile, type SafetensorsEntry, type Bytes,
} from "./safetensors.js";
export { loadSafetensors, readSafetensors, saveSafetensors, type Source } from "./files.js";
export {
  saveCheckpoint, loadCheckpoint, restoreCheckpoint, checkpointExists, serializeCheckpoint, parseCheckpoint,
  CHECKPOINT_FORMAT,
  type Checkpoint, type CheckpointState, type LoadedCheckpoint, type LoadCheckpointOptions, type SaveCheckpointOptions,
  type StateDictModule, type StatefulOptimizer, type StateValue,
} from "./checkpoint.js";
