// Test helpers: a raw core instance with scratch allocation, and small statistics.
import { Core } from "../src/wasm";

/** A fresh core with a bump allocator for test buffers. Allocate everything first, then take views. */
export function rawCore() {
  const core = new Core();
  const x = core.x;
  x.gemm_reserve(); // gemm's packing buffers, before any test buffer or view (as evostrat/kernels does)
  return {
    core,
    x,
    /** Allocates n f64 and returns the byte pointer. */
    allocF64(n: number): number {
      return x.allocF64(n) >>> 0;
    },
    /** A fresh view (re-take views after any allocation). */
    f64(ptr: number, n: number): Float64Array {
      return core.f64(ptr, n);
    },
    /** Allocates n f64, copies `values` in, returns the pointer. */
    put(values: ArrayLike<number>): number {
      const p = x.allocF64(values.length) >>> 0;
      core.f64(p, values.length).set(values);
      return p;
    },
  };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
