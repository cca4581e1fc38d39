// Level-2 BLAS: y = alpha·A·x + beta·y and its transpose, row-major (conventions in blas1.ts).

import { axpy, dot, scaleOrZero } from "./blas1";


/**
 * y = alpha·A·x + beta·y, A m×n (row stride n), x length n, y length m. beta = 0 overwrites y
 * (NaN in y does not propagate); alpha = 0 leaves A and x unread.
 */
export function gemv(m: i32, n: i32, alpha: f64, A: usize, x: usize, beta: f64, y: usize): void {
  if (m <= 0) return;
  if (alpha == 0 || n <= 0) {
    scaleOrZero(m, beta, y);
    return;
  }
  const rb = <usize>n << 3;
  let i = 0;
  // four rows at a time: each x pair is loaded once for four rows of A
  for (; i + 4 <= m; i += 4) {
    const r0 = A + <usize>i * rb, r1 = r0 + rb, r2 = r1 + rb, r3 = r2 + rb;
    let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const o = <usize>j << 3;
      const xv = v128.load(x + o);
      s0 = f64x2.add(s0, f64x2.mul(v128.load(r0 + o), xv));
      s1 = f64x2.add(s1, f64x2.mul(v128.load(r1 + o), xv));
      s2 = f64x2.add(s2, f64x2.mul(v128.load(r2 + o), xv));
      s3 = f64x2.add(s3, f64x2.mul(v128.load(r3 + o), xv));
    }
    let t0 = f64x2.extract_lane(s0, 0) + f64x2.extract_lane(s0, 1);
    let t1 = f64x2.extract_lane(s1, 0) + f64x2.extract_lane(s1, 1);
    let t2 = f64x2.extract_lane(s2, 0) + f64x2.extract_lane(s2, 1);
    let t3 = f64x2.extract_lane(s3, 0) + f64x2.extract_lane(s3, 1);
    if (j < n) {
      const o = <usize>j << 3;
      const xj = load<f64>(x + o);
      t0 += load<f64>(r0 + o) * xj;
      t1 += load<f64>(r1 + o) * xj;
      t2 += load<f64>(r2 + o) * xj;
      t3 += load<f64>(r3 + o) * xj;
    }
    const q = y + (<usize>i << 3);
    if (beta == 0) {
      store<f64>(q, alpha * t0); store<f64>(q, alpha * t1, 8);
      store<f64>(q, alpha * t2, 16); store<f64>(q, alpha * t3, 24);
    } else {
      store<f64>(q, alpha * t0 + beta * load<f64>(q));
      store<f64>(q, alpha * t1 + beta * load<f64>(q, 8), 8);
      store<f64>(q, alpha * t2 + beta * load<f64>(q, 16), 16);
      store<f64>(q, alpha * t3 + beta * load<f64>(q, 24), 24);
    }
  }
  for (; i < m; i++) {
    const t = dot(A + <usize>i * rb, x, n);
    const q = y + (<usize>i << 3);
    store<f64>(q, beta == 0 ? alpha * t : alpha * t + beta * load<f64>(q));
  }
}

/**
 * y = alpha·Aᵀ·x + beta·y, A m×n (row stride n), x length m, y length n. beta = 0 overwrites y;
 * alpha = 0 leaves A and x unread.
 */
export function gemv_t(m: i32, n: i32, alpha: f64, A: usize, x: usize, beta: f64, y: usize): void {
  if (n <= 0) return;
  scaleOrZero(n, beta, y);
  if (alpha == 0 || m <= 0) return;
  const rb = <usize>n << 3;
  let i = 0;
  // y += Σ_i (alpha x_i) A_i, four rows per sweep so y is loaded and stored a quarter as often
  for (; i + 4 <= m; i += 4) {
    const r0 = A + <usize>i * rb, r1 = r0 + rb, r2 = r1 + rb, r3 = r2 + rb;
    const xi = x + (<usize>i << 3);
    const a0 = alpha * load<f64>(xi), a1 = alpha * load<f64>(xi, 8);
    const a2 = alpha * load<f64>(xi, 16), a3 = alpha * load<f64>(xi, 24);
    const v0 = f64x2.splat(a0), v1 = f64x2.splat(a1), v2 = f64x2.splat(a2), v3 = f64x2.splat(a3);
    let j = 0;
    for (; j + 2 <= n; j += 2) {
      const o = <usize>j << 3;
      const s = f64x2.add(
        f64x2.add(f64x2.mul(v0, v128.load(r0 + o)), f64x2.mul(v1, v128.load(r1 + o))),
        f64x2.add(f64x2.mul(v2, v128.load(r2 + o)), f64x2.mul(v3, v128.load(r3 + o))));
      v128.store(y + o, f64x2.add(v128.load(y + o), s));
    }
    if (j < n) {
      const o = <usize>j << 3;
      store<f64>(y + o, load<f64>(y + o) + ((a0 * load<f64>(r0 + o) + a1 * load<f64>(r1 + o)) +
        (a2 * load<f64>(r2 + o) + a3 * load<f64>(r3 + o))));
    }
  }
  for (; i < m; i++) axpy(n, alpha * load<f64>(x + (<usize>i << 3)), A + <usize>i * rb, y);
}

