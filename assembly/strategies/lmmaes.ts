// LM-MA-ES: the limited-memory matrix adaptation evolution strategy, O(m·d) memory and time per sample.
//
// see: I. Loshchilov, T. Glasmachers, H.-G. Beyer, "Large scale black-box optimization by limited-memory
//      matrix adaptation", IEEE TEC 23(2):353-358 (2019), Algorithm 1 (line numbers below are its).
// see: PyPop7 pypop7/optimizers/es/lmmaes.py (Evolutionary-Intelligence/pypop 08711c83), the reference
//      the figures come from, read for its order of operations: d_k is transformed by M_0 first, and only
//      the first min(g, m) vectors are used, g the number of updates done.
//
// Sampling, lines 5-8: d = z, then for j = 0..n−1 (n = min(g, m)): d ← (1 − c_d,j) d + c_d,j M_j (M_jᵀ d).
// Done one row at a time that is n dependent passes over d per sample. Here the same product is computed
// for the whole population at once: every intermediate d is α_j z + Σ_{i<j} β_i M_i, so with u = M z
// (m dot products) and the Gram matrix G = M Mᵀ the recursion runs on the m coefficients alone:
//   s_j = M_jᵀ d = α_j u_j + Σ_{i<j} G_ji β_i;   β ← (1 − c_d,j) β;   β_j = c_d,j s_j;   α_{j+1} = (1 − c_d,j) α_j,
// and d = α_n z + Σ_i β_i M_i. So a generation costs two matrix products, U = Z Mᵀ (λ×m) and
// X = σ(α Z + B M) + m (gemm, cache-blocked), plus O(λ m²) scalar work: the same arithmetic as the
// per-row passes, without re-reading M from memory for every row and every pass. G is updated from the
// quantities the update already has (Mᵀ z_w from U, ‖z_w‖²) in O(m²), exactly as M changes.
//
// Update, lines 10-14: z_w = Σ w_i z_i:λ, p_σ ← (1 − c_σ) p_σ + √(μ_eff c_σ (2 − c_σ)) z_w,
// M_i ← (1 − c_c,i) M_i + √(μ_eff c_c,i (2 − c_c,i)) z_w for every i, y ← y + σ Σ w_i d_i:λ (computed as
// Σ w_i x_i:λ: the weights sum to 1), σ ← σ exp(c_σ/d_σ (‖p_σ‖²/d − 1)) (d_σ = 2 in the paper).
// z_i:λ are kept from ask (Z, λ·d) while λ·d ≤ 2^24, so memory is (2λ + m)·d: drawing the selected
// rows again from their row streams (the same bits) cost a third of tell's time at d = 1e4. Above
// that (d = 1e6) they are drawn again, and memory stays (λ + m)·d; both ways give the same z_w. tell cannot recompute z from
// other points than the ones asked, so the strategy is not injectable (SC_INJECTABLE = 0).
//
// SC_MAXSD and SC_MINSD are bounds: the samples' covariance is σ² T Tᵀ with T = A_{n−1}···A_0, A_j
// = (1 − c_d,j) I + c_d,j M_j M_jᵀ, whose singular values are 1 − c_d,j and 1 − c_d,j + c_d,j ‖M_j‖²;
// so every coordinate standard deviation over σ lies in [Π (1 − c_d,j), Π (1 − c_d,j + c_d,j G_jj)].

import * as abi from "../abi";
import { reserve, reserveF64, reserveI32, reserve_failed } from "../core/mem";
import { GEN_BYTES, gen_row, gen_generation, rng_fill_normal, rng_seed_row, rotl64, zigFast, normalSlow } from "../core/rng";
import { argsort } from "../core/shaping";
import { gemm, gemm_reserve } from "../linalg/gemm";
import { badConfig, cfgF64, cfgI32, initUniversal, universalSlot } from "../config";

// @ts-ignore: decorator
@inline const O_SIGMA: usize = abi.SC_SIGMA << 3;
// @ts-ignore: decorator
@inline const O_MAXSD: usize = abi.SC_MAXSD << 3;
// @ts-ignore: decorator
@inline const O_MINSD: usize = abi.SC_MINSD << 3;
// @ts-ignore: decorator
@inline const O_G: usize = abi.LM_SC_G << 3;
// @ts-ignore: decorator
@inline const BLOCK: i32 = 512;

