/** The approx page's worker side: src/zoo/approx's ApproxFit, one Adam step per `step()`. */
import { ApproxFit, grid } from "../../../../src/zoo/approx/index.ts";
import { defineTrainer } from "../../protocol.ts";
import { type ApproxParams, type ApproxPayload, DISPLAY_POINTS } from "./shared.ts";

export default defineTrainer<ApproxParams, ApproxPayload>({
  create(params, seed) {
    const fit = new ApproxFit(params.target, { units: params.units, lr: params.lr, seed });
    const xs = grid(DISPLAY_POINTS);
    return {
      step: () => fit.step(),
      loss: () => fit.loss(),
      modules: () => ({ model: fit.model }),
      frame() {
        const payload = fit.model.snapshot(xs.slice());
        return {
          payload,
          metrics: { maxError: fit.maxError() },
          transfer: [payload.x.buffer, payload.fit.buffer, payload.contributions.buffer],
        };
      },
      update(change) {
        if (change.units !== undefined && change.units !== fit.model.units) return false;
        if (change.lr !== undefined) fit.lr = change.lr;
        if (change.target !== undefined) fit.setTarget(change.target);
        return true;
      },
    };
  },
});
