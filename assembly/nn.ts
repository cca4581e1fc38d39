// Batched scoring of linear softmax classifiers (no bias): many weight matrices W_i (K×C) against
// one data set X (n×K), as one f32 product X·[W_0 … W_{λ−1}] fused with the per-candidate
// log-softmax, so the n × Cλ logits never leave the cache. Used by src/kernels.ts (evostrat/kernels).
//
// Layouts (f32, pointers are byte offsets, every buffer 16-byte aligned):
// - Xp, the data, packed once by the caller (src/kernels.ts): rows in blocks of MR, each block K×MR (row r of the block at lane r):
//   Xp[b][k][r] = X[b·MR + r][k]; rows past n are zero.
// - Bp, the candidates, packed per generation by nn_pack: the column of candidate i, class c is
//   col = c·λp + i (λp = λ rounded up to 4, so one class of all candidates is a run of f32x4 vectors),
//   in panels of NR columns: Bp[p][k][j] = W_i[k][c] for col = p·NR + j; padding columns are zero.
// The micro-kernel is the usual register-blocked outer product (GotoBLAS / BLIS structure:
// see K. Goto, R. van de Geijn, "Anatomy of high-performance matrix multiplication", ACM TOMS 34(3), 2008),
// MR×NR = 4×8 with f32x4 accumulators; K is blocked by KC so a B micro-panel stays in L1.

const NN_MR: i32 = 4;
const NN_NR: i32 = 8;
// @ts-ignore: decorator
@inline const KC: i32 = 392;
// @ts-ignore: decorator
@inline const MC: i32 = 64;

/** Rows of a Cbuf block (the caller sizes Cbuf as nn_cbuf_floats(ncols)). */
export function nn_mc(): i32 { return MC; }
export function nn_mr(): i32 { return NN_MR; }
export function nn_nr(): i32 { return NN_NR; }

/** λ rounded up to a multiple of 4 (the stride of one class in the packed columns). */
export function nn_lambda_pad(lambda: i32): i32 { return (lambda + 3) & ~3; }

/** Packed column count: C·λp rounded up to NR. */
export function nn_ncols(lambda: i32, C: i32): i32 {
  return (C * nn_lambda_pad(lambda) + NN_NR - 1) & ~(NN_NR - 1);
}

/** Packs λ candidates (λ rows of K·C f64 at pop, W_i[k][c] at k·C + c) into Bp. */
export function nn_pack(pop: usize, lambda: i32, K: i32, C: i32, Bp: usize): void {
  const lp = nn_lambda_pad(lambda), ncols = nn_ncols(lambda, C);
  memory.fill(Bp, 0, <usize>(ncols * K) << 2);
  for (let i = 0; i < lambda; i++) {
    const w = pop + (<usize>(i * K * C) << 3);
    for (let c = 0; c < C; c++) {
      const col = c * lp + i;
      const p = col / NN_NR, j = col - p * NN_NR;
      const dst = Bp + (<usize>(p * K * NN_NR + j) << 2);
      for (let k = 0; k < K; k++) {
        store<f32>(dst + (<usize>(k * NN_NR) << 2), <f32>load<f64>(w + (<usize>(k * C + c) << 3)));
      }
    }
  }
}

// C[0..4)[0..8) += A(4×kc, k-major) · B(kc×8, k-major); C row stride ldc floats.
// @ts-ignore: decorator
@inline function micro(a: usize, b: usize, kc: i32, c: usize, ldc: i32): void {
  const ld = <usize>ldc << 2;
  const c0 = c, c1 = c + ld, c2 = c1 + ld, c3 = c2 + ld;
  let x00 = v128.load(c0), x01 = v128.load(c0, 16);
  let x10 = v128.load(c1), x11 = v128.load(c1, 16);
  let x20 = v128.load(c2), x21 = v128.load(c2, 16);
  let x30 = v128.load(c3), x31 = v128.load(c3, 16);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(b), b1 = v128.load(b, 16);
    let s = v128.load32_splat(a);
    x00 = f32x4.add(x00, f32x4.mul(s, b0)); x01 = f32x4.add(x01, f32x4.mul(s, b1));
    s = v128.load32_splat(a, 4);
    x10 = f32x4.add(x10, f32x4.mul(s, b0)); x11 = f32x4.add(x11, f32x4.mul(s, b1));
    s = v128.load32_splat(a, 8);
    x20 = f32x4.add(x20, f32x4.mul(s, b0)); x21 = f32x4.add(x21, f32x4.mul(s, b1));
    s = v128.load32_splat(a, 12);
    x30 = f32x4.add(x30, f32x4.mul(s, b0)); x31 = f32x4.add(x31, f32x4.mul(s, b1));
    a += 16; b += 32;
  }
  v128.store(c0, x00); v128.store(c0, x01, 16);
  v128.store(c1, x10); v128.store(c1, x11, 16);
  v128.store(c2, x20); v128.store(c2, x21, 16);
  v128.store(c3, x30); v128.store(c3, x31, 16);
}

