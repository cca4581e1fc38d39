/**
 * Where COCO's C library rounds log and cos the other way: a measured table, so that the x_opt of f9
 * and f19 equal COCO's bit for bit.
 *
 * Why: the legacy Gaussians are √(−2 ln u)·cos(2πu), and COCO computes them with glibc's log and cos.
 * Those are faithful but not correctly rounded: over the whole domain of the legacy generator
 * (u = k / 2147483647, every k), glibc 2.36's log differs from the correctly rounded value for
 * 1,738,801 of the 2³¹ − 2 inputs (0.081%) and its cos (of 2πu) for 2,962,942 (0.138%), each time by
 * one ulp (measured against logl/cosl, confirmed in quad precision). ./libm.ts rounds correctly, so it
 * agrees with glibc everywhere else; the sums of rotation entries that make f9's and f19's x_opt carry
 * a one-ulp difference in one Gaussian into their last bits (≤ 3.3e-13). No correctly rounded function
 * can agree with glibc everywhere, and glibc's own code (LGPL) is not ported here; instead this module
 * lists, for the streams behind those x_opt, the uniforms where glibc rounds the other way, and the
 * generator then takes the other double next to the exact value (libm.ts's `logOther`/`cosOther`:
 * with an error below one ulp, that is the only other answer glibc can give).
 *
 * Which: the streams of the seeds behind f9's and f19's rotations for every instance that COCO's
 * suites name (`bbob`: instances 1–110, the union of its years; `bbob-largescale`: 1–15, whose f19
 * takes blocks from seed + 10⁶·k, k < 16), for COCO's dimensions and block sizes (a rotation of
 * dimension n takes log of uniforms 0 … n² − 1 and cos of n² … 2n² − 1; n ∈ {2, 3, 5, 10, 20, 40}).
 * Elsewhere (other instances, other d) the generator stays correctly rounded, and x_opt agrees with
 * what COCO's code would give within ~1e-12.
 *
 * Caveat, measured: glibc picks its log and cos at run time by CPU; the table is glibc's FMA variant
 * (x86-64 with FMA and AVX2, as on the machine that made COCO's reference values: the same Python
 * computation of f9's and f19's x_opt reproduces all 180 `bbob` ones with it, but only 158 with
 * GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2,-FMA). COCO's own x_opt thus differ between machines in the
 * last bits.
 *
 * The data (./glibc-rounding-data.ts) is written by scripts/bbob-glibc-rounding.mjs, which asks glibc
 * itself (through Python's math.log and math.cos) and checks each entry against `logOther`/`cosOther`.
 * Checked: with it, the x_opt of f9 and f19 for all 1,320 (instance 1–110, d) of `bbob` and f19's for
 * all 90 of `bbob-largescale` equal those that Python computes with glibc by COCO's algorithm (353 of
 * the 1,410 differ without it), and all 2,880 of COCO's reference files (test/bbob/coco.test.ts).
 * see: COCO's code-experiments/src/suite_bbob_legacy_code.c (bbob2009_gauss); suite_bbob.c and
 *      suite_largescale.c (the instances of each year).
 */
import { COS, LOG } from "./glibc-rounding-data.js";

/** The sizes n of the rotations whose Gaussians are covered: COCO's dimensions and block sizes. */
export const ROTATION_SIZES: readonly number[] = [2, 3, 5, 10, 20, 40];

/** Whether uniform j of a covered stream is checked as a log input (or, with `cos`, as a cos input). */
export function covers(j: number, cos: boolean): boolean {
  return ROTATION_SIZES.some((n) => (cos ? j >= n * n && j < 2 * n * n : j < n * n));
}

/** Uniforms 0 … STREAM − 1 of each covered stream are the ones `covers` may select. */
export const STREAM = 3200;

/** The covered seeds, ascending (the order of the data). */
export function coveredSeeds(): number[] {
  const s = new Set<number>();
  for (let i = 1; i <= 110; i++) {
    s.add(9 + 10000 * i);
    s.add(19 + 10000 * i);
  }
  for (let i = 1; i <= 15; i++) for (let k = 0; k < 16; k++) s.add(19 + 10000 * i + 1000000 * k);
  return [...s].sort((a, b) => a - b);
}

/** The indices, in a seed's stream, of the uniforms whose log or cos glibc rounds the other way. */
export interface Flips {
  readonly log: ReadonlySet<number>;
  readonly cos: ReadonlySet<number>;
}

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/**
 * The data's encoding: one group per covered seed, in order, separated by "."; a group is the indices
 * in ascending order, two base64url digits each (12 bits: indices < 4096).
 */
export function encode(groups: readonly (readonly number[])[]): string {
  return groups.map((g) => g.map((j) => B64[j >> 6] + B64[j & 63]).join("")).join(".");
}

function decode(data: string): Set<number>[] {
  return data.split(".").map((g) => {
    const s = new Set<number>();
    for (let i = 0; i < g.length; i += 2) s.add((B64.indexOf(g[i]) << 6) | B64.indexOf(g[i + 1]));
    return s;
  });
}

let table: Map<number, Flips> | null = null;

/** The flips of `seed`'s stream, or undefined where it is not covered. Decodes the data on first use. */
export function glibcFlips(seed: number): Flips | undefined {
  if (table === null) {
    const seeds = coveredSeeds();
    const log = decode(LOG);
    const cos = decode(COS);
    if (log.length !== seeds.length || cos.length !== seeds.length) throw new Error("bbob: glibc-rounding-data.ts does not match coveredSeeds()");
    table = new Map(seeds.map((s, i) => [s, { log: log[i], cos: cos[i] }]));
  }
  return table.get(seed);
}
