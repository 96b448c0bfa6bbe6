import { existsSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { NNZooError } from "../core/errors.js";

const require = createRequire(import.meta.url);

/** Path of a file inside an installed npm data package, with a clear error when it is missing. */
export function packageFile(pkg: string, file: string): string {
  let root: string;
  try {
    root = dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    throw new NNZooError(`data package ${pkg} is not installed; run npm install`);
  }
  const path = join(root, file);
  if (!existsSync(path)) throw new NNZooError(`data package ${pkg} has no ${file} (expected at ${path})`);
  return path;
}

/** A user's text file as UTF-8, rejecting what is clearly not text. */
export function readTextFile(path: string, what = "data file"): string {
  if (!existsSync(path)) throw new NNZooError(`${what} ${path} does not exist`);
  if (statSync(path).isDirectory()) throw new NNZooError(`${what} ${path} is a directory, not a file`);
  const bytes = readFileSync(path);
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw new NNZooError(`${what} ${path} is not text: byte ${nul} is NUL`);
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  const bad = text.indexOf("\uFFFD");
  if (bad >= 0) throw new NNZooError(`${what} ${path} is not valid UTF-8 (line ${text.slice(0, bad).split("\n").length})`);
  return text;
}

/** Non-empty lines of a text file (trailing \r and spaces trimmed). */
export function readLines(path: string, what = "data file"): string[] {
  const lines = readTextFile(path, what).split("\n").map((l) => l.replace(/\s+$/, "")).filter((l) => l.length > 0);
  if (lines.length === 0) throw new NNZooError(`${what} ${path} has no non-empty lines`);
  return lines;
}
