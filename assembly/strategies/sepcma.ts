// sep-CMA-ES: CMA-ES with a diagonal covariance matrix, O(d) memory and time per sample.
//
// see: R. Ros, N. Hansen, "A simple modification in CMA-ES achieving linear time and space complexity",
//      PPSN X (2008), LNCS 5199, pp. 296-305: C restricted to its diagonal, with larger learning rates.
// see: pycma 4.x (CMA-ES/pycma 8d16505), CMAEvolutionStrategy with CMA_diagonal=True, the reference the
//      formulas were checked against (read for its equations, not copied):
//        - options_parameters.py CMAParameters.set: cc_sep, c1_sep, cmu_sep (computed on the TS side);
//        - recombination_weights.py: the active (negative) weights, finalised with c1_sep, cmu_sep;
//        - evolution_strategy.py tell: mean, h_σ, p_c, and the diagonal update through
//          transformations.py DiagonalDecoding.update, which is multiplicative:
//            s_i ← s_i·exp(η/2·(c1a·(p_c,i² − 1) + c_μ Σ_k w_k (z_k,i² − 1))),  η = ln 2,
//          with z_k = (x_k:λ − m_old)/(σ s) for every k (negative weights included) and
//          c1a = c_1 (1 − (1 − h_σ²) c_c (2 − c_c));
//        - sigma_adaptation.py CMAAdaptSigmaCSA: p_σ and σ ← σ·exp(clip(c_σ/d_σ (‖p_σ‖/χ_d − 1), ±1)).
//      Tutorial equation numbers (Hansen, arXiv:1604.00772): mean (41), p_σ (43), σ (44), p_c (45),
//      h_σ as pycma computes it (‖p_σ‖² over its bias 1 − (1 − c_σ)^(2g), d-scaled, < 2 + 4/(d+1)).
// The step size is always CSA: pycma switches its diagonal mode to TPA above d = 299; we keep CSA.
//
// s = √diag(C) (SEP_STD) is kept instead of C: the sample is x_k = m + σ s ⊙ z_k, drawn in one fused
// pass, and tell recomputes z_k from the told rows, so injected or repaired points are accepted
// (SC_INJECTABLE = 1). With SC_INJECTED set, each row's Mahalanobis length ‖(x − m)/(σ s)‖ is first
// clipped to √d + 2d/(d + 2), as pycma's repair_genotype does for injected solutions (the rows are
// rewritten in place).
//
// Memory: λ·d (the population) and six d-vectors; nothing else grows with d.

import * as abi from "../abi";
import { reserve, reserveF64, reserveI32, reserve_failed } from "../core/mem";
import { GEN_BYTES, gen_row, rotl64, zigFast, normalSlow } from "../core/rng";
import { argsort } from "../core/shaping";
import { badConfig, cfgF64, cfgI32, initUniversal, universalSlot } from "../config";

// @ts-ignore: decorator
@inline const O_SIGMA: usize = abi.SC_SIGMA << 3;
// @ts-ignore: decorator
@inline const O_MAXSD: usize = abi.SC_MAXSD << 3;
// @ts-ignore: decorator
@inline const O_MINSD: usize = abi.SC_MINSD << 3;
// @ts-ignore: decorator
@inline const O_INJ: usize = abi.SC_INJECTED << 3;
// @ts-ignore: decorator
@inline const O_G: usize = abi.SEP_SC_G << 3;
// @ts-ignore: decorator
@inline const O_HSIG: usize = abi.SEP_SC_HSIG << 3;
// @ts-ignore: decorator
@inline const BLOCK: i32 = 512; // coordinates per block in tell: the block's accumulators stay in L1

let d = 0, lambda = 0, mu = 0;
let cs: f64 = 0, ds: f64 = 0, cc: f64 = 0, c1: f64 = 0, cmu: f64 = 0, muEff: f64 = 0, cm: f64 = 0, eta: f64 = 0, chiN: f64 = 0;
let S: usize = 0, gen: usize = 0, mean: usize = 0, sd: usize = 0, pc: usize = 0, ps: usize = 0;
let zw: usize = 0, q: usize = 0, X: usize = 0, fit: usize = 0, idx: usize = 0, tmp: usize = 0, w: usize = 0, inv: usize = 0;

