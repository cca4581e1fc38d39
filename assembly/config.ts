// Reading the config block that <p>_init(cfg) receives (layout: abi.ts).

import { STATUS_BAD_CONFIG } from "./abi";

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
