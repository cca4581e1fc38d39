// Reading the config block that <p>_init(cfg) receives (layout: abi.ts).

import { CFG_SEED, SLOT_FIT, SLOT_MEAN, SLOT_POP, SLOT_RNG, SLOT_SCALARS, SC_INJECTABLE, SC_MAXSD, SC_MINSD, SC_SIGMA, STATUS_BAD_CONFIG } from "./abi";
import { gen_init } from "./core/rng";

/** Word i of the block as f64. */
// @ts-ignore: decorator
@inline export function cfgF64(c: usize, i: i32): f64 {
  return load<f64>(c + (<usize>i << 3));
}

/** Word i as an integer (the bridge writes integers as exact f64). */
// @ts-ignore: decorator
@inline export function cfgI32(c: usize, i: i32): i32 {
  return <i32>load<f64>(c + (<usize>i << 3));
}

/** Word i as u64 (the seed). */
// @ts-ignore: decorator
@inline export function cfgU64(c: usize, i: i32): u64 {
  return load<u64>(c + (<usize>i << 3));
}

/** The status for "config word i is out of range". */
// @ts-ignore: decorator
@inline export function badConfig(i: i32): i32 {
  return STATUS_BAD_CONFIG | (i << 8);
}

/**
 * The universal part of every init, after its reservations: σ = `sigma` (the config's σ0 unless the
 * strategy scales it), the coordinate standard deviations over σ (1: C = I at the start), whether tell
 * recomputes from told points, and the generator block seeded from the config's seed.
 */
export function initUniversal(c: usize, S: usize, gen: usize, sigma: f64, injectable: bool): void {
  store<f64>(S + (<usize>SC_SIGMA << 3), sigma);
  store<f64>(S + (<usize>SC_MAXSD << 3), 1.0);
  store<f64>(S + (<usize>SC_MINSD << 3), 1.0);
  store<f64>(S + (<usize>SC_INJECTABLE << 3), injectable ? 1.0 : 0.0);
  gen_init(gen, cfgU64(c, CFG_SEED));
}

/** The address of a universal slot (abi.ts SLOT_MEAN … SLOT_RNG), 0 for any other: every <p>_ptr starts here. */
export function universalSlot(slot: i32, mean: usize, pop: usize, fit: usize, S: usize, gen: usize): usize {
  switch (slot) {
    case SLOT_MEAN: return mean;
    case SLOT_POP: return pop;
    case SLOT_FIT: return fit;
    case SLOT_SCALARS: return S;
    case SLOT_RNG: return gen;
  }
  return 0;
}
