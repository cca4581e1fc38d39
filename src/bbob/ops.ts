/**
 * The building blocks of the BBOB functions: linear maps stored row by row (dense rotations, and the
 * large-scale suite's permuted block-diagonal rotations as sparse rows, never a dense d×d), the
 * oscillation T_osz, the asymmetry T_asy's coefficients, Λ-type diagonals and the boundary penalty.
 * Each row sums its terms in the order COCO's C code does, so results agree to the last bits where
 * libm agrees.
 *
 * see: COCO (numbbo/coco-experiment), code-experiments/src/transform_vars_*.c, transform_obj_*.c.
 */
import type { BlockRotation } from "./legacy.js";

/** A linear map, row i = Σ_k val[k]·x[col[k]] for k in [ptr[i], ptr[i+1]). */
export interface Linear {
  readonly n: number;
  readonly ptr: Int32Array;
  readonly col: Int32Array;
  readonly val: Float64Array;
}

/** A dense row-major n×n matrix as a Linear. */
export function dense(m: Float64Array, n: number): Linear {
  const ptr = new Int32Array(n + 1);
  const col = new Int32Array(n * n);
  for (let i = 0; i <= n; i++) ptr[i] = i * n;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) col[i * n + j] = j;
  return { n, ptr, col, val: m.slice() };
}

/**
 * The large-scale suite's `P_b · B · P_a` (COCO applies P_a, then the block rotation B, then P_b; a
 * permutation P maps x to (x[P[0]], x[P[1]], …)). Row i is row P_b[i] of B over the entries P_a picks:
 * d · (block size) terms in all.
 */
export function permBlock(pa: Int32Array, b: BlockRotation, pb: Int32Array): Linear {
  const n = pa.length;
  const ptr = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) ptr[i + 1] = ptr[i] + b.len[pb[i]];
  const col = new Int32Array(ptr[n]);
  const val = new Float64Array(ptr[n]);
  for (let i = 0; i < n; i++) {
    const r = pb[i];
    for (let j = 0; j < b.len[r]; j++) {
      col[ptr[i] + j] = pa[b.first[r] + j];
      val[ptr[i] + j] = b.vals[b.off[r] + j];
    }
  }
  return { n, ptr, col, val };
}

/** out = bias + m·x (out must not alias x). */
export function mv(m: Linear, x: ArrayLike<number>, out: Float64Array, bias = 0): void {
  const { n, ptr, col, val } = m;
  for (let i = 0; i < n; i++) {
    let s = bias;
    for (let k = ptr[i], e = ptr[i + 1]; k < e; k++) s += val[k] * x[col[k]];
    out[i] = s;
  }
}

/** R1 · diag(λ) · R2 for n×n rotations, summed over k as COCO does (rot1[i][k] · λ_k · rot2[k][j]). */
export function sandwich(r1: Float64Array, lambda: Float64Array, r2: Float64Array, n: number): Float64Array {
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += r1[i * n + k] * lambda[k] * r2[k * n + j];
      m[i * n + j] = s;
    }
  }
  return m;
}

/** λ_i = base^(i/(d−1)), as COCO writes the exponent ((double)i / (d − 1.0)). */
export function powers(base: number, d: number): Float64Array {
  const w = new Float64Array(d);
  for (let i = 0; i < d; i++) w[i] = Math.pow(base, (1.0 * i) / (d - 1.0));
  return w;
}

/** The conditioning transform's factors α^(0.5·i/(d−1)). */
export function conditioning(alpha: number, d: number): Float64Array {
  const w = new Float64Array(d);
  for (let i = 0; i < d; i++) w[i] = Math.pow(alpha, (0.5 * i) / (d - 1.0));
  return w;
}

/** T_asy^β's coefficients β·i/(d−1): x_i > 0 ↦ x_i^(1 + c_i·√x_i). */
export function asymmetry(beta: number, d: number): Float64Array {
  const c = new Float64Array(d);
  for (let i = 0; i < d; i++) c[i] = (beta * i) / (d - 1.0);
  return c;
}

export function asy(x: number, c: number): number {
  return x > 0 ? Math.pow(x, 1.0 + c * Math.sqrt(x)) : x;
}

/** T_osz, the oscillation (on a coordinate or on the objective value). */
export function osz(x: number): number {
  if (x > 0) {
    const t = Math.log(x) / 0.1;
    return Math.pow(Math.exp(t + 0.49 * (Math.sin(t) + Math.sin(0.79 * t))), 0.1);
  }
  if (x < 0) {
    const t = Math.log(-x) / 0.1;
    return -Math.pow(Math.exp(t + 0.49 * (Math.sin(0.55 * t) + Math.sin(0.31 * t))), 0.1);
  }
  return 0;
}

/** f_pen: Σ of squared excursions outside [−5, 5]. */
export function penalty(x: ArrayLike<number>, d: number): number {
  let p = 0;
  for (let i = 0; i < d; i++) {
    const c1 = x[i] - 5;
    const c2 = -5 - x[i];
    if (c1 > 0) p += c1 * c1;
    else if (c2 > 0) p += c2 * c2;
  }
  return p;
}

/** The same excursion, written as the raw f7, f21, f22 and f24 write it (|x| − 5). */
export function penaltyAbs(x: ArrayLike<number>, d: number): number {
  let p = 0;
  for (let i = 0; i < d; i++) {
    const t = Math.abs(x[i]) - 5;
    if (t > 0) p += t * t;
  }
  return p;
}

/** COCO's rounding: ⌊x + 0.5⌋. */
export function round(x: number): number {
  return Math.floor(x + 0.5);
}
