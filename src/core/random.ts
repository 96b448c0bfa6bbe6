import { fail } from "./errors.js";

/**
 * xoshiro128** (Blackman & Vigna): 32-bit integer arithmetic only (Math.imul, shifts), so the
 * same seed gives the same stream in Node and in every browser. Normals come from
 * Marsaglia's polar method, which needs only Math.log and Math.sqrt.
 */
export interface RngState {
  s: [number, number, number, number];
  /** The second normal of the last polar pair, or null. */
  spare: number | null;
}

export class Generator {
  private s = new Uint32Array(4);
  private spare: number | null = null;

  constructor(seed = 0) {
    this.seed(seed);
  }

  /** Seeds the four words from splitmix32 so that nearby seeds give unrelated streams. */
  seed(seed: number): void {
    if (!Number.isFinite(seed)) fail("manualSeed", `seed must be a finite number, got ${seed}`);
    let x = (Math.trunc(seed) >>> 0) ^ Math.trunc(seed / 4294967296);
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) this.s[0] = 1;
    this.spare = null;
  }

  /** Next uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  random(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform in [0, 1) with 24 random bits: every value is exactly a float32. */
  random24(): number {
    return (this.nextUint32() >>> 8) / 16777216;
  }

  /** Uniform integer in [low, high). Rejection sampling keeps it unbiased. */
  randint(low: number, high: number): number {
    const range = high - low;
    if (range <= 0) fail("randint", `high (${high}) must be greater than low (${low})`);
    if (range > 4294967296) fail("randint", `range ${range} exceeds 2^32`);
    const limit = 4294967296 - (4294967296 % range);
    let r: number;
    do r = this.nextUint32(); while (r >= limit);
    return low + (r % range);
  }

  /** Standard normal (Marsaglia polar method; the pair's second value is kept for the next call). */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.random() - 1;
      v = 2 * this.random() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * m;
    return u * m;
  }

  getState(): RngState {
    return { s: [this.s[0], this.s[1], this.s[2], this.s[3]], spare: this.spare };
  }

  setState(state: RngState): void {
    if (!state || !Array.isArray(state.s) || state.s.length !== 4 || !state.s.every((w) => Number.isInteger(w) && w >= 0 && w < 4294967296)) {
      fail("setRngState", "state.s must be four unsigned 32-bit integers");
    }
    if (state.spare !== null && typeof state.spare !== "number") fail("setRngState", "state.spare must be a number or null");
    this.s.set(state.s);
    this.spare = state.spare;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** The generator every op uses unless given another one. */
export const defaultGenerator = new Generator(0);

/** Seeds initialisation, dropout, shuffling and sampling, like torch.manual_seed. */
export function manualSeed(seed: number): void {
  defaultGenerator.seed(seed);
}

export function getRngState(): RngState {
  return defaultGenerator.getState();
}

export function setRngState(state: RngState): void {
  defaultGenerator.setState(state);
}
