/** The `approx` task: a one-hidden-layer MLP as a universal approximator (see model.ts). */
export { TARGETS, type TargetName, grid, sampleTarget } from "./functions.js";
export { ApproxMLP, ApproxFit, type ApproxOptions, type ApproxSnapshot, type HiddenUnit } from "./model.js";
export { TARGETS_2D, type Target2DName, grid2d } from "./functions.js";
export { compileExpression, FUNCTIONS, type Expression } from "./expression.js";
