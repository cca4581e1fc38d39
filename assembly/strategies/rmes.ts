// Rank-m ES (RMES): σ from a rank-based success rule, covariance I·a^(2m) plus m stored evolution paths.
//
// see: Z. Li, Q. Zhang, "A simple yet efficient evolution strategy for large-scale black-box
//      optimization", IEEE TEVC 22(5):637-646 (2018), Algorithms 2 and 3.
// see: PyPop7 pypop7/optimizers/es/rmes.py (04388c51) and r1es.py, as written up in
//      ../shared/reference/ALGORITHMS.md §1.3-1.4 (steps U1-U5 below carry its numbering).
// The TS side (src/strategies/rmes.ts) computes the weights and p_coef and writes weights and mean.
//
// Memory is O(m·d + λ·d): the population, the mean and the m paths; nothing d×d. The newest stored
// path *is* p (after U5, mp[m-1] = p always), so p has no buffer of its own. The paths are addressed
// through `slot` (logical index 0 = oldest → physical row), so U5's shift moves indices, not rows.
//
// Deviations from PyPop7 (documented in src/strategies/rmes.ts):
//  * RNG: xoshiro256++ and a ziggurat instead of numpy's PCG64; per individual the m scalar draws
//    r_1..r_m come *before* the d normals of z (PyPop7 draws z first), so that z can be drawn and
//    combined with the paths in one pass over memory.
//  * U1 and U4 sort stably (ties: the lower index, and in U4 the old value, first); numpy's quicksort
//    is insertion sort, hence stable, up to 16 elements, so this agrees for λ ≤ 16 and μ ≤ 8.
//  * The generation counter g used as U5's timestamp is the number of updates done before this one
//    (PyPop7's stored RMES loop: update, then g += 1), so g = 0 at the first update.

import * as abi from "../abi";
import { reserve, reserveF64, reserveI32, reserve_failed } from "../core/mem";
import { GEN_BYTES, gen_row, rng_normal, rotl64, zigFast, normalSlow } from "../core/rng";
import { argsort } from "../core/shaping";
import { badConfig, cfgF64, cfgI32, initUniversal, universalSlot } from "../config";

// scalars (abi.ts SC_*, RMES_SC_*), as byte offsets
// @ts-ignore: decorator
@inline const O_SIGMA: usize = abi.SC_SIGMA << 3;
// @ts-ignore: decorator
@inline const O_MAXSD: usize = abi.SC_MAXSD << 3;
// @ts-ignore: decorator
@inline const O_MINSD: usize = abi.SC_MINSD << 3;
// @ts-ignore: decorator
@inline const O_S: usize = abi.RMES_SC_S << 3;
// @ts-ignore: decorator
@inline const O_G: usize = abi.RMES_SC_G << 3;
// @ts-ignore: decorator
@inline const O_HASY: usize = abi.RMES_SC_HASY << 3;
// @ts-ignore: decorator
@inline const O_Q: usize = abi.RMES_SC_Q << 3;

// @ts-ignore: decorator
@inline const BLOCK: i32 = 512; // coordinates per block: 4 KB of x (or of the recombination sum) stays in L1

