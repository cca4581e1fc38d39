// CMA-ES: (μ/μ_w, λ)-CMA-ES with active (negative) weights and cumulative step-size adaptation.
//
// see: N. Hansen, "The CMA Evolution Strategy: A Tutorial", arXiv:1604.00772 (2016): sampling eqs.
//      (38)-(40), the mean (41), the σ path and update (43)-(44), h_σ (p. 31), the c path (45), the
//      active covariance update (46)-(47) with the weights of (49)-(53) (resolved on the TS side,
//      src/strategies/cma.ts). Checked against pycma 4.x (cma/evolution_strategy.py: its tell, the
//      negative weights' Mahalanobis rescaling, c1a = c1(1 − (1 − h_σ²) c_c (2 − c_c))).
//      Injected or repaired solutions: N. Hansen, "Injecting external solutions into CMA-ES",
//      arXiv:1110.4181 (2011), eq. (3): the Mahalanobis length of an injected step is clipped to
//      √d + 2d/(d + 2).
//
// The covariance is kept as a factor: C = A Aᵀ, with A (d×d) updated so that A_{g+1} A_{g+1}ᵀ is
// exactly the tutorial's C_{g+1} (eq. (47)), in O(d²λ) per generation and without any d×d
// eigendecomposition at large d. With y_k = A z_k, eq. (47) reads
//   C' = A M Aᵀ,   M = a I + Σ_k c_μ w°_k z_k z_kᵀ + c_1 q' q'ᵀ,   q' = A⁻¹ p_c',
// so A' = A M^{1/2}. M is a multiple of I plus a matrix of rank ≤ k = λ + 1: with the thin QR
// V = [z_1:λ … z_λ:λ, q] = Q R (Q d×k), M^{1/2} = √a I + Q (T^{1/2} − √a I) Qᵀ with T = a I + R S' Rᵀ
// (k×k), and A Q = (A V) R⁻¹ = [y_1:λ … y_λ:λ, p_c] R⁻¹ is known from sampling: one rank-k update of A,
// O(d²λ), as XNES's (assembly/strategies/xnes.ts). When 2k > d the d×d M is decomposed directly
// (O(d³) ≤ O(2kd²)). The only departure from the tutorial: the σ path accumulates A⁻¹⟨y⟩_w = ⟨z⟩_w
// rather than C^{-1/2}⟨y⟩_w (A = C^{1/2} times a rotation; the same length, a slowly rotating frame),
// as the Cholesky-CMA-ES does (O. Krause, D. R. Arbonès, C. Igel, "CMA-ES with optimal covariance
// update and storage complexity", NeurIPS 2016, who show it performs as the symmetric root does).
// The negative weights' rescaling d/‖C^{-1/2} y‖² (eq. (46)) is d/‖z‖², exact since ‖A⁻¹y‖ = ‖C^{-1/2}y‖.
//
// Layout: row-major f64. Z, Y, X are λ×d (rows z_k, y_k = A z_k, x_k = m + σ y_k). On the low-rank
// path tell leaves the next generation's Z and Y there (CMA_SC_NEXT), for the next ask.

import * as abi from "../abi";
import { reserve, reserveF64, reserveI32, reserve_failed } from "../core/mem";
import { GEN_BYTES, gen_row, rng_fill_normal } from "../core/rng";
import { argsort } from "../core/shaping";
import { axpy, dot, scal, sumsq } from "../linalg/blas1";
import { eigh } from "../linalg/eigh";
import { gemm_nt, gemm_nt_ld } from "../linalg/gemm";
import { gemm_tn_update, gemm_tn_update_rows } from "../linalg/lowrank";
import { badConfig, cfgF64, cfgI32, initUniversal, universalSlot } from "../config";
import { at, rowp } from "../core/ptr";

// rows of A per stripe of the low-rank update (a multiple of 4, gemm_nt's and gemm_tn_update's tile)
// @ts-ignore: decorator
@inline const STRIPE: i32 = 16;

