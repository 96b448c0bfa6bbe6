import { afterAll, describe, expect, it } from "vitest";
import { noGrad } from "../../src/index.js";
import { buildModule, runCase } from "./build.js";
import { dec, dotLoss, fixture, type FTensor, ParityReport, relErr, tolerance } from "./helpers.js";

/**
 * PyTorch parity from committed fixtures (tools/gen_nn_fixtures.py): same weights and
 * inputs give the same outputs, input gradients and parameter gradients — float32 to 1e-5
 * normwise relative error, float64 to 1e-10. Weights are loaded with loadStateDict (strict),
 * so PyTorch's parameter names and order are checked on every case too.
 */

interface ModuleCase {
  name: string;
  module: string;
  config: any;
  dtype: "float32" | "float64";
  paramNames: string[];
  stateKeys: string[];
  params: Record<string, FTensor>;
  inputs: Record<string, FTensor | number[]>;
  outputs: Record<string, FTensor>;
  gradOutputs: Record<string, FTensor>;
  grads: { inputs: Record<string, FTensor>; params: Record<string, FTensor> };
  buffersAfter: Record<string, FTensor>;
  warmup?: FTensor | null;
}

/** Everything a case compares, as name → normwise relative error. */
function checkModuleCase(c: ModuleCase): Record<string, number> {
  const m = buildModule(c.module, c.config, c.dtype);
  expect(m.namedParameters().map((e) => e[0])).toEqual(c.paramNames);
  expect(Object.keys(m.stateDict())).toEqual(c.stateKeys);
  m.loadStateDict(Object.fromEntries(Object.entries(c.params).map(([k, v]) => [k, dec(v)])));
  if (c.config.training !== undefined) m.train(c.config.training);
  if (c.warmup) noGrad(() => m.forward(dec(c.warmup!)));
  const { outputs, leaves } = runCase(c.module, m, c.inputs);
  dotLoss(Object.keys(c.outputs).map((k) => [outputs[k], dec(c.gradOutputs[k])])).backward();
  const errors: Record<string, number> = {};
  for (const [k, want] of Object.entries(c.outputs)) errors[`out.${k}`] = relErr(outputs[k], want);
  for (const [k, want] of Object.entries(c.grads.inputs)) errors[`grad.${k}`] = relErr(leaves[k].grad, want);
  const params = Object.fromEntries(m.namedParameters());
  for (const [k, want] of Object.entries(c.grads.params)) errors[`grad.${k}`] = relErr(params[k]?.grad, want);
  for (const [k, p] of m.namedParameters()) if (p.grad === null) errors[`grad.${k}`] = c.grads.params[k] ? Infinity : 0;
  const buffers = Object.fromEntries(m.namedBuffers());
  for (const [k, want] of Object.entries(c.buffersAfter ?? {})) errors[`buffer.${k}`] = relErr(buffers[k], want);
  return errors;
}

function suite(file: string, title: string) {
  const report = new ParityReport();
  afterAll(() => report.print(title));
  const cases = fixture<{ cases: ModuleCase[] }>(file).cases;
  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const errors = checkModuleCase(c);
    const tol = tolerance(c.dtype);
    report.add(c.name, errors, tol);
    const bad = Object.entries(errors).filter(([, v]) => !(v <= tol));
    expect(bad, `${c.name}: errors above ${tol}`).toEqual([]);
  });
}

describe("PyTorch parity: recurrent layers (RNN, LSTM, GRU)", () => suite("recurrent.json", "recurrent layers"));
describe("PyTorch parity: cells", () => suite("cells.json", "cells"));
describe("PyTorch parity: layers", () => suite("layers.json", "layers"));