// x[0..n) = mean + sa·z + c0·p0 + c1·p1 with z ~ N(0, I) drawn in the same loop: one pass over memory.
// Two coordinates per step: two scalar ziggurat draws (in stream order), then the combination in f64x2,
// which halves the loads and stores of the combining part (the loop is bound by instruction count).
function fused(s: usize, x: usize, mn: usize, p0: usize, p1: usize, n: i32, sa: f64, c0: f64, c1: f64): void {
  let s0 = load<u64>(s), s1 = load<u64>(s, 8), s2 = load<u64>(s, 16), s3 = load<u64>(s, 24);
  const vsa = f64x2.splat(sa), vc0 = f64x2.splat(c0), vc1 = f64x2.splat(c1);
  const end2 = <usize>(n & ~1) << 3;
  for (let o: usize = 0; o < end2; o += 16) {
    // first coordinate (xoshiro256++ step, then the shared ziggurat fast path of rng.ts)
    let r = rotl64(s0 + s3, 23) + s0;
    let t = s1 << 17;
    s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl64(s3, 45);
    let za = zigFast(r);
    if (za != za) {
      store<u64>(s, s0); store<u64>(s, s1, 8); store<u64>(s, s2, 16); store<u64>(s, s3, 24);
      za = normalSlow(s, r);
      s0 = load<u64>(s); s1 = load<u64>(s, 8); s2 = load<u64>(s, 16); s3 = load<u64>(s, 24);
    }
    // second coordinate
    r = rotl64(s0 + s3, 23) + s0;
    t = s1 << 17;
    s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl64(s3, 45);
    let zb = zigFast(r);
    if (zb != zb) {
      store<u64>(s, s0); store<u64>(s, s1, 8); store<u64>(s, s2, 16); store<u64>(s, s3, 24);
      zb = normalSlow(s, r);
      s0 = load<u64>(s); s1 = load<u64>(s, 8); s2 = load<u64>(s, 16); s3 = load<u64>(s, 24);
    }
    const z = f64x2.replace_lane(f64x2.splat(za), 1, zb);
    const v = f64x2.add(f64x2.add(f64x2.add(v128.load(mn + o), f64x2.mul(vsa, z)), f64x2.mul(vc0, v128.load(p0 + o))), f64x2.mul(vc1, v128.load(p1 + o)));
    v128.store(x + o, v);
  }
  if (n & 1) {
    const o = end2;
    const r = rotl64(s0 + s3, 23) + s0;
    const t = s1 << 17;
    s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl64(s3, 45);
    let z = zigFast(r);
    if (z != z) {
      store<u64>(s, s0); store<u64>(s, s1, 8); store<u64>(s, s2, 16); store<u64>(s, s3, 24);
      z = normalSlow(s, r);
      s0 = load<u64>(s); s1 = load<u64>(s, 8); s2 = load<u64>(s, 16); s3 = load<u64>(s, 24);
    }
    store<f64>(x + o, load<f64>(mn + o) + sa * z + c0 * load<f64>(p0 + o) + c1 * load<f64>(p1 + o));
  }
  store<u64>(s, s0); store<u64>(s, s1, 8); store<u64>(s, s2, 16); store<u64>(s, s3, 24);
}

// Constants, fixed at init (save/load re-runs init with the same options, then restores the heap).
let d = 0, lambda = 0, mu = 0, m = 0;
let cCov: f64 = 0, cPath: f64 = 0, cS: f64 = 0, qStar: f64 = 0, dSigma: f64 = 0, gap: f64 = 0, pCoef: f64 = 0;
let a: f64 = 0, aM: f64 = 0, b: f64 = 0;
// pointers, fixed at init
let S: usize = 0, gen: usize = 0, mean: usize = 0, X: usize = 0, fit: usize = 0, idx: usize = 0, tmp: usize = 0;
let w: usize = 0, ybak: usize = 0, paths: usize = 0, slot: usize = 0, tHat: usize = 0, pMax: usize = 0;
let apow: usize = 0, coef: usize = 0, acc: usize = 0;

/**
 * Sizes every buffer once from the config block (abi.ts RMES_*). When RMES_HAS_F0 ≠ 0 the first
 * update's success rule compares against μ copies of RMES_F0 (PyPop7 passes f(mean0)); otherwise the
 * first update leaves s and σ unchanged and only records the sorted values.
 */
export function rmes_init(c: usize): i32 {
  d = cfgI32(c, abi.CFG_D); lambda = cfgI32(c, abi.CFG_LAMBDA); mu = cfgI32(c, abi.RMES_MU); m = cfgI32(c, abi.RMES_M);
  cCov = cfgF64(c, abi.RMES_CCOV); cPath = cfgF64(c, abi.RMES_C); cS = cfgF64(c, abi.RMES_CS); qStar = cfgF64(c, abi.RMES_QSTAR);
  dSigma = cfgF64(c, abi.RMES_DSIGMA); gap = cfgF64(c, abi.RMES_GAP); pCoef = cfgF64(c, abi.RMES_PCOEF);
  if (d < 1) return badConfig(abi.CFG_D);
  if (lambda < 2) return badConfig(abi.CFG_LAMBDA);
  if (mu < 1 || mu > lambda) return badConfig(abi.RMES_MU);
  if (m < 1 || m > 64) return badConfig(abi.RMES_M);
  if (!(cCov > 0 && cCov <= 1)) return badConfig(abi.RMES_CCOV);
  a = Math.sqrt(1.0 - cCov);
  aM = Math.pow(a, <f64>m);
  b = Math.sqrt(cCov);
  S = reserveF64(abi.SC_FIRST + 4);
  gen = reserve(GEN_BYTES);
  w = reserveF64(mu); ybak = reserveF64(mu);
  fit = reserveF64(lambda); idx = reserveI32(lambda); tmp = reserveI32(lambda);
  slot = reserveI32(m); tHat = reserveF64(m); pMax = reserveF64(m); apow = reserveF64(m); coef = reserveF64(m);
  acc = reserveF64(BLOCK);
  mean = reserveF64(d);
  paths = reserveF64(m * d);
  X = reserveF64(lambda * d);
  if (reserve_failed()) return abi.STATUS_NO_MEMORY;
  for (let j = 0; j < m; j++) {
    store<i32>(slot + (<usize>j << 2), j);
    store<f64>(apow + (<usize>j << 3), Math.pow(a, <f64>(m - 1 - j))); // the oldest path weighs a^(m-1)
  }
  initUniversal(c, S, gen, cfgF64(c, abi.CFG_SIGMA), false);
  store<f64>(S + O_MAXSD, aM);
  store<f64>(S + O_MINSD, aM); // every coordinate's std is at least σ a^m
  if (cfgF64(c, abi.RMES_HAS_F0) != 0) {
    const f0 = cfgF64(c, abi.RMES_F0);
    for (let j = 0; j < mu; j++) store<f64>(ybak + (<usize>j << 3), f0);
    store<f64>(S + O_HASY, 1.0);
  }
  return abi.STATUS_OK;
}