// constants, set by init
let d = 0, lambda = 0, mu = 0, kk = 0;
let cs: f64 = 0, ds: f64 = 0, cc: f64 = 0, c1: f64 = 0, cmu: f64 = 0, cm: f64 = 0, muEff: f64 = 0, chiN: f64 = 0;
let lowRank = false;

// pointers, fixed at init
let S: usize = 0, gen: usize = 0, mean: usize = 0, X: usize = 0, fit: usize = 0, w: usize = 0;
let Z: usize = 0, Y: usize = 0, A: usize = 0, ps: usize = 0, pc: usize = 0, q: usize = 0, diagC: usize = 0;
let zw: usize = 0, yw: usize = 0, qp: usize = 0, idx: usize = 0, tmp: usize = 0, coef: usize = 0, bvec: usize = 0;
// low-rank path (k = λ + 1 rows)
let Vt: usize = 0, Qt: usize = 0, Pt: usize = 0, W: usize = 0, R: usize = 0, T: usize = 0, U: usize = 0, E: usize = 0, ev: usize = 0, kv: usize = 0, kv2: usize = 0;
let work: usize = 0; // eigh's scratch (and the dense path's products)
// dense path
let Md: usize = 0, Vd: usize = 0, evd: usize = 0, Ed: usize = 0;
// injection: an LU factorisation of A and its pivots
let LU: usize = 0, piv: usize = 0;
// tolFunHist's history (H generation-best values, written by the TS side; here so that save/load carries it)
let hist: usize = 0;

// @ts-ignore: decorator
@inline function sget(i: i32): f64 {
  return load<f64>(S + (<usize>i << 3));
}
// @ts-ignore: decorator
@inline function sset(i: i32, v: f64): void {
  store<f64>(S + (<usize>i << 3), v);
}

