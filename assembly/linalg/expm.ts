// The exponential of a symmetric matrix, through its eigendecomposition (conventions in blas1.ts).

import { eigh } from "./eigh";
import { syrk } from "./lowrank";

/**
 * out = exp(A) for symmetric n×n A: with A = V·diag(w)·Vᵀ, exp(A) = M·Mᵀ where M = V·diag(e^{w/2}),
 * formed with syrk so out is exactly symmetric (and positive semidefinite up to rounding). Leaves the
 * eigenvalues in w and the eigenvectors in V. out may alias A. work: n·n + 3·n doubles. The product
 * M·Mᵀ goes through syrk, so it needs gemm_reserve(n, n, n) at init.
 * Returns eigh's status (0 on success).
 */
export function expm_sym(n: i32, A: usize, out: usize, w: usize, V: usize, work: usize): i32 {
  if (n <= 0) return 0;
  const st = eigh(n, A, w, V, work);
  if (st != 0) return st;
  const r = <usize>n << 3;
  const M = work;                         // n×n
  const h = work + <usize>n * r;          // n: e^{w/2}
  for (let j = 0; j < n; j++) store<f64>(h + (<usize>j << 3), Math.exp(0.5 * load<f64>(w + (<usize>j << 3))));
  for (let i = 0; i < n; i++) {
    const vi = V + <usize>i * r, mi = M + <usize>i * r;
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const o = <usize>j << 3;
      v128.store(mi + o, f64x2.mul(v128.load(vi + o), v128.load(h + o)));
    }
    if (j < n) store<f64>(mi + (<usize>j << 3), load<f64>(vi + (<usize>j << 3)) * load<f64>(h + (<usize>j << 3)));
  }
  syrk(n, n, 1.0, M, n, 0.0, out, n);
  return 0;
}
