/**
 * Correctly rounded log and cos for the legacy Gaussian generator (instance set-up only, never on the
 * hot path), and the other double next to each exact value (for ./glibc-rounding.ts).
 *
 * Why: COCO's rotations come from Box-Muller Gaussians, √(−2 ln u)·cos(2πu), computed with the C
 * library. On the generator's inputs (u = k / 2147483647), engines' Math.log and Math.cos (V8's fdlibm
 * port) are faithful but not correctly rounded for 7.3% and 3.3% of them (2·10⁶ random k), glibc's
 * for 0.081% and 0.138% (all 2³¹ − 2 k; measured against logl/cosl, confirmed in quad precision).
 * Rounding correctly here makes the rotations, and the x_opt that f9 and f19 derive from them, agree
 * with COCO's far more often; ./glibc-rounding.ts lists where glibc rounds the other way for the
 * streams behind those x_opt. A 1-ulp difference in one Gaussian moves a rotation by ~1e-16, which
 * f19 (cos of a sum of squares of order 1e6) amplifies to ~1e-9 relative.
 *
 * How: the value is computed in double-double arithmetic (≈ 2^−100 relative) and rounded once. log:
 * u = m·2^e with m in [1, 2), ln u = e·ln 2 + ln c_j + 2·atanh((m − c_j)/(m + c_j)) for the nearest
 * of 64 centres c_j (whose logs are a table, each y₀ + log1p(c·e^(−y₀) − 1) from a Math.log guess y₀
 * and a double-double exp). cos: an exact reduction modulo π/2 (π/2 as three doubles) and Taylor
 * series in double-double. Checked: equal to the correctly rounded value (logl/cosl, quad precision
 * near midpoints) on 34.7·10⁶ inputs of the generator's domain (3·10⁷ random k and every k where
 * glibc is not correctly rounded); scripts/bbob-libm/ holds the scan and the check.
 * see: Dekker 1971 (exact products by splitting), Knuth TAOCP 4.2.2 (TwoSum), Muller et al., "Handbook
 *      of Floating-Point Arithmetic" (double-double algorithms).
 */

// Results of the double-double helpers: (hi, lo) = (D[0], D[1]), so nothing is allocated.
const D = new Float64Array(2);

const SPLIT = 134217729; // 2^27 + 1

/** (D[0], D[1]) = a·b exactly. */
function twoProd(a: number, b: number): void {
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  D[0] = p;
  D[1] = ah * bh - p + ah * bl + al * bh + al * bl;
}

/** (D[0], D[1]) = a + b exactly. */
function twoSum(a: number, b: number): void {
  const s = a + b;
  const bb = s - a;
  D[0] = s;
  D[1] = a - (s - bb) + (b - bb);
}

/** (D[0], D[1]) = (ah, al)·(bh, bl). */
function mul(ah: number, al: number, bh: number, bl: number): void {
  twoProd(ah, bh);
  const p = D[0];
  const e = D[1] + (ah * bl + al * bh);
  twoSum(p, e);
}

/** (D[0], D[1]) = (ah, al) + (bh, bl), accurate also under cancellation. */
function add(ah: number, al: number, bh: number, bl: number): void {
  twoSum(ah, bh);
  const s = D[0];
  const e = D[1];
  twoSum(al, bl);
  const t = D[0];
  const f = D[1];
  twoSum(s, e + t);
  twoSum(D[0], D[1] + f);
}

/** 1/n! for n = 0 … 30 as double-doubles (hi at 2n, lo at 2n + 1). */
const INV_FACT = (() => {
  const t = new Float64Array(62);
  let h = 1;
  let l = 0;
  t[0] = 1;
  for (let n = 1; n <= 30; n++) {
    // (h, l) / n
    const q1 = h / n;
    twoProd(q1, n);
    const r = h - D[0] - D[1] + l;
    const q2 = r / n;
    twoSum(q1, q2);
    h = D[0];
    l = D[1];
    t[2 * n] = h;
    t[2 * n + 1] = l;
  }
  return t;
})();

/**
 * (D[0], D[1]) = Σ_{j=0..n} c_(top − step·j)·x^(n − j) by Horner in double-double, with c_m = 1/m! (the
 * steps written out: this is the hot loop of the set-up).
 */
function horner(xh: number, xl: number, top: number, n: number, step: number): void {
  hornerGen(xh, xl, INV_FACT, top, n, step);
}