/** Sizes every buffer once from the config block (abi.ts CMA_*). A starts as I; the TS side writes the mean and the weights. */
export function cma_init(c: usize): i32 {
  d = cfgI32(c, abi.CFG_D); lambda = cfgI32(c, abi.CFG_LAMBDA); mu = cfgI32(c, abi.CMA_MU);
  cs = cfgF64(c, abi.CMA_CSIGMA); ds = cfgF64(c, abi.CMA_DSIGMA); cc = cfgF64(c, abi.CMA_CC);
  c1 = cfgF64(c, abi.CMA_C1); cmu = cfgF64(c, abi.CMA_CMU); cm = cfgF64(c, abi.CMA_CM); muEff = cfgF64(c, abi.CMA_MUEFF);
  const path = cfgI32(c, abi.CMA_PATH);
  const histLen = cfgI32(c, abi.CMA_HISTLEN);
  if (d < 1) return badConfig(abi.CFG_D);
  if (lambda < 2) return badConfig(abi.CFG_LAMBDA);
  if (mu < 1 || mu > lambda) return badConfig(abi.CMA_MU);
  if (!(cs > 0 && cs <= 1)) return badConfig(abi.CMA_CSIGMA);
  if (!(ds > 0)) return badConfig(abi.CMA_DSIGMA);
  if (!(cc > 0 && cc <= 1)) return badConfig(abi.CMA_CC);
  if (!(c1 >= 0 && cmu >= 0 && c1 + cmu <= 1)) return badConfig(abi.CMA_C1);
  if (histLen < 1) return badConfig(abi.CMA_HISTLEN);
  kk = lambda + 1;
  lowRank = path < 0 ? 2 * kk <= d : path != 0;
  if (lowRank && kk > d) return badConfig(abi.CMA_PATH);
  // E‖N(0, I)‖ as pycma 4.4 takes it (cma/utilities/math.py Mh.chiN): exact for d ≤ 6 (χ_1 = √(2/π),
  // χ_{k+1} = k/χ_k, since χ_k χ_{k+1} = k), else √d (1 − 1/(4d) + 1/(26d²)) (the tutorial's p. 28 has 21)
  if (d <= 6) {
    chiN = Math.sqrt(2.0 / Math.PI);
    for (let k = 1; k < d; k++) chiN = <f64>k / chiN;
  } else {
    chiN = Math.sqrt(<f64>d) * (1.0 - 1.0 / (4.0 * d) + 1.0 / (26.0 * d * d));
  }
  S = reserveF64(abi.SC_FIRST + 5);
  gen = reserve(GEN_BYTES);
  mean = reserveF64(d); ps = reserveF64(d); pc = reserveF64(d); q = reserveF64(d); diagC = reserveF64(d);
  zw = reserveF64(d); yw = reserveF64(d); qp = reserveF64(d);
  const ld = lambda * d;
  X = reserveF64(ld); Z = reserveF64(ld); Y = reserveF64(ld);
  fit = reserveF64(lambda); w = reserveF64(lambda); idx = reserveI32(lambda); tmp = reserveI32(lambda);
  coef = reserveF64(kk); bvec = reserveF64(kk);
  A = reserveF64(d * d);
  LU = reserveF64(d * d); piv = reserveI32(d);
  hist = reserveF64(histLen);
  if (lowRank) {
    const kd = kk * d, k2 = kk * kk;
    Vt = reserveF64(kd); Qt = reserveF64(kd); Pt = reserveF64(kd); W = reserveF64(kd);
    R = reserveF64(k2); T = reserveF64(k2); U = reserveF64(k2); E = reserveF64(k2);
    ev = reserveF64(kk); kv = reserveF64(kk); kv2 = reserveF64(kk);
    work = reserveF64(k2 + 3 * kk);
  } else {
    const dd = d * d;
    Md = reserveF64(dd); Vd = reserveF64(dd); Ed = reserveF64(dd); evd = reserveF64(d);
    work = reserveF64(max(dd + 3 * d, ld));
  }
  if (reserve_failed()) return abi.STATUS_NO_MEMORY;
  for (let i = 0; i < d; i++) { store<f64>(rowp(A, i, d) + (<usize>i << 3), 1.0); store<f64>(at(diagC, i), 1.0); }
  initUniversal(c, S, gen, cfgF64(c, abi.CFG_SIGMA), true);
  sset(abi.CMA_SC_G, 0.0);
  sset(abi.CMA_SC_HSIG, 1.0);
  sset(abi.CMA_SC_LOWRANK, lowRank ? 1.0 : 0.0);
  sset(abi.CMA_SC_HCOUNT, 0.0);
  sset(abi.CMA_SC_NEXT, 0.0);
  return abi.STATUS_OK;
}

export function cma_ptr(slot: i32): usize {
  if (slot < abi.SLOT_FIRST) return universalSlot(slot, mean, X, fit, S, gen);
  switch (slot) {
    case abi.CMA_WEIGHTS: return w;
    case abi.CMA_Z: return Z;
    case abi.CMA_Y: return Y;
    case abi.CMA_A: return A;
    case abi.CMA_PS: return ps;
    case abi.CMA_PC: return pc;
    case abi.CMA_Q: return q;
    case abi.CMA_DIAGC: return diagC;
    case abi.CMA_HIST: return hist;
  }
  return 0;
}

/**
 * Rows [first, end): z_k ~ N(0, I) from row k's stream; Y = Z Aᵀ (y_k = A z_k, eq. (39));
 * x_k = m + σ y_k (eq. (40)). On the low-rank path the last tell already drew this generation's Z and
 * multiplied Y (CMA_SC_NEXT, see updateLowRank): the same rows and the same sums, so only x is left to
 * form; a full ask consumes that (a range drawn alone, for a distributed worker, leaves it).
 */
