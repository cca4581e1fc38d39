// Dense linear algebra over linear memory.
//
// Conventions (shared by every kernel here and by the strategies that call them):
// - matrices are row-major f64; element (i, j) of an m×n matrix with row stride ld is at
//   base + (i*ld + j)*8, and where a kernel takes no ld the row stride is the column count;
// - every pointer is a byte offset into linear memory (usize), every dimension an i32;
// - no kernel allocates: scratch comes from the caller (sizes in each JSDoc), except gemm's packing
//   buffers, which gemm_reserve() allocates once (see there);
// - outputs must not overlap inputs unless a JSDoc says so.
//
// see: K. Goto, R. van de Geijn, "Anatomy of high-performance matrix multiplication", ACM TOMS 34(3),
//      2008, and F. Van Zee, R. van de Geijn, "BLIS: a framework for rapidly instantiating BLAS
//      functionality", ACM TOMS 41(3), 2015 (the gemm loop nest, packing and micro-kernel).
// see: G. Golub, C. Van Loan, "Matrix Computations", 4th ed., 2013: §4.2 (Cholesky), §3.1 (triangular
//      solves), §5.1–5.2 (Householder vectors, Householder QR, backward accumulation of Q), §8.3
//      (Householder tridiagonalisation, implicit symmetric QR/QL with Wilkinson shift).

import { alloc } from "./mem";

// ---------------------------------------------------------------------------------------------------
// Level 1

/** Σ x_i y_i over n elements. */
export function dot(x: usize, y: usize, n: i32): f64 {
  // four f64x2 accumulators: an f64x2.add has ~3 cycles latency and two issue per cycle, so one
  // accumulator would run at a sixth of the adder throughput
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 3;
    s0 = f64x2.add(s0, f64x2.mul(v128.load(x + o), v128.load(y + o)));
    s1 = f64x2.add(s1, f64x2.mul(v128.load(x + o, 16), v128.load(y + o, 16)));
    s2 = f64x2.add(s2, f64x2.mul(v128.load(x + o, 32), v128.load(y + o, 32)));
    s3 = f64x2.add(s3, f64x2.mul(v128.load(x + o, 48), v128.load(y + o, 48)));
  }
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    s0 = f64x2.add(s0, f64x2.mul(v128.load(x + o), v128.load(y + o)));
  }
  const s = f64x2.add(f64x2.add(s0, s1), f64x2.add(s2, s3));
  let r = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  if (i < n) r += load<f64>(x + (<usize>i << 3)) * load<f64>(y + (<usize>i << 3));
  return r;
}

/** y += a·x over n elements. */
export function axpy(n: i32, a: f64, x: usize, y: usize): void {
  const va = f64x2.splat(a);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 3;
    v128.store(y + o, f64x2.add(v128.load(y + o), f64x2.mul(va, v128.load(x + o))));
    v128.store(y + o, f64x2.add(v128.load(y + o, 16), f64x2.mul(va, v128.load(x + o, 16))), 16);
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    store<f64>(y + o, load<f64>(y + o) + a * load<f64>(x + o));
  }
}

/** x *= a over n elements (a plain product: a = 0 turns NaN into NaN, as in reference BLAS). */
export function scal(n: i32, a: f64, x: usize): void {
  const va = f64x2.splat(a);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    v128.store(x + o, f64x2.mul(va, v128.load(x + o)));
  }
  if (i < n) store<f64>(x + (<usize>i << 3), a * load<f64>(x + (<usize>i << 3)));
}

/** y = x over n elements (overlap allowed). */
export function copy(n: i32, x: usize, y: usize): void {
  if (n > 0) memory.copy(y, x, <usize>n << 3);
}

// ---------------------------------------------------------------------------------------------------
// Level 2

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

/** y = beta·y, with beta = 0 writing zeros (so NaN or Inf in y does not survive). */
function scaleOrZero(n: i32, beta: f64, y: usize): void {
  if (n <= 0 || beta == 1) return;
  if (beta == 0) memory.fill(y, 0, <usize>n << 3);
  else scal(n, beta, y);
}

