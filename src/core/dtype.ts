import { allocStorage } from "./storage.js";

/** Element types. float32 is the default; float64 exists for gradient checks; int32 holds indices and labels. */
export type DType = "float32" | "float64" | "int32";
export type TypedArray = Float32Array | Float64Array | Int32Array;

export const DTYPES: readonly DType[] = ["float32", "float64", "int32"];

/** A zero-filled typed array of the dtype's element type (see storage.ts for where it lives). */
export function allocArray(dtype: DType, size: number): TypedArray {
  switch (dtype) {
    case "float32": return allocStorage(Float32Array, size);
    case "float64": return allocStorage(Float64Array, size);
    case "int32": return allocStorage(Int32Array, size);
  }
}

export function dtypeOfArray(a: TypedArray): DType {
  if (a instanceof Float32Array) return "float32";
  if (a instanceof Float64Array) return "float64";
  return "int32";
}

/** Same element type (constructors may differ: browser storage views are subclasses, see storage.ts). */
export function sameElementType(a: TypedArray, b: TypedArray): boolean {
  return a.BYTES_PER_ELEMENT === b.BYTES_PER_ELEMENT && (a instanceof Int32Array) === (b instanceof Int32Array);
}

export function isFloat(d: DType): boolean {
  return d !== "int32";
}

/** Result dtype of a binary op, as PyTorch promotes: int32 < float32 < float64. */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === "float64" || b === "float64") return "float64";
  if (a === "float32" || b === "float32") return "float32";
  return "int32";
}
