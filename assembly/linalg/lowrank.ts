// Symmetric rank-k products (syrk) on top of gemm (conventions in blas1.ts).

import { gemm } from "./gemm";

/**
 * C = alpha·A·Aᵀ + beta·C, A n×k (row stride lda), C n×n (row stride ldc). Reads only the lower
 * triangle of C (when beta ≠ 0) and writes both triangles, so C comes out exactly symmetric.
 * beta = 0 overwrites C. C must not overlap A. Packs through gemm: needs gemm_reserve(n, n, k) at init.
 */
export function syrk(n: i32, k: i32, alpha: f64, A: usize, lda: i32, beta: f64, C: usize, ldc: i32): void {
  if (n <= 0) return;
  // the lower block rows, each as C[ib:ib+nb, 0:ib+nb] = alpha·A[ib:ib+nb]·A[0:ib+nb]ᵀ + beta·C[…];
  // the strictly upper part of each diagonal block is computed too, then overwritten by the mirror.
  // That costs (1 + nb/n)/2 of a full product, while every block row repacks A[0:ib+nb]: blocks of
  // about n/8 rows (32 to 128) balance the two (measured: 32 is best at n ≤ 300, 128 at n = 1000)
  const step = min(128, max(32, (n >> 3) & ~3));
  for (let ib = 0; ib < n; ib += step) {
    const nb = min(step, n - ib);
    gemm(0, 1, nb, ib + nb, k, alpha, A + <usize>ib * <usize>lda * 8, lda, A, lda, beta,
      C + <usize>ib * <usize>ldc * 8, ldc);
  }
  mirrorLower(n, C, ldc);
}

/** Copies the strictly lower triangle of C onto the upper one. */
function mirrorLower(n: i32, C: usize, ldc: i32): void {
  const r = <usize>ldc << 3;
  for (let i = 0; i < n; i++) {
    const row = C + <usize>i * r;
    for (let j = i + 1; j < n; j++) store<f64>(row + (<usize>j << 3), load<f64>(C + <usize>j * r + (<usize>i << 3)));
  }
}

