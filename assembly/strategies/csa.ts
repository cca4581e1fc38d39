// (μ/μ_w, λ)-ES with cumulative step-size adaptation, isotropic (C = I).
//
// see: N. Hansen, "The CMA Evolution Strategy: A Tutorial", arXiv:1604.00772 (2016), eqs. (39)-(44)
//      with C = I; weights and c_σ, d_σ as in its Table 1. Checked against pycma's purecma.py
//      (the σ path and update, with C = I).
// The TS side (src/strategies/csa.ts) resolves every constant into the config block and writes the
// weights and the mean after init.

import * as abi from "../abi";
import { reserve, reserveF64, reserveI32, reserve_failed } from "../core/mem";
import { GEN_BYTES, gen_row, rng_fill_normal } from "../core/rng";
import { argsort, weighted_rows } from "../core/shaping";
import { sumsq } from "../linalg/blas1";
import { badConfig, cfgF64, cfgI32, initUniversal, universalSlot } from "../config";

let d = 0, lambda = 0, mu = 0;
let cs: f64 = 0, ds: f64 = 0, chiN: f64 = 0, muEff: f64 = 0;
// pointers, fixed at init
let S: usize = 0, gen: usize = 0, mean: usize = 0, ps: usize = 0, Z: usize = 0, X: usize = 0;
let fit: usize = 0, idx: usize = 0, tmp: usize = 0, w: usize = 0, zw: usize = 0;

/** Sizes every buffer once from the config block (abi.ts CSA_*). */
export function csa_init(c: usize): i32 {
  d = cfgI32(c, abi.CFG_D); lambda = cfgI32(c, abi.CFG_LAMBDA); mu = cfgI32(c, abi.CSA_MU);
  cs = cfgF64(c, abi.CSA_CSIGMA); ds = cfgF64(c, abi.CSA_DSIGMA); muEff = cfgF64(c, abi.CSA_MUEFF);
  if (d < 1) return badConfig(abi.CFG_D);
  if (lambda < 2) return badConfig(abi.CFG_LAMBDA);
  if (mu < 1 || mu > lambda) return badConfig(abi.CSA_MU);
  // E‖N(0, I)‖, tutorial p. 28
  chiN = Math.sqrt(<f64>d) * (1.0 - 1.0 / (4.0 * d) + 1.0 / (21.0 * d * d));
  S = reserveF64(abi.SC_FIRST);
  gen = reserve(GEN_BYTES);
  mean = reserveF64(d); ps = reserveF64(d); zw = reserveF64(d);
  Z = reserveF64(lambda * d); X = reserveF64(lambda * d);
  fit = reserveF64(lambda); idx = reserveI32(lambda); tmp = reserveI32(lambda); w = reserveF64(mu);
  if (reserve_failed()) return abi.STATUS_NO_MEMORY;
  initUniversal(c, S, gen, cfgF64(c, abi.CFG_SIGMA), false);
  return abi.STATUS_OK;
}

export function csa_ptr(slot: i32): usize {
  if (slot < abi.SLOT_FIRST) return universalSlot(slot, mean, X, fit, S, gen);
  switch (slot) {
    case abi.CSA_WEIGHTS: return w;
    case abi.CSA_Z: return Z;
    case abi.CSA_PS: return ps;
  }
  return 0;
}

/** Rows [first, end): x_k = m + σ z_k, z_k ~ N(0, I) from row k's stream. */
export function csa_ask(first: i32, end: i32): void {
  if (first < 0 || end > lambda) return;
  const sigma = load<f64>(S + (abi.SC_SIGMA << 3));
  for (let k = first; k < end; k++) {
    const z = Z + (<usize>(k * d) << 3), x = X + (<usize>(k * d) << 3);
    rng_fill_normal(gen_row(gen, k), z, d);
    for (let i = 0; i < d; i++) {
      const o = <usize>i << 3;
      store<f64>(x + o, load<f64>(mean + o) + sigma * load<f64>(z + o));
    }
  }
}

/** Recombination, the σ path and the σ update from the fitness at `fit`. */
export function csa_tell(): void {
  argsort(fit, idx, tmp, lambda);
  weighted_rows(Z, idx, w, mu, d, zw); // ⟨z⟩_w, eq. (41) with c_m = 1
  let sigma = load<f64>(S + (abi.SC_SIGMA << 3));
  const c = Math.sqrt(cs * (2.0 - cs) * muEff);
  for (let i = 0; i < d; i++) {
    const o = <usize>i << 3;
    const z = load<f64>(zw + o);
    store<f64>(mean + o, load<f64>(mean + o) + sigma * z);
    store<f64>(ps + o, (1.0 - cs) * load<f64>(ps + o) + c * z); // eq. (43)
  }
  sigma *= Math.exp((cs / ds) * (Math.sqrt(sumsq(ps, d)) / chiN - 1.0)); // eq. (44)
  store<f64>(S + (abi.SC_SIGMA << 3), sigma);
}
