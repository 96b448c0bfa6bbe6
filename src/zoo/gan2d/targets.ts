/**
 * gan2d's target distributions (GAN Lab's toys) and their modes. Plain numbers and the seeded
 * Generator only, no tensors and no files, so the Lab's worker and view can use them too.
 *
 * Points are interleaved [x0, y0, x1, y1, …] in a Float32Array.
 */
import { Generator } from "../../core/random.js";

export const TARGET_NAMES = ["ring", "grid", "line", "moons", "spiral"] as const;
export type TargetName = (typeof TARGET_NAMES)[number];

/** A target: a sampler and, for Gaussian mixtures, the component centres. */
export interface Target {
  name: string;
  /** n points, interleaved x, y. */
  sample(n: number, gen: Generator): Float32Array;
  /** Mixture centres (interleaved), or null for continuous targets (their modes are segments, see findModes). */
  centres: Float32Array | null;
  /** How many segments a continuous target is cut into for counting modes. */
  segments: number;
}

const TAU = 2 * Math.PI;

/** The built-in targets, all within about [−2.5, 2.5]². */
export function builtinTarget(name: TargetName): Target {
  switch (name) {
    case "ring": {
      // 8 Gaussians on a circle of radius 2 (σ 0.08): the classic mode-collapse test.
      const centres = new Float32Array(16);
      for (let k = 0; k < 8; k++) {
        centres[2 * k] = 2 * Math.cos((TAU * k) / 8);
        centres[2 * k + 1] = 2 * Math.sin((TAU * k) / 8);
      }
      return mixture(name, centres, 0.08);
    }
    case "grid": {
      // 25 Gaussians on the grid {−2, −1, 0, 1, 2}² (σ 0.05).
      const centres = new Float32Array(50);
      for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) {
        centres[2 * (i * 5 + j)] = i - 2;
        centres[2 * (i * 5 + j) + 1] = j - 2;
      }
      return mixture(name, centres, 0.05);
    }
    case "line":
      // Uniform on the segment (−2, −1) → (2, 1), with a little noise across it.
      return continuous(name, 4, (g) => {
        const t = 2 * g.random() - 1;
        return [2 * t + 0.03 * g.normal(), t + 0.03 * g.normal()];
      });
    case "moons":
      // scikit-learn's two moons (noise 0.05), centred and scaled by 1.6.
      return continuous(name, 8, (g) => {
        const a = Math.PI * g.random();
        const upper = g.random() < 0.5;
        const x = upper ? Math.cos(a) : 1 - Math.cos(a);
        const y = upper ? Math.sin(a) : 0.5 - Math.sin(a);
        return [1.6 * (x - 0.5) + 0.08 * g.normal(), 1.6 * (y - 0.25) + 0.08 * g.normal()];
      });
    case "spiral":
      // Archimedes' spiral r ∝ θ over one and a half turns, uniform in arc length (roughly), noise 0.05.
      return continuous(name, 8, (g) => {
        const theta = Math.sqrt(0.05 + 0.95 * g.random()) * 3 * Math.PI;
        const r = (2.2 * theta) / (3 * Math.PI);
        return [r * Math.cos(theta) + 0.05 * g.normal(), r * Math.sin(theta) + 0.05 * g.normal()];
      });
  }
}

function mixture(name: string, centres: Float32Array, sigma: number): Target {
  const k = centres.length / 2;
  return {
    name,
    centres,
    segments: k,
    sample(n, g) {
      const out = new Float32Array(2 * n);
      for (let i = 0; i < n; i++) {
        const c = g.randint(0, k);
        out[2 * i] = centres[2 * c] + sigma * g.normal();
        out[2 * i + 1] = centres[2 * c + 1] + sigma * g.normal();
      }
      return out;
    },
  };
}

function continuous(name: string, segments: number, point: (g: Generator) => [number, number]): Target {
  return {
    name,
    centres: null,
    segments,
    sample(n, g) {
      const out = new Float32Array(2 * n);
      for (let i = 0; i < n; i++) {
        const [x, y] = point(g);
        out[2 * i] = x;
        out[2 * i + 1] = y;
      }
      return out;
    },
  };
}

/** Jitter added to the points of a user's distribution, so it has a density (in the normalised units). */
export const POINTS_JITTER = 0.04;

/**
 * A user's points as a target: each sample is one of the points (uniformly) plus a little
 * Gaussian jitter; its modes are k-means segments (k ≈ one per 25 points, 1…8).
 */
export function pointsTarget(points: Float32Array, name = "points"): Target {
  const n = points.length / 2;
  return {
    ...continuous(name, Math.max(1, Math.min(8, Math.floor(n / 25))), (g) => {
      const i = g.randint(0, n);
      return [points[2 * i] + POINTS_JITTER * g.normal(), points[2 * i + 1] + POINTS_JITTER * g.normal()];
    }),
  };
}

/** Thrown by parsePoints with the line that is wrong. */
export class PointsError extends Error {
  override name = "PointsError";
}

/**
 * Parses a points file: one point per line, `x,y` (commas, or spaces/tabs/semicolons). Blank
 * lines and lines starting with # are skipped, and so is a header on the first line
 * (e.g. `x,y`). Needs at least 10 points.
 */
export function parsePoints(text: string, source = "points file"): Float32Array {
  const values: number[] = [];
  const lines = text.split(/\r?\n/);
  let first = true;
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const parts = line.split(/\s*[,;\t ]\s*/);
    const nums = parts.map((p) => (p === "" ? NaN : Number(p)));
    const wasFirst = first;
    first = false;
    if (wasFirst && parts.length === 2 && nums.every((v) => Number.isNaN(v)) && parts.every((p) => /^[A-Za-z_]\w*$/.test(p))) return; // header
    if (parts.length !== 2 || nums.some((v) => !Number.isFinite(v))) {
      throw new PointsError(`${source} line ${i + 1}: expected two numbers "x,y", got ${JSON.stringify(raw.length > 60 ? raw.slice(0, 60) + "…" : raw)}`);
    }
    values.push(nums[0], nums[1]);
  });
  if (values.length < 20) throw new PointsError(`${source}: needs at least 10 points, got ${values.length / 2}`);
  return Float32Array.from(values);
}

/**
 * Moves points so their mean is 0 and their RMS distance from it is 1.5 (the built-in
 * targets' scale), whatever units the user drew them in. Returns the points and the map
 * normalised = (original − offset) · scale.
 */
export function normalisePoints(points: Float32Array): { points: Float32Array; offset: [number, number]; scale: number } {
  const n = points.length / 2;
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) {
    mx += points[2 * i];
    my += points[2 * i + 1];
  }
  mx /= n;
  my /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (points[2 * i] - mx) ** 2 + (points[2 * i + 1] - my) ** 2;
  const rms = Math.sqrt(ss / n);
  const scale = rms > 0 ? 1.5 / rms : 1;
  const out = new Float32Array(points.length);
  for (let i = 0; i < n; i++) {
    out[2 * i] = (points[2 * i] - mx) * scale;
    out[2 * i + 1] = (points[2 * i + 1] - my) * scale;
  }
  return { points: out, offset: [mx, my], scale };
}
