// Level-3 BLAS: gemm, C = alpha·op(A)·op(B) + beta·C, row-major (conventions in blas1.ts).
//
// see: K. Goto, R. van de Geijn, "Anatomy of high-performance matrix multiplication", ACM TOMS 34(3),
//      2008, and F. Van Zee, R. van de Geijn, "BLIS: a framework for rapidly instantiating BLAS
//      functionality", ACM TOMS 41(3), 2015 (the gemm loop nest, packing and micro-kernel).

import { alloc } from "../core/mem";
import { dot, scaleOrZero } from "./blas1";
import { at, rowp } from "../core/ptr";

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

// Packing buffers, sized to the products a caller needs: gemm_pack_bytes(m, n, k) says how many
// bytes an m×n×k product packs through (at most (MC·KC + KC·NC)·8 = 768 KB, from m = MC, n = NC,
// k = KC on), and gemm_reserve(m, n, k) allocates that once, at init, on the caller's heap. A
// strategy that multiplies λ×d by d×d matrices thus carries a few pages, not 768 KB; evostrat/kernels
// reserves for the largest product its workspace can hold. Each product lays out its op(A) block at
// PACK and its op(B) panel right after, so one buffer serves every shape whose total fits. The
// edge-tile buffer is small and static.
let PACK: usize = 0;
let PACK_BYTES: usize = 0;
const TILE: usize = memory.data(MR * NR * 8, 16);

/** Bytes of the op(A) block an m×·×k product packs: ⌈min(MC, m)⌉ to MR rows of min(KC, k) values. */
// @ts-ignore: decorator
@inline function packABytes(m: i32, k: i32): usize {
  return <usize>((min(MC, m) + MR - 1) & ~(MR - 1)) * <usize>min(KC, k) << 3;
}

/** Bytes of the op(B) panel a ·×n×k product packs: min(KC, k) rows of ⌈min(NC, n)⌉ to NR values. */
// @ts-ignore: decorator
@inline function packBBytes(n: i32, k: i32): usize {
  return <usize>min(KC, k) * <usize>((min(NC, n) + NR - 1) & ~(NR - 1)) << 3;
}

/**
 * The bytes of packing buffer gemm needs for an m×n×k product (either transpose): 0 when it packs
 * nothing (m, n or k ≤ 0), never more than 768 KB. Monotone in each size, so a reservation for
 * (m, n, k) covers every smaller product, and syrk(n, k) needs gemm_pack_bytes(n, n, k).
 */
export function gemm_pack_bytes(m: i32, n: i32, k: i32): usize {
  if (m <= 0 || n <= 0 || k <= 0) return 0;
  return packABytes(m, k) + packBBytes(n, k);
}

/**
 * Reserves gemm's packing buffer for products up to m×n×k (gemm_pack_bytes), allocating it with
 * mem.ts's alloc unless the buffer already reserved is large enough. Call it in init, before any
 * view of the memory is taken: the allocation may grow the memory, which detaches existing views.
 * A larger reservation later allocates a new buffer (the bump allocator never frees the old one).
 */
export function gemm_reserve(m: i32, n: i32, k: i32): void {
  const bytes = gemm_pack_bytes(m, n, k);
  if (bytes <= PACK_BYTES) return;
  PACK = alloc(bytes);
  PACK_BYTES = bytes;
}

/**
 * C = alpha·op(A)·op(B) + beta·C (BLAS dgemm, row-major). op(A) is m×k: A itself (m×k, row stride
 * lda) when transA = 0, else Aᵀ with A k×m. op(B) is k×n: B (k×n, row stride ldb) when transB = 0,
 * else Bᵀ with B n×k. C is m×n with row stride ldc. beta = 0 overwrites C (NaN in C does not
 * propagate); alpha = 0 or k = 0 only scales C. C must not overlap A or B. Packs through the buffer
 * of gemm_reserve, which must cover (m, n, k) (else it aborts, naming gemm_reserve), so it is not
 * re-entrant (wasm instances are single-threaded, so this never matters).
 */
export function gemm(transA: i32, transB: i32, m: i32, n: i32, k: i32, alpha: f64, A: usize, lda: i32,
  B: usize, ldb: i32, beta: f64, C: usize, ldc: i32): void {
  if (m <= 0 || n <= 0) return;
  if (alpha == 0 || k <= 0) {
    for (let i = 0; i < m; i++) scaleOrZero(n, beta, C + <usize>i * <usize>ldc * 8);
    return;
  }
  const packA = PACK, packB = PACK + packABytes(m, k);
  assert(packB + packBBytes(n, k) <= PACK + PACK_BYTES, "gemm: packing buffer too small for this product (reserve it at init: gemm_reserve(m, n, k))");
  // element (i, p) of op(A) is at A + (i*rsa + p*csa)*8, element (p, j) of op(B) at B + (p*rsb + j*csb)*8
  const rsa = transA ? 1 : lda, csa = transA ? lda : 1;
  const rsb = transB ? 1 : ldb, csb = transB ? ldb : 1;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      packPanelB(packB, kc, nc, B + (<usize>pc * <usize>rsb + <usize>jc * <usize>csb) * 8, rsb, csb);
      // the first k slice applies beta, the later ones accumulate
      const be = pc == 0 ? beta : 1.0;
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packBlockA(packA, mc, kc, A + (<usize>ic * <usize>rsa + <usize>pc * <usize>csa) * 8, rsa, csa);
        const cBlock = C + (<usize>ic * <usize>ldc + <usize>jc) * 8;
        for (let jr = 0; jr < nc; jr += NR) {
          const pb = packB + <usize>jr * <usize>kc * 8;
          for (let ir = 0; ir < mc; ir += MR) {
            micro4x4(kc, packA + <usize>ir * <usize>kc * 8, pb, alpha, be,
              cBlock + (<usize>ir * <usize>ldc + <usize>jr) * 8, ldc, min(MR, mc - ir), min(NR, nc - jr));
          }
        }
      }
    }
  }
}

