// XNES, the exponential natural evolution strategy, with an exact low-rank matrix exponential.
//
// see: T. Glasmachers, T. Schaul, Y. Sun, D. Wierstra, J. Schmidhuber, "Exponential Natural Evolution
//      Strategies", GECCO 2010, Algorithm 1 (utilities, gradients G_δ, G_M, G_σ, G_B, and the updates
//      μ += η_μ σ B G_δ, σ *= exp(η_σ/2 G_σ), B ← B expm(η_B/2 G_B)); adaptation sampling as in its §2.4
//      and as NEORL's `adasam` (mradaideh/neorl, neorl/evolu/xnes.py) does it, in closed form here.
//      Checked against a numpy XNES of the same definition (see test/xnes.test.ts).
//
// One convention everywhere: x_k = μ + σ B z_k (column vectors), so sampling, the mean step and the B
// update agree (NEORL samples with Bᵀ and steps with B, which stalls; see ALGORITHMS.md §3.2).
//
// Cost per generation, with Z the λ×d matrix of this generation's z_k (rows) and U = diag(u):
//   G_B = Zᵀ U Z − c I is a multiple of I plus a matrix of rank ≤ λ. With the thin QR Zᵀ = Q R
//   (Q d×λ), expm(α G_B) = e^{−αc} (I + Q (expm(α R U Rᵀ) − I) Qᵀ), and since Y = B Zᵀ is already
//   known from sampling, B Q = Y R⁻¹ costs O(dλ²). So B expm(α G_B) = e^{−αc} (B + (Y R⁻¹) E Qᵀ) with
//   E = expm(α R U Rᵀ) − I (a λ×λ symmetric eigenproblem): one rank-λ product, O(d²λ), plus the
//   sampling product B Zᵀ, O(d²λ). Nothing is O(d³). When 2λ > d the QR of a nearly square Z would
//   be ill-conditioned, and a dense d×d eigenproblem costs O(d³) ≤ O(2λd²), so that path is used.
//
// Layout: everything row-major f64. Z, Yt = (B Zᵀ)ᵀ = Z Bᵀ, X, Qt = Qᵀ, Pt = (B Q)ᵀ and W are λ×d.

import * as abi from "../abi";
import { reserve, reserveF64, reserveI32, reserve_failed } from "../core/mem";
import { GEN_BYTES, gen_row, rng_fill_normal } from "../core/rng";
import { argsort } from "../core/shaping";
import { axpy, dot, scal, sumsq } from "../linalg/blas1";
import { eigh } from "../linalg/eigh";
// The two O(d²λ) products (the sampling product Z Bᵀ and the rank-λ update of B) use linalg's
// streaming kernels rather than the packed gemm: with m = λ ≈ 24 the BLIS-style gemm packs all of
// op(B) = Bᵀ (an extra read and write of the d×d matrix) for a product that reads B once, which cost
// 2× at d = 2000 here (see assembly/linalg/gemm.ts, gemm_nt), and would need packing buffers.
import { gemm_nt } from "../linalg/gemm";
import { gemm_tn_update } from "../linalg/lowrank";
import { badConfig, cfgF64, cfgI32, initUniversal, universalSlot } from "../config";
import { at, rowp } from "../core/ptr";

// constants, set by init (init runs again before load() writes the heap back)
let d = 0, lambda = 0;
let etaMu: f64 = 0, etaSigma0: f64 = 0, etaB: f64 = 0;
let adapt = false, lowRank = false;

// pointers, fixed at init
let S: usize = 0, gen: usize = 0, mean: usize = 0, X: usize = 0, fit: usize = 0;
let Z: usize = 0, Yt: usize = 0, B: usize = 0, util: usize = 0, uk: usize = 0, nz: usize = 0;
let idx: usize = 0, tmp: usize = 0, scratch: usize = 0, work: usize = 0; // work: eigh's scratch
// low-rank path
let Qt: usize = 0, Pt: usize = 0, W: usize = 0, R: usize = 0, M: usize = 0, V: usize = 0, ev: usize = 0, E: usize = 0;
// dense path
let Gd: usize = 0, Vd: usize = 0, evd: usize = 0, Ed: usize = 0;

