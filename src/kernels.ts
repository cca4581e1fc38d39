/**
 * `evostrat/kernels`: the core's dense kernels for user code (batched fitness evaluation, e.g. a
 * population matrix times a data matrix), on one private wasm instance.
 *
 * Memory is reserved up front (`new Kernels(capacity)`); `f64(n)` hands out Float64Array views into
 * it and never grows the memory, so the views never detach. Kernel arguments must be views handed out
 * by the same `Kernels` (checked).
 *
 * ```ts
 * const k = new Kernels(3 * 1000 * 1000);
 * const A = k.f64(1000 * 1000), B = k.f64(1000 * 1000), C = k.f64(1000 * 1000);
 * k.gemm(A, B, C, 1000, 1000, 1000);           // C = A·B (row-major)
 * ```
 */
import { Core } from "./wasm.js";
import { fail, num } from "./check.js";

export class Kernels {
  private readonly core: Core;
  private base: number;
  private next: number;
  private end: number;

  /** @param capacity how many float64 values this workspace can hold (default 1,048,576 = 8 MB) */
  constructor(capacity = 1 << 20) {
    num("capacity", capacity, 0, { min: 1, integer: true, max: 2 ** 29 - 1 });
    this.core = new Core();
    this.base = this.core.x.allocF64(capacity) >>> 0;
    this.core.views();
    this.next = this.base;
    this.end = this.base + capacity * 8;
  }

  /** A zeroed Float64Array of n values inside the workspace (16-byte aligned). */
  f64(n: number): Float64Array {
    num("n", n, 0, { min: 0, integer: true });
    const bytes = ((n * 8 + 15) >> 4) << 4;
    if (this.next + bytes > this.end) fail("range", "Kernels.f64(n):", `n = ${n} does not fit: ${(this.end - this.next) >> 3} values left of the capacity given to new Kernels()`);
    const v = this.core.f64(this.next, n);
    v.fill(0);
    this.next += bytes;
    return v;
  }

  /** Frees every view handed out (they stay attached but will be reused). */
  reset(): void {
    this.next = this.base;
  }

  private ptr(name: string, a: Float64Array, need: number): number {
    if (!(a instanceof Float64Array) || a.buffer !== this.core.x.memory.buffer) fail("type", `Kernels: argument "${name}"`, "must be a view from this Kernels' f64()");
    if (a.length < need) fail("range", `Kernels: argument "${name}"`, `must hold at least ${need} values, got ${a.length}`);
    return a.byteOffset;
  }

  /**
   * C = alpha·op(A)·op(B) + beta·C, row-major, op(X) = X or Xᵀ. op(A) is m×k, op(B) k×n, C m×n.
   * Blocked, f64x2 SIMD (see assembly/linalg.ts).
   */
  gemm(A: Float64Array, B: Float64Array, C: Float64Array, m: number, n: number, k: number, o: { transA?: boolean; transB?: boolean; alpha?: number; beta?: number } = {}): void {
    const ta = o.transA ? 1 : 0, tb = o.transB ? 1 : 0;
    const pa = this.ptr("A", A, m * k), pb = this.ptr("B", B, k * n), pc = this.ptr("C", C, m * n);
    this.core.x.gemm(ta, tb, m, n, k, o.alpha ?? 1, pa, ta ? m : k, pb, tb ? k : n, o.beta ?? 0, pc, n);
  }

  /** y = alpha·A·x + beta·y with A m×n row-major. */
  gemv(A: Float64Array, x: Float64Array, y: Float64Array, m: number, n: number, alpha = 1, beta = 0): void {
    this.core.x.gemv(m, n, alpha, this.ptr("A", A, m * n), this.ptr("x", x, n), beta, this.ptr("y", y, m));
  }

  /** Fills `out` with standard normals from a seeded xoshiro256++/ziggurat stream. */
  normal(out: Float64Array, seed: number | bigint): void {
    const s = this.rngState();
    this.core.x.rng_seed(s, BigInt(seed));
    this.core.x.rng_fill_normal(s, this.ptr("out", out, 0), out.length);
  }

  private rng = 0;
  private rngState(): number {
    if (this.rng === 0) {
      if (this.next + 32 > this.end) fail("range", "Kernels.normal:", "no room left for the generator state (32 bytes)");
      this.rng = this.next;
      this.next += 32;
    }
    return this.rng;
  }
}