export function cma_ask(first: i32, end: i32): void {
  if (first < 0 || end > lambda || first >= end) return;
  // rows in gemm_nt's pairs (see there): a range drawn alone starts at an even row
  const a = first & ~1, b = min(lambda, (end + 1) & ~1);
  if (sget(abi.CMA_SC_NEXT) != 0) {
    if (first == 0 && end == lambda) sset(abi.CMA_SC_NEXT, 0.0);
  } else {
    for (let k = a; k < b; k++) rng_fill_normal(gen_row(gen, k), rowp(Z, k, d), d);
    gemm_nt(b - a, d, d, rowp(Z, a, d), A, rowp(Y, a, d));
  }
  const sigma = sget(abi.SC_SIGMA);
  for (let k = a; k < b; k++) {
    const y = rowp(Y, k, d), x = rowp(X, k, d);
    for (let i = 0; i < d; i++) store<f64>(at(x, i), load<f64>(at(mean, i)) + sigma * load<f64>(at(y, i)));
  }
}

// Z's rows for the generation gen stands at (row k from its own stream)
function drawZ(): void {
  for (let k = 0; k < lambda; k++) rng_fill_normal(gen_row(gen, k), rowp(Z, k, d), d);
}

/** The update from the fitness at `fit` (lower is better). */
export function cma_tell(): void {
  const sigma = sget(abi.SC_SIGMA);
  if (sget(abi.SC_INJECTED) != 0) {
    injected(sigma);
    sset(abi.SC_INJECTED, 0.0);
  }
  argsort(fit, idx, tmp, lambda);
  // ⟨y⟩_w and ⟨z⟩_w over the μ best (eq. (41)); ⟨y⟩_w = A ⟨z⟩_w
  memory.fill(yw, 0, <usize>d << 3);
  memory.fill(zw, 0, <usize>d << 3);
  for (let r = 0; r < mu; r++) {
    const k = load<i32>(idx + (<usize>r << 2)), wr = load<f64>(at(w, r));
    axpy(d, wr, rowp(Y, k, d), yw);
    axpy(d, wr, rowp(Z, k, d), zw);
  }
  axpy(d, cm * sigma, yw, mean); // eq. (41)
  // σ path, eq. (43), in A's frame: A⁻¹⟨y⟩_w = ⟨z⟩_w
  const csn = Math.sqrt(cs * (2.0 - cs) * muEff);
  scal(d, 1.0 - cs, ps);
  axpy(d, csn, zw, ps);
  const g = sget(abi.CMA_SC_G) + 1.0;
  sset(abi.CMA_SC_G, g);
  const ps2 = sumsq(ps, d), psn = Math.sqrt(ps2);
  // h_σ as pycma 4.4 tests it (sigma_adaptation.py CMAAdaptSigmaBase.hsig), the squared form of the
  // tutorial's test (p. 31): ‖p_σ‖²/(1 − (1 − c_σ)^{2g})/d − 1 < 1 + 4/(d + 1), after g updates
  const hs: f64 = ps2 / (1.0 - Math.pow(1.0 - cs, 2.0 * g)) / <f64>d - 1.0 < 1.0 + 4.0 / (<f64>d + 1.0) ? 1.0 : 0.0;
  sset(abi.CMA_SC_HSIG, hs);
  // c path, eq. (45), kept in x-space (p_c) and in A's frame (q' = A⁻¹ p_c' = (1 − c_c) q + h_σ c ⟨z⟩_w)
  const ccn = hs * Math.sqrt(cc * (2.0 - cc) * muEff);
  // the low-rank update needs p_c before this step as A q (A V's last column): keep a copy rather than
  // multiply A q again, a full pass over A (at d = 2000, 32 MB from memory, as much as the ask's
  // product reads). q tracks A⁻¹ p_c through the same recurrence, so the two agree to rounding.
  if (lowRank) memory.copy(qp, pc, <usize>d << 3);
  scal(d, 1.0 - cc, pc);
  axpy(d, ccn, yw, pc);
  // eq. (46): w°_i = w_i for w_i ≥ 0, w_i d/‖C^{-1/2} y_i:λ‖² = w_i d/‖z_i:λ‖² otherwise; S' coefficients
  let sumW: f64 = 0;
  for (let r = 0; r < lambda; r++) {
    const k = load<i32>(idx + (<usize>r << 2));
    let wr = load<f64>(at(w, r));
    sumW += wr;
    if (wr < 0) wr *= <f64>d / sumsq(rowp(Z, k, d), d);
    store<f64>(at(coef, r), cmu * wr);
    store<f64>(at(bvec, r), r < mu ? ccn * load<f64>(at(w, r)) : 0.0);
  }
  store<f64>(at(coef, lambda), 0.0);
  store<f64>(at(bvec, lambda), 1.0 - cc);
  // eq. (47): C' = a C + c_1 p_c pᵀ_c + c_μ Σ w°_i y_i yᵀ_i, a = 1 + c_1 δ(h_σ) − c_1 − c_μ Σ w_j
  const delta = (1.0 - hs) * cc * (2.0 - cc);
  const a = 1.0 + c1 * delta - c1 - cmu * sumW;
  if (lowRank) updateLowRank(a);
  else updateDense(a);
  rowNorms();
  // eq. (44), with pycma 4.4's clip of the log change to ±1 (CMAAdaptSigmaCSA.update2, max_delta_log_sigma)
  const ls = min(1.0, max(-1.0, (cs / ds) * (psn / chiN - 1.0)));
  sset(abi.SC_SIGMA, sigma * Math.exp(ls));
}