// scalars S[i] (abi.ts SC_*, XNES_SC_*)
// @ts-ignore: decorator
@inline const S_SIGMA = abi.SC_SIGMA;
// @ts-ignore: decorator
@inline const S_MAXSD = abi.SC_MAXSD;
// @ts-ignore: decorator
@inline const S_MINSD = abi.SC_MINSD;
// @ts-ignore: decorator
@inline const S_ETAS = abi.XNES_SC_ETASIGMA;
// @ts-ignore: decorator
@inline const S_SIGOLD = abi.XNES_SC_SIGOLD;
// @ts-ignore: decorator
@inline const S_C = abi.XNES_SC_C;
// @ts-ignore: decorator
@inline const S_GSIG = abi.XNES_SC_GSIG;
// @ts-ignore: decorator
@inline const S_CUM = abi.XNES_SC_CUM;
// @ts-ignore: decorator
@inline const S_LOWRANK = abi.XNES_SC_LOWRANK;

// @ts-ignore: decorator
@inline function sget(i: i32): f64 {
  return load<f64>(S + (<usize>i << 3));
}
// @ts-ignore: decorator
@inline function sset(i: i32, v: f64): void {
  store<f64>(S + (<usize>i << 3), v);
}

/**
 * Sizes every buffer once from the config block (abi.ts XNES_*). B starts as I; the TS side writes
 * the mean, the utilities and (when A is given) B0 with its σ0 and scalars. XNES_PATH < 0 picks the
 * path automatically (low rank when 2λ ≤ d); 0 or 1 forces it (tests).
 */
export function xnes_init(c: usize): i32 {
  d = cfgI32(c, abi.CFG_D); lambda = cfgI32(c, abi.CFG_LAMBDA);
  etaMu = cfgF64(c, abi.XNES_ETAMU); etaSigma0 = cfgF64(c, abi.XNES_ETASIGMA); etaB = cfgF64(c, abi.XNES_ETAB);
  adapt = cfgF64(c, abi.XNES_ADAPT) != 0;
  const path = cfgI32(c, abi.XNES_PATH);
  if (d < 1) return badConfig(abi.CFG_D);
  if (lambda < 2) return badConfig(abi.CFG_LAMBDA);
  lowRank = path < 0 ? 2 * lambda <= d : path != 0;
  if (lowRank && lambda > d) return badConfig(abi.XNES_PATH);
  S = reserveF64(abi.SC_FIRST + 6);
  gen = reserve(GEN_BYTES);
  mean = reserveF64(d); scratch = reserveF64(d);
  const ld = lambda * d;
  X = reserveF64(ld); Z = reserveF64(ld); Yt = reserveF64(ld);
  fit = reserveF64(lambda); util = reserveF64(lambda); uk = reserveF64(lambda); nz = reserveF64(lambda);
  idx = reserveI32(lambda); tmp = reserveI32(lambda);
  B = reserveF64(d * d);
  const ll = lambda * lambda;
  if (lowRank) {
    Qt = reserveF64(ld); Pt = reserveF64(ld); W = reserveF64(ld);
    R = reserveF64(ll); M = reserveF64(ll); V = reserveF64(ll); E = reserveF64(ll); ev = reserveF64(lambda);
    work = reserveF64(ll + 3 * lambda); // eigh's
  } else {
    const dd = d * d;
    Gd = reserveF64(dd); Vd = reserveF64(dd); Ed = reserveF64(dd); evd = reserveF64(d);
    work = reserveF64(max(dd + 3 * d, ld)); // U Z, eigh's scratch, then B expm
  }
  if (reserve_failed()) return abi.STATUS_NO_MEMORY;
  for (let i = 0; i < d; i++) store<f64>(rowp(B, i, d) + (<usize>i << 3), 1.0);
  initUniversal(c, S, gen, cfgF64(c, abi.CFG_SIGMA), false);
  sset(S_ETAS, etaSigma0);
  sset(S_SIGOLD, 0.0);
  sset(S_CUM, NaN);
  sset(S_LOWRANK, lowRank ? 1.0 : 0.0);
  return abi.STATUS_OK;
}