// e^x for x ≤ 0 lane-wise (x ≥ −87.3 after clamping): x = n·ln2 + r, |r| ≤ ln2/2, a degree-6 Taylor
// polynomial for e^r (relative error < 2e-7 on that interval), 2^n built in the exponent bits.
// @ts-ignore: decorator
@inline function expNeg(x: v128): v128 {
  x = f32x4.max(x, f32x4.splat(-87.0));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.4426950408889634)));
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693145751953125)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(1.428606765330187e-6)));
  let p = f32x4.splat(1.0 / 720.0);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 120.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 24.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0 / 6.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(0.5));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.0));
  const e = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(p, e);
}

// The exact correction log(1 + eps·s·e^{−t}) that turns t − log s into log(e^t/s + eps), for lane
// values t < thr (elsewhere it is below 1e-6); i is the candidate index of lane 0.
function floorFix(t: v128, s: v128, eps: f64, thr: f32, ll: usize, i: i32, lambda: i32): void {
  fixLane(f32x4.extract_lane(t, 0), f32x4.extract_lane(s, 0), eps, thr, ll, i, lambda);
  fixLane(f32x4.extract_lane(t, 1), f32x4.extract_lane(s, 1), eps, thr, ll, i + 1, lambda);
  fixLane(f32x4.extract_lane(t, 2), f32x4.extract_lane(s, 2), eps, thr, ll, i + 2, lambda);
  fixLane(f32x4.extract_lane(t, 3), f32x4.extract_lane(s, 3), eps, thr, ll, i + 3, lambda);
}

// @ts-ignore: decorator
@inline function fixLane(t: f32, s: f32, eps: f64, thr: f32, ll: usize, i: i32, lambda: i32): void {
  if (t < thr && i < lambda) {
    const o = ll + (<usize>i << 3);
    store<f64>(o, load<f64>(o) + Math.log1p(eps * <f64>s * Math.exp(-<f64>t)));
  }
}

/**
 * Cbuf (rows × ncols, f32) = rows [rb, rb + rows) of the packed data times the packed candidates:
 * the cache-blocked product shared by nn_score and nn_score_mirrored.
 */
function productBlock(Xp: usize, Bp: usize, K: i32, rb: i32, rows: i32, ncols: i32, np: i32, Cbuf: usize): void {
  const mblocks = (rows + NN_MR - 1) / NN_MR;
  memory.fill(Cbuf, 0, <usize>(mblocks * NN_MR * ncols) << 2);
  for (let k0 = 0; k0 < K; k0 += KC) {
    const kc = min(KC, K - k0);
    for (let p = 0; p < np; p++) {
      const b = Bp + (<usize>(p * K * NN_NR + k0 * NN_NR) << 2);
      for (let m = 0; m < mblocks; m++) {
        const a = Xp + (<usize>(((rb / NN_MR) + m) * K * NN_MR + k0 * NN_MR) << 2);
        micro(a, b, kc, Cbuf + (<usize>(m * NN_MR * ncols + p * NN_NR) << 2), ncols);
      }
    }
  }
}

/**
 * Scores rows [r0, r1) of the packed data against the packed candidates: for each candidate i,
 * ll[i] += Σ_rows log(softmax(x·W_i)[label] + eps) (eps ≥ 0; eps = 0 is the plain log-likelihood),
 * correct[i] += #rows whose largest logit is the label's (on ties the lowest class index wins, as
 * numpy's argmax). r0 must be a multiple of MR. Cbuf holds MC × ncols f32; acc holds 3·λp f32
 * (per-block partial sums). ll and correct are f64 arrays of λ (added to, not overwritten).
 */