/** Sizes every buffer once from the config block (abi.ts SEP_*); the TS side writes the weights after. */
export function sepcma_init(c: usize): i32 {
  d = cfgI32(c, abi.CFG_D); lambda = cfgI32(c, abi.CFG_LAMBDA); mu = cfgI32(c, abi.SEP_MU);
  cs = cfgF64(c, abi.SEP_CSIGMA); ds = cfgF64(c, abi.SEP_DSIGMA); cc = cfgF64(c, abi.SEP_CC);
  c1 = cfgF64(c, abi.SEP_C1); cmu = cfgF64(c, abi.SEP_CMU); muEff = cfgF64(c, abi.SEP_MUEFF);
  cm = cfgF64(c, abi.SEP_CM); eta = cfgF64(c, abi.SEP_ETA);
  if (d < 1) return badConfig(abi.CFG_D);
  if (lambda < 2) return badConfig(abi.CFG_LAMBDA);
  if (mu < 1 || mu > lambda) return badConfig(abi.SEP_MU);
  if (!(cs > 0 && cs <= 1)) return badConfig(abi.SEP_CSIGMA);
  if (!(ds > 0)) return badConfig(abi.SEP_DSIGMA);
  if (!(cc > 0 && cc <= 1)) return badConfig(abi.SEP_CC);
  if (!(c1 >= 0 && cmu >= 0 && c1 + cmu <= 1)) return badConfig(abi.SEP_C1);
  if (!(muEff >= 1)) return badConfig(abi.SEP_MUEFF);
  if (!(cm > 0)) return badConfig(abi.SEP_CM);
  if (!(eta > 0)) return badConfig(abi.SEP_ETA);
  chiN = Math.sqrt(<f64>d) * (1.0 - 1.0 / (4.0 * d) + 1.0 / (21.0 * <f64>d * <f64>d)); // E‖N(0, I)‖, tutorial p. 28
  S = reserveF64(abi.SC_FIRST + 2);
  gen = reserve(GEN_BYTES);
  w = reserveF64(lambda); fit = reserveF64(lambda); idx = reserveI32(lambda); tmp = reserveI32(lambda);
  inv = reserveF64(BLOCK);
  mean = reserveF64(d); sd = reserveF64(d); pc = reserveF64(d); ps = reserveF64(d); zw = reserveF64(d); q = reserveF64(d);
  X = reserveF64(lambda * d);
  if (reserve_failed()) return abi.STATUS_NO_MEMORY;
  for (let i = 0; i < d; i++) store<f64>(sd + (<usize>i << 3), 1.0);
  initUniversal(c, S, gen, cfgF64(c, abi.CFG_SIGMA), true);
  return abi.STATUS_OK;
}

export function sepcma_ptr(slot: i32): usize {
  if (slot < abi.SLOT_FIRST) return universalSlot(slot, mean, X, fit, S, gen);
  switch (slot) {
    case abi.SEP_WEIGHTS: return w;
    case abi.SEP_STD: return sd;
    case abi.SEP_PC: return pc;
    case abi.SEP_PS: return ps;
  }
  return 0;
}

// x[0..n) = mn + sg·sd ⊙ z with z ~ N(0, I) drawn in the same loop (the generator words in locals,
// rng.ts's ziggurat fast path inline): one pass over memory, as RMES's fused sampler.
function fused(s: usize, x: usize, mn: usize, sdv: usize, n: i32, sg: f64): void {
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
    store<f64>(x + o, load<f64>(mn + o) + sg * load<f64>(sdv + o) * z);
  }
  store<u64>(s, s0); store<u64>(s, s1, 8); store<u64>(s, s2, 16); store<u64>(s, s3, 24);
}

/** Rows [first, end): x_k = m + σ s ⊙ z_k, z_k ~ N(0, I) from row k's stream. */
export function sepcma_ask(first: i32, end: i32): void {
  if (first < 0 || end > lambda) return;
  const sigma = load<f64>(S + O_SIGMA);
  const rowBytes = <usize>d << 3;
  for (let k = first; k < end; k++) fused(gen_row(gen, k), X + <usize>k * rowBytes, mean, sd, d, sigma);
}

// Injected rows: clip each row's Mahalanobis length to √d + 2d/(d + 2) (pycma's repair_genotype).
function repairRows(sigma: f64): void {
  const ub = Math.sqrt(<f64>d) + 2.0 * <f64>d / (<f64>d + 2.0);
  const rowBytes = <usize>d << 3;
  for (let k = 0; k < lambda; k++) {
    const r = X + <usize>k * rowBytes;
    let n2: f64 = 0;
    for (let i = 0; i < d; i++) {
      const o = <usize>i << 3;
      const dx = load<f64>(r + o) - load<f64>(mean + o);
      if (dx != 0) { const z = dx / (sigma * load<f64>(sd + o)); n2 += z * z; }
    }
    const fac = Math.sqrt(n2) / ub;
    if (fac > 1.0) {
      for (let i = 0; i < d; i++) {
        const o = <usize>i << 3;
        const m = load<f64>(mean + o);
        store<f64>(r + o, m + (load<f64>(r + o) - m) / fac);
      }
    }
  }
}

