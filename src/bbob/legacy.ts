/**
 * COCO's instance generation for the BBOB suites: the legacy (BBOB 2009) uniform and Gaussian
 * generators, random rotations by Gram-Schmidt, x_opt and f_opt, and the large-scale suite's block
 * rotations and truncated swap permutations.
 *
 * see: Hansen, Finck, Ros, Auger, "Real-Parameter Black-Box Optimization Benchmarking 2009: Noiseless
 *      Functions Definitions", INRIA RR-6829; Varelas et al., "A Comparative Study of Large-Scale
 *      Variants of CMA-ES", PPSN 2018 (the permuted block-diagonal rotations).
 * see: COCO (numbbo/coco-experiment), code-experiments/src/suite_bbob_legacy_code.c,
 *      transform_vars_blockrotation_helpers.c, transform_vars_permutation_helpers.c: the integer
 *      streams and the order of every floating-point operation here follow that code, so that instances
 *      match COCO's bit for bit where libm agrees (test/bbob/coco.test.ts checks them).
 */
import { glibcFlips } from "./glibc-rounding.js";
import { cosCR, cosOther, logCR, logOther } from "./libm.js";

/**
 * The legacy uniform generator (a Park-Miller minimal standard generator behind a 32-slot shuffle
 * table): `n` numbers in (0, 1] from `seed`. Every intermediate is an integer below 2^31, exact in a
 * double, so this reproduces COCO's C `long` arithmetic.
 */
export function unif(n: number, seed: number): Float64Array {
  const r = new Float64Array(n);
  let s = Math.abs(seed);
  if (s < 1) s = 1;
  const table = new Float64Array(32);
  for (let i = 39; i >= 0; i--) {
    const t = Math.floor(s / 127773);
    s = 16807 * (s - t * 127773) - 2836 * t;
    if (s < 0) s += 2147483647;
    if (i < 32) table[i] = s;
  }
  let out = table[0];
  for (let i = 0; i < n; i++) {
    const t = Math.floor(s / 127773);
    s = 16807 * (s - t * 127773) - 2836 * t;
    if (s < 0) s += 2147483647;
    const k = Math.floor(out / 67108865);
    out = table[k];
    table[k] = s;
    const u = out / 2.147483647e9;
    r[i] = u === 0 ? 1e-99 : u;
  }
  return r;
}

/**
 * The legacy Gaussian generator: Box-Muller over 2n uniforms (the first n for the radius), with
 * correctly rounded log and cos (./libm.ts says why), rounded the other way where glibc does so
 * (./glibc-rounding.ts: the streams behind f9's and f19's x_opt).
 */
export function gauss(n: number, seed: number): Float64Array {
  const u = unif(2 * n, seed);
  const g = new Float64Array(n);
  const flips = glibcFlips(seed);
  for (let i = 0; i < n; i++) {
    const a = u[i];
    const x = 2 * Math.PI * u[n + i];
    const l = flips?.log.has(i) ? logOther(a) : logCR(a);
    const c = flips?.cos.has(n + i) ? cosOther(x) : cosCR(x);
    const v = Math.sqrt(-2 * l) * c;
    g[i] = v === 0 ? 1e-99 : v;
  }
  return g;
}

/**
 * A random n×n rotation (row-major): a matrix of legacy Gaussians, filled column by column, made
 * orthonormal by Gram-Schmidt over its columns.
 */
export function rotation(seed: number, n: number): Float64Array {
  const g = gauss(n * n, seed);
  const b = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) b[i * n + j] = g[j * n + i];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      let p = 0;
      for (let k = 0; k < n; k++) p += b[k * n + i] * b[k * n + j];
      for (let k = 0; k < n; k++) b[k * n + i] -= p * b[k * n + j];
    }
    let p = 0;
    for (let k = 0; k < n; k++) p += b[k * n + i] * b[k * n + i];
    const norm = Math.sqrt(p);
    for (let k = 0; k < n; k++) b[k * n + i] /= norm;
  }
  return b;
}

