// Symmetric eigendecomposition (conventions in blas1.ts).
//
// see: G. Golub, C. Van Loan, "Matrix Computations", 4th ed., 2013: §8.3 (Householder
//      tridiagonalisation, implicit symmetric QR/QL with Wilkinson shift), §5.1 (Householder vectors).

import { axpy, dot, scal } from "./blas1";
import { house } from "./factor";

// ---------------------------------------------------------------------------------------------------
// Symmetric eigendecomposition

// @ts-ignore: decorator
@inline const QL_MAX_SWEEPS: i32 = 50;
// @ts-ignore: decorator
@inline const QL_BATCH: i32 = 32;

/**
 * Symmetric eigendecomposition A = V·diag(w)·Vᵀ of an n×n A (only read; w, V and work must not
 * overlap it). w gets the eigenvalues in ascending order, V (n×n) the orthonormal eigenvectors as
 * columns. Returns 0, or l+1 if the QL iteration for eigenvalue l did not converge in 50 sweeps
 * (w and V are then meaningless). work: n·n + 3·n doubles.
 *
 * Householder tridiagonalisation (GvL Alg. 8.3.1) followed by the implicit QL iteration with
 * Wilkinson's shift (the QL form of GvL Alg. 8.3.3: the bulge is chased from the bottom of each
 * unreduced block to its top, which suits matrices whose entries grow down the diagonal).
 */
