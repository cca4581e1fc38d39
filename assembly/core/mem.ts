// Linear-memory allocation for one optimizer instance.
//
// Every optimizer owns its own WebAssembly instance, so this module's globals are per optimizer.
// All buffers are carved out once, in the strategy's init, by this bump allocator; after init no
// memory is allocated, so `memory.grow` never runs again and the JS views built after init never
// detach (the bridge still checks, see src/wasm.ts). 16-byte alignment keeps f64x2 loads aligned.
//
// Mutable scalar state (σ, counters, RNG words) lives in linear memory too, never in wasm globals, so
// that `save()` is a plain copy of the memory and `load()` a plain write-back (see src/contract/strategy.ts).

import { CFG_WORDS } from "../abi";

let top: usize = (__heap_base + 15) & ~(15 as usize);
// Set when a reservation failed; a strategy's init checks it once, after all its reservations and
// before its first store, and returns STATUS_NO_MEMORY (abi.ts) instead of trapping.
let failed = false;

// The config block that <p>_init(cfg) reads (abi.ts: CFG_*). Static, outside the heap, so it is not
// part of save().
const CONFIG: usize = memory.data(CFG_WORDS * 8, 16);

/** The config block's address: the bridge writes CFG_WORDS words there, then calls <p>_init(config_ptr()). */
export function config_ptr(): usize {
  return CONFIG;
}

/**
 * Reserves `bytes` zeroed bytes, 16-byte aligned, growing the memory if needed. On failure (past
 * wasm32's 4 GiB, or the runtime refuses to grow) it returns 0 and sets the flag `reserve_failed()`
 * reads; later reservations then fail too, so an init can check once.
 */
export function reserve(bytes: usize): usize {
  if (failed) return 0;
  const ptr = top;
  // wasm32: past 4 GiB the sum would wrap around
  if (bytes > <usize>0xfffe0000 - ptr) { failed = true; return 0; }
  const next = (ptr + bytes + 15) & ~(15 as usize);
  const needPages = <i32>((next + 0xffff) >>> 16);
  const have = memory.size();
  if (needPages > have && memory.grow(needPages - have) < 0) { failed = true; return 0; }
  top = next;
  memory.fill(ptr, 0, bytes);
  return ptr;
}

/** Reserves `n` f64 values (n < 0 is an i32 product that overflowed, e.g. λ·d: a failure). */
export function reserveF64(n: i32): usize {
  if (n < 0 || n > 0x1fffc000) { failed = true; return 0; }
  return reserve(<usize>n << 3);
}

/** Reserves `n` i32 values. */
export function reserveI32(n: i32): usize {
  if (n < 0 || n > 0x3fff8000) { failed = true; return 0; }
  return reserve(<usize>n << 2);
}

/** True once a reservation failed. */
export function reserve_failed(): bool {
  return failed;
}

/** Allocates `bytes` zeroed bytes, 16-byte aligned; traps when they do not fit (for the kernels, whose bridge checks sizes first). */
export function alloc(bytes: usize): usize {
  const p = reserve(bytes);
  if (failed) unreachable();
  return p;
}

/** Allocates `n` f64 values (traps when they do not fit). */
export function allocF64(n: i32): usize {
  const p = reserveF64(n);
  if (failed) unreachable();
  return p;
}

/** Allocates `n` i32 values (traps when they do not fit). */
export function allocI32(n: i32): usize {
  const p = reserveI32(n);
  if (failed) unreachable();
  return p;
}

/** The first byte not yet handed out; the bridge reads it to size save() payloads. */
export function heap_top(): usize {
  return top;
}

/** The first byte of the heap; save() copies [heap_base, heap_top). */
export function heap_base(): usize {
  return (__heap_base + 15) & ~(15 as usize);
}

/**
 * A 32-bit checksum of n bytes at ptr (n a multiple of 8), for save()/load() to detect damaged state.
 * Word-wise multiply-xorshift (the SplitMix64 finaliser over a running sum), not cryptographic.
 */
export function mem_hash(ptr: usize, n: usize): u32 {
  let h: u64 = 0x9e3779b97f4a7c15 ^ <u64>n;
  for (let p = ptr, end = ptr + n; p < end; p += 8) {
    h = (h ^ load<u64>(p)) * 0xbf58476d1ce4e5b9;
    h ^= h >> 31;
  }
  h = (h ^ (h >> 30)) * 0x94d049bb133111eb;
  return <u32>(h ^ (h >> 32));
}
