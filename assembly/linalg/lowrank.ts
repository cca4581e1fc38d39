// Rank-k products: syrk on top of gemm, and the unpacked rank-k update of a square matrix (conventions
// in blas1.ts).

import { gemm } from "./gemm";
import { at } from "../core/ptr";

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


// @ts-ignore: decorator
@inline function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

// (moved from assembly/strategies/xnes.ts, where it was written and measured; XNES B update, O(d²λ))
// C (n×n) ← s C + Aᵀ Bm with A, Bm k×n (k = λ small): a rank-k update. Register tile 4×4 of C
// (8 f64x2 accumulators); per step of k: 4 broadcasts from A, 2 vector loads from Bm. ssq[i] gets
// Σ_j C[i][j]² of the result, so the caller needs no extra pass over C (memory-bound at large n).
export function gemm_tn_update(n: i32, k: i32, s: f64, A: usize, Bm: usize, C: usize, ssq: usize): void {
  gemm_tn_update_rows(n, k, s, A, Bm, C, ssq, 0, n);
}

/**
 * gemm_tn_update on the rows [i0, i1) of C only (i0 a multiple of 4; ssq[i0:i1) written), computed as
 * gemm_tn_update computes them, so that updating C in row stripes gives the same bits. CMA-ES uses the
 * stripes to multiply each fresh stripe of its factor before it leaves the caches.
 */
export function gemm_tn_update_rows(n: i32, k: i32, s: f64, A: usize, Bm: usize, C: usize, ssq: usize, i0: i32, i1: i32): void {
  const n4 = n & ~3, i4 = min(i1, n4);
  memory.fill(ssq + (<usize>i0 << 3), 0, <usize>(i1 - i0) << 3);
  const ns = <usize>n << 3;
  const sv = f64x2.splat(s);
  for (let i = i0; i < i4; i += 4) {
    let q0 = f64x2.splat(0), q1 = f64x2.splat(0), q2 = f64x2.splat(0), q3 = f64x2.splat(0);
    for (let j = 0; j < n4; j += 4) {
      let c00 = f64x2.splat(0), c01 = f64x2.splat(0), c10 = f64x2.splat(0), c11 = f64x2.splat(0);
      let c20 = f64x2.splat(0), c21 = f64x2.splat(0), c30 = f64x2.splat(0), c31 = f64x2.splat(0);
      let pa = A + (<usize>i << 3), pb = Bm + (<usize>j << 3);
      for (let l = 0; l < k; l++) {
        const y0 = v128.load(pb), y1 = v128.load(pb, 16);
        const a0 = v128.load64_splat(pa), a1 = v128.load64_splat(pa, 8), a2 = v128.load64_splat(pa, 16), a3 = v128.load64_splat(pa, 24);
        c00 = f64x2.add(c00, f64x2.mul(a0, y0)); c01 = f64x2.add(c01, f64x2.mul(a0, y1));
        c10 = f64x2.add(c10, f64x2.mul(a1, y0)); c11 = f64x2.add(c11, f64x2.mul(a1, y1));
        c20 = f64x2.add(c20, f64x2.mul(a2, y0)); c21 = f64x2.add(c21, f64x2.mul(a2, y1));
        c30 = f64x2.add(c30, f64x2.mul(a3, y0)); c31 = f64x2.add(c31, f64x2.mul(a3, y1));
        pa += ns; pb += ns;
      }
      const r0 = C + ((<usize>i * <usize>n + <usize>j) << 3), r1 = r0 + ns, r2 = r1 + ns, r3 = r2 + ns;
      c00 = f64x2.add(f64x2.mul(sv, v128.load(r0)), c00); c01 = f64x2.add(f64x2.mul(sv, v128.load(r0, 16)), c01);
      c10 = f64x2.add(f64x2.mul(sv, v128.load(r1)), c10); c11 = f64x2.add(f64x2.mul(sv, v128.load(r1, 16)), c11);
      c20 = f64x2.add(f64x2.mul(sv, v128.load(r2)), c20); c21 = f64x2.add(f64x2.mul(sv, v128.load(r2, 16)), c21);
      c30 = f64x2.add(f64x2.mul(sv, v128.load(r3)), c30); c31 = f64x2.add(f64x2.mul(sv, v128.load(r3, 16)), c31);
      v128.store(r0, c00); v128.store(r0, c01, 16); v128.store(r1, c10); v128.store(r1, c11, 16);
      v128.store(r2, c20); v128.store(r2, c21, 16); v128.store(r3, c30); v128.store(r3, c31, 16);
      q0 = f64x2.add(q0, f64x2.add(f64x2.mul(c00, c00), f64x2.mul(c01, c01)));
      q1 = f64x2.add(q1, f64x2.add(f64x2.mul(c10, c10), f64x2.mul(c11, c11)));
      q2 = f64x2.add(q2, f64x2.add(f64x2.mul(c20, c20), f64x2.mul(c21, c21)));
      q3 = f64x2.add(q3, f64x2.add(f64x2.mul(c30, c30), f64x2.mul(c31, c31)));
    }
    store<f64>(at(ssq, i), hsum(q0)); store<f64>(at(ssq, i + 1), hsum(q1));
    store<f64>(at(ssq, i + 2), hsum(q2)); store<f64>(at(ssq, i + 3), hsum(q3));
  }
  // the rows and columns outside the 4×4 tiles
  for (let i = i0; i < i1; i++) {
    const j0 = i < n4 ? n4 : 0;
    for (let j = j0; j < n; j++) {
      let acc: f64 = 0;
      for (let l = 0; l < k; l++) acc += load<f64>(at(A, l * n + i)) * load<f64>(at(Bm, l * n + j));
      const p = at(C, i * n + j);
      const v = s * load<f64>(p) + acc;
      store<f64>(p, v);
      store<f64>(at(ssq, i), load<f64>(at(ssq, i)) + v * v);
    }
  }
}
