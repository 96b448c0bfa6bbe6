/**
 * The gan2d page's worker side: src/zoo/gan2d's game (the CLI's code), one iteration per
 * `step()` (dSteps D updates, then gSteps G updates). The loss the page shows is the
 * Jensen–Shannon divergence between 2,000 generated and 2,000 real points (the task's metric,
 * on a coarser 20 × 20 histogram), refreshed at most every MEASURE_MS while frames stream.
 */
import { noGrad } from "../../../../src/core/autograd.ts";
import { randn } from "../../../../src/core/ops/creation.ts";
import { Generator } from "../../../../src/core/random.ts";
import { throwIfNotFinite } from "../../../../src/zoo/gan2d/gan.ts";
import { countModes, findModes, histogram2d, histogramBox, jsDivergence } from "../../../../src/zoo/gan2d/metrics.ts";
import { Gan2d, type Gan2dSettings } from "../../../../src/zoo/gan2d/model.ts";
import { builtinTarget, pointsTarget, type Target } from "../../../../src/zoo/gan2d/targets.ts";
import { defineTrainer } from "../../protocol.ts";
import { BOX, FIELD, type Gan2dParams, type Gan2dPayload, SHOWN } from "./shared.ts";

const EVAL_POINTS = 2000;
/** The shortest time between two measurements of the distance (a pass of 2,000 points, ms). */
const MEASURE_MS = 200;
/** The shortest time between two refreshes of D's field (D on FIELD² grid points, ms). */
const FIELD_MS = 100;
const BATCH = 128;
const LAYERS = 2;

function settings(p: Gan2dParams): Gan2dSettings {
  return {
    zDim: p.zDim, hidden: p.hidden, layers: LAYERS, loss: p.loss, batch: BATCH, dSteps: p.dSteps, gSteps: p.gSteps,
    g: { optimizer: p.gOptimizer, lr: p.gLr, beta1: 0.5 },
    d: { optimizer: p.dOptimizer, lr: p.dLr, beta1: 0.5 },
  };
}

function targetOf(p: Gan2dParams): Target {
  return p.target === "drawn" ? pointsTarget(p.points, "drawn") : builtinTarget(p.target);
}

/** What the metrics compare against: a fixed real sample, its histogram, the target's modes. */
function fixtures(target: Target, seed: number, p: Gan2dParams) {
  const real = target.sample(EVAL_POINTS, new Generator(seed + 1));
  const box = histogramBox(real, 20);
  return {
    box,
    realHist: histogram2d(real, box),
    modes: findModes(target, target.sample(4000, new Generator(seed + 2)), seed),
    shownReal: p.target === "drawn" ? p.points.slice() : target.sample(SHOWN, new Generator(seed + 3)),
  };
}

export default defineTrainer<Gan2dParams, Gan2dPayload>({
  create(initial, seed) {
    const params = { ...initial };
    const game = new Gan2d(targetOf(params), settings(params));
    let fx = fixtures(game.target, seed, params);
    const evalZ = randn([EVAL_POINTS, params.zDim], { generator: new Generator(seed + 4) });
    const shownZ = randn([SHOWN, params.zDim], { generator: new Generator(seed + 5) });
    let iteration = 0, dUpdates = 0, gUpdates = 0;
    let logs = { dReal: NaN, dFake: NaN };
    let measured = { js: 1, covered: 0, onModes: 0, perMode: [] as number[] };

    let measuredAt = -Infinity, fieldAt = -Infinity;
    let lastField = new Float32Array(FIELD * FIELD);
    let lastGrad = new Float32Array(2 * SHOWN);
    const measure = () => {
      measuredAt = performance.now();
      const fake = Float32Array.from(noGrad(() => game.G.forward(evalZ)).data);
      const m = countModes(fake, fx.modes);
      measured = { js: jsDivergence(histogram2d(fake, fx.box), fx.realHist), covered: m.covered, onModes: m.onModes, perMode: m.perMode };
      return measured.js;
    };
    measure();

    return {
      modules: () => ({ gan: game.pair }),
      step() {
        iteration++;
        logs = game.iterate(iteration, throwIfNotFinite);
        dUpdates += game.settings.dSteps;
        gUpdates += game.settings.gSteps;
        return measured.js;
      },
      loss: measure,
      frame() {
        // The costly parts run on a clock, so frames keep streaming at the display's pace:
        // the distance (the loss readout) about 5 times a second, D's field 10 times.
        const now = performance.now();
        if (now - measuredAt >= MEASURE_MS) measure();
        const freshField = now - fieldAt >= FIELD_MS;
        // The generated points move every frame; their gradient arrows (a backward pass
        // through D) are refreshed with the field, 10 times a second, and drawn at the points'
        // new places in between — half of a frame's cost, measured at 15–19 ms in chromium.
        let snap: ReturnType<typeof game.snapshot>;
        if (freshField) {
          snap = game.snapshot(BOX, fx.shownReal, shownZ, FIELD);
          lastField = snap.field.slice();
          lastGrad = snap.fakeGrad.slice();
          fieldAt = now;
        } else {
          const fake = Float32Array.from(noGrad(() => game.G.forward(shownZ)).data);
          snap = { box: BOX, real: fx.shownReal, fake, fakeGrad: lastGrad.slice(), field: lastField.slice(), fieldSize: FIELD };
        }
        const modes = new Float32Array(fx.modes.flatMap((m) => [m.x, m.y, m.radius]));
        const covered = Uint8Array.from(fx.modes, (m, k) => (measured.perMode[k] >= 0.2 * m.share && measured.perMode[k] > 0 ? 1 : 0));
        const payload: Gan2dPayload = { real: snap.real.slice(), fake: snap.fake, fakeGrad: snap.fakeGrad, field: snap.field, modes, covered, dUpdates, gUpdates };
        return {
          payload,
          metrics: { jsDivergence: measured.js, modesCovered: measured.covered, modesTotal: fx.modes.length, samplesOnModes: measured.onModes, dReal: logs.dReal, dFake: logs.dFake },
          transfer: [payload.real.buffer, payload.fake.buffer, payload.fakeGrad.buffer, payload.field.buffer, payload.modes.buffer, payload.covered.buffer],
        };
      },
      update(change) {
        if (change.hidden !== undefined && change.hidden !== params.hidden) return false;
        if (change.zDim !== undefined && change.zDim !== params.zDim) return false;
        if (change.gOptimizer !== undefined && change.gOptimizer !== params.gOptimizer) return false;
        if (change.dOptimizer !== undefined && change.dOptimizer !== params.dOptimizer) return false;
        Object.assign(params, change);
        game.settings = settings(params);
        game.optimizers.generator.paramGroups[0].lr = params.gLr;
        game.optimizers.discriminator.paramGroups[0].lr = params.dLr;
        if (change.target !== undefined || change.points !== undefined) {
          // A new target: the players keep their weights and the game goes on against it.
          game.target = targetOf(params);
          fx = fixtures(game.target, seed, params);
        }
        if (change.stepD !== undefined) {
          logs = { ...logs, ...game.dStep(++iteration, throwIfNotFinite) };
          dUpdates++;
        }
        if (change.stepG !== undefined) {
          game.gStep(++iteration, throwIfNotFinite);
          gUpdates++;
        }
        measure();
        fieldAt = -Infinity; // the next frame shows D's field and the arrows as they are now
        return true;
      },
    };
  },
});
