/**
 * Every error names the op, the argument, what was expected and what came, e.g.
 * `matmul: a is [32,512] and b is [256,1024]; inner dimensions 512 and 256 differ`.
 */
export class NNZooError extends Error {
  override name = "NNZooError";
}

/** Shapes print the way the errors in DESIGN.md show them: `[32,512]`. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(",")}]`;
}

/** Throws `op: message`. Returns never so callers can write `x ?? fail(...)`. */
export function fail(op: string, message: string): never {
  throw new NNZooError(`${op}: ${message}`);
}

export function check(cond: boolean, op: string, message: () => string): asserts cond {
  if (!cond) fail(op, message());
}