export function eigh(n: i32, A: usize, w: usize, V: usize, work: usize): i32 {
  if (n <= 0) return 0;
  const r = <usize>n << 3;
  if (n == 1) {
    store<f64>(w, load<f64>(A));
    store<f64>(V, 1.0);
    return 0;
  }
  const Zt = work;                        // n×n: Vᵀ while it is built, so rotations act on rows
  const e = work + <usize>n * r;          // n: off-diagonal, e[i] couples i and i+1
  const tau = e + r;                      // n: reflector scalars
  const p = tau + r;                      // n: scratch
  const d = w;                            // the diagonal, turned into the eigenvalues in place

  // 1. Tridiagonalise a copy S of A held in V. Only the upper triangle of S is used, so that row k
  //    beyond the diagonal is column k below it: step k turns that row into the Householder vector
  //    v_k (v_k[0] = 1, stored in place, where it survives since later steps touch rows > k only).
  memory.copy(V, A, <usize>n * r);
  for (let k = 0; k < n - 2; k++) {
    const sk = V + <usize>k * r;
    store<f64>(d + (<usize>k << 3), load<f64>(sk + (<usize>k << 3)));
    const len = n - k - 1;
    const v = sk + (<usize>(k + 1) << 3);
    const tq = tau + (<usize>k << 3);
    store<f64>(e + (<usize>k << 3), house(len, v, tq));
    const t = load<f64>(tq);
    if (t == 0) continue;
    // S22 ← H S22 H with H = I − t v vᵀ: with p = t S22 v and q = p − (t/2)(pᵀv) v,
    // H S22 H = S22 − v qᵀ − q vᵀ (GvL §8.3.1). Both steps read and write only the upper triangle
    // of S22, row by row, so each pass moves half the matrix.
    const S22 = V + <usize>(k + 1) * (r + 8);
    memory.fill(p, 0, <usize>len << 3);
    for (let a = 0; a < len; a++) symvRow(len - a, S22 + <usize>a * (r + 8), v + (<usize>a << 3), p + (<usize>a << 3));
    scal(len, t, p);
    axpy(len, -0.5 * t * dot(p, v, len), v, p);
    for (let a = 0; a < len; a++) {
      const o = <usize>a << 3;
      rank2Row(len - a, -load<f64>(v + o), p + o, -load<f64>(p + o), v + o, S22 + <usize>a * (r + 8));
    }
  }
  {
    const a = V + <usize>(n - 2) * r + (<usize>(n - 2) << 3);
    store<f64>(d + (<usize>(n - 2) << 3), load<f64>(a));
    store<f64>(e + (<usize>(n - 2) << 3), load<f64>(a, 8));
    store<f64>(d + (<usize>(n - 1) << 3), load<f64>(a + r, 8));
    store<f64>(e + (<usize>(n - 1) << 3), 0.0);
  }

  // 2. Zt = Qᵀ = H_{n-3}·…·H_0 (H_k symmetric), built as I·H_{n-3}·…·H_0 from the right. Right
  //    multiplication by H_k changes each row on its own (row ← row − t (row·v) vᵀ), so rows are
  //    done in blocks of 16 that stay in cache while every reflector streams past once per block.
  //    Row i starts as e_i, which H_k leaves alone until k < i (v_k lives on k+1..), and it only
  //    ever changes in columns ≥ 1.
  memory.fill(Zt, 0, <usize>n * r);
  for (let i = 0; i < n; i++) store<f64>(Zt + <usize>i * r + (<usize>i << 3), 1.0);
  for (let i0 = 1; i0 < n; i0 += 16) {
    const i1 = min(i0 + 16, n);
    for (let k = min(i1 - 2, n - 3); k >= 0; k--) {
      const t = load<f64>(tau + (<usize>k << 3));
      if (t == 0) continue;
      const len = n - k - 1;
      const v = V + <usize>k * r + (<usize>(k + 1) << 3);
      for (let i = max(i0, k + 1); i < i1; i++) {
        const row = Zt + <usize>i * r + (<usize>(k + 1) << 3);
        axpy(len, -t * dot(row, v, len), v, row);
      }
    }
  }

  // 3. Implicit QL on (d, e). For each l, sweep the unreduced block l..m until e[l] is negligible.
  //    One sweep: shift σ = the eigenvalue of the leading 2×2 block [d_l e_l; e_l d_{l+1}] nearer to
  //    d_l, then Givens rotations in planes (m-1, m), …, (l, l+1) with the first one chosen from
  //    (e_{m-1}, d_m − σ) and each next one chasing the bulge it created one row up. Every rotation
  //    also applies to rows i, i+1 of Zt (columns i, i+1 of V), in batches (below).
  // The sweeps' rotations are not applied to Zt as they are made: up to `batch` sweeps are recorded
  // (cosines and sines in rows 2t and 2t+1 of V, free since step 2; each sweep's row range in tau)
  // and then applied column strip by column strip, so each strip stays in cache for the whole batch
  // instead of Zt streaming through the cache once per sweep.
  const batch = max(1, min(QL_BATCH, n >> 1));
  let pending = 0;
  const eps = f64.EPSILON; // 2^-52; entries below the smallest normal (2.2e-308) count as zero too
  for (let l = 0; l < n; l++) {
    let sweeps = 0;
    while (true) {
      // the first negligible off-diagonal at or below l (relative to its two diagonal neighbours)
      let m = l;
      for (; m < n - 1; m++) {
        const em = Math.abs(load<f64>(e + (<usize>m << 3)));
        const dd = Math.abs(load<f64>(d + (<usize>m << 3))) + Math.abs(load<f64>(d + (<usize>(m + 1) << 3)));
        if (em <= eps * dd || em < 2.2250738585072014e-308) break;
      }
      if (m == l) break;
      if (++sweeps > QL_MAX_SWEEPS) return l + 1;
      const dl = load<f64>(d + (<usize>l << 3)), el = load<f64>(e + (<usize>l << 3));
      // σ = d_l − e_l / (θ + sign(θ)·√(θ²+1)) with θ = (d_{l+1} − d_l)/(2 e_l)
      const theta = (load<f64>(d + (<usize>(l + 1) << 3)) - dl) / (2.0 * el);
      const rho = Math.hypot(theta, 1.0);
      // g carries the entry the next rotation must annihilate against; it starts as d_m − σ
      let g = load<f64>(d + (<usize>m << 3)) - dl + el / (theta + (theta >= 0 ? rho : -rho));
      let sn: f64 = 1, cs: f64 = 1, shift: f64 = 0;
      let underflow = false;
      let lo = m; // the rotations done so far are (lo, lo+1) … (m-1, m)
      const rc = V + <usize>(2 * pending) * r, rs = rc + r;
      for (let i = m - 1; i >= l; i--) {
        const ei = load<f64>(e + (<usize>i << 3));
        const f = sn * ei;          // the bulge
        const b = cs * ei;
        const h = Math.hypot(f, g);
        store<f64>(e + (<usize>(i + 1) << 3), h);
        if (h == 0) {
          // f and g both underflowed: the block splits at i+1; undo nothing, just deflate there
          store<f64>(d + (<usize>(i + 1) << 3), load<f64>(d + (<usize>(i + 1) << 3)) - shift);
          store<f64>(e + (<usize>m << 3), 0.0);
          underflow = true;
          break;
        }
        sn = f / h;
        cs = g / h;
        // rotate the 2×2 diagonal block (i, i+1); `shift` is how much d_{i+1} has moved
        const gi = load<f64>(d + (<usize>(i + 1) << 3)) - shift;
        const t = (load<f64>(d + (<usize>i << 3)) - gi) * sn + 2.0 * cs * b;
        shift = sn * t;
        store<f64>(d + (<usize>(i + 1) << 3), gi + shift);
        g = cs * t - b;
        store<f64>(rc + (<usize>i << 3), cs);
        store<f64>(rs + (<usize>i << 3), sn);
        lo = i;
      }
      if (lo < m) {
        store<f64>(tau + (<usize>(2 * pending) << 3), <f64>m);
        store<f64>(tau + (<usize>(2 * pending + 1) << 3), <f64>lo);
        if (++pending == batch) {
          applySweeps(n, Zt, r, pending, V, tau);
          pending = 0;
        }
      }
      if (underflow) continue;
      store<f64>(d + (<usize>l << 3), load<f64>(d + (<usize>l << 3)) - shift);
      store<f64>(e + (<usize>l << 3), g);
      store<f64>(e + (<usize>m << 3), 0.0);
    }
  }

  if (pending > 0) applySweeps(n, Zt, r, pending, V, tau);

  // 4. Sort ascending (selection sort: n swaps of Zt rows at most), then V = Ztᵀ.
  for (let i = 0; i < n - 1; i++) {
    let kmin = i;
    let vmin = load<f64>(d + (<usize>i << 3));
    for (let j = i + 1; j < n; j++) {
      const dj = load<f64>(d + (<usize>j << 3));
      if (dj < vmin) { vmin = dj; kmin = j; }
    }
    if (kmin != i) {
      store<f64>(d + (<usize>kmin << 3), load<f64>(d + (<usize>i << 3)));
      store<f64>(d + (<usize>i << 3), vmin);
      swapRows(n, Zt + <usize>i * r, Zt + <usize>kmin * r);
    }
  }
  transpose(n, Zt, V);
  return 0;
}