/** Packs op(A)[0:mc, 0:kc] into MR-row slivers (for each p, MR consecutive values), zero padded. */
// @ts-ignore: decorator
@inline function packBlockA(dst: usize, mc: i32, kc: i32, a: usize, rs: i32, cs: i32): void {
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
@inline function packPanelB(dst: usize, kc: i32, nc: i32, b: usize, rs: i32, cs: i32): void {
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
// Unpacked products for a short side (moved from assembly/strategies/xnes.ts, where they were written
// and measured; pointer arguments, so CMA-ES-like strategies can reuse them).
//
// With m = λ ≈ 24 rows against a d×d matrix, the BLIS-style gemm above packs all of op(B) = Bᵀ (an
// extra read and write of the d×d matrix) for a product that reads B once, and that cost 2× at
// d = 2000 (B is 32 MB, beyond the caches): XNES's min ms per generation at d = 1000 / 2000 were
// 7.5 / 28.8 with gemm_nt against 8.1 / 64 with gemm, or 8.3 / 35 with gemm called on 64-row blocks
// of B (2026-11, loaded 2-core machine). They need no packing buffer either.

// @ts-ignore: decorator
@inline function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

// C (m×n) = A Bᵀ with A m×k, B n×k: every entry a dot product of two contiguous rows. Register tile:
// 2 rows of A × 4 rows of B (8 f64x2 accumulators); the outer loop walks B in blocks of 4 rows, so B
// (the d×d matrix) streams from memory once while A (λ×d) stays in cache. A row of A in a pair and
// the odd last row (summed by dot, four accumulators) are rounded differently: a caller that computes
// some rows of a product alone and wants the whole product's bits starts them at an even row.
export function gemm_nt(m: i32, n: i32, k: i32, A: usize, Bm: usize, C: usize): void {
  gemm_nt_ld(m, n, k, A, Bm, C, n);
}

/** gemm_nt with C's row stride ldc (≥ n): C may be a column block of a wider matrix. */
export function gemm_nt_ld(m: i32, n: i32, k: i32, A: usize, Bm: usize, C: usize, ldc: i32): void {
  const k2 = k & ~1;
  const n4 = n & ~3, m2 = m & ~1;
  const ks = <usize>k << 3;
  for (let j = 0; j < n4; j += 4) {
    const b0 = rowp(Bm, j, k), b1 = b0 + ks, b2 = b1 + ks, b3 = b2 + ks;
    for (let i = 0; i < m2; i += 2) {
      const a0 = rowp(A, i, k), a1 = a0 + ks;
      let c00 = f64x2.splat(0), c01 = f64x2.splat(0), c02 = f64x2.splat(0), c03 = f64x2.splat(0);
      let c10 = f64x2.splat(0), c11 = f64x2.splat(0), c12 = f64x2.splat(0), c13 = f64x2.splat(0);
      for (let o: usize = 0, e = <usize>k2 << 3; o < e; o += 16) {
        const x0 = v128.load(a0 + o), x1 = v128.load(a1 + o);
        const y0 = v128.load(b0 + o), y1 = v128.load(b1 + o), y2 = v128.load(b2 + o), y3 = v128.load(b3 + o);
        c00 = f64x2.add(c00, f64x2.mul(x0, y0)); c01 = f64x2.add(c01, f64x2.mul(x0, y1));
        c02 = f64x2.add(c02, f64x2.mul(x0, y2)); c03 = f64x2.add(c03, f64x2.mul(x0, y3));
        c10 = f64x2.add(c10, f64x2.mul(x1, y0)); c11 = f64x2.add(c11, f64x2.mul(x1, y1));
        c12 = f64x2.add(c12, f64x2.mul(x1, y2)); c13 = f64x2.add(c13, f64x2.mul(x1, y3));
      }
      let s00 = hsum(c00), s01 = hsum(c01), s02 = hsum(c02), s03 = hsum(c03);
      let s10 = hsum(c10), s11 = hsum(c11), s12 = hsum(c12), s13 = hsum(c13);
      if (k2 < k) {
        const o = <usize>k2 << 3;
        const x0 = load<f64>(a0 + o), x1 = load<f64>(a1 + o);
        const y0 = load<f64>(b0 + o), y1 = load<f64>(b1 + o), y2 = load<f64>(b2 + o), y3 = load<f64>(b3 + o);
        s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
        s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
      }
      const r0 = rowp(C, i, ldc) + (<usize>j << 3), r1 = rowp(C, i + 1, ldc) + (<usize>j << 3);
      store<f64>(r0, s00); store<f64>(r0, s01, 8); store<f64>(r0, s02, 16); store<f64>(r0, s03, 24);
      store<f64>(r1, s10); store<f64>(r1, s11, 8); store<f64>(r1, s12, 16); store<f64>(r1, s13, 24);
    }
    for (let i = m2; i < m; i++) {
      for (let jj = j; jj < j + 4; jj++) store<f64>(at(C, i * ldc + jj), dot(rowp(A, i, k), rowp(Bm, jj, k), k));
    }
  }
  for (let j = n4; j < n; j++) {
    for (let i = 0; i < m; i++) store<f64>(at(C, i * ldc + j), dot(rowp(A, i, k), rowp(Bm, j, k), k));
  }
}