// SC_MAXSD, SC_MINSD = √(max / min diag C) from diagC
function rowNorms(): void {
  let mx: f64 = 0, mn: f64 = Infinity;
  for (let i = 0; i < d; i++) { const v = load<f64>(at(diagC, i)); mx = max(mx, v); mn = min(mn, v); }
  sset(abi.SC_MAXSD, Math.sqrt(mx));
  sset(abi.SC_MINSD, Math.sqrt(mn));
}

// ---------------------------------------------------------------------------------------------
// Low-rank path: V = [z_1:λ … z_λ:λ, q] = Q R (Gram-Schmidt twice, dependent columns dropped),
// S' = diag(c_μ w°, 0) + c_1 b bᵀ with q' = V b, T = a I + R S' Rᵀ = U diag(t) Uᵀ,
// A' = √a A + (A Q) E Qᵀ with E = U diag(√t − √a) Uᵀ, q'' = A'⁻¹ p_c' = M^{-1/2} q' = Q T^{-1/2} R b.
function updateLowRank(a: f64): void {
  for (let r = 0; r < lambda; r++) memory.copy(rowp(Vt, r, d), rowp(Z, load<i32>(idx + (<usize>r << 2)), d), <usize>d << 3);
  memory.copy(rowp(Vt, lambda, d), q, <usize>d << 3);
  thinQR();
  // Rb (k), then T = a I + R diag(coef) Rᵀ + c_1 (Rb)(Rb)ᵀ
  for (let i = 0; i < kk; i++) {
    let s: f64 = 0;
    for (let j = i; j < kk; j++) s += load<f64>(at(R, i * kk + j)) * load<f64>(at(bvec, j));
    store<f64>(at(kv, i), s);
  }
  for (let i = 0; i < kk; i++) {
    for (let j = 0; j <= i; j++) {
      let s: f64 = c1 * load<f64>(at(kv, i)) * load<f64>(at(kv, j));
      for (let l = i; l < kk; l++) s += load<f64>(at(R, i * kk + l)) * load<f64>(at(coef, l)) * load<f64>(at(R, j * kk + l));
      if (i == j) s += a;
      store<f64>(at(T, i * kk + j), s);
      store<f64>(at(T, j * kk + i), s);
    }
  }
  if (eigh(kk, T, ev, U, work) != 0) return; // (never seen) keep A
  const sa = Math.sqrt(a);
  for (let j = 0; j < kk; j++) {
    const t = max(load<f64>(at(ev, j)), 1e-300);
    store<f64>(at(ev, j), Math.sqrt(t));
  }
  // kv2 = T^{-1/2} R b = U diag(1/√t) Uᵀ kv
  for (let j = 0; j < kk; j++) {
    let s: f64 = 0;
    for (let i = 0; i < kk; i++) s += load<f64>(at(U, i * kk + j)) * load<f64>(at(kv, i));
    store<f64>(at(coef, j), s / load<f64>(at(ev, j)));
  }
  for (let i = 0; i < kk; i++) {
    let s: f64 = 0;
    for (let j = 0; j < kk; j++) s += load<f64>(at(U, i * kk + j)) * load<f64>(at(coef, j));
    store<f64>(at(kv2, i), s);
  }
  // E = U diag(√t − √a) Uᵀ
  for (let i = 0; i < kk; i++) {
    for (let j = 0; j <= i; j++) {
      let s: f64 = 0;
      for (let l = 0; l < kk; l++) s += load<f64>(at(U, i * kk + l)) * (load<f64>(at(ev, l)) - sa) * load<f64>(at(U, j * kk + l));
      store<f64>(at(E, i * kk + j), s);
      store<f64>(at(E, j * kk + i), s);
    }
  }
  // Pt = R⁻ᵀ (A V)ᵀ, (A V)ᵀ rows y_1:λ … y_λ:λ, p_c (the old one, = A q, copied into qp by cma_tell)
  for (let r = 0; r < kk; r++) {
    const p = rowp(Pt, r, d);
    const rr = load<f64>(at(R, r * kk + r));
    if (rr == 0) { memory.fill(p, 0, <usize>d << 3); continue; }
    memory.copy(p, r < lambda ? rowp(Y, load<i32>(idx + (<usize>r << 2)), d) : qp, <usize>d << 3);
    for (let m = 0; m < r; m++) {
      const c = load<f64>(at(R, m * kk + r));
      if (c != 0) axpy(d, -c, rowp(Pt, m, d), p);
    }
    scal(d, 1.0 / rr, p);
  }
  // W = E Qt
  for (let i = 0; i < kk; i++) {
    const wr = rowp(W, i, d);
    memory.fill(wr, 0, <usize>d << 3);
    for (let j = 0; j < kk; j++) {
      const e = load<f64>(at(E, i * kk + j));
      if (e != 0) axpy(d, e, rowp(Qt, j, d), wr);
    }
  }
  // A ← √a A + Ptᵀ W (diag C into diagC), in stripes of STRIPE rows, each multiplied at once into the
  // next generation's Y = Z Aᵀ (its Z drawn now: the generator already stands at that generation):
  // the next ask would read all of A again, at d = 2000 32 MB from memory, where a fresh stripe is
  // still in cache. Same rows, same sums as ask's own product (gemm_nt computes each entry alone).
  drawZ();
  for (let i0 = 0; i0 < d; i0 += STRIPE) {
    const i1 = min(d, i0 + STRIPE);
    gemm_tn_update_rows(d, kk, sa, Pt, W, A, diagC, i0, i1);
    gemm_nt_ld(lambda, i1 - i0, d, Z, rowp(A, i0, d), Y + (<usize>i0 << 3), d);
  }
  sset(abi.CMA_SC_NEXT, 1.0);
  // q ← Q kv2
  memory.fill(q, 0, <usize>d << 3);
  for (let j = 0; j < kk; j++) axpy(d, load<f64>(at(kv2, j)), rowp(Qt, j, d), q);
}

