// evostrat/kernels (src/kernels.ts): results against plain JS, typed errors naming the argument, and
// views that stay attached (the workspace never grows after construction).
import { describe, expect, it } from "vitest";
import { Kernels } from "../src/kernels";

describe("Kernels", () => {
  it("gemm and gemv agree with plain JS; views stay attached", () => {
    const k = new Kernels(1000);
    const m = 3, n = 4, kk = 5;
    const A = k.f64(m * kk), B = k.f64(kk * n), C = k.f64(m * n), x = k.f64(kk), y = k.f64(m);
    A.forEach((_, i) => (A[i] = Math.sin(i + 1)));
    B.forEach((_, i) => (B[i] = Math.cos(i + 2)));
    x.forEach((_, i) => (x[i] = i - 2));
    k.gemm(A, B, C, m, n, kk);
    k.gemv(A, x, y, m, kk);
    for (let i = 0; i < m; i++) {
      let yi = 0;
      for (let p = 0; p < kk; p++) yi += A[i * kk + p] * x[p];
      expect(y[i]).toBeCloseTo(yi, 13);
      for (let j = 0; j < n; j++) {
        let c = 0;
        for (let p = 0; p < kk; p++) c += A[i * kk + p] * B[p * n + j];
        expect(C[i * n + j]).toBeCloseTo(c, 13);
      }
    }
    expect(A.byteLength).toBe(m * kk * 8);
  });

  it("refuses bad sizes, foreign arrays, bad seeds and requests beyond its capacity", () => {
    const k = new Kernels(64);
    const A = k.f64(4), B = k.f64(4), C = k.f64(4);
    expect(() => k.gemm(A, B, C, -1, 2, 2)).toThrow(/"m"/);
    expect(() => k.gemm(A, B, C, 1.5, 2, 2)).toThrow(RangeError);
    expect(() => k.gemm(A, B, C, NaN, 2, 2)).toThrow(RangeError);
    expect(() => k.gemm(A, B, C, "2" as never, 2, 2)).toThrow(TypeError);
    expect(() => k.gemm(A, B, C, 3, 3, 3)).toThrow(/"A"/); // 9 > 4 values
    expect(() => k.gemm(new Float64Array(4), B, C, 2, 2, 1)).toThrow(/"A"/);
    expect(() => k.gemv(A, B, C, 2, 2.5)).toThrow(/"n"/);
    expect(() => k.normal(A, 1.5)).toThrow(/seed/);
    expect(() => k.normal(A, -1)).toThrow(/seed/);
    expect(() => k.normal(A, undefined as never)).toThrow(/seed/);
    expect(() => k.f64(2 ** 28)).toThrow(/does not fit/);
    expect(() => k.f32(2 ** 30)).toThrow(/does not fit/);
  });

  it("normal() is reproducible per seed", () => {
    const k = new Kernels(256);
    const a = k.f64(100), b = k.f64(100);
    k.normal(a, 5);
    k.normal(b, 5n);
    expect(Array.from(a)).toEqual(Array.from(b));
  });
});