export function nn_score(Xp: usize, labels: usize, n: i32, K: i32, Bp: usize, lambda: i32, C: i32,
                         Cbuf: usize, acc: usize, ll: usize, correct: usize, r0: i32, r1: i32, eps: f64): void {
  // log(p + eps) differs from log p by more than 1e-6 only where t = z_label − max < log(eps) + 16
  const thr: f32 = eps > 0 ? <f32>(Math.log(eps) + 16.0) : -Infinity;
  const thrv = f32x4.splat(thr);
  const lp = nn_lambda_pad(lambda), ncols = nn_ncols(lambda, C), np = ncols / NN_NR;
  const nv = lp >> 2;
  r1 = min(r1, n);
  const accZ = acc, accP = acc + (<usize>lp << 2), accC = acc + (<usize>(2 * lp) << 2);
  for (let rb = r0; rb < r1; rb += MC) {
    const rows = min(MC, r1 - rb);
    productBlock(Xp, Bp, K, rb, rows, ncols, np, Cbuf);
    // log-softmax, vectorised across candidates: class c of every candidate is the run at c·λp.
    memory.fill(acc, 0, <usize>(3 * lp) << 2);
    for (let v = 0; v < nv; v++) store<v128>(accP + (<usize>v << 4), f32x4.splat(1.0));
    for (let r = 0; r < rows; r++) {
      const row = Cbuf + (<usize>(r * ncols) << 2);
      const lab = load<i32>(labels + (<usize>(rb + r) << 2));
      const zl = row + (<usize>(lab * lp) << 2);
      for (let v = 0; v < nv; v++) {
        const o = <usize>v << 4;
        let mx = v128.load(row + o);
        for (let c = 1; c < C; c++) mx = f32x4.max(mx, v128.load(row + (<usize>(c * lp) << 2) + o));
        let s = f32x4.splat(0);
        for (let c = 0; c < C; c++) s = f32x4.add(s, expNeg(f32x4.sub(v128.load(row + (<usize>(c * lp) << 2) + o), mx)));
        const z = v128.load(zl + o), t = f32x4.sub(z, mx);
        v128.store(accZ + o, f32x4.add(v128.load(accZ + o), t));
        if (v128.any_true(f32x4.lt(t, thrv))) floorFix(t, s, eps, thr, ll, v << 2, lambda);
        v128.store(accP + o, f32x4.mul(v128.load(accP + o), s)); // s ∈ [1, C]: fold before overflow
        // correct: the label is the first index of the largest logit (numpy's argmax on ties)
        let ok = f32x4.ge(z, mx);
        for (let c = 0; c < lab; c++) ok = v128.and(ok, f32x4.gt(z, v128.load(row + (<usize>(c * lp) << 2) + o)));
        v128.store(accC + o, i32x4.sub(v128.load(accC + o), ok));
      }
      if ((r & 15) == 15 || r == rows - 1) {
        // 16 factors ≤ C each stay far below f32's range for C ≤ 100
        for (let i = 0; i < lambda; i++) {
          const q = accP + (<usize>i << 2);
          store<f64>(ll + (<usize>i << 3), load<f64>(ll + (<usize>i << 3)) - Math.log(<f64>load<f32>(q)));
          store<f32>(q, 1.0);
        }
      }
    }
    for (let i = 0; i < lambda; i++) {
      const o4 = <usize>i << 2, o8 = <usize>i << 3;
      store<f64>(ll + o8, load<f64>(ll + o8) + <f64>load<f32>(accZ + o4));
      store<f64>(correct + o8, load<f64>(correct + o8) + <f64>load<i32>(accC + o4));
    }
  }
}

// Mirrored (antithetic) populations: rows i and i + h (h = λ/2) are θ + δ_i and θ − δ_i, so their
// logits are x·θ ± x·δ_i and one product with the h + 1 columns [δ_0 … δ_{h−1}, θ] (per class)
// gives all λ: the packed candidate count is m = h + 1 (diffs at index i < h, the centre at index h),
// and the log-softmax forms base ± diff lane-wise before the same reductions as nn_score.

/** Accumulator floats nn_score_mirrored needs for λ (6 runs of ⌈λ/2⌉ rounded up to 4). */
export function nn_mirrored_acc_floats(lambda: i32): i32 { return 6 * nn_lambda_pad(lambda >> 1); }