/**
 * One row of a symmetric matrix–vector product from the upper triangle: row = S[a, a:a+len],
 * x = v[a:], y = p[a:]. Adds the row's own inner product to y[0] (S[a, j] v_j for j ≥ a) and its
 * mirrored column to y[1:] (S[j, a] v_a = S[a, j] v_a for j > a), in one pass over the row.
 */
function symvRow(len: i32, row: usize, x: usize, y: usize): void {
  const xa = load<f64>(x);
  const vxa = f64x2.splat(xa);
  let acc = f64x2.splat(0);
  let s = load<f64>(row) * xa;
  let j = 1;
  for (; j + 2 <= len; j += 2) {
    const o = <usize>j << 3;
    const rv = v128.load(row + o);
    acc = f64x2.add(acc, f64x2.mul(rv, v128.load(x + o)));
    v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.mul(vxa, rv)));
  }
  if (j < len) {
    const o = <usize>j << 3;
    const rj = load<f64>(row + o);
    s += rj * load<f64>(x + o);
    store<f64>(y + o, load<f64>(y + o) + xa * rj);
  }
  store<f64>(y, load<f64>(y) + s + (f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1)));
}

/** row += a·x + b·y over len elements (the symmetric rank-2 update, one row at a time). */
function rank2Row(len: i32, a: f64, x: usize, b: f64, y: usize, row: usize): void {
  const va = f64x2.splat(a), vb = f64x2.splat(b);
  let j = 0;
  for (; j + 2 <= len; j += 2) {
    const o = <usize>j << 3;
    v128.store(row + o, f64x2.add(v128.load(row + o),
      f64x2.add(f64x2.mul(va, v128.load(x + o)), f64x2.mul(vb, v128.load(y + o)))));
  }
  if (j < len) {
    const o = <usize>j << 3;
    store<f64>(row + o, load<f64>(row + o) + (a * load<f64>(x + o) + b * load<f64>(y + o)));
  }
}

/**
 * Applies `count` recorded QL sweeps, in order, to the rows of Zt (n columns, row stride r bytes).
 * Sweep t covers rows lo..hi (hi = ranges[2t], lo = ranges[2t+1]) with cosines c_i in row 2t of rec
 * and sines s_i in row 2t+1: for i = hi-1 down to lo,
 * (row i, row i+1) ← (c_i·row i − s_i·row i+1, s_i·row i + c_i·row i+1).
 * Row i+1 is final once rotation i is done, so a column strip is walked from row hi up to row lo
 * with the row still being rotated carried in registers: one load and one store per element.
 */