// Thin QR of V (rows of Vt) by classical Gram-Schmidt with one re-orthogonalisation (as XNES's): Qt
// holds Qᵀ, R is upper triangular. A column that is (numerically) in the span of the previous ones
// (q = 0 before the first update) gets R_jj = 0 and a zero row of Qt.
function thinQR(): void {
  memory.fill(R, 0, <usize>(kk * kk) << 3);
  for (let k = 0; k < kk; k++) {
    const v = rowp(Qt, k, d);
    memory.copy(v, rowp(Vt, k, d), <usize>d << 3);
    const n0 = Math.sqrt(dot(v, v, d));
    for (let pass = 0; pass < 2; pass++) {
      for (let m = 0; m < k; m++) store<f64>(at(ev, m), dot(rowp(Qt, m, d), v, d));
      for (let m = 0; m < k; m++) {
        const r = load<f64>(at(ev, m));
        axpy(d, -r, rowp(Qt, m, d), v);
        store<f64>(at(R, m * kk + k), load<f64>(at(R, m * kk + k)) + r);
      }
    }
    const nrm = Math.sqrt(dot(v, v, d));
    if (!(nrm > 1e-10 * n0) || n0 == 0) {
      memory.fill(v, 0, <usize>d << 3);
      store<f64>(at(R, k * kk + k), 0.0);
      continue;
    }
    store<f64>(at(R, k * kk + k), nrm);
    scal(d, 1.0 / nrm, v);
  }
}

