/**
 * Crash-safe file replacement (Node only; the browser-safe modules import this lazily).
 *
 * `writeFileAtomic` writes the new bytes to a temporary file in the target's directory, fsyncs
 * it, renames it over the target and fsyncs the directory. rename(2) within one file system is
 * atomic: at every instant the target's name points either at the complete old file or at the
 * complete new one, so a SIGKILL (or a power cut, thanks to the two fsyncs) at any moment leaves
 * the previous file intact. A crash can leave a stray `<name>.<pid>.<hex>.tmp` behind; the next
 * write to the same target removes those whose process is gone.
 *
 * The sync fs calls are deliberate: a checkpoint write should not interleave with other work, and
 * they make every step of the protocol a single visible system call.
 */
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { NNZooError } from "../core/errors.js";

/** Options of {@link writeFileAtomic}. */
export interface AtomicWriteOptions {
  /**
   * Before replacing the target, keep the file it holds now under this name (a hard link, or a
   * copy where the file system has none). `shouldKeep` decides whether the current file is worth
   * keeping (e.g. it verifies); when it says no, an existing backup is left alone.
   */
  backup?: { path: string; shouldKeep?: (current: string) => boolean };
  /** File mode of a newly created file (default 0o644, less the umask). */
  mode?: number;
}

/**
 * Atomically replaces `target` with `data` (one buffer or several written in order): temp file in
 * the same directory → write → fsync → (optional backup of the current file) → rename over the
 * target → fsync of the directory. Creates the directory if needed. Throws an NNZooError naming
 * the file on any I/O error, after removing its temp file.
 */
export function writeFileAtomic(target: string, data: Uint8Array | readonly Uint8Array[], options: AtomicWriteOptions = {}): void {
  const op = "writeFileAtomic";
  const dir = path.dirname(path.resolve(target));
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new NNZooError(`${op}: cannot create directory ${dir}: ${(e as Error).message}`);
  }
  removeStaleTemps(target);
  const tmp = `${target}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  let fd: number | null = null;
  try {
    fd = fs.openSync(tmp, "wx", options.mode ?? 0o644);
    for (const chunk of Array.isArray(data) ? data : [data as Uint8Array]) writeAll(fd, chunk);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = null;
    if (options.backup) keepBackup(target, options.backup.path, options.backup.shouldKeep);
    fs.renameSync(tmp, target);
  } catch (e) {
    if (fd !== null) closeQuietly(fd);
    unlinkQuietly(tmp);
    if (e instanceof NNZooError) throw e;
    throw new NNZooError(`${op}: writing ${target} failed: ${(e as Error).message}`);
  }
  fsyncDirectory(dir);
}

function writeAll(fd: number, chunk: Uint8Array): void {
  let done = 0;
  while (done < chunk.length) done += fs.writeSync(fd, chunk, done, chunk.length - done);
}

/** Makes `backup` name the file `target` holds now (no-op when there is none). */
function keepBackup(target: string, backup: string, shouldKeep?: (current: string) => boolean): void {
  if (!fs.existsSync(target)) return;
  if (shouldKeep && !shouldKeep(target)) return;
  // Between the unlink and the link there is no backup, but the target is still complete.
  unlinkQuietly(backup);
  try {
    fs.linkSync(target, backup);
  } catch {
    // No hard links here (some network or FAT file systems): copy, atomically.
    const tmp = `${backup}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    fs.copyFileSync(target, tmp);
    const fd = fs.openSync(tmp, "r+");
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, backup);
  }
}

/** fsync on a directory persists the renames in it; some platforms cannot, which is harmless. */
export function fsyncDirectory(dir: string): void {
  let fd: number | null = null;
  try {
    fd = fs.openSync(dir, "r");
    fs.fsyncSync(fd);
  } catch {
    // EISDIR/EINVAL/EPERM on platforms without directory fsync (Windows): nothing more to do.
  } finally {
    if (fd !== null) closeQuietly(fd);
  }
}

/** Removes `<target>[.prev].<pid>.<hex>.tmp` files left by writers that are no longer running. */
export function removeStaleTemps(target: string): void {
  const dir = path.dirname(path.resolve(target));
  const base = path.basename(target);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(`${base}.`) || !name.endsWith(".tmp")) continue;
    const m = /^(?:\.prev)?\.(\d+)\.[0-9a-f]{8}\.tmp$/.exec(name.slice(base.length));
    if (m === null) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || !isAlive(pid)) unlinkQuietly(path.join(dir, name));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function closeQuietly(fd: number): void {
  try {
    fs.closeSync(fd);
  } catch {
    // already closed
  }
}

function unlinkQuietly(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch {
    // already gone
  }
}