export function xnes_ptr(which: i32): usize {
  if (which < abi.SLOT_FIRST) return universalSlot(which, mean, X, fit, S, gen);
  switch (which) {
    case abi.XNES_UTIL: return util;
    case abi.XNES_Z: return Z;
    case abi.XNES_B: return B;
    case abi.XNES_YT: return Yt;
    case abi.XNES_UK: return uk;
    case abi.XNES_QT: return Qt;
    case abi.XNES_EXPM: return lowRank ? E : Ed;
    case abi.XNES_R: return R;
  }
  return 0;
}

// S_MAXSD, S_MINSD = the largest and smallest row norm of B (x_i has standard deviation σ‖B_i‖),
// from the rows' sums of squares in ssq
function rowNorms(ssq: usize): void {
  let mx: f64 = 0, mn: f64 = Infinity;
  for (let i = 0; i < d; i++) { const v = load<f64>(at(ssq, i)); mx = max(mx, v); mn = min(mn, v); }
  sset(S_MAXSD, Math.sqrt(mx));
  sset(S_MINSD, Math.sqrt(mn));
}

/** Rows [first, end): z_k ~ N(0, I); Yt = Z Bᵀ (one matrix product); x_k = μ + σ y_k. */
export function xnes_ask(first: i32, end: i32): void {
  if (first < 0 || end > lambda || first >= end) return;
  // rows in gemm_nt's pairs (see there): a range drawn alone starts at an even row, so its rows get
  // the bits of the whole population's product
  const a = first & ~1, b = min(lambda, (end + 1) & ~1);
  for (let k = a; k < b; k++) rng_fill_normal(gen_row(gen, k), rowp(Z, k, d), d); // row k's own stream
  gemm_nt(b - a, d, d, rowp(Z, a, d), B, rowp(Yt, a, d)); // Yt = Z Bᵀ: the population as one matrix product
  const sigma = sget(S_SIGMA);
  const sv = f64x2.splat(sigma);
  const d2 = d & ~1;
  for (let k = a; k < b; k++) {
    const y = rowp(Yt, k, d), x = rowp(X, k, d);
    let i = 0;
    for (; i < d2; i += 2) {
      const o = <usize>i << 3;
      v128.store(x + o, f64x2.add(v128.load(mean + o), f64x2.mul(sv, v128.load(y + o))));
    }
    for (; i < d; i++) {
      const o = <usize>i << 3;
      store<f64>(x + o, load<f64>(mean + o) + sigma * load<f64>(y + o));
    }
  }
}

/** The natural-gradient update from the fitness at `fit` (lower is better). */
export function xnes_tell(): void {
  argsort(fit, idx, tmp, lambda);
  let sumU: f64 = 0, gs: f64 = 0;
  for (let r = 0; r < lambda; r++) {
    const k = load<i32>(idx + (<usize>r << 2));
    const u = load<f64>(at(util, r));
    store<f64>(at(uk, k), u);
    sumU += u;
  }
  for (let k = 0; k < lambda; k++) {
    const s = sumsq(rowp(Z, k, d), d);
    store<f64>(at(nz, k), s);
    gs += load<f64>(at(uk, k)) * s;
  }
  // G_σ = tr(G_M)/d with G_M = Σ u_k (z_k z_kᵀ − I); G_B = G_M − G_σ I = Zᵀ U Z − c I
  gs = (gs - <f64>d * sumU) / <f64>d;
  const c = sumU + gs;
  sset(S_C, c); sset(S_GSIG, gs);

  const sigma = sget(S_SIGMA);
  if (adapt) adaptationSampling(sigma);
  sset(S_SIGOLD, sigma);

  // μ += η_μ σ B G_δ, and B G_δ = Σ u_k B z_k = Σ u_k y_k (old B)
  for (let k = 0; k < lambda; k++) axpy(d, etaMu * sigma * load<f64>(at(uk, k)), rowp(Yt, k, d), mean);
  const alpha = 0.5 * etaB;
  if (lowRank) {
    updateLowRank(alpha, c);
  } else {
    updateDense(alpha, c);
    for (let i = 0; i < d; i++) store<f64>(at(scratch, i), sumsq(rowp(B, i, d), d));
  }
  rowNorms(scratch); // the low-rank update leaves the row sums of squares there
  sset(S_SIGMA, sigma * Math.exp(0.5 * sget(S_ETAS) * gs));
}

