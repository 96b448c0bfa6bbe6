/**
 * Points files for `nnzoo train approx --data FILE`: one point per line, `x y` (a 1-D
 * function) or `x1 x2 z` (a 2-D one), numbers separated by commas, spaces or tabs. Blank lines
 * and lines starting with # are skipped, and so is a first line of column names (a CSV header).
 */
import { NNZooError } from "../../core/errors.js";
import { readTextFile } from "../../data/files.js";

export interface Points {
  /** 1 or 2 input coordinates per point. */
  inputs: 1 | 2;
  /** [n, inputs] row-major. */
  x: Float32Array;
  /** [n]. */
  y: Float32Array;
}

/** Parses the text of a points file; `name` is used in error messages. */
export function parsePoints(text: string, name: string): Points {
  const rows: number[][] = [];
  let header = 0;
  let columns = 0;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === "" || line.startsWith("#")) continue;
    const fields = line.split(/[\s,;]+/).filter((f) => f !== "");
    const values = fields.map(Number);
    if (!values.every(Number.isFinite)) {
      // A first line of names (x,y or x1,x2,z) is a header; any other non-number is an error.
      if (rows.length === 0 && header === 0 && values.every(Number.isNaN)) {
        header = fields.length;
        continue;
      }
      throw new NNZooError(`${name} line ${i + 1}: expected numbers, got ${JSON.stringify(line.length > 60 ? line.slice(0, 60) + "…" : line)}`);
    }
    if (values.length !== 2 && values.length !== 3) throw new NNZooError(`${name} line ${i + 1}: expected 2 numbers (x y) or 3 (x1 x2 z), got ${values.length}`);
    if (rows.length === 0) {
      if (header !== 0 && header !== values.length) throw new NNZooError(`${name}: the header names ${header} columns but line ${i + 1} has ${values.length} numbers`);
      columns = values.length;
    } else if (values.length !== columns) {
      throw new NNZooError(`${name} line ${i + 1}: expected ${columns} numbers like the lines before, got ${values.length}`);
    }
    rows.push(values);
  }
  if (rows.length < 4) throw new NNZooError(`${name}: need at least 4 points, got ${rows.length}`);
  const inputs = (columns - 1) as 1 | 2;
  const x = new Float32Array(rows.length * inputs);
  const y = new Float32Array(rows.length);
  rows.forEach((r, k) => {
    for (let d = 0; d < inputs; d++) x[k * inputs + d] = r[d];
    y[k] = r[inputs];
  });
  for (let d = 0; d < inputs; d++) {
    let lo = Infinity, hi = -Infinity;
    for (let k = 0; k < rows.length; k++) {
      lo = Math.min(lo, x[k * inputs + d]);
      hi = Math.max(hi, x[k * inputs + d]);
    }
    if (!(hi > lo)) throw new NNZooError(`${name}: input column ${d + 1} has a single value (${lo}); there is no function to fit along it`);
  }
  return { inputs, x, y };
}

/** Reads and parses a points file. */
export function readPoints(path: string): Points {
  return parsePoints(readTextFile(path, "points file"), path);
}