/** Horner over c_(top), c_(top − step), … from table `c` (double-doubles, hi at 2m, lo at 2m + 1). */
function hornerT(xh: number, xl: number, c: Float64Array, top: number): void {
  hornerGen(xh, xl, c, top, top, 1);
}

function hornerGen(xh: number, xl: number, c: Float64Array, top: number, n: number, step: number): void {
  let t = SPLIT * xh;
  const x1 = t - (t - xh);
  const x2 = xh - x1;
  let ph = c[2 * top];
  let pl = c[2 * top + 1];
  for (let m = top - step, j = 0; j < n; j++, m -= step) {
    // (ph, pl) · (xh, xl)
    const p = ph * xh;
    t = SPLIT * ph;
    const a1 = t - (t - ph);
    const a2 = ph - a1;
    const e = a1 * x1 - p + a1 * x2 + a2 * x1 + a2 * x2 + (ph * xl + pl * xh);
    const s = p + e;
    const sl = e - (s - p);
    // + c_m
    const ch = c[2 * m];
    const u = s + ch;
    const bb = u - s;
    const err = s - (u - bb) + (ch - bb) + sl + c[2 * m + 1];
    ph = u + err;
    pl = err - (ph - u);
  }
  D[0] = ph;
  D[1] = pl;
}

const LN2 = [0.6931471805599453, 2.3190468138462996e-17, 5.707708438416212e-34];
const PIO2 = [1.5707963267948966, 6.123233995736766e-17, -1.4973849048591698e-33];

/** e^a for 0 ≤ a ≤ 710 as a double-double (D[0], D[1]), relative error ≈ 2^−98. */
function expDD(a: number): void {
  const k = Math.round(a / LN2[0]);
  // r = a − k·ln2, summed exactly enough (Neumaier) over the parts
  twoProd(k, LN2[0]);
  const p0 = D[0];
  const p0l = D[1];
  twoProd(k, LN2[1]);
  const p1 = D[0];
  const p1l = D[1];
  twoSum(a, -p0);
  let rh = D[0];
  let rl = D[1] - p0l - p1l - k * LN2[2];
  twoSum(rh, -p1);
  rh = D[0];
  rl += D[1];
  twoSum(rh, rl);
  rh = D[0] / 256;
  rl = D[1] / 256;
  // expm1(r/256) by Taylor (|r/256| < 0.0014: 11 terms), then 8 squarings: e^(2x) − 1 = m·(m + 2)
  horner(rh, rl, 11, 10, 1);
  mul(D[0], D[1], rh, rl);
  let mh = D[0];
  let ml = D[1];
  for (let i = 0; i < 8; i++) {
    add(mh, ml, 2, 0);
    mul(mh, ml, D[0], D[1]);
    mh = D[0];
    ml = D[1];
  }
  add(mh, ml, 1, 0);
  const s = Math.pow(2, k);
  D[0] *= s;
  D[1] *= s;
}

/** 1/(2k+1) for k = 0 … 15 as double-doubles. */
const INV_ODD = (() => {
  const t = new Float64Array(32);
  for (let k = 0; k < 16; k++) {
    const n = 2 * k + 1;
    const q1 = 1 / n;
    twoProd(q1, n);
    const q2 = (1 - D[0] - D[1]) / n;
    twoSum(q1, q2);
    t[2 * k] = D[0];
    t[2 * k + 1] = D[1];
  }
  return t;
})();

/** ln c_j for c_j = 1 + (j + ½)/64, j = 0 … 63, as double-doubles: y₀ + log1p(c·e^(−y₀) − 1). */
const LOG_C = (() => {
  const t = new Float64Array(128);
  for (let j = 0; j < 64; j++) {
    const c = 1 + (j + 0.5) / 64;
    const y0 = Math.log(c);
    expDD(-y0);
    const el = D[1];
    twoProd(c, D[0]);
    twoSum(D[0] - 1, D[1] + c * el); // c·e^(−y0) − 1 (D[0] − 1 exact)
    const d = D[0] - (D[0] * D[0]) / 2;
    twoSum(y0, d);
    t[2 * j] = D[0];
    t[2 * j + 1] = D[1];
  }
  return t;
})();

/**
 * ln u, correctly rounded (but for arguments within ~2^−45 ulp of a midpoint), for 0 < u ≤ 1:
 * u = m·2^e, ln u = e·ln 2 + ln c_j + 2·atanh((m − c_j)/(m + c_j)) in double-double.
 */