// ---------------------------------------------------------------------------------------------
// Dense path (2(λ + 1) > d): M = a I + Σ c_μ w°_i z_i zᵀ_i + c_1 q' q'ᵀ (d×d), A ← A M^{1/2},
// q ← M^{-1/2} q'.
function updateDense(a: f64): void {
  // q' = (1 − c_c) q + b-weighted ⟨z⟩ into qp
  memory.copy(qp, q, <usize>d << 3);
  scal(d, 1.0 - cc, qp);
  for (let r = 0; r < mu; r++) axpy(d, load<f64>(at(bvec, r)), rowp(Z, load<i32>(idx + (<usize>r << 2)), d), qp);
  memory.fill(Md, 0, <usize>(d * d) << 3);
  for (let i = 0; i < d; i++) store<f64>(at(Md, i * d + i), a);
  // Σ_r (coef_r z_r) z_rᵀ: row k of work is coef z_k (by row, not rank), against Z
  for (let r = 0; r < lambda; r++) {
    const k = load<i32>(idx + (<usize>r << 2)), wr = rowp(work, k, d);
    memory.copy(wr, rowp(Z, k, d), <usize>d << 3);
    scal(d, load<f64>(at(coef, r)), wr);
  }
  gemm_tn_update(d, lambda, 1.0, work, Z, Md, diagC);
  for (let i = 0; i < d; i++) {
    const f = c1 * load<f64>(at(qp, i));
    axpy(d, f, qp, rowp(Md, i, d));
  }
  if (eigh(d, Md, evd, Vd, work) != 0) { for (let i = 0; i < d; i++) store<f64>(at(diagC, i), sumsq(rowp(A, i, d), d)); return; }
  // Ed = V diag(√t) Vᵀ; q = V diag(1/√t) Vᵀ q'
  for (let j = 0; j < d; j++) store<f64>(at(evd, j), Math.sqrt(max(load<f64>(at(evd, j)), 1e-300)));
  for (let j = 0; j < d; j++) {
    let s: f64 = 0;
    for (let i = 0; i < d; i++) s += load<f64>(at(Vd, i * d + j)) * load<f64>(at(qp, i));
    store<f64>(at(zw, j), s / load<f64>(at(evd, j)));
  }
  for (let i = 0; i < d; i++) store<f64>(at(q, i), dot(rowp(Vd, i, d), zw, d));
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) store<f64>(at(work, i * d + j), load<f64>(at(Vd, i * d + j)) * load<f64>(at(evd, j)));
  }
  gemm_nt(d, d, d, work, Vd, Ed); // Ed = (V diag √t) Vᵀ
  gemm_nt(d, d, d, A, Ed, work); // A M^{1/2} (M^{1/2} symmetric)
  memory.copy(A, work, <usize>(d * d) << 3);
  for (let i = 0; i < d; i++) store<f64>(at(diagC, i), sumsq(rowp(A, i, d), d));
}

