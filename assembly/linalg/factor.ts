// Factorisations: Cholesky, triangular solves, Householder reflectors and thin QR (conventions in
// blas1.ts).
//
// see: G. Golub, C. Van Loan, "Matrix Computations", 4th ed., 2013: §4.2 (Cholesky), §3.1 (triangular
//      solves), §5.1–5.2 (Householder vectors, Householder QR, backward accumulation of Q).

import { axpy, dot, scal } from "./blas1";

// ---------------------------------------------------------------------------------------------------
// Cholesky and triangular solves

/**
 * In-place Cholesky factorisation A = L·Lᵀ of a symmetric positive definite n×n A (only the lower
 * triangle is read). On return A holds L with the strict upper triangle zeroed. Returns 0, or j+1 if
 * the pivot of column j is not positive (the leading (j+1)×(j+1) minor is not positive definite; NaN
 * counts as not positive); A is then partly overwritten.
 */
export function cholesky(n: i32, A: usize): i32 {
  // Row-by-row (bordered) Cholesky, GvL §4.2: row i of L needs only rows 0..i-1, and every inner
  // product runs over two contiguous row prefixes, so it is a SIMD dot.
  const r = <usize>n << 3;
  for (let i = 0; i < n; i++) {
    const ri = A + <usize>i * r;
    for (let j = 0; j < i; j++) {
      const rj = A + <usize>j * r;
      const q = ri + (<usize>j << 3);
      store<f64>(q, (load<f64>(q) - dot(ri, rj, j)) / load<f64>(rj + (<usize>j << 3)));
    }
    const qi = ri + (<usize>i << 3);
    const d = load<f64>(qi) - dot(ri, ri, i);
    if (!(d > 0)) return i + 1;
    store<f64>(qi, Math.sqrt(d));
    if (i + 1 < n) memory.fill(qi + 8, 0, <usize>(n - i - 1) << 3);
  }
  return 0;
}

/** Solves L·x = b in place (b ← x), L n×n lower triangular (the upper triangle is not read). */
export function trsv_lower(n: i32, L: usize, b: usize): void {
  const r = <usize>n << 3;
  for (let i = 0; i < n; i++) {
    const ri = L + <usize>i * r;
    const q = b + (<usize>i << 3);
    store<f64>(q, (load<f64>(q) - dot(ri, b, i)) / load<f64>(ri + (<usize>i << 3)));
  }
}

/** Solves Lᵀ·x = b in place (b ← x), L n×n lower triangular (the upper triangle is not read). */
export function trsv_lower_t(n: i32, L: usize, b: usize): void {
  // column-oriented back substitution on Lᵀ: once x_i is known, its contribution is removed from
  // b[0:i] with row i of L, which is contiguous
  const r = <usize>n << 3;
  for (let i = n - 1; i >= 0; i--) {
    const ri = L + <usize>i * r;
    const q = b + (<usize>i << 3);
    const xi = load<f64>(q) / load<f64>(ri + (<usize>i << 3));
    store<f64>(q, xi);
    axpy(i, -xi, ri, b);
  }
}

// ---------------------------------------------------------------------------------------------------
// Householder reflectors

/**
 * Turns x (len contiguous values at v) into a Householder vector: on return v[0] = 1 and v[1:] hold
 * the rest of v, tau is stored at tauAt, and the returned beta satisfies (I − tau·v·vᵀ)·x = beta·e₁
 * with |beta| = ‖x‖. beta takes the sign opposite to x₀ so that x₀ − beta never cancels (GvL §5.1.3).
 * If x[1:] is zero the reflector is the identity (tau = 0, beta = x₀).
 */
export function house(len: i32, v: usize, tauAt: usize): f64 {
  const alpha = load<f64>(v);
  // ‖x[1:]‖ with a max-abs scaling, so squares neither overflow nor underflow
  let mx: f64 = 0;
  for (let i = 1; i < len; i++) mx = max(mx, Math.abs(load<f64>(v + (<usize>i << 3))));
  if (mx == 0) {
    store<f64>(tauAt, 0.0);
    store<f64>(v, 1.0);
    return alpha;
  }
  const inv = 1.0 / mx;
  let ss: f64 = 0;
  for (let i = 1; i < len; i++) {
    const t = load<f64>(v + (<usize>i << 3)) * inv;
    ss += t * t;
  }
  const norm = Math.hypot(alpha, mx * Math.sqrt(ss));
  const beta = alpha >= 0 ? -norm : norm;
  store<f64>(tauAt, (beta - alpha) / beta);
  scal(len - 1, 1.0 / (alpha - beta), v + 8);
  store<f64>(v, 1.0);
  return beta;
}