function applySweeps(n: i32, Zt: usize, r: usize, count: i32, rec: usize, ranges: usize): void {
  let j = 0;
  for (; j + 8 <= n; j += 8) {
    const col = Zt + (<usize>j << 3);
    for (let t = 0; t < count; t++) {
      const hi = <i32>load<f64>(ranges + (<usize>(2 * t) << 3));
      const lo = <i32>load<f64>(ranges + (<usize>(2 * t + 1) << 3));
      const rc = rec + <usize>(2 * t) * r, rs = rc + r;
      let q = col + <usize>hi * r;
      let y0 = v128.load(q), y1 = v128.load(q, 16), y2 = v128.load(q, 32), y3 = v128.load(q, 48);
      for (let i = hi - 1; i >= lo; i--) {
        const c = v128.load64_splat(rc + (<usize>i << 3)), s = v128.load64_splat(rs + (<usize>i << 3));
        const x = q - r;
        const x0 = v128.load(x), x1 = v128.load(x, 16), x2 = v128.load(x, 32), x3 = v128.load(x, 48);
        v128.store(q, f64x2.add(f64x2.mul(s, x0), f64x2.mul(c, y0)));
        v128.store(q, f64x2.add(f64x2.mul(s, x1), f64x2.mul(c, y1)), 16);
        v128.store(q, f64x2.add(f64x2.mul(s, x2), f64x2.mul(c, y2)), 32);
        v128.store(q, f64x2.add(f64x2.mul(s, x3), f64x2.mul(c, y3)), 48);
        y0 = f64x2.sub(f64x2.mul(c, x0), f64x2.mul(s, y0));
        y1 = f64x2.sub(f64x2.mul(c, x1), f64x2.mul(s, y1));
        y2 = f64x2.sub(f64x2.mul(c, x2), f64x2.mul(s, y2));
        y3 = f64x2.sub(f64x2.mul(c, x3), f64x2.mul(s, y3));
        q = x;
      }
      v128.store(q, y0); v128.store(q, y1, 16); v128.store(q, y2, 32); v128.store(q, y3, 48);
    }
  }
  for (; j < n; j++) {
    const col = Zt + (<usize>j << 3);
    for (let t = 0; t < count; t++) {
      const hi = <i32>load<f64>(ranges + (<usize>(2 * t) << 3));
      const lo = <i32>load<f64>(ranges + (<usize>(2 * t + 1) << 3));
      const rc = rec + <usize>(2 * t) * r, rs = rc + r;
      let q = col + <usize>hi * r;
      let y = load<f64>(q);
      for (let i = hi - 1; i >= lo; i--) {
        const c = load<f64>(rc + (<usize>i << 3)), s = load<f64>(rs + (<usize>i << 3));
        const x = load<f64>(q - r);
        store<f64>(q, s * x + c * y);
        y = c * x - s * y;
        q -= r;
      }
      store<f64>(q, y);
    }
  }
}

function swapRows(n: i32, x: usize, y: usize): void {
  let j = 0;
  for (; j + 2 <= n; j += 2) {
    const o = <usize>j << 3;
    const t = v128.load(x + o);
    v128.store(x + o, v128.load(y + o));
    v128.store(y + o, t);
  }
  if (j < n) {
    const o = <usize>j << 3;
    const t = load<f64>(x + o);
    store<f64>(x + o, load<f64>(y + o));
    store<f64>(y + o, t);
  }
}

/** B = Aᵀ for n×n A, B (no overlap), in 16×16 tiles so both sides stay within a few cache lines. */
function transpose(n: i32, A: usize, B: usize): void {
  const r = <usize>n << 3;
  for (let i0 = 0; i0 < n; i0 += 16) {
    const i1 = min(i0 + 16, n);
    for (let j0 = 0; j0 < n; j0 += 16) {
      const j1 = min(j0 + 16, n);
      for (let i = i0; i < i1; i++) {
        for (let j = j0; j < j1; j++) {
          store<f64>(B + <usize>j * r + (<usize>i << 3), load<f64>(A + <usize>i * r + (<usize>j << 3)));
        }
      }
    }
  }
}