// ---------------------------------------------------------------------------------------------------
// Level 3: gemm
//
// The BLIS loop nest: for each NC-wide column panel of op(B) and each KC-deep slice of k, op(B) is
// packed into NR-wide micro-panels (KC×NR, 8 KB, which stay in L1 while the A block streams past);
// for each MC-tall row block of op(A), op(A) is packed into MR-tall slivers (the MC×KC block,
// 256 KB, sits in L2); the MR×NR micro-kernel then keeps the C tile in 8 f64x2 registers for the whole
// KC loop. Packing turns all four transpose cases into the same micro-kernel and makes every inner
// load unit-stride, and pads edge slivers with zeros so the kernel never branches on the edge.
//
// MR = NR = 4 measured best on this target (Zen 4 under V8): 8 accumulators + 2 B vectors + an A
// splat + a product fit the 16 xmm registers V8 allocates from; 6×4, 4×6, 4×8, 8×4 and 3×8 spill or
// lose to the splat loads (9–12 GFLOP/s against ~16 at 1000³). MC/KC/NC were scanned in
// {64..192}×{128..384}×{256..1024}; the figure is flat near the chosen point, so NC takes the
// smallest value that keeps it (NC = 256 ran level with 512 and 1024 at 1000³ and 2000³).

// @ts-ignore: decorator
@inline const MR: i32 = 4;
// @ts-ignore: decorator
@inline const NR: i32 = 4;
// @ts-ignore: decorator
@inline const MC: i32 = 128;
// @ts-ignore: decorator
@inline const KC: i32 = 256;
// @ts-ignore: decorator
@inline const NC: i32 = 256;

// Packing buffers (MC·KC + KC·NC doubles = 768 KB), allocated by gemm_reserve() on the heap of the
// instances that multiply matrices (evostrat/kernels' workspaces), so that the optimizers, which
// never call gemm, do not carry 768 KB each. The edge-tile buffer is small and static.
let PACK_A: usize = 0;
let PACK_B: usize = 0;
const TILE: usize = memory.data(MR * NR * 8, 16);

/**
 * Allocates gemm's packing buffers (768 KB) once. Call it before taking views of the memory: the
 * allocation may grow the memory, which detaches existing views (gemm calls it on first use).
 */
export function gemm_reserve(): void {
  if (PACK_A != 0) return;
  PACK_A = alloc(<usize>(MC * KC) << 3);
  PACK_B = alloc(<usize>(KC * NC) << 3);
}

/**
 * C = alpha·op(A)·op(B) + beta·C (BLAS dgemm, row-major). op(A) is m×k: A itself (m×k, row stride
 * lda) when transA = 0, else Aᵀ with A k×m. op(B) is k×n: B (k×n, row stride ldb) when transB = 0,
 * else Bᵀ with B n×k. C is m×n with row stride ldc. beta = 0 overwrites C (NaN in C does not
 * propagate); alpha = 0 or k = 0 only scales C. C must not overlap A or B. Uses the static packing
 * buffers (gemm_reserve), so it is not re-entrant (wasm instances are single-threaded, so this never matters).
 */
export function gemm(transA: i32, transB: i32, m: i32, n: i32, k: i32, alpha: f64, A: usize, lda: i32,
  B: usize, ldb: i32, beta: f64, C: usize, ldc: i32): void {
  if (m <= 0 || n <= 0) return;
  if (PACK_A == 0) gemm_reserve(); // grows the memory on first use: reserve first to keep views
  if (alpha == 0 || k <= 0) {
    for (let i = 0; i < m; i++) scaleOrZero(n, beta, C + <usize>i * <usize>ldc * 8);
    return;
  }
  // element (i, p) of op(A) is at A + (i*rsa + p*csa)*8, element (p, j) of op(B) at B + (p*rsb + j*csb)*8
  const rsa = transA ? 1 : lda, csa = transA ? lda : 1;
  const rsb = transB ? 1 : ldb, csb = transB ? ldb : 1;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      packB(kc, nc, B + (<usize>pc * <usize>rsb + <usize>jc * <usize>csb) * 8, rsb, csb);
      // the first k slice applies beta, the later ones accumulate
      const be = pc == 0 ? beta : 1.0;
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA(mc, kc, A + (<usize>ic * <usize>rsa + <usize>pc * <usize>csa) * 8, rsa, csa);
        const cBlock = C + (<usize>ic * <usize>ldc + <usize>jc) * 8;
        for (let jr = 0; jr < nc; jr += NR) {
          const pb = PACK_B + <usize>jr * <usize>kc * 8;
          for (let ir = 0; ir < mc; ir += MR) {
            micro4x4(kc, PACK_A + <usize>ir * <usize>kc * 8, pb, alpha, be,
              cBlock + (<usize>ir * <usize>ldc + <usize>jr) * 8, ldc, min(MR, mc - ir), min(NR, nc - jr));
          }
        }
      }
    }
  }
}

