// (μ/μ_w, λ)-ES with cumulative step-size adaptation, isotropic (C = I).
//
// see: N. Hansen, "The CMA Evolution Strategy: A Tutorial", arXiv:1604.00772 (2016), eqs. (39)-(44)
//      with C = I; weights and c_σ, d_σ as in its Table 1. Checked against pycma's purecma.py
//      (the σ path and update, with C = I).
// The TS side (src/strategies/csa.ts) computes every constant and writes weights and mean.

import { alloc, allocF64, allocI32 } from "../core/mem";
import { RNG_BYTES, rng_seed, rng_fill_normal } from "../core/rng";
import { argsort, weighted_rows } from "../core/shaping";
import { sumsq } from "../linalg/blas1";

let d = 0, lambda = 0, mu = 0;
let cs: f64 = 0, ds: f64 = 0, chiN: f64 = 0, muEff: f64 = 0;
// pointers, fixed at init
let S: usize = 0, rng: usize = 0, mean: usize = 0, ps: usize = 0, Z: usize = 0, X: usize = 0;
let fit: usize = 0, idx: usize = 0, tmp: usize = 0, w: usize = 0, zw: usize = 0;

/** Sizes every buffer once. Scalars: S[0] = σ, S[1] = 1 (the largest coordinate-wise std is σ·S[1]). */
export function csa_init(dim: i32, lam: i32, nmu: i32, seed: u64, sigma: f64, c_s: f64, d_s: f64, mu_eff: f64): void {
  d = dim; lambda = lam; mu = nmu; cs = c_s; ds = d_s; muEff = mu_eff;
  // E‖N(0, I)‖, tutorial p. 28
  chiN = Math.sqrt(<f64>d) * (1.0 - 1.0 / (4.0 * d) + 1.0 / (21.0 * d * d));
  S = allocF64(4);
  rng = alloc(RNG_BYTES);
  mean = allocF64(d); ps = allocF64(d); zw = allocF64(d);
  Z = allocF64(lambda * d); X = allocF64(lambda * d);
  fit = allocF64(lambda); idx = allocI32(lambda); tmp = allocI32(lambda); w = allocF64(mu);
  store<f64>(S, sigma);
  store<f64>(S, 1.0, 8);
  rng_seed(rng, seed);
}

/** 0 mean, 1 population, 2 fitness, 3 scalars, 4 weights, 5 z, 6 p_σ. */
export function csa_ptr(which: i32): usize {
  switch (which) {
    case 0: return mean;
    case 1: return X;
    case 2: return fit;
    case 3: return S;
    case 4: return w;
    case 5: return Z;
    case 6: return ps;
  }
  return 0;
}

/** x_k = m + σ z_k, z_k ~ N(0, I). */
export function csa_ask(): void {
  const n = lambda * d;
  rng_fill_normal(rng, Z, n);
  const sigma = load<f64>(S);
  for (let k = 0; k < lambda; k++) {
    const z = Z + (<usize>(k * d) << 3), x = X + (<usize>(k * d) << 3);
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
  let sigma = load<f64>(S);
  const c = Math.sqrt(cs * (2.0 - cs) * muEff);
  for (let i = 0; i < d; i++) {
    const o = <usize>i << 3;
    const z = load<f64>(zw + o);
    store<f64>(mean + o, load<f64>(mean + o) + sigma * z);
    store<f64>(ps + o, (1.0 - cs) * load<f64>(ps + o) + c * z); // eq. (43)
  }
  sigma *= Math.exp((cs / ds) * (Math.sqrt(sumsq(ps, d)) / chiN - 1.0)); // eq. (44)
  store<f64>(S, sigma);
}