@inline function pathRow(j: i32): usize {
  return paths + ((<usize>load<i32>(slot + (<usize>j << 2)) * <usize>d) << 3);
}

export function rmes_ptr(which: i32): usize {
  if (which < abi.SLOT_FIRST) return universalSlot(which, mean, X, fit, S, gen);
  switch (which) {
    case abi.RMES_WEIGHTS: return w;
    case abi.RMES_P: return pathRow(m - 1);
    case abi.RMES_PATHS: return paths;
    case abi.RMES_ORDER: return slot;
    case abi.RMES_THAT: return tHat;
    case abi.RMES_YBAK: return ybak;
  }
  return 0;
}

// x[0..n) += c·p
@inline function axpy(x: usize, p: usize, n: i32, c: f64): void {
  const vc = f64x2.splat(c);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    v128.store(x + o, f64x2.add(v128.load(x + o), f64x2.mul(vc, v128.load(p + o))));
  }
  if (i < n) {
    const o = <usize>i << 3;
    store<f64>(x + o, load<f64>(x + o) + c * load<f64>(p + o));
  }
}

/**
 * Rows [first, end): x_k = mean + σ(a^m z + b Σ_{i=1..m} a^(m−i) r_i mp[i−1]), z ~ N(0, I_d), r_i ~ N(0, 1) (ALGORITHMS.md
 * §1.3). Per individual: the m scalars r_i, then one fused loop that draws each z_i (ziggurat fast path
 * inline, generator words in registers) and combines it with mean and the paths, so memory sees one
 * pass: read mean and the paths, write x. (For m > 2 the further paths are added per 4 KB block while
 * it is in L1.)
 */
export function rmes_ask(first: i32, end: i32): void {
  if (first < 0 || end > lambda) return;
  const sigma = load<f64>(S + O_SIGMA);
  const sa = sigma * aM, sb = sigma * b;
  const rowBytes = <usize>d << 3;
  for (let k = first; k < end; k++) {
    const rng = gen_row(gen, k); // row k's own stream: the m scalars, then z
    for (let j = 0; j < m; j++) {
      store<f64>(coef + (<usize>j << 3), sb * load<f64>(apow + (<usize>j << 3)) * rng_normal(rng));
    }
    const xr = X + <usize>k * rowBytes;
    const c0 = load<f64>(coef);
    const c1 = m > 1 ? load<f64>(coef, 8) : 0.0;
    const p0 = pathRow(0);
    const p1 = m > 1 ? pathRow(1) : p0;
    for (let lo = 0; lo < d; lo += BLOCK) {
      const n = min(BLOCK, d - lo);
      const off = <usize>lo << 3;
      const xb = xr + off;
      fused(rng, xb, mean + off, p0 + off, p1 + off, n, sa, c0, c1);
      for (let j = 2; j < m; j++) axpy(xb, pathRow(j) + off, n, load<f64>(coef + (<usize>j << 3))); // m > 2: the block is still in L1
    }
  }
}

