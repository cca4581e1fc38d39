// Linear-memory allocation for one optimizer instance.
//
// Every optimizer owns its own WebAssembly instance, so this module's globals are per optimizer.
// All buffers are carved out once, in the strategy's init, by this bump allocator; after init no
// memory is allocated, so `memory.grow` never runs again and the JS views built after init never
// detach (the bridge still checks, see src/wasm.ts). 16-byte alignment keeps f64x2 loads aligned.
//
// Mutable scalar state (σ, counters, RNG words) lives in linear memory too, never in wasm globals, so
// that `save()` is a plain copy of the memory and `load()` a plain write-back (see src/base.ts).

let top: usize = (__heap_base + 15) & ~(15 as usize);

/** Allocates `bytes` zeroed bytes, 16-byte aligned, growing the memory if needed. */
export function alloc(bytes: usize): usize {
  const ptr = top;
  // wasm32: past 4 GiB the sum would wrap around; trap instead (the bridge reports it as a RangeError)
  if (bytes > <usize>0xfffe0000 - ptr) unreachable();
  top = (ptr + bytes + 15) & ~(15 as usize);
  const needPages = <i32>((top + 0xffff) >>> 16);
  const have = memory.size();
  if (needPages > have) {
    if (memory.grow(needPages - have) < 0) unreachable();
  }
  memory.fill(ptr, 0, bytes);
  return ptr;
}

/** Allocates `n` f64 values. */
export function allocF64(n: i32): usize {
  // n < 0 is an i32 product that overflowed (e.g. λ·d); n·8 ≥ 4 GiB cannot exist in wasm32
  if (n < 0 || n > 0x1fffc000) unreachable();
  return alloc(<usize>n << 3);
}

/** Allocates `n` i32 values. */
export function allocI32(n: i32): usize {
  if (n < 0 || n > 0x3fff8000) unreachable();
  return alloc(<usize>n << 2);
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