/** Recombination, p_σ, h_σ, p_c, the diagonal and σ from the fitness at `fit` (NaN arrives as +∞). */
export function sepcma_tell(): void {
  argsort(fit, idx, tmp, lambda);
  const sigma = load<f64>(S + O_SIGMA);
  const g = load<f64>(S + O_G) + 1.0;
  if (load<f64>(S + O_INJ) != 0) {
    repairRows(sigma);
    store<f64>(S + O_INJ, 0.0);
  }
  const rowBytes = <usize>d << 3;
  let sw: f64 = 0; // Σ_k w_k over all λ weights (the decay of the c_μ term)
  for (let k = 0; k < lambda; k++) sw += load<f64>(w + (<usize>k << 3));

  // Pass 1, blockwise: dw_i = Σ_{k<μ} w_k (x_k:λ,i − m_i) and q_i = Σ_k w_k z_k,i², then the mean and p_σ.
  const sqMu = Math.sqrt(muEff);
  const csc = Math.sqrt(cs * (2.0 - cs)) * sqMu;
  let ps2: f64 = 0;
  for (let lo = 0; lo < d; lo += BLOCK) {
    const n = min(BLOCK, d - lo);
    const off = <usize>lo << 3;
    const mb = mean + off, zb = zw + off, qb = q + off;
    for (let i = 0; i < n; i++) {
      const o = <usize>i << 3;
      store<f64>(inv + o, 1.0 / (sigma * load<f64>(sd + off + o)));
      store<f64>(zb + o, 0.0);
      store<f64>(qb + o, 0.0);
    }
    for (let k = 0; k < lambda; k++) {
      const wk = load<f64>(w + (<usize>k << 3));
      if (wk == 0) continue;
      const r = X + <usize>load<i32>(idx + (<usize>k << 2)) * rowBytes + off;
      if (k < mu) {
        for (let i = 0; i < n; i++) {
          const o = <usize>i << 3;
          const dx = load<f64>(r + o) - load<f64>(mb + o);
          const z = dx == 0 ? 0.0 : dx * load<f64>(inv + o);
          store<f64>(zb + o, load<f64>(zb + o) + wk * dx);
          store<f64>(qb + o, load<f64>(qb + o) + wk * z * z);
        }
      } else {
        for (let i = 0; i < n; i++) {
          const o = <usize>i << 3;
          const dx = load<f64>(r + o) - load<f64>(mb + o);
          const z = dx == 0 ? 0.0 : dx * load<f64>(inv + o);
          store<f64>(qb + o, load<f64>(qb + o) + wk * z * z);
        }
      }
    }
    for (let i = 0; i < n; i++) {
      const o = <usize>i << 3;
      const dw = load<f64>(zb + o);
      const z = dw == 0 ? 0.0 : dw * load<f64>(inv + o); // ⟨z⟩_w = (m' − m)/(c_m σ s)
      store<f64>(zb + o, z);
      store<f64>(mb + o, load<f64>(mb + o) + cm * dw); // eq. (41)
      const p = (1.0 - cs) * load<f64>(ps + off + o) + csc * z; // eq. (43), √μ_eff ⟨z⟩_w is pycma's isotropic mean shift
      store<f64>(ps + off + o, p);
      ps2 += p * p;
    }
  }

  // h_σ as pycma's CMAAdaptSigmaBase.hsig: ‖p_σ‖²/(1 − (1 − c_σ)^(2g))/d − 1 < 1 + 4/(d + 1)
  const hs: f64 = ps2 / (1.0 - Math.pow(1.0 - cs, 2.0 * g)) / <f64>d - 1.0 < 1.0 + 4.0 / (<f64>d + 1.0) ? 1.0 : 0.0;
  const c1a = c1 * (1.0 - (1.0 - hs * hs) * cc * (2.0 - cc));
  const ccc = hs * Math.sqrt(cc * (2.0 - cc)) * sqMu;
  const half = 0.5 * eta;
  let smax: f64 = 0, smin: f64 = Infinity;
  // Pass 2: p_c (eq. (45)) and the multiplicative diagonal update (DiagonalDecoding.update).
  for (let i = 0; i < d; i++) {
    const o = <usize>i << 3;
    const p = (1.0 - cc) * load<f64>(pc + o) + ccc * load<f64>(zw + o);
    store<f64>(pc + o, p);
    const e = half * (c1a * (p * p - 1.0) + cmu * (load<f64>(q + o) - sw));
    const s = load<f64>(sd + o) * Math.exp(e);
    store<f64>(sd + o, s);
    smax = max(smax, s);
    smin = min(smin, s);
  }
  store<f64>(S + O_MAXSD, smax);
  store<f64>(S + O_MINSD, smin);
  // eq. (44), with pycma's clip of the log change to ±1
  let ls = (cs / ds) * (Math.sqrt(ps2) / chiN - 1.0);
  ls = min(1.0, max(-1.0, ls));
  store<f64>(S + O_SIGMA, sigma * Math.exp(ls));
  store<f64>(S + O_G, g);
  store<f64>(S + O_HSIG, hs);
}