export function logCR(u: number): number {
  if (u === 1) return 0;
  logDD(u);
  return D[0] + D[1];
}

/**
 * The other double next to ln u: the neighbour of `logCR(u)` on the side of the exact value, which is
 * what a faithful (< 1 ulp) log returns where it does not round correctly (./glibc-rounding.ts).
 */
export function logOther(u: number): number {
  if (u === 1) return 0;
  logDD(u);
  return other();
}

/** ln u as a double-double in (D[0], D[1]) (see logCR). */
function logDD(u: number): void {
  let e = Math.floor(Math.log2(u));
  let m = u / Math.pow(2, e);
  if (m >= 2) {
    m /= 2;
    e += 1;
  } else if (m < 1) {
    m *= 2;
    e -= 1;
  }
  const j = Math.min(63, Math.floor((m - 1) * 64));
  const c = 1 + (j + 0.5) / 64;
  const a = m - c; // exact (Sterbenz)
  twoSum(m, c);
  const bh = D[0];
  const bl = D[1];
  // s = a / (bh + bl)
  const q1 = a / bh;
  twoProd(q1, bh);
  const q2 = (a - D[0] - D[1] - q1 * bl) / bh;
  twoSum(q1, q2);
  const sh = D[0];
  const sl = D[1];
  // 2·atanh(s) = 2s·Σ s^(2k)/(2k+1), 8 terms (|s| ≤ 1/256)
  mul(sh, sl, sh, sl);
  hornerT(D[0], D[1], INV_ODD, 7);
  mul(D[0], D[1], 2 * sh, 2 * sl);
  const th = D[0];
  const tl = D[1];
  // + ln c_j + e·ln 2
  add(th, tl, LOG_C[2 * j], LOG_C[2 * j + 1]);
  const rh = D[0];
  const rl = D[1];
  twoProd(e, LN2[0]);
  const gh = D[0];
  const gl = D[1] + e * LN2[1];
  add(rh, rl, gh, gl);
}

/** cos x, correctly rounded (but for arguments within ~2^−45 ulp of a midpoint), for |x| ≤ 2^20. */
export function cosCR(x: number): number {
  cosDD(x);
  return D[0] + D[1];
}

/** The other double next to cos x: the neighbour of `cosCR(x)` on the side of the exact value. */
export function cosOther(x: number): number {
  cosDD(x);
  return other();
}

/** cos x as a double-double in (D[0], D[1]) (see cosCR). */
function cosDD(x: number): void {
  const k = Math.round(x / PIO2[0]);
  // r = x − k·π/2 as a double-double: the parts summed with error compensation
  twoProd(k, PIO2[0]);
  const a = D[0];
  const al = D[1];
  twoProd(k, PIO2[1]);
  const b = D[0];
  const bl = D[1];
  twoSum(x, -a);
  let rh = D[0];
  let rl = D[1];
  twoSum(rh, -b);
  rh = D[0];
  rl += D[1];
  rl += -al - bl - k * PIO2[2];
  twoSum(rh, rl);
  rh = D[0];
  rl = D[1];
  const q = ((k % 4) + 4) % 4;
  // z = r²; sin r = r·Σ (−z)^n/(2n+1)!, cos r = Σ (−z)^n/(2n)!  (|r| ≤ π/4: 15 terms)
  mul(rh, rl, rh, rl);
  const zh = -D[0];
  const zl = -D[1];
  const odd = q === 1 || q === 3;
  horner(zh, zl, odd ? 29 : 28, 14, 2);
  let ph = D[0];
  let pl = D[1];
  if (odd) {
    mul(ph, pl, rh, rl);
    ph = D[0];
    pl = D[1];
  }
  const neg = q === 1 || q === 2;
  D[0] = neg ? -ph : ph;
  D[1] = neg ? -pl : pl;
}

const BITS_F = new Float64Array(1);
const BITS_I = new BigInt64Array(BITS_F.buffer);

/**
 * From the double-double (D[0], D[1]) of a value v that no double equals: the double next to
 * round(v) on v's side, i.e. the other of the two doubles that bracket v.
 */
function other(): number {
  const r = D[0] + D[1];
  const residual = D[0] - r + D[1]; // D[0] − r is exact (r is D[0] or a neighbour of it)
  BITS_F[0] = r;
  // the bit pattern of a nonzero double grows with its magnitude
  BITS_I[0] += residual > 0 === r > 0 ? 1n : -1n;
  return BITS_F[0];
}