/** x_opt: uniform on the grid 8·⌊10⁴u⌋/10⁴ − 4 (never exactly 0). */
export function xopt(seed: number, n: number): Float64Array {
  const x = unif(n, seed);
  for (let i = 0; i < n; i++) {
    const v = (8 * Math.floor(1e4 * x[i])) / 1e4 - 4;
    x[i] = v === 0 ? -1e-5 : v;
  }
  return x;
}

/** f_opt: a ratio of two legacy Gaussians, rounded to 1e-2 and clipped to [−1000, 1000]. */
export function fopt(fid: number, instance: number): number {
  const base = fid === 4 ? 3 : fid === 18 ? 17 : fid;
  const seed = base + 10000 * instance;
  const g1 = gauss(1, seed)[0];
  const g2 = gauss(1, seed + 1)[0];
  const v = Math.floor((100 * 100 * g1) / g2 + 0.5) / 100;
  const lo = -1000 > v ? -1000 : v;
  return 1000 < lo ? 1000 : lo;
}

/** Indices sorted by ascending value (the C code's qsort; values from the generator are distinct). */
export function argsort(v: ArrayLike<number>, n = v.length): Int32Array {
  const idx = Array.from({ length: n }, (_, i) => i);
  idx.sort((a, b) => v[a] - v[b]);
  return Int32Array.from(idx);
}

/** Block size of the large-scale suite's rotations: min(d, 40). */
export function blockSize(d: number): number {
  return Math.min(d, 40);
}

/**
 * A block-diagonal rotation: blocks of min(d, 40) (the last one takes the rest), block k a legacy
 * rotation from seed + 10⁶·k. Row i holds only its block's entries: `vals[off[i] .. off[i] + len[i])`
 * are the columns `first[i] ..`.
 */
export interface BlockRotation {
  readonly vals: Float64Array;
  readonly off: Int32Array;
  readonly len: Int32Array;
  readonly first: Int32Array;
}

export function blockRotation(seed: number, d: number): BlockRotation {
  const bs = blockSize(d);
  const nb = Math.floor(d / bs) + (d % bs > 0 ? 1 : 0);
  const off = new Int32Array(d);
  const len = new Int32Array(d);
  const first = new Int32Array(d);
  let total = 0;
  for (let k = 0, start = 0; k < nb; k++) {
    const size = k < nb - 1 ? bs : d - (nb - 1) * bs;
    for (let i = 0; i < size; i++) {
      off[start + i] = total + i * size;
      len[start + i] = size;
      first[start + i] = start;
    }
    total += size * size;
    start += size;
  }
  const vals = new Float64Array(total);
  for (let k = 0, start = 0, at = 0; k < nb; k++) {
    const size = k < nb - 1 ? bs : d - (nb - 1) * bs;
    vals.set(rotation(seed + 1000000 * k, size), at);
    at += size * size;
    start += size;
  }
  return { vals, off, len, first };
}

/**
 * The large-scale suite's truncated uniform swap permutation: identity for n ≤ 40; otherwise n swaps,
 * each of a variable (in the order of a uniform draw) with a random partner within ⌊n/3⌋ of it.
 */
export function swapPermutation(seed: number, n: number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  if (n <= 40) return p;
  const range = Math.floor(n / 3);
  const order = argsort(unif(n, seed));
  for (let s = 0; s < n; s++) {
    const a = order[s];
    const lo = a < range ? 0 : a - range;
    const hi = a + range > n - 1 ? n - 1 : a + range;
    let b = Math.trunc(unif(1, seed + (1 + s) * 1000)[0] * (hi - 1 - lo + 1)) + lo;
    if (b >= a) b += 1;
    const t = p[a];
    p[a] = p[b];
    p[b] = t;
  }
  return p;
}
