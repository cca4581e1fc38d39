/**
 * evostrat/bbob: COCO's BBOB benchmark functions in plain TypeScript, no dependency.
 *
 * `problem('bbob', fid, instance, d)` gives one of the 24 noiseless functions of the `bbob` suite
 * (COCO's dimensions are 2, 3, 5, 10, 20, 40; any d ≥ 2 works), and
 * `problem('bbob-largescale', fid, instance, d)` its large-scale variant (COCO's dimensions 20 … 640),
 * whose rotations are permuted block-diagonal (blocks of min(d, 40)), so one evaluation costs
 * O(d · block size) (f21 and f22 cost O(d · peaks)).
 *
 * Instances are COCO's (legacy generator, rotations, x_opt, f_opt): the values agree with COCO's own C
 * code within 1e-9 relative and x_opt bit for bit (test/bbob/coco.test.ts compares every value in
 * COCO's reference files; ./glibc-rounding.ts says where x_opt depends on the C library).
 *
 * see: Hansen et al., "Real-Parameter Black-Box Optimization Benchmarking 2009: Noiseless Functions
 *      Definitions", INRIA RR-6829; Varelas et al., "A Comparative Study of Large-Scale Variants of
 *      CMA-ES", PPSN 2018; COCO, https://github.com/numbbo/coco-experiment.
 */
import { fail } from "../check.js";
import { builders, type Instance } from "./functions.js";
import { fopt } from "./legacy.js";

export type Suite = "bbob" | "bbob-largescale";

export interface Problem {
  /** f(x), x of length d; NaN when x holds a NaN. Allocates nothing. */
  readonly f: (x: ArrayLike<number>) => number;
  readonly d: number;
  /** COCO's optimal value (f at x_opt) */
  readonly fOpt: number;
  /** COCO's optimum (a copy is yours to keep) */
  readonly xOpt: Float64Array;
  /** region of interest: [−5, 5]^d */
  readonly lower: -5;
  readonly upper: 5;
  /** COCO's problem id, e.g. `bbob_f001_i01_d02` (`d0020` in the large-scale suite) */
  readonly id: string;
  readonly suite: Suite;
  readonly fid: number;
  readonly instance: number;
}

export const SUITES: readonly Suite[] = ["bbob", "bbob-largescale"];

/** COCO's dimensions for each suite. */
export const DIMENSIONS: Readonly<Record<Suite, readonly number[]>> = {
  bbob: [2, 3, 5, 10, 20, 40],
  "bbob-largescale": [20, 40, 80, 160, 320, 640],
};

/** The function groups of COCO's figures. */
export const GROUPS: Readonly<Record<string, readonly number[]>> = {
  separable: [1, 2, 3, 4, 5],
  moderate: [6, 7, 8, 9],
  "ill-conditioned": [10, 11, 12, 13, 14],
  multimodal: [15, 16, 17, 18, 19],
  "weakly structured": [20, 21, 22, 23, 24],
};

/** COCO's problem id. */
export function problemId(suite: Suite, fid: number, instance: number, d: number): string {
  const pad = (v: number, n: number) => String(v).padStart(n, "0");
  return `bbob_f${pad(fid, 3)}_i${pad(instance, 2)}_d${pad(d, suite === "bbob" ? 2 : 4)}`;
}

function int(name: string, v: unknown, min: number, max = Infinity): number {
  if (typeof v !== "number") fail("type", `problem(): ${name}`, `must be a number, got ${typeof v}`);
  if (!Number.isInteger(v) || v < min || v > max) fail("range", `problem(): ${name}`, `must be an integer in [${min}, ${max}], got ${v}`);
  return v;
}

/**
 * A BBOB problem. Everything the instance needs (rotations, permutations, x_opt, f_opt, peaks) is
 * computed here, once; `f` then evaluates without allocating.
 */
export function problem(suite: Suite, fid: number, instance: number, d: number): Problem {
  if (suite !== "bbob" && suite !== "bbob-largescale") fail("range", "problem(): suite", `must be 'bbob' or 'bbob-largescale', got ${String(suite)}`);
  int("fid", fid, 1, 24);
  int("instance", instance, 1, 200000);
  int("d", d, 2, 100000);
  const base = fid === 4 ? 3 : fid === 18 ? 17 : fid;
  const c: Instance = { seed: base + 10000 * instance, fid, instance, d, large: suite === "bbob-largescale" };
  const built = builders[fid - 1](c);
  const inner = built.f;
  const f = (x: ArrayLike<number>): number => {
    if (x.length !== d) fail("range", "f(x):", `x must have length ${d}, got ${x.length}`);
    for (let i = 0; i < d; i++) if (x[i] !== x[i]) return NaN;
    return inner(x);
  };
  return {
    f,
    d,
    fOpt: built.fOpt ?? fopt(fid, instance),
    xOpt: built.xOpt.slice(),
    lower: -5,
    upper: 5,
    id: problemId(suite, fid, instance, d),
    suite,
    fid,
    instance,
  };
}