/** Packs op(A)[0:mc, 0:kc] into MR-row slivers (for each p, MR consecutive values), zero padded. */
// @ts-ignore: decorator
@inline function packA(mc: i32, kc: i32, a: usize, rs: i32, cs: i32): void {
  let dst = PACK_A;
  const rsB = <usize>rs << 3, csB = <usize>cs << 3;
  for (let i0 = 0; i0 < mc; i0 += MR) {
    let src = a + <usize>i0 * rsB;
    if (mc - i0 >= MR) {
      for (let p = 0; p < kc; p++) {
        store<f64>(dst, load<f64>(src));
        store<f64>(dst, load<f64>(src + rsB), 8);
        store<f64>(dst, load<f64>(src + 2 * rsB), 16);
        store<f64>(dst, load<f64>(src + 3 * rsB), 24);
        src += csB;
        dst += MR * 8;
      }
    } else {
      const mr = mc - i0;
      for (let p = 0; p < kc; p++) {
        for (let i = 0; i < MR; i++) {
          store<f64>(dst + (<usize>i << 3), i < mr ? load<f64>(src + <usize>i * rsB) : 0.0);
        }
        src += csB;
        dst += MR * 8;
      }
    }
  }
}

/** Packs op(B)[0:kc, 0:nc] into NR-column micro-panels (for each p, NR consecutive values), zero padded. */
// @ts-ignore: decorator
@inline function packB(kc: i32, nc: i32, b: usize, rs: i32, cs: i32): void {
  let dst = PACK_B;
  const rsB = <usize>rs << 3, csB = <usize>cs << 3;
  for (let j0 = 0; j0 < nc; j0 += NR) {
    let src = b + <usize>j0 * csB;
    if (nc - j0 >= NR && cs == 1) {
      // op(B) rows are contiguous: two vector copies per p
      for (let p = 0; p < kc; p++) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        src += rsB;
        dst += NR * 8;
      }
    } else if (nc - j0 >= NR) {
      for (let p = 0; p < kc; p++) {
        store<f64>(dst, load<f64>(src));
        store<f64>(dst, load<f64>(src + csB), 8);
        store<f64>(dst, load<f64>(src + 2 * csB), 16);
        store<f64>(dst, load<f64>(src + 3 * csB), 24);
        src += rsB;
        dst += NR * 8;
      }
    } else {
      const nr = nc - j0;
      for (let p = 0; p < kc; p++) {
        for (let j = 0; j < NR; j++) {
          store<f64>(dst + (<usize>j << 3), j < nr ? load<f64>(src + <usize>j * csB) : 0.0);
        }
        src += rsB;
        dst += NR * 8;
      }
    }
  }
}

/**
 * The 4×4 micro-kernel: acc = Σ_p a_p b_pᵀ over kc packed steps, then C[0:mr, 0:nr] =
 * alpha·acc + beta·C. Kept out of line (binaryen does not inline functions with loops) so V8 tiers it
 * up to TurboFan during the first large gemm instead of running the whole call in Liftoff.
 */
