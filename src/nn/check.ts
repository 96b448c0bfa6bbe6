import { fail, fmtShape } from "../core/errors.js";
import { Tensor } from "../core/tensor.js";
import { describe } from "../core/ops/util.js";
import type { FloatDType } from "./module.js";

/** Argument checks shared by the layers; every error names the module and the argument. */

export function positiveInt(op: string, arg: string, v: unknown): number {
  if (!Number.isInteger(v) || (v as number) < 1) fail(op, `${arg} must be a positive integer, got ${describeValue(v)}`);
  return v as number;
}

export function nonNegativeInt(op: string, arg: string, v: unknown): number {
  if (!Number.isInteger(v) || (v as number) < 0) fail(op, `${arg} must be a non-negative integer, got ${describeValue(v)}`);
  return v as number;
}

export function probability(op: string, arg: string, v: unknown): number {
  if (typeof v !== "number" || !(v >= 0 && v <= 1)) fail(op, `${arg} must be a probability in [0, 1], got ${describeValue(v)}`);
  return v;
}

export function finiteNumber(op: string, arg: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isFinite(v)) fail(op, `${arg} must be a finite number, got ${describeValue(v)}`);
  return v;
}

export function floatDType(op: string, v: unknown): FloatDType {
  if (v === undefined) return "float32";
  if (v !== "float32" && v !== "float64") fail(op, `dtype must be "float32" or "float64", got ${JSON.stringify(v)}`);
  return v;
}

export function isTensor(op: string, arg: string, v: unknown): Tensor {
  if (!(v instanceof Tensor)) fail(op, `${arg} must be a Tensor, got ${describe(v)}`);
  return v;
}

/** `op: arg must be <expected>, got [shape]`. */
export function badShape(op: string, arg: string, expected: string, got: Tensor): never {
  return fail(op, `${arg} must be ${expected}, got ${fmtShape(got.shape)}`);
}

function describeValue(v: unknown): string {
  return typeof v === "number" || typeof v === "string" || typeof v === "boolean" ? JSON.stringify(v) : describe(v);
}