// ---------------------------------------------------------------------------------------------------
// QR

/**
 * Thin Householder QR: A = Q·R with A m×n (m ≥ n, preserved), Q m×n with orthonormal columns, R n×n
 * upper triangular with a non-negative diagonal (so the factorisation is unique when A has full rank).
 * work: m·n + 2·n doubles (the reflectors, their tau, and one row of scratch).
 */
export function qr_thin(m: i32, n: i32, A: usize, Q: usize, R: usize, work: usize): void {
  if (n <= 0 || m < n) return;
  const rq = <usize>n << 3;                       // row stride of A, Q and R
  const V = work;                                 // reflector k in row k (length m, entries k..m-1)
  const tau = work + <usize>m * rq;               // n
  const w = tau + rq;                             // n
  const rv = <usize>m << 3;
  memory.copy(Q, A, <usize>m * rq);
  // Householder QR (GvL Alg. 5.2.1) on the copy in Q: H_k zeroes column k below the diagonal
  for (let k = 0; k < n; k++) {
    const v = V + <usize>k * rv + (<usize>k << 3);
    for (let i = k; i < m; i++) store<f64>(v + (<usize>(i - k) << 3), load<f64>(Q + <usize>i * rq + (<usize>k << 3)));
    const beta = house(m - k, v, tau + (<usize>k << 3));
    store<f64>(Q + <usize>k * rq + (<usize>k << 3), beta);
    applyReflector(m - k, n - k - 1, load<f64>(tau + (<usize>k << 3)), v, Q + <usize>k * rq + (<usize>(k + 1) << 3), n, w);
  }
  // R is the upper triangle of the reduced matrix
  for (let i = 0; i < n; i++) {
    const src = Q + <usize>i * rq, dst = R + <usize>i * rq;
    if (i > 0) memory.fill(dst, 0, <usize>i << 3);
    memory.copy(dst + (<usize>i << 3), src + (<usize>i << 3), <usize>(n - i) << 3);
  }
  // Q = H_0·H_1·…·H_{n-1}·[I; 0] by backward accumulation (GvL §5.1.6): when H_k is applied, rows
  // k.. of the partial product are zero left of column k, so only the trailing block changes
  memory.fill(Q, 0, <usize>m * rq);
  for (let i = 0; i < n; i++) store<f64>(Q + <usize>i * rq + (<usize>i << 3), 1.0);
  for (let k = n - 1; k >= 0; k--) {
    const v = V + <usize>k * rv + (<usize>k << 3);
    applyReflector(m - k, n - k, load<f64>(tau + (<usize>k << 3)), v, Q + <usize>k * rq + (<usize>k << 3), n, w);
  }
  // flip signs so that diag(R) ≥ 0: (Q·S)(S·R) with S = diag(±1)
  for (let k = 0; k < n; k++) {
    const rk = R + <usize>k * rq + (<usize>k << 3);
    if (load<f64>(rk) < 0) {
      scal(n - k, -1.0, rk);
      for (let i = 0; i < m; i++) {
        const q = Q + <usize>i * rq + (<usize>k << 3);
        store<f64>(q, -load<f64>(q));
      }
    }
  }
}

/**
 * M ← (I − tau·v·vᵀ)·M for an rows×cols block M (row stride ld elements) and v of length rows:
 * wᵀ = vᵀM as a sum of rows, then M_i −= (tau v_i) w. Both passes run along rows. w: cols doubles.
 */
function applyReflector(rows: i32, cols: i32, tau: f64, v: usize, M: usize, ld: i32, w: usize): void {
  if (tau == 0 || cols <= 0) return;
  const r = <usize>ld << 3;
  memory.fill(w, 0, <usize>cols << 3);
  for (let i = 0; i < rows; i++) axpy(cols, load<f64>(v + (<usize>i << 3)), M + <usize>i * r, w);
  for (let i = 0; i < rows; i++) axpy(cols, -tau * load<f64>(v + (<usize>i << 3)), w, M + <usize>i * r);
}

