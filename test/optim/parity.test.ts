import { afterAll, describe, expect, it } from "vitest";
import { type OptimCase, loadFixture, makeOptimizer, makeParams, relErr, setGrads } from "./fixtures.js";

// 20-step trajectories from torch.optim 1.13 (tools/gen_optim_fixtures.py): the gradients are
// given, so each test isolates the optimizer's update rule. Every step's parameters must
// match torch's to ≤ 1e-6 normwise relative error (float32).
const TOL = 1e-6;
const worst: Array<[string, number]> = [];

for (const family of ["sgd", "adam", "adamw", "rmsprop", "adagrad", "groups"]) {
  const fixture = loadFixture<OptimCase>(`${family}.json`);
  describe(`${family} trajectories match torch ${fixture.torch}`, () => {
    for (const c of fixture.cases) {
      it(`${c.optimizer}: ${c.name}`, () => {
        const params = makeParams(c);
        const opt = makeOptimizer(c, params);
        let maxErr = 0;
        for (let step = 0; step < c.grads.length; step++) {
          setGrads(c, params, step);
          opt.step();
          params.forEach((p, i) => {
            const err = relErr(p.data, c.expected[step][i]);
            maxErr = Math.max(maxErr, err);
            if (!(err <= TOL)) expect.fail(`step ${step + 1}, param ${i}: relative error ${err.toExponential(2)} > ${TOL}`);
          });
        }
        worst.push([`${c.optimizer}: ${c.name}`, maxErr]);
      });
    }
  });
}

afterAll(() => {
  if (process.env.OPTIM_PARITY_REPORT) {
    for (const [name, err] of worst) console.log(`${err.toExponential(2)}  ${name}`);
  }
});
