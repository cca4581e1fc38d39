// The tutorial's simple ES: sample around the current best, average the topN candidates.
//
// Each generation: x_k = best + errorWeight·σ·z_k, z_k ~ N(0, I), k < λ; the topN candidates of this
// generation (by fitness, stable ranking) are averaged into the new best; the previous best itself is
// not part of that average (a comma selection, as the tutorial's optimize(): A. Biswas,
// "Introduction to Evolution Strategy", 2020).
// Then errorWeight ← max(errorWeight·decayRate, minErrorWeight).
// The TS side (src/strategies/simple.ts) resolves every option and writes the initial best.

import * as abi from "../abi";
import { reserve, reserveF64, reserveI32, reserve_failed } from "../core/mem";
import { GEN_BYTES, gen_row, rng_fill_normal } from "../core/rng";
import { argsort } from "../core/shaping";
import { badConfig, cfgF64, cfgI32, initUniversal, universalSlot } from "../config";

let d = 0, lambda = 0, topN = 0;
let sigma0: f64 = 0, decay: f64 = 0, minEw: f64 = 0;
// pointers, fixed at init
let S: usize = 0, gen: usize = 0, best: usize = 0, X: usize = 0, fit: usize = 0, idx: usize = 0, tmp: usize = 0;

/** Scalars: SC_SIGMA = errorWeight·σ (the effective step), SC_MAXSD = SC_MINSD = 1, SIMPLE_SC_ERRORWEIGHT. */
export function simple_init(c: usize): i32 {
  d = cfgI32(c, abi.CFG_D); lambda = cfgI32(c, abi.CFG_LAMBDA); topN = cfgI32(c, abi.SIMPLE_TOPN);
  sigma0 = cfgF64(c, abi.CFG_SIGMA); decay = cfgF64(c, abi.SIMPLE_DECAY); minEw = cfgF64(c, abi.SIMPLE_MINERRORWEIGHT);
  const errorWeight = cfgF64(c, abi.SIMPLE_ERRORWEIGHT);
  if (d < 1) return badConfig(abi.CFG_D);
  if (lambda < 2) return badConfig(abi.CFG_LAMBDA);
  if (topN < 1 || topN > lambda) return badConfig(abi.SIMPLE_TOPN);
  S = reserveF64(abi.SC_FIRST + 1);
  gen = reserve(GEN_BYTES);
  best = reserveF64(d);
  X = reserveF64(lambda * d);
  fit = reserveF64(lambda); idx = reserveI32(lambda); tmp = reserveI32(lambda);
  if (reserve_failed()) return abi.STATUS_NO_MEMORY;
  initUniversal(c, S, gen, errorWeight * sigma0, false);
  store<f64>(S + (abi.SIMPLE_SC_ERRORWEIGHT << 3), errorWeight);
  return abi.STATUS_OK;
}

export function simple_ptr(slot: i32): usize {
  if (slot < abi.SLOT_FIRST) return universalSlot(slot, best, X, fit, S, gen);
  return 0;
}

/** Rows [first, end): x_k = best + errorWeight·σ·z_k, drawn in place. */
export function simple_ask(first: i32, end: i32): void {
  if (first < 0 || end > lambda) return;
  const s = load<f64>(S + (abi.SC_SIGMA << 3));
  for (let k = first; k < end; k++) {
    const x = X + (<usize>(k * d) << 3);
    rng_fill_normal(gen_row(gen, k), x, d);
    for (let i = 0; i < d; i++) {
      const o = <usize>i << 3;
      store<f64>(x + o, load<f64>(best + o) + s * load<f64>(x + o));
    }
  }
}

/** best ← mean of the topN rows; errorWeight decays to its floor. */
export function simple_tell(): void {
  argsort(fit, idx, tmp, lambda);
  // best = Σ_j row_j / topN, each row divided first: a sum of rows near ±1e308 would overflow
  memory.fill(best, 0, <usize>d << 3);
  const inv = 1.0 / <f64>topN;
  for (let j = 0; j < topN; j++) {
    const r = X + (<usize>(load<i32>(idx + (<usize>j << 2)) * d) << 3);
    for (let i = 0; i < d; i++) {
      const o = <usize>i << 3;
      store<f64>(best + o, load<f64>(best + o) + load<f64>(r + o) * inv);
    }
  }
  const ew = max(load<f64>(S + (abi.SIMPLE_SC_ERRORWEIGHT << 3)) * decay, minEw);
  store<f64>(S + (abi.SIMPLE_SC_ERRORWEIGHT << 3), ew);
  store<f64>(S + (abi.SC_SIGMA << 3), ew * sigma0);
}
