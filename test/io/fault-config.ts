/** Shared by fault-child.ts and fault.test.ts: the length of the training run and how often it checkpoints. */
export const TOTAL_STEPS = 120;
export const SAVE_EVERY = 3;