// Adaptation sampling (Glasmachers et al. 2010, §2.4; NEORL's adasam): would the samples, reweighted
// towards σ' = σ √(σ/σ_old), rank better? The alternative covariance is (σ'/σ)² times the current one,
// so the importance weight of x_k = μ + σ B z_k is r^{−d} exp(‖z_k‖²(1 − 1/r²)/2) with r = σ'/σ: no
// densities, no inverses. Then NEORL's weighted Mann-Whitney test on the ranks (worst = 0).
function adaptationSampling(sigma: f64): void {
  const sOld = sget(S_SIGOLD);
  sset(S_CUM, NaN);
  if (!(sOld > 0)) return;
  const r2 = sigma / sOld; // r² = (σ'/σ)²
  const lr = 0.5 * Math.log(r2);
  const h = 0.5 * (1.0 - 1.0 / r2);
  const n = <f64>lambda;
  let np: f64 = 0, U: f64 = 0;
  for (let p = 0; p < lambda; p++) {
    const k = load<i32>(idx + (<usize>p << 2));
    const w = Math.exp(-<f64>d * lr + h * load<f64>(at(nz, k)));
    np += w;
    U += w * (<f64>(lambda - 1 - p) + 0.5);
  }
  const muU = 0.5 * n * np;
  const sdU = Math.sqrt((n * np * (n + np + 1.0)) / 12.0);
  const cum = normalCdf((U - muU) / sdU);
  if (!isFinite(cum)) return;
  sset(S_CUM, cum);
  const rho = 0.5 - 1.0 / (3.0 * (<f64>d + 1.0));
  const cc = 0.1;
  let eta = sget(S_ETAS);
  if (cum < rho) eta = (1.0 - cc) * eta + cc * etaSigma0;
  else eta = min(1.0, (1.0 + cc) * eta);
  sset(S_ETAS, eta);
}

// Φ(x) by Marsaglia's series Φ(x) = 1/2 + φ(x)(x + x³/3 + x⁵/(3·5) + …), whose terms are all of one
// sign (G. Marsaglia, "Evaluating the Normal Distribution", J. Stat. Softw. 11(4), 2004). Absolute
// error ~1e-15, which is what a threshold test needs.
function normalCdf(x: f64): f64 {
  if (x != x) return NaN;
  if (x < -37.5) return 0.0;
  if (x > 37.5) return 1.0;
  let s = x, t = x, q = x * x, i: f64 = 1.0;
  for (let n = 0; n < 2000; n++) {
    i += 2.0;
    t *= q / i;
    const s1 = s + t;
    if (s1 == s) break;
    s = s1;
  }
  return 0.5 + s * Math.exp(-0.5 * q - 0.91893853320467274178);
}

// ---------------------------------------------------------------------------------------------
// Low-rank path: Zᵀ = Q R (Gram-Schmidt twice), E = expm(α R U Rᵀ) − I, Pt = R⁻ᵀ Yt = (B Q)ᵀ,
// W = e^{−αc} E Qᵀ, then B ← e^{−αc} B + Ptᵀ W.
function updateLowRank(alpha: f64, c: f64): void {
  thinQR();
  sandwich(lambda, lambda, R, uk, E, M); // M = R U Rᵀ (λ×λ, symmetric); E is free until below
  if (eigh(lambda, M, ev, V, work) != 0) { // (never seen) keep B, as the caller expects ‖B_i‖² in scratch
    for (let i = 0; i < d; i++) store<f64>(at(scratch, i), sumsq(rowp(B, i, d), d));
    return;
  }
  // E = V diag(expm1(α w)) Vᵀ
  for (let k = 0; k < lambda; k++) store<f64>(at(ev, k), Math.expm1(alpha * load<f64>(at(ev, k))));
  sandwich(lambda, lambda, V, ev, M, E);
  // Pt = R⁻ᵀ Yt: row k of Rᵀ Pt is Σ_{m≤k} R[m][k] Pt_m
  for (let k = 0; k < lambda; k++) {
    const p = rowp(Pt, k, d);
    memory.copy(p, rowp(Yt, k, d), <usize>d << 3);
    for (let m = 0; m < k; m++) axpy(d, -load<f64>(at(R, m * lambda + k)), rowp(Pt, m, d), p);
    scal(d, 1.0 / load<f64>(at(R, k * lambda + k)), p);
  }
  // W = e^{−αc} E Qt
  const s = Math.exp(-alpha * c);
  for (let a = 0; a < lambda; a++) {
    const w = rowp(W, a, d);
    memory.fill(w, 0, <usize>d << 3);
    for (let b = 0; b < lambda; b++) axpy(d, s * load<f64>(at(E, a * lambda + b)), rowp(Qt, b, d), w);
  }
  gemm_tn_update(d, lambda, s, Pt, W, B, scratch); // B ← s B + Ptᵀ W, row sums of squares into scratch
}