function micro4x4(kc: i32, pa: usize, pb: usize, alpha: f64, beta: f64, c: usize, ldc: i32, mr: i32, nr: i32): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  for (let p = 0; p < kc; p++) {
    // (unrolling this loop by 2 measured slower: it spills)
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let a = v128.load64_splat(pa);
    c00 = f64x2.add(c00, f64x2.mul(a, b0));
    c01 = f64x2.add(c01, f64x2.mul(a, b1));
    a = v128.load64_splat(pa, 8);
    c10 = f64x2.add(c10, f64x2.mul(a, b0));
    c11 = f64x2.add(c11, f64x2.mul(a, b1));
    a = v128.load64_splat(pa, 16);
    c20 = f64x2.add(c20, f64x2.mul(a, b0));
    c21 = f64x2.add(c21, f64x2.mul(a, b1));
    a = v128.load64_splat(pa, 24);
    c30 = f64x2.add(c30, f64x2.mul(a, b0));
    c31 = f64x2.add(c31, f64x2.mul(a, b1));
    pa += MR * 8;
    pb += NR * 8;
  }
  const va = f64x2.splat(alpha);
  c00 = f64x2.mul(va, c00); c01 = f64x2.mul(va, c01);
  c10 = f64x2.mul(va, c10); c11 = f64x2.mul(va, c11);
  c20 = f64x2.mul(va, c20); c21 = f64x2.mul(va, c21);
  c30 = f64x2.mul(va, c30); c31 = f64x2.mul(va, c31);
  if (mr == MR && nr == NR) {
    const r = <usize>ldc << 3;
    const q0 = c, q1 = c + r, q2 = q1 + r, q3 = q2 + r;
    if (beta == 0) {
      v128.store(q0, c00); v128.store(q0, c01, 16);
      v128.store(q1, c10); v128.store(q1, c11, 16);
      v128.store(q2, c20); v128.store(q2, c21, 16);
      v128.store(q3, c30); v128.store(q3, c31, 16);
    } else {
      const vb = f64x2.splat(beta);
      v128.store(q0, f64x2.add(c00, f64x2.mul(vb, v128.load(q0))));
      v128.store(q0, f64x2.add(c01, f64x2.mul(vb, v128.load(q0, 16))), 16);
      v128.store(q1, f64x2.add(c10, f64x2.mul(vb, v128.load(q1))));
      v128.store(q1, f64x2.add(c11, f64x2.mul(vb, v128.load(q1, 16))), 16);
      v128.store(q2, f64x2.add(c20, f64x2.mul(vb, v128.load(q2))));
      v128.store(q2, f64x2.add(c21, f64x2.mul(vb, v128.load(q2, 16))), 16);
      v128.store(q3, f64x2.add(c30, f64x2.mul(vb, v128.load(q3))));
      v128.store(q3, f64x2.add(c31, f64x2.mul(vb, v128.load(q3, 16))), 16);
    }
    return;
  }
  // edge tile: spill to TILE and write back only the mr×nr part that lies inside C
  v128.store(TILE, c00); v128.store(TILE, c01, 16);
  v128.store(TILE, c10, 32); v128.store(TILE, c11, 48);
  v128.store(TILE, c20, 64); v128.store(TILE, c21, 80);
  v128.store(TILE, c30, 96); v128.store(TILE, c31, 112);
  for (let i = 0; i < mr; i++) {
    const row = c + <usize>i * (<usize>ldc << 3);
    for (let j = 0; j < nr; j++) {
      const t = load<f64>(TILE + (<usize>(i * NR + j) << 3));
      const q = row + (<usize>j << 3);
      store<f64>(q, beta == 0 ? t : t + beta * load<f64>(q));
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// syrk


/**
 * C = alpha·A·Aᵀ + beta·C, A n×k (row stride lda), C n×n (row stride ldc). Reads only the lower
 * triangle of C (when beta ≠ 0) and writes both triangles, so C comes out exactly symmetric.
 * beta = 0 overwrites C. C must not overlap A.
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
function house(len: i32, v: usize, tauAt: usize): f64 {
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

// ---------------------------------------------------------------------------------------------------
// Matrix exponential

/**
 * out = exp(A) for symmetric n×n A: with A = V·diag(w)·Vᵀ, exp(A) = M·Mᵀ where M = V·diag(e^{w/2}),
 * formed with syrk so out is exactly symmetric (and positive semidefinite up to rounding). Leaves the
 * eigenvalues in w and the eigenvectors in V. out may alias A. work: n·n + 3·n doubles.
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