// ---------------------------------------------------------------------------------------------
// Injected or repaired rows (SC_INJECTED): a row whose x differs from m + σ y_k as asked gets
// y_k = (x_k − m)/σ, z_k = A⁻¹ y_k (an LU factorisation of A, O(d³), made only when some row
// changed), and its Mahalanobis length ‖z_k‖ clipped to √d + 2d/(d + 2) (Hansen 2011, eq. (3)).
function injected(sigma: f64): void {
  let factored = false;
  const maxLen = Math.sqrt(<f64>d) + 2.0 * <f64>d / (<f64>d + 2.0);
  for (let k = 0; k < lambda; k++) {
    const x = rowp(X, k, d), y = rowp(Y, k, d), z = rowp(Z, k, d);
    let same = true;
    for (let i = 0; i < d; i++) {
      if (load<f64>(at(x, i)) != load<f64>(at(mean, i)) + sigma * load<f64>(at(y, i))) { same = false; break; }
    }
    if (same) continue;
    if (!factored) { luFactor(); factored = true; }
    for (let i = 0; i < d; i++) store<f64>(at(y, i), (load<f64>(at(x, i)) - load<f64>(at(mean, i))) / sigma);
    memory.copy(z, y, <usize>d << 3);
    luSolve(z);
    const len = Math.sqrt(sumsq(z, d));
    if (len > maxLen) {
      const f = maxLen / len;
      scal(d, f, z);
      scal(d, f, y);
    }
  }
}

// LU = P A with partial pivoting (GvL Alg. 3.4.1), in place in LU; pivots in piv.
function luFactor(): void {
  memory.copy(LU, A, <usize>(d * d) << 3);
  for (let kq = 0; kq < d; kq++) {
    let p = kq, mx = Math.abs(load<f64>(at(LU, kq * d + kq)));
    for (let i = kq + 1; i < d; i++) { const v = Math.abs(load<f64>(at(LU, i * d + kq))); if (v > mx) { mx = v; p = i; } }
    store<i32>(piv + (<usize>kq << 2), p);
    if (p != kq) {
      for (let j = 0; j < d; j++) {
        const t = load<f64>(at(LU, kq * d + j));
        store<f64>(at(LU, kq * d + j), load<f64>(at(LU, p * d + j)));
        store<f64>(at(LU, p * d + j), t);
      }
    }
    const pv = load<f64>(at(LU, kq * d + kq));
    if (pv == 0) continue;
    const rk = rowp(LU, kq, d) + (<usize>(kq + 1) << 3);
    for (let i = kq + 1; i < d; i++) {
      const li = at(LU, i * d + kq);
      const f = load<f64>(li) / pv;
      store<f64>(li, f);
      if (f != 0) axpy(d - kq - 1, -f, rk, rowp(LU, i, d) + (<usize>(kq + 1) << 3));
    }
  }
}

// b ← A⁻¹ b from luFactor's LU and pivots.
function luSolve(b: usize): void {
  for (let kq = 0; kq < d; kq++) {
    const p = load<i32>(piv + (<usize>kq << 2));
    if (p != kq) { const t = load<f64>(at(b, kq)); store<f64>(at(b, kq), load<f64>(at(b, p))); store<f64>(at(b, p), t); }
  }
  for (let i = 0; i < d; i++) store<f64>(at(b, i), load<f64>(at(b, i)) - dot(rowp(LU, i, d), b, i));
  for (let i = d - 1; i >= 0; i--) {
    const o = <usize>(i + 1) << 3;
    const s = load<f64>(at(b, i)) - dot(rowp(LU, i, d) + o, b + o, d - i - 1);
    const pv = load<f64>(at(LU, i * d + i));
    store<f64>(at(b, i), pv != 0 ? s / pv : 0.0);
  }
}