// Thin QR of Zᵀ (columns z_k) by classical Gram-Schmidt with one re-orthogonalisation ("CGS2",
// orthogonal to working precision for full-rank Z: L. Giraud et al., Numer. Math. 101 (2005)).
// Qt holds Qᵀ (rows q_k), R is upper triangular λ×λ with a positive diagonal. Not linalg/factor.ts's
// qr_thin: its Householder QR of the row-major d×λ Zᵀ works on rows only λ long (plus two
// transposes), and that cost 0.3 / 1.4 ms more per generation at d = 1000 / 2000 (tell 3.7 → 4.0,
// 14.4 → 15.6 ms medians, 2026-11, loaded 2-core machine); here every dot and axpy runs over d.
function thinQR(): void {
  memory.fill(R, 0, <usize>(lambda * lambda) << 3);
  for (let k = 0; k < lambda; k++) {
    const q = rowp(Qt, k, d);
    memory.copy(q, rowp(Z, k, d), <usize>d << 3);
    for (let pass = 0; pass < 2; pass++) {
      // classical GS: all coefficients from the same q (kept in ev, free until the eigen-solve)
      for (let m = 0; m < k; m++) store<f64>(at(ev, m), dot(rowp(Qt, m, d), q, d));
      for (let m = 0; m < k; m++) {
        const r = load<f64>(at(ev, m));
        axpy(d, -r, rowp(Qt, m, d), q);
        store<f64>(at(R, m * lambda + k), load<f64>(at(R, m * lambda + k)) + r);
      }
    }
    const nrm = Math.sqrt(dot(q, q, d));
    store<f64>(at(R, k * lambda + k), nrm);
    scal(d, 1.0 / nrm, q);
  }
}

// ---------------------------------------------------------------------------------------------
// Dense path (2λ > d): G_B = Zᵀ U Z − c I (d×d), expm by its eigendecomposition, B ← B expm.
function updateDense(alpha: f64, c: f64): void {
  // Gd = −c I + (U Z)ᵀ Z, with U Z in work
  memory.fill(Gd, 0, <usize>(d * d) << 3);
  for (let a = 0; a < d; a++) store<f64>(at(Gd, a * d + a), -c);
  for (let k = 0; k < lambda; k++) {
    memory.copy(rowp(work, k, d), rowp(Z, k, d), <usize>d << 3);
    scal(d, load<f64>(at(uk, k)), rowp(work, k, d));
  }
  gemm_tn_update(d, lambda, 1.0, work, Z, Gd, scratch);
  if (eigh(d, Gd, evd, Vd, work) != 0) return; // (never seen) keep B
  // Ed = V diag(exp(α w)) Vᵀ, then B ← B Ed (Ed = Edᵀ), through work
  for (let k = 0; k < d; k++) store<f64>(at(evd, k), Math.exp(alpha * load<f64>(at(evd, k))));
  sandwich(d, d, Vd, evd, Gd, Ed);
  gemm_nt(d, d, d, B, Ed, work);
  memory.copy(B, work, <usize>(d * d) << 3);
}

// Out (n×n) = A diag(f) Aᵀ for A n×k, through AF = A diag(f) (n×k): one NT product.
function sandwich(n: i32, k: i32, A: usize, f: usize, AF: usize, Out: usize): void {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) store<f64>(at(AF, i * k + j), load<f64>(at(A, i * k + j)) * load<f64>(at(f, j)));
  }
  gemm_nt(n, n, k, AF, A, Out);
}
