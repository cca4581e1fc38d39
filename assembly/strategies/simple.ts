// The tutorial's simple ES: sample around the current best, average the topN candidates.
//
// Each generation: x_k = best + errorWeight·σ·z_k, z_k ~ N(0, I), k < λ; the topN candidates of this
// generation (by fitness, stable ranking) are averaged into the new best; the previous best itself is
// not part of that average (a comma selection, as the tutorial's optimize(): A. Biswas,
// "Introduction to Evolution Strategy", 2020).
// Then errorWeight ← max(errorWeight·decayRate, minErrorWeight).
// The TS side (src/strategies/simple.ts) resolves every option and writes the initial best.

import { alloc, allocF64, allocI32 } from "../core/mem";
import { RNG_BYTES, rng_seed, rng_fill_normal } from "../core/rng";
import { argsort } from "../core/shaping";

let d = 0, lambda = 0, topN = 0;
let sigma0: f64 = 0, decay: f64 = 0, minEw: f64 = 0;
// pointers, fixed at init
let S: usize = 0, rng: usize = 0, best: usize = 0, X: usize = 0, fit: usize = 0, idx: usize = 0, tmp: usize = 0;

/** Scalars: S[0] = errorWeight·σ (the effective step), S[1] = 1, S[2] = errorWeight. */
export function simple_init(dim: i32, lam: i32, top: i32, seed: u64, sigma: f64, errorWeight: f64, decayRate: f64, minErrorWeight: f64): void {
  d = dim; lambda = lam; topN = top; sigma0 = sigma; decay = decayRate; minEw = minErrorWeight;
  S = allocF64(4);
  rng = alloc(RNG_BYTES);
  best = allocF64(d);
  X = allocF64(lambda * d);
  fit = allocF64(lambda); idx = allocI32(lambda); tmp = allocI32(lambda);
  store<f64>(S, errorWeight * sigma);
  store<f64>(S, 1.0, 8);
  store<f64>(S, errorWeight, 16);
  rng_seed(rng, seed);
}

/** 0 best (the centre of sampling), 1 population, 2 fitness, 3 scalars. */
export function simple_ptr(which: i32): usize {
  switch (which) {
    case 0: return best;
    case 1: return X;
    case 2: return fit;
    case 3: return S;
  }
  return 0;
}

/** x_k = best + errorWeight·σ·z_k, drawn in place. */
export function simple_ask(): void {
  rng_fill_normal(rng, X, lambda * d);
  const s = load<f64>(S);
  for (let k = 0; k < lambda; k++) {
    const x = X + (<usize>(k * d) << 3);
    for (let i = 0; i < d; i++) {
      const o = <usize>i << 3;
      store<f64>(x + o, load<f64>(best + o) + s * load<f64>(x + o));
    }
  }
}

/** best ← mean of the topN rows; errorWeight decays to its floor. */
export function simple_tell(): void {
  argsort(fit, idx, tmp, lambda);
  memory.fill(best, 0, <usize>d << 3);
  for (let j = 0; j < topN; j++) {
    const r = X + (<usize>(load<i32>(idx + (<usize>j << 2)) * d) << 3);
    for (let i = 0; i < d; i++) {
      const o = <usize>i << 3;
      store<f64>(best + o, load<f64>(best + o) + load<f64>(r + o));
    }
  }
  const inv = 1.0 / <f64>topN;
  for (let i = 0; i < d; i++) {
    const o = <usize>i << 3;
    store<f64>(best + o, load<f64>(best + o) * inv);
  }
  const ew = max(load<f64>(S, 16) * decay, minEw);
  store<f64>(S, ew, 16);
  store<f64>(S, ew * sigma0);
}