/**
 * Packs a mirrored population (λ even, rows of K·C f64 at pop as for nn_pack) as the h + 1 = λ/2 + 1
 * candidates [δ_0 … δ_{h−1}, θ] with θ = (row 0 + row h)/2 and δ_i = (row i − row i+h)/2, into Bp
 * (ncols(h + 1, C) × K f32). Returns max |(row i + row i+h)/2 − θ| / max(1e-300, max |row|): how
 * far the rows are from mirror pairs about one centre (rounding alone gives ~1e-16).
 */
export function nn_pack_mirrored(pop: usize, lambda: i32, K: i32, C: i32, Bp: usize): f64 {
  const h = lambda >> 1, m = h + 1;
  const lp = nn_lambda_pad(m), ncols = nn_ncols(m, C);
  const D = K * C;
  memory.fill(Bp, 0, <usize>(ncols * K) << 2);
  const p0 = pop, ph = pop + (<usize>(h * D) << 3);
  let dev: f64 = 0, big: f64 = 0;
  for (let c = 0; c < C; c++) {
    const col = c * lp + h;
    const p = col / NN_NR, j = col - p * NN_NR;
    const dst = Bp + (<usize>(p * K * NN_NR + j) << 2);
    for (let k = 0; k < K; k++) {
      const o = <usize>(k * C + c) << 3;
      store<f32>(dst + (<usize>(k * NN_NR) << 2), <f32>(0.5 * (load<f64>(p0 + o) + load<f64>(ph + o))));
    }
  }
  for (let i = 0; i < h; i++) {
    const a = pop + (<usize>(i * D) << 3), b = pop + (<usize>((i + h) * D) << 3);
    for (let c = 0; c < C; c++) {
      const col = c * lp + i;
      const p = col / NN_NR, j = col - p * NN_NR;
      const dst = Bp + (<usize>(p * K * NN_NR + j) << 2);
      for (let k = 0; k < K; k++) {
        const o = <usize>(k * C + c) << 3;
        const x = load<f64>(a + o), y = load<f64>(b + o);
        store<f32>(dst + (<usize>(k * NN_NR) << 2), <f32>(0.5 * (x - y)));
        const e = Math.abs(0.5 * (x + y) - 0.5 * (load<f64>(p0 + o) + load<f64>(ph + o)));
        if (e > dev) dev = e;
        const ax = max(Math.abs(x), Math.abs(y));
        if (ax > big) big = ax;
      }
    }
  }
  return dev / max(big, 1e-300);
}

/**
 * nn_score for a mirrored population packed by nn_pack_mirrored: the same sums for the λ rows
 * (ll[i], correct[i] for row i, i < λ), from a product with λ/2 + 1 columns per class instead of λ.
 * Cbuf holds MC × ncols(λ/2 + 1, C) f32; acc holds nn_mirrored_acc_floats(λ) f32.
 */
