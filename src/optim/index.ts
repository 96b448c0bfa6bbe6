/**
 * Optimizers and learning-rate schedules, PyTorch's torch.optim with camelCase options.
 *
 *   const opt = new optim.Adam(model.parameters(), { lr: 1e-3 });
 *   const sched = new optim.CosineAnnealingLR(opt, { tMax: steps });
 *   opt.zeroGrad(); loss.backward(); opt.step(); sched.step();
 *
 * Each update rule is a pure function over typed arrays (sgdUpdate, adamUpdate, …) under a
 * thin class, matching torch.optim 1.13's single-tensor formulas (test/fixtures/optim).
 */
export {
  Optimizer, type OptimizerStateDict, type OptimizerStateDictLike, type ParamGroup, type ParamGroupSpec, type Params, type ParamState,
  type StateSpec, type FloatArray,
} from "./optimizer.js";
export { SGD, sgdUpdate, type SGDOptions, type SGDHyperparams, type SGDState } from "./sgd.js";
export { Adam, AdamW, adamUpdate, type AdamOptions, type AdamHyperparams, type AdamState } from "./adam.js";
export { RMSprop, rmspropUpdate, type RMSpropOptions, type RMSpropHyperparams, type RMSpropState } from "./rmsprop.js";
export { Adagrad, adagradUpdate, type AdagradOptions, type AdagradHyperparams, type AdagradState } from "./adagrad.js";
export {
  LRScheduler, StepLR, ExponentialLR, CosineAnnealingLR, LinearLR, LambdaLR, OneCycleLR, linearWarmup,
  type SchedulerStateDict, type ScheduleValue, type StepLROptions, type ExponentialLROptions,
  type CosineAnnealingLROptions, type LinearLROptions, type LambdaLROptions, type LrLambda, type OneCycleLROptions,
} from "./schedule.js";