let d = 0, lambda = 0, mu = 0, m = 0;
let cs: f64 = 0, ds: f64 = 0, muEff: f64 = 0;
let S: usize = 0, gen: usize = 0, mean: usize = 0, X: usize = 0, fit: usize = 0, idx: usize = 0, tmp: usize = 0;
let w: usize = 0, cd: usize = 0, ccv: usize = 0, M: usize = 0, ps: usize = 0, zw: usize = 0;
let U: usize = 0, B: usize = 0, G: usize = 0, v: usize = 0, acc: usize = 0, Z: usize = 0;
// the z rows are kept (in Z) up to this many values; above it (d = 1e6: memory) tell draws them again
// @ts-ignore: decorator
@inline const KEEP_Z_MAX: i64 = 1 << 24;

/** Sizes every buffer once from the config block (abi.ts LM_*); the TS side writes w, c_d, c_c after. */
export function lmmaes_init(c: usize): i32 {
  d = cfgI32(c, abi.CFG_D); lambda = cfgI32(c, abi.CFG_LAMBDA); mu = cfgI32(c, abi.LM_MU); m = cfgI32(c, abi.LM_M);
  cs = cfgF64(c, abi.LM_CSIGMA); ds = cfgF64(c, abi.LM_DSIGMA); muEff = cfgF64(c, abi.LM_MUEFF);
  if (d < 1) return badConfig(abi.CFG_D);
  if (lambda < 2) return badConfig(abi.CFG_LAMBDA);
  if (mu < 1 || mu > lambda) return badConfig(abi.LM_MU);
  if (m < 1 || m > 1024) return badConfig(abi.LM_M);
  if (!(cs > 0 && cs <= 1)) return badConfig(abi.LM_CSIGMA);
  if (!(ds > 0)) return badConfig(abi.LM_DSIGMA);
  if (!(muEff >= 1)) return badConfig(abi.LM_MUEFF);
  if (<i64>lambda * <i64>d > 0x1fffc000 || <i64>m * <i64>d > 0x1fffc000) return abi.STATUS_NO_MEMORY;
  // the packing buffer of both products first (at most 768 KB; gemm_reserve traps rather than fails)
  gemm_reserve(lambda, m, d);
  gemm_reserve(lambda, d, m);
  S = reserveF64(abi.SC_FIRST + 1);
  gen = reserve(GEN_BYTES);
  w = reserveF64(mu); fit = reserveF64(lambda); idx = reserveI32(lambda); tmp = reserveI32(lambda);
  cd = reserveF64(m); ccv = reserveF64(m); v = reserveF64(m);
  U = reserveF64(lambda * m); B = reserveF64(lambda * m); G = reserveF64(m * m);
  acc = reserveF64(BLOCK);
  mean = reserveF64(d); ps = reserveF64(d); zw = reserveF64(d);
  M = reserveF64(m * d);
  X = reserveF64(lambda * d);
  // the generation's z rows, kept so tell recombines z_w from them instead of drawing them again
  // (up to KEEP_Z_MAX values; otherwise Z is X and tell draws the selected rows again)
  Z = <i64>lambda * <i64>d <= KEEP_Z_MAX ? reserveF64(lambda * d) : X;
  if (reserve_failed()) return abi.STATUS_NO_MEMORY;
  initUniversal(c, S, gen, cfgF64(c, abi.CFG_SIGMA), false);
  return abi.STATUS_OK;
}

export function lmmaes_ptr(slot: i32): usize {
  if (slot < abi.SLOT_FIRST) return universalSlot(slot, mean, X, fit, S, gen);
  switch (slot) {
    case abi.LM_WEIGHTS: return w;
    case abi.LM_CD: return cd;
    case abi.LM_CC: return ccv;
    case abi.LM_DIRS: return M;
    case abi.LM_PS: return ps;
  }
  return 0;
}