export function nn_score_mirrored(Xp: usize, labels: usize, n: i32, K: i32, Bp: usize, lambda: i32, C: i32,
                                  Cbuf: usize, acc: usize, ll: usize, correct: usize, r0: i32, r1: i32, eps: f64): void {
  const thr: f32 = eps > 0 ? <f32>(Math.log(eps) + 16.0) : -Infinity;
  const thrv = f32x4.splat(thr);
  const h = lambda >> 1, m = h + 1;
  const lp = nn_lambda_pad(m), ncols = nn_ncols(m, C), np = ncols / NN_NR;
  const hp = nn_lambda_pad(h), nv = hp >> 2;
  const llM = ll + (<usize>h << 3), corM = correct + (<usize>h << 3);
  r1 = min(r1, n);
  const hb = <usize>hp << 2;
  const accZp = acc, accZm = acc + hb, accPp = acc + 2 * hb, accPm = acc + 3 * hb, accCp = acc + 4 * hb, accCm = acc + 5 * hb;
  const baseOff = <usize>h << 2;
  for (let rb = r0; rb < r1; rb += MC) {
    const rows = min(MC, r1 - rb);
    productBlock(Xp, Bp, K, rb, rows, ncols, np, Cbuf);
    memory.fill(acc, 0, <usize>(6 * hp) << 2);
    for (let v = 0; v < nv; v++) {
      store<v128>(accPp + (<usize>v << 4), f32x4.splat(1.0));
      store<v128>(accPm + (<usize>v << 4), f32x4.splat(1.0));
    }
    for (let r = 0; r < rows; r++) {
      const row = Cbuf + (<usize>(r * ncols) << 2);
      const lab = load<i32>(labels + (<usize>(rb + r) << 2));
      const zl = row + (<usize>(lab * lp) << 2);
      const zlb = v128.load32_splat(zl + baseOff);
      for (let v = 0; v < nv; v++) {
        const o = <usize>v << 4;
        let bc = v128.load32_splat(row + baseOff), dc = v128.load(row + o);
        let mxP = f32x4.add(bc, dc), mxM = f32x4.sub(bc, dc);
        for (let c = 1; c < C; c++) {
          const q = row + (<usize>(c * lp) << 2);
          bc = v128.load32_splat(q + baseOff); dc = v128.load(q + o);
          mxP = f32x4.max(mxP, f32x4.add(bc, dc));
          mxM = f32x4.max(mxM, f32x4.sub(bc, dc));
        }
        let sP = f32x4.splat(0), sM = f32x4.splat(0);
        for (let c = 0; c < C; c++) {
          const q = row + (<usize>(c * lp) << 2);
          bc = v128.load32_splat(q + baseOff); dc = v128.load(q + o);
          sP = f32x4.add(sP, expNeg(f32x4.sub(f32x4.add(bc, dc), mxP)));
          sM = f32x4.add(sM, expNeg(f32x4.sub(f32x4.sub(bc, dc), mxM)));
        }
        const dl = v128.load(zl + o);
        const zP = f32x4.add(zlb, dl), zM = f32x4.sub(zlb, dl);
        const tP = f32x4.sub(zP, mxP), tM = f32x4.sub(zM, mxM);
        v128.store(accZp + o, f32x4.add(v128.load(accZp + o), tP));
        v128.store(accZm + o, f32x4.add(v128.load(accZm + o), tM));
        if (v128.any_true(f32x4.lt(tP, thrv))) floorFix(tP, sP, eps, thr, ll, v << 2, h);
        if (v128.any_true(f32x4.lt(tM, thrv))) floorFix(tM, sM, eps, thr, llM, v << 2, h);
        v128.store(accPp + o, f32x4.mul(v128.load(accPp + o), sP));
        v128.store(accPm + o, f32x4.mul(v128.load(accPm + o), sM));
        let okP = f32x4.ge(zP, mxP), okM = f32x4.ge(zM, mxM);
        for (let c = 0; c < lab; c++) {
          const q = row + (<usize>(c * lp) << 2);
          bc = v128.load32_splat(q + baseOff); dc = v128.load(q + o);
          okP = v128.and(okP, f32x4.gt(zP, f32x4.add(bc, dc)));
          okM = v128.and(okM, f32x4.gt(zM, f32x4.sub(bc, dc)));
        }
        v128.store(accCp + o, i32x4.sub(v128.load(accCp + o), okP));
        v128.store(accCm + o, i32x4.sub(v128.load(accCm + o), okM));
      }
      if ((r & 15) == 15 || r == rows - 1) {
        for (let i = 0; i < h; i++) {
          const q = <usize>i << 2, o8 = <usize>i << 3;
          store<f64>(ll + o8, load<f64>(ll + o8) - Math.log(<f64>load<f32>(accPp + q)));
          store<f64>(llM + o8, load<f64>(llM + o8) - Math.log(<f64>load<f32>(accPm + q)));
          store<f32>(accPp + q, 1.0);
          store<f32>(accPm + q, 1.0);
        }
      }
    }
    for (let i = 0; i < h; i++) {
      const o4 = <usize>i << 2, o8 = <usize>i << 3;
      store<f64>(ll + o8, load<f64>(ll + o8) + <f64>load<f32>(accZp + o4));
      store<f64>(llM + o8, load<f64>(llM + o8) + <f64>load<f32>(accZm + o4));
      store<f64>(correct + o8, load<f64>(correct + o8) + <f64>load<i32>(accCp + o4));
      store<f64>(corM + o8, load<f64>(corM + o8) + <f64>load<i32>(accCm + o4));
    }
  }
}