/** U1-U5 of ALGORITHMS.md §1.4 from the fitness at `fit` (lower is better; the bridge maps NaN to +∞). */
export function rmes_tell(): void {
  argsort(fit, idx, tmp, lambda); // U1 (stable)
  const sigma = load<f64>(S + O_SIGMA);
  const g = load<f64>(S + O_G);
  const rowBytes = <usize>d << 3;

  // U5's bookkeeping first: it decides which physical row receives the new p.
  let ip = 0;
  if (m > 1) {
    let tmin = Infinity, am = 0;
    for (let i = 0; i < m - 1; i++) {
      const dt = load<f64>(tHat + (<usize>(i + 1) << 3)) - load<f64>(tHat + (<usize>i << 3));
      if (dt < tmin) { tmin = dt; am = i; } // the first minimum
    }
    ip = am + 1;
    if (tmin > gap || g < <f64>m) ip = 0;
  }
  const src = pathRow(m - 1); // the old p
  const freed = load<i32>(slot + (<usize>ip << 2)); // == slot[m-1] when nothing shifts: p is updated in place
  for (let i = ip; i < m - 1; i++) {
    store<i32>(slot + (<usize>i << 2), load<i32>(slot + (<usize>(i + 1) << 2)));
    store<f64>(tHat + (<usize>i << 3), load<f64>(tHat + (<usize>(i + 1) << 3)));
  }
  store<i32>(slot + (<usize>(m - 1) << 2), freed);
  store<f64>(tHat + (<usize>(m - 1) << 3), g);
  const dst = paths + ((<usize>freed * <usize>d) << 3);

  // U2 mean' = Σ w_i x[order_i] and U3 p ← (1 − c)p + p_coef (mean' − mean)/σ, blockwise in one pass.
  // (mean' − mean)/σ is divided, not multiplied by 1/σ: 1/σ overflows for a subnormal σ (long runs
  // without restarts), while a zero move must stay a zero contribution.
  const omc = 1.0 - cPath;
  let pm: f64 = 0;
  for (let lo = 0; lo < d; lo += BLOCK) {
    const n = min(BLOCK, d - lo);
    const off = <usize>lo << 3;
    for (let j = 0; j < mu; j++) {
      const wj = load<f64>(w + (<usize>j << 3));
      const r = X + <usize>load<i32>(idx + (<usize>j << 2)) * rowBytes + off;
      if (j == 0) {
        for (let i = 0; i < n; i++) store<f64>(acc + (<usize>i << 3), wj * load<f64>(r + (<usize>i << 3)));
      } else {
        axpy(acc, r, n, wj);
      }
    }
    for (let i = 0; i < n; i++) {
      const o = <usize>i << 3;
      const mp = load<f64>(acc + o);
      const mo = load<f64>(mean + off + o);
      const dm = mp - mo;
      const pn = omc * load<f64>(src + off + o) + (dm == 0 ? 0 : pCoef * dm / sigma);
      store<f64>(dst + off + o, pn);
      store<f64>(mean + off + o, mp);
      pm = max(pm, abs(pn));
    }
  }
  store<f64>(pMax + (<usize>freed << 3), pm);

  // U4: the rank-based success rule against the previous generation's μ best (sorted) values.
  if (load<f64>(S + O_HASY) != 0) {
    let io = 0, inw = 0, q: f64 = 0;
    for (let pos = 1; pos <= 2 * mu; pos++) {
      let takeOld = io < mu;
      if (takeOld && inw < mu) {
        takeOld = load<f64>(ybak + (<usize>io << 3)) <= load<f64>(fit + (<usize>load<i32>(idx + (<usize>inw << 2)) << 3));
      }
      if (takeOld) { q += load<f64>(w + (<usize>io << 3)) * <f64>pos; io++; }
      else { q -= load<f64>(w + (<usize>inw << 3)) * <f64>pos; inw++; }
    }
    q /= <f64>mu;
    const s = (1.0 - cS) * load<f64>(S + O_S) + cS * (q - qStar);
    store<f64>(S + O_S, s);
    store<f64>(S + O_Q, q);
    store<f64>(S + O_SIGMA, sigma * Math.exp(s / dSigma));
  }
  for (let j = 0; j < mu; j++) {
    store<f64>(ybak + (<usize>j << 3), load<f64>(fit + (<usize>load<i32>(idx + (<usize>j << 2)) << 3)));
  }
  store<f64>(S + O_HASY, 1.0);

  // An upper bound of max_k std(x_k)/σ: sqrt(a^2m + b² Σ_j a^(2(m−1−j)) max|mp_j|²).
  let v = aM * aM;
  for (let j = 0; j < m; j++) {
    const pw = load<f64>(apow + (<usize>j << 3));
    const pj = load<f64>(pMax + (<usize>load<i32>(slot + (<usize>j << 2)) << 3));
    v += b * b * pw * pw * pj * pj;
  }
  store<f64>(S + O_MAXSD, Math.sqrt(v));
  store<f64>(S + O_G, g + 1.0);
}