@inline function f64at(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

/** Lines 4-8 for rows [first, end) of the population at once: z_k from row k's stream, d_k = T z_k, x_k = y + σ d_k. */
export function lmmaes_ask(first: i32, end: i32): void {
  if (first < 0 || end > lambda || first >= end) return;
  const sigma = f64at(S, abi.SC_SIGMA);
  const n = <i32>min<f64>(f64at(S, abi.LM_SC_G), <f64>m);
  const rowBytes = <usize>d << 3, rows = end - first;
  // rows [first, end) alone: gemm computes each entry of C the same way wherever its row lies (its
  // edge tiles only pad), so these rows get the whole population's bits
  const Zr = Z + <usize>first * rowBytes, Xr = X + <usize>first * rowBytes;
  for (let k = first; k < end; k++) rng_fill_normal(gen_row(gen, k), Z + <usize>k * rowBytes, d);
  if (Z != X) memory.copy(Xr, Zr, <usize>rows * rowBytes);
  let alpha: f64 = 1;
  if (n > 0) {
    // U = Z Mᵀ (all m rows: tell needs Mᵀ z_w for the Gram update)
    gemm(0, 1, rows, m, d, 1.0, Zr, d, M, d, 0.0, U + (<usize>(first * m) << 3), m);
    for (let j = 0; j < n; j++) alpha *= 1.0 - f64at(cd, j);
    for (let k = first; k < end; k++) {
      const b = B + (<usize>(k * m) << 3), u = U + (<usize>(k * m) << 3);
      let a: f64 = 1;
      for (let j = 0; j < n; j++) {
        const c = f64at(cd, j);
        const g = G + (<usize>(j * m) << 3);
        let s = a * f64at(u, j);
        for (let i = 0; i < j; i++) s += f64at(g, i) * f64at(b, i);
        const r = 1.0 - c;
        for (let i = 0; i < j; i++) store<f64>(b + (<usize>i << 3), r * f64at(b, i));
        store<f64>(b + (<usize>j << 3), c * s);
        a *= r;
      }
    }
  }
  // X = σ(α Z + B M), then + y
  gemm(0, 0, rows, d, n, sigma, B + (<usize>(first * m) << 3), m, M, d, sigma * alpha, Xr, d);
  for (let k = first; k < end; k++) addTo(X + <usize>k * rowBytes, mean, d);
}

// Elementwise loops in f64x2 (each lane is the scalar expression, so results are bit-identical to the
// scalar loops they replace; no reduction is reordered).
/** r[i] += x[i], i < n. */
// @ts-ignore: decorator
@inline function addTo(r: usize, x: usize, n: i32): void {
  const end = <usize>n << 3, end2 = end & ~<usize>15;
  let o: usize = 0;
  for (; o < end2; o += 16) v128.store(r + o, f64x2.add(v128.load(r + o), v128.load(x + o)));
  if (o < end) store<f64>(r + o, load<f64>(r + o) + load<f64>(x + o));
}
/** acc[i] = w·x[i] (first) or acc[i] += w·x[i], i < n. */
// @ts-ignore: decorator
@inline function accumulate(acc: usize, x: usize, wj: f64, n: i32, first: bool): void {
  const end = <usize>n << 3, end2 = end & ~<usize>15, vw = f64x2.splat(wj);
  let o: usize = 0;
  if (first) {
    for (; o < end2; o += 16) v128.store(acc + o, f64x2.mul(vw, v128.load(x + o)));
    if (o < end) store<f64>(acc + o, wj * load<f64>(x + o));
  } else {
    for (; o < end2; o += 16) v128.store(acc + o, f64x2.add(v128.load(acc + o), f64x2.mul(vw, v128.load(x + o))));
    if (o < end) store<f64>(acc + o, load<f64>(acc + o) + wj * load<f64>(x + o));
  }
}
/** r[i] = a·r[i] + b·z[i], i < n. */
// @ts-ignore: decorator
@inline function blend(r: usize, z: usize, a: f64, b: f64, n: i32): void {
  const end = <usize>n << 3, end2 = end & ~<usize>15, va = f64x2.splat(a), vb = f64x2.splat(b);
  let o: usize = 0;
  for (; o < end2; o += 16) v128.store(r + o, f64x2.add(f64x2.mul(va, v128.load(r + o)), f64x2.mul(vb, v128.load(z + o))));
  if (o < end) store<f64>(r + o, a * load<f64>(r + o) + b * load<f64>(z + o));
}

// out[0..n) += c·z with z ~ N(0, I) drawn from the stream at s (the bits rng_fill_normal would draw).
function addNormal(s: usize, out: usize, n: i32, c: f64): void {
  let s0 = load<u64>(s), s1 = load<u64>(s, 8), s2 = load<u64>(s, 16), s3 = load<u64>(s, 24);
  const end = <usize>n << 3;
  for (let o: usize = 0; o < end; o += 8) {
    const r = rotl64(s0 + s3, 23) + s0;
    const t = s1 << 17;
    s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl64(s3, 45);
    let z = zigFast(r);
    if (z != z) {
      store<u64>(s, s0); store<u64>(s, s1, 8); store<u64>(s, s2, 16); store<u64>(s, s3, 24);
      z = normalSlow(s, r);
      s0 = load<u64>(s); s1 = load<u64>(s, 8); s2 = load<u64>(s, 16); s3 = load<u64>(s, 24);
    }
    store<f64>(out + o, load<f64>(out + o) + c * z);
  }
  store<u64>(s, s0); store<u64>(s, s1, 8); store<u64>(s, s2, 16); store<u64>(s, s3, 24);
}

/** Lines 9-14 from the fitness at `fit` (lower is better; the bridge maps NaN to +∞). */
export function lmmaes_tell(): void {
  argsort(fit, idx, tmp, lambda);
  const sigma = f64at(S, abi.SC_SIGMA);
  const g = f64at(S, abi.LM_SC_G);
  const rowBytes = <usize>d << 3;

  // y ← Σ w_i x_i:λ, blockwise (line 13)
  for (let lo = 0; lo < d; lo += BLOCK) {
    const nb = min(BLOCK, d - lo);
    const off = <usize>lo << 3;
    for (let j = 0; j < mu; j++) {
      const r = X + <usize>load<i32>(idx + (<usize>j << 2)) * rowBytes + off;
      accumulate(acc, r, f64at(w, j), nb, j == 0);
    }
    memory.copy(mean + off, acc, <usize>nb << 3);
  }

  // z_w = Σ w_i z_i:λ, the selected rows' normals drawn again from their streams (the asked generation)
  // z_w = Σ w_j z_j:λ, from the kept rows or drawn again from the selected rows' streams (the same bits,
  // summed in the same order: both give the same z_w)
  if (Z != X) {
    for (let j = 0; j < mu; j++) {
      const k = load<i32>(idx + (<usize>j << 2));
      accumulate(zw, Z + <usize>k * rowBytes, f64at(w, j), d, j == 0);
    }
  } else {
    memory.fill(zw, 0, rowBytes);
    const s = gen + (<usize>abi.RNG_ROW << 3);
    const seed = load<u64>(gen + (<usize>abi.RNG_SEED << 3));
    const ga = gen_generation(gen) - 1;
    for (let j = 0; j < mu; j++) {
      const k = load<i32>(idx + (<usize>j << 2));
      rng_seed_row(s, seed, ga, <u64>k);
      addNormal(s, zw, d, f64at(w, j));
    }
  }

  // v = M z_w = Σ w_i u_i:λ (U was computed in ask with the current M; zero before the first update)
  for (let i = 0; i < m; i++) store<f64>(v + (<usize>i << 3), 0.0);
  if (g > 0) {
    for (let j = 0; j < mu; j++) {
      const wj = f64at(w, j);
      const u = U + (<usize>(load<i32>(idx + (<usize>j << 2)) * m) << 3);
      for (let i = 0; i < m; i++) store<f64>(v + (<usize>i << 3), f64at(v, i) + wj * f64at(u, i));
    }
  }

  // p_σ (line 10) and ‖z_w‖²
  const bs = Math.sqrt(muEff * cs * (2.0 - cs));
  let ps2: f64 = 0, zz: f64 = 0;
  for (let i = 0; i < d; i++) {
    const o = <usize>i << 3;
    const z = load<f64>(zw + o);
    const p = (1.0 - cs) * load<f64>(ps + o) + bs * z;
    store<f64>(ps + o, p);
    ps2 += p * p;
    zz += z * z;
  }

  // M_i (lines 11-12) and G = M Mᵀ with them
  for (let i = 0; i < m; i++) {
    const c = f64at(ccv, i);
    const a = 1.0 - c, b = Math.sqrt(muEff * c * (2.0 - c));
    blend(M + <usize>i * rowBytes, zw, a, b, d);
  }
  for (let i = 0; i < m; i++) {
    const ci = f64at(ccv, i);
    const ai = 1.0 - ci, bi = Math.sqrt(muEff * ci * (2.0 - ci)), vi = f64at(v, i);
    for (let j = 0; j <= i; j++) {
      const cj = f64at(ccv, j);
      const aj = 1.0 - cj, bj = Math.sqrt(muEff * cj * (2.0 - cj)), vj = f64at(v, j);
      const p = G + (<usize>(i * m + j) << 3);
      const gij = ai * aj * load<f64>(p) + ai * bj * vi + bi * aj * vj + bi * bj * zz;
      store<f64>(p, gij);
      store<f64>(G + (<usize>(j * m + i) << 3), gij);
    }
  }

  // σ (line 14)
  store<f64>(S + O_SIGMA, sigma * Math.exp((cs / ds) * (ps2 / <f64>d - 1.0)));
  const g1 = g + 1.0;
  store<f64>(S + O_G, g1);
  const n = <i32>min<f64>(g1, <f64>m);
  let hi: f64 = 1, lo: f64 = 1;
  for (let j = 0; j < n; j++) {
    const c = f64at(cd, j);
    lo *= 1.0 - c;
    hi *= max(1.0 - c, 1.0 - c + c * load<f64>(G + (<usize>(j * m + j) << 3)));
  }
  store<f64>(S + O_MAXSD, hi);
  store<f64>(S + O_MINSD, lo);
}
