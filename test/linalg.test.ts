// The dense kernels of assembly/linalg/ against plain-JS references and exact identities, on
// seeded random matrices (mulberry32) at sizes that hit every edge of gemm's 4×4 micro-tiles and its
// MC = 128, KC = 256, NC = 256 cache blocks.
//
// Tolerances are stated as multiples of the unit roundoff u = 2^-53 (eps = 2u) times the size and a
// norm of the data, i.e. the form of the classical bounds (Higham, "Accuracy and Stability of
// Numerical Algorithms", 2nd ed.: §3.1 inner products |fl(xᵀy) − xᵀy| ≤ γ_n |x|ᵀ|y|, §10.1 Cholesky,
// §19.3 Householder QR). A wrong index, a dropped tile or a missing beta term gives errors of order
// ‖A‖ itself, 10^10 or more times these bounds.
import { describe, expect, it } from "vitest";
import { rawCore, testingInstance } from "./testing-core";
import vectors from "./vectors/linalg.json";

const EPS = 2.220446049250313e-16;

/** mulberry32 (T. Ettinger, public domain): a tiny seeded 32-bit generator, uniform in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n values uniform in [-1, 1). */
function rand(seed: number, n: number): Float64Array {
  const r = mulberry32(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = 2 * r() - 1;
  return out;
}

type Core = ReturnType<typeof rawCore>;

/** C = A·B (m×k times k×n, dense row-major). */
function matmul(A: ArrayLike<number>, B: ArrayLike<number>, m: number, k: number, n: number): Float64Array {
  const C = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let p = 0; p < k; p++) {
      const a = A[i * k + p];
      for (let j = 0; j < n; j++) C[i * n + j] += a * B[p * n + j];
    }
  return C;
}

function transpose(A: ArrayLike<number>, m: number, n: number): Float64Array {
  const T = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) T[j * m + i] = A[i * n + j];
  return T;
}

function maxAbs(A: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < A.length; i++) s = Math.max(s, Math.abs(A[i]));
  return s;
}

function maxDiff(A: ArrayLike<number>, B: ArrayLike<number>): number {
  expect(A.length).toBe(B.length);
  let s = 0;
  for (let i = 0; i < A.length; i++) s = Math.max(s, Math.abs(A[i] - B[i]));
  return s;
}

/** Frobenius norm. */
function normF(A: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < A.length; i++) s += A[i] * A[i];
  return Math.sqrt(s);
}

function eye(n: number): Float64Array {
  const I = new Float64Array(n * n);
  for (let i = 0; i < n; i++) I[i * n + i] = 1;
  return I;
}

/** A random symmetric n×n matrix with entries in [-1, 1). */
function randSym(seed: number, n: number): Float64Array {
  const R = rand(seed, n * n);
  const S = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) S[i * n + j] = S[j * n + i] = R[i * n + j];
  return S;
}

/** A random orthogonal n×n matrix: modified Gram–Schmidt, applied twice, on a random matrix's columns. */
function randOrth(seed: number, n: number): Float64Array {
  const Q = transpose(rand(seed, n * n), n, n); // rows of Q here are the columns being orthonormalised
  for (let pass = 0; pass < 2; pass++)
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < j; i++) {
        let d = 0;
        for (let t = 0; t < n; t++) d += Q[i * n + t] * Q[j * n + t];
        for (let t = 0; t < n; t++) Q[j * n + t] -= d * Q[i * n + t];
      }
      let s = 0;
      for (let t = 0; t < n; t++) s += Q[j * n + t] ** 2;
      s = Math.sqrt(s);
      for (let t = 0; t < n; t++) Q[j * n + t] /= s;
    }
  return transpose(Q, n, n);
}

/** Q·diag(lam)·Qᵀ for a random orthogonal Q, symmetrised exactly; lam is returned sorted ascending. */
function spdWithSpectrum(seed: number, lam: number[]): { A: Float64Array; lam: number[] } {
  const n = lam.length;
  const Q = randOrth(seed, n);
  const QL = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) QL[i * n + j] = Q[i * n + j] * lam[j];
  const A = matmul(QL, transpose(Q, n, n), n, n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) A[i * n + j] = A[j * n + i] = 0.5 * (A[i * n + j] + A[j * n + i]);
  return { A, lam: [...lam].sort((a, b) => a - b) };
}

/** n values log-spaced from 1 down to 1/cond. */
function logspace(n: number, cond: number): number[] {
  return Array.from({ length: n }, (_, i) => (n === 1 ? 1 : cond ** (-i / (n - 1))));
}

/** Copies an array into core memory, optionally with row padding (rows×cols stored with stride ld). */
function putPadded(c: Core, A: ArrayLike<number>, rows: number, cols: number, ld: number, pad = 0): number {
  const buf = new Float64Array(Math.max(1, rows * ld)).fill(pad);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) buf[i * ld + j] = A[i * cols + j];
  return c.put(buf);
}

function getPadded(c: Core, p: number, rows: number, cols: number, ld: number): Float64Array {
  const v = c.f64(p, Math.max(1, rows * ld));
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = v[i * ld + j];
  return out;
}

// ---------------------------------------------------------------------------------------------------

describe("level 1", () => {
  const sizes = [0, 1, 2, 3, 7, 8, 9, 17, 50, 201];

  it("dot matches Σ x_i y_i within n·eps·Σ|x_i y_i|", () => {
    for (const n of sizes) {
      const x = rand(1 + n, n), y = rand(100 + n, n);
      const c = rawCore();
      const px = c.put(x), py = c.put(y);
      let ref = 0, abs = 0;
      for (let i = 0; i < n; i++) { ref += x[i] * y[i]; abs += Math.abs(x[i] * y[i]); }
      expect(Math.abs(c.x.dot(px, py, n) - ref)).toBeLessThanOrEqual(n * EPS * abs);
    }
    // exact small case: 1·4 + 2·5 + 3·6 = 32
    const c = rawCore();
    expect(c.x.dot(c.put([1, 2, 3]), c.put([4, 5, 6]), 3)).toBe(32);
  });

  it("axpy, scal and copy touch exactly n elements", () => {
    for (const n of sizes) {
      const x = rand(2 + n, n + 1), y = rand(200 + n, n + 1);
      const c = rawCore();
      const px = c.put(x), py = c.put(y), pz = c.put(y);
      c.x.axpy(n, -0.75, px, py);
      c.x.scal(n, 3, px);
      c.x.copy(n, py, pz);
      const X = c.f64(px, n + 1), Y = c.f64(py, n + 1), Z = c.f64(pz, n + 1);
      for (let i = 0; i < n; i++) {
        expect(Y[i]).toBe(y[i] + -0.75 * x[i]); // one rounding each: exact agreement with JS
        expect(X[i]).toBe(3 * x[i]);
        expect(Z[i]).toBe(Y[i]);
      }
      // the element past the end is untouched
      expect(X[n]).toBe(x[n]);
      expect(Y[n]).toBe(y[n]);
      expect(Z[n]).toBe(y[n]);
    }
  });
});

describe("gemv", () => {
  const shapes: [number, number][] = [[1, 1], [2, 3], [3, 2], [7, 5], [5, 7], [33, 17], [50, 50], [200, 200], [9, 1], [1, 9]];

  for (const [alpha, beta] of [[1, 0], [-1.3, 0], [0.7, 0.5], [2, 1]]) {
    it(`y = ${alpha}·A·x + ${beta}·y and y = ${alpha}·Aᵀx + ${beta}·y`, () => {
      for (const [m, n] of shapes) {
        const A = rand(m * 1000 + n, m * n), x = rand(7 + m, n), xt = rand(8 + m, m);
        const y0 = rand(9 + n, m + 1), yt0 = rand(10 + n, n + 1);
        if (beta === 0) { y0.fill(NaN, 0, m); yt0.fill(NaN, 0, n); } // beta = 0 must overwrite NaN
        const c = rawCore();
        const pA = c.put(A), px = c.put(x), pxt = c.put(xt), py = c.put(y0), pyt = c.put(yt0);
        c.x.gemv(m, n, alpha, pA, px, beta, py);
        c.x.gemv_t(m, n, alpha, pA, pxt, beta, pyt);
        const y = c.f64(py, m + 1), yt = c.f64(pyt, n + 1);
        for (let i = 0; i < m; i++) {
          let s = 0, abs = 0;
          for (let j = 0; j < n; j++) { s += A[i * n + j] * x[j]; abs += Math.abs(A[i * n + j] * x[j]); }
          const yb = beta === 0 ? 0 : beta * y0[i];
          expect(Math.abs(y[i] - (alpha * s + yb))).toBeLessThanOrEqual((n + 2) * EPS * (Math.abs(alpha) * abs + Math.abs(yb)));
        }
        for (let j = 0; j < n; j++) {
          let s = 0, abs = 0;
          for (let i = 0; i < m; i++) { s += A[i * n + j] * xt[i]; abs += Math.abs(A[i * n + j] * xt[i]); }
          const yb = beta === 0 ? 0 : beta * yt0[j];
          expect(Math.abs(yt[j] - (alpha * s + yb))).toBeLessThanOrEqual((m + 2) * EPS * (Math.abs(alpha) * abs + Math.abs(yb)));
        }
        expect(y[m]).toBe(y0[m]);
        expect(yt[n]).toBe(yt0[n]);
      }
    });
  }

  it("alpha = 0 only scales y and never reads A", () => {
    const c = rawCore();
    const pA = c.put([NaN, NaN, NaN, NaN]), px = c.put([1, 1]), py = c.put([1, 2]), pyt = c.put([3, NaN]);
    c.x.gemv(2, 2, 0, pA, px, 2, py);
    c.x.gemv_t(2, 2, 0, pA, px, 0, pyt);
    expect([...c.f64(py, 2)]).toEqual([2, 4]);
    expect([...c.f64(pyt, 2)]).toEqual([0, 0]);
  });
});

describe("gemm", () => {
  // op(A) m×k, op(B) k×n, both stored with padded leading dimensions; C too, with sentinel padding
  // that must survive. Elementwise bound: |ΔC_ij| ≤ (k+2)·eps·(|alpha|·Σ_p |a_ip b_pj| + |beta c_ij|).
  function check(seed: number, tA: number, tB: number, m: number, n: number, k: number, alpha: number, beta: number, padded = true) {
    const opA = rand(seed, m * k), opB = rand(seed + 1, k * n), C0 = rand(seed + 2, m * n);
    if (beta === 0) C0.fill(NaN);
    const [ar, ac] = tA ? [k, m] : [m, k];
    const [br, bc] = tB ? [n, k] : [k, n];
    const lda = ac + (padded ? 3 : 0), ldb = bc + (padded ? 1 : 0), ldc = n + (padded ? 5 : 0);
    const c = rawCore([m, n, k]); // packing buffer sized to this very product
    const pA = putPadded(c, tA ? transpose(opA, m, k) : opA, ar, ac, lda, NaN);
    const pB = putPadded(c, tB ? transpose(opB, k, n) : opB, br, bc, ldb, NaN);
    const pC = putPadded(c, C0, m, n, ldc, 12345);
    c.x.gemm(tA, tB, m, n, k, alpha, pA, lda, pB, ldb, beta, pC, ldc);
    const C = getPadded(c, pC, m, n, ldc);
    const full = c.f64(pC, Math.max(1, m * ldc));
    for (let i = 0; i < m; i++) for (let j = n; j < ldc; j++) expect(full[i * ldc + j]).toBe(12345);
    let worst = 0;
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0, abs = 0;
        for (let p = 0; p < k; p++) { const t = opA[i * k + p] * opB[p * n + j]; s += t; abs += Math.abs(t); }
        const cb = beta === 0 ? 0 : beta * C0[i * n + j];
        const err = Math.abs(C[i * n + j] - (alpha * s + cb));
        const tol = (k + 2) * EPS * (Math.abs(alpha) * abs + Math.abs(cb));
        if (!(err <= tol)) throw new Error(`gemm(${tA},${tB}) ${m}×${n}×${k} C[${i},${j}]: error ${err} > ${tol}`);
        worst = Math.max(worst, err / tol);
      }
    return worst;
  }

  const shapes: [number, number, number][] = [
    [1, 1, 1], [2, 3, 4], [4, 4, 4], [7, 7, 7], [33, 17, 65], [65, 33, 17], [17, 65, 33], [5, 9, 1], [50, 50, 50],
  ];
  for (const tA of [0, 1]) for (const tB of [0, 1]) {
    it(`op = ${tA ? "T" : "N"}${tB ? "T" : "N"}: odd shapes, alpha/beta combinations, padded leading dims`, () => {
      let seed = 10 * tA + tB;
      for (const [m, n, k] of shapes)
        for (const [alpha, beta] of [[1, 0], [1.5, 0.7], [-1, 1]]) check(seed += 17, tA, tB, m, n, k, alpha, beta);
    });
  }

  it("crosses every cache block boundary (m > MC = 128, k > KC = 256, n > NC = 256)", () => {
    check(1, 0, 0, 131, 7, 9, 1, 0.5);      // two row blocks
    check(2, 0, 1, 6, 5, 600, 1.25, 0.5);   // three k slices: beta applies once
    check(3, 1, 0, 3, 515, 10, -2, 0);      // three column panels
    check(4, 0, 1, 130, 515, 260, 1, 0.3, false);
  });

  it("matches the reference at 200×200×200, NN and NT", () => {
    check(5, 0, 0, 200, 200, 200, 1, 0, false);
    check(6, 0, 1, 200, 200, 200, 1, 0, false);
  });

  it("alpha = 0 or k = 0 only scales C, and beta = 0 then clears NaN", () => {
    const c = rawCore();
    const pA = c.put([NaN, NaN]), pB = c.put([NaN, NaN]), pC = c.put([1, 2, 3, 4]), pD = c.put([NaN, NaN, NaN, NaN]);
    c.x.gemm(0, 0, 2, 2, 1, 0, pA, 1, pB, 2, 3, pC, 2);
    c.x.gemm(0, 0, 2, 2, 0, 1, pA, 1, pB, 2, 0, pD, 2);
    expect([...c.f64(pC, 4)]).toEqual([3, 6, 9, 12]);
    expect([...c.f64(pD, 4)]).toEqual([0, 0, 0, 0]);
  });

  it("gives exact results on a small integer product", () => {
    // [[1,2],[3,4]]·[[5,6],[7,8]] = [[19,22],[43,50]] (by hand); all sums are exact in f64
    const c = rawCore();
    const pA = c.put([1, 2, 3, 4]), pB = c.put([5, 6, 7, 8]), pC = c.allocF64(4);
    c.x.gemm(0, 0, 2, 2, 2, 1, pA, 2, pB, 2, 0, pC, 2);
    expect([...c.f64(pC, 4)]).toEqual([19, 22, 43, 50]);
  });
});

describe("gemm's packing buffer, sized to the problem", () => {
  // op(A) block: ⌈min(128, m)⌉₄ × min(256, k) doubles; op(B) panel: min(256, k) × ⌈min(256, n)⌉₄
  const bytes = (m: number, n: number, k: number) => {
    const up4 = (v: number) => Math.ceil(v / 4) * 4;
    return m <= 0 || n <= 0 || k <= 0 ? 0 : 8 * (up4(Math.min(128, m)) * Math.min(256, k) + Math.min(256, k) * up4(Math.min(256, n)));
  };

  it("gemm_pack_bytes follows the blocking: a few KB at small sizes, 768 KB at most", () => {
    const x = testingInstance();
    for (const [m, n, k] of [[0, 5, 5], [5, 0, 5], [5, 5, 0], [1, 1, 1], [10, 10, 10], [24, 100, 100], [130, 7, 300], [5000, 5000, 5000]]) {
      expect(x.gemm_pack_bytes(m, n, k) >>> 0).toBe(bytes(m, n, k));
    }
    expect(x.gemm_pack_bytes(10, 10, 10)).toBe(8 * (12 * 10 + 10 * 12)); // 1920 bytes
    expect(x.gemm_pack_bytes(2 ** 31 - 1, 2 ** 31 - 1, 2 ** 31 - 1) >>> 0).toBe(768 * 1024);
  });

  it("a strategy-sized reservation (λ = 10, d = 10) keeps the memory at one page", () => {
    const x = testingInstance();
    const pages = x.memory.buffer.byteLength >> 16;
    x.gemm_reserve(10, 10, 10);
    const p = x.allocF64(300) >>> 0;
    expect(x.memory.buffer.byteLength >> 16).toBe(pages);
    const v = new Float64Array(x.memory.buffer, p, 300).fill(1);
    x.gemm(0, 1, 10, 10, 10, 1, p, 10, p + 800, 10, 0, p + 1600, 10); // C = A·Bᵀ, all ones: every entry 10
    expect([...v.subarray(200, 300)]).toEqual(new Array(100).fill(10));
  });

  it("one reservation serves every product whose packing fits; a larger one aborts naming gemm_reserve", () => {
    const c = rawCore([64, 64, 64]);
    const pA = c.put(rand(1, 300 * 300)), pB = c.put(rand(2, 300 * 300)), pC = c.allocF64(300 * 300);
    c.x.gemm(0, 0, 64, 64, 64, 1, pA, 64, pB, 64, 0, pC, 64);
    c.x.gemm(0, 0, 32, 96, 64, 1, pA, 64, pB, 96, 0, pC, 96); // same total: A block smaller, B panel larger
    c.x.gemm(0, 0, 10, 3, 1, 1, pA, 1, pB, 3, 0, pC, 3);
    expect(() => c.x.gemm(0, 0, 64, 65, 64, 1, pA, 64, pB, 65, 0, pC, 65)).toThrow(/gemm_reserve\(m, n, k\).* at assembly\/linalg\/gemm\.ts:\d+/);
    // a larger reservation replaces the buffer; then the product runs
    c.x.gemm_reserve(300, 300, 300);
    c.x.gemm(0, 0, 300, 300, 300, 1, pA, 300, pB, 300, 0, pC, 300);
  });
});

describe("unpacked products for a short side (gemm_nt, gemm_tn_update)", () => {
  // the sizes XNES uses (m, k = λ small against n = d) and every edge of their 2×4 and 4×4 tiles
  const shapes: [number, number, number][] = [[1, 1, 1], [2, 4, 2], [3, 5, 7], [7, 9, 3], [24, 50, 11], [9, 13, 64]];

  it("gemm_nt: C = A·Bᵀ with A m×k, B n×k", () => {
    let seed = 900;
    for (const [m, n, k] of shapes) {
      const A = rand(seed++, m * k), B = rand(seed++, n * k);
      const c = rawCore([1, 1, 1]);
      const pA = c.put(A), pB = c.put(B), pC = c.put(new Float64Array(m * n).fill(NaN));
      c.x.gemm_nt(m, n, k, pA, pB, pC);
      const ref = matmul(A, transpose(B, n, k), m, k, n);
      expect(maxDiff(c.f64(pC, m * n), ref)).toBeLessThanOrEqual((k + 1) * EPS * k);
    }
  });

  it("gemm_tn_update: C ← s·C + Aᵀ·B with A, B k×n, and ssq[i] = Σ_j C[i][j]² of the result", () => {
    let seed = 950;
    for (const [, n, k] of shapes) {
      const A = rand(seed++, k * n), B = rand(seed++, k * n), C0 = rand(seed++, n * n), s = 0.75;
      const c = rawCore([1, 1, 1]);
      const pA = c.put(A), pB = c.put(B), pC = c.put(C0), pS = c.put(new Float64Array(n).fill(NaN));
      c.x.gemm_tn_update(n, k, s, pA, pB, pC, pS);
      const AtB = matmul(transpose(A, k, n), B, n, k, n);
      const ref = AtB.map((v, i) => s * C0[i] + v);
      const C = c.f64(pC, n * n).slice();
      expect(maxDiff(C, ref)).toBeLessThanOrEqual((k + 2) * EPS * (k + 1));
      const ssq = Array.from({ length: n }, (_, i) => C.subarray(i * n, (i + 1) * n).reduce((t, v) => t + v * v, 0));
      expect(maxDiff(c.f64(pS, n), ssq)).toBeLessThanOrEqual((n + 1) * EPS * Math.max(...ssq));
    }
  });
});

describe("syrk", () => {
  it("C = alpha·A·Aᵀ + beta·C, both triangles, exactly symmetric", () => {
    let seed = 500;
    for (const [n, k] of [[1, 1], [2, 3], [7, 1], [7, 17], [50, 64], [130, 5], [200, 33]])
      for (const [alpha, beta] of [[1, 0], [-0.5, 0.75]]) {
        const A = rand(seed++, n * k);
        const C0 = randSym(seed++, n);
        const lda = k + 2, ldc = n + 1;
        const c = rawCore();
        const pA = putPadded(c, A, n, k, lda, NaN);
        // the upper triangle is never read: poison it (and everything when beta = 0)
        const Cin = C0.slice();
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (j > i || beta === 0) Cin[i * n + j] = NaN;
        const pC = putPadded(c, Cin, n, n, ldc, 777);
        c.x.syrk(n, k, alpha, pA, lda, beta, pC, ldc);
        const C = getPadded(c, pC, n, n, ldc);
        const full = c.f64(pC, n * ldc);
        for (let i = 0; i < n; i++) expect(full[i * ldc + n]).toBe(777);
        let asym = 0, worst = 0;
        for (let i = 0; i < n; i++)
          for (let j = 0; j < n; j++) {
            asym = Math.max(asym, Math.abs(C[i * n + j] - C[j * n + i]));
            let s = 0, abs = 0;
            for (let p = 0; p < k; p++) { const t = A[i * k + p] * A[j * k + p]; s += t; abs += Math.abs(t); }
            const cb = beta === 0 ? 0 : beta * C0[i * n + j];
            const err = Math.abs(C[i * n + j] - (alpha * s + cb)) / ((k + 2) * EPS * (Math.abs(alpha) * abs + Math.abs(cb)));
            worst = Math.max(worst, Number.isNaN(err) ? Infinity : err);
          }
        expect(asym).toBe(0);
        expect(worst).toBeLessThanOrEqual(1);
      }
  });
});

describe("cholesky and triangular solves", () => {
  it("factors a textbook example exactly", () => {
    // Wikipedia, "Cholesky decomposition", example: [[4,12,-16],[12,37,-43],[-16,-43,98]] = L·Lᵀ with
    // L = [[2,0,0],[6,1,0],[-8,5,3]] (by hand: 2² = 4, 12/2 = 6, √(37−36) = 1, −16/2 = −8,
    // (−43 − 6·(−8))/1 = 5, √(98 − 64 − 25) = 3); every step is exact in f64.
    const c = rawCore();
    const p = c.put([4, 12, -16, 12, 37, -43, -16, -43, 98]);
    expect(c.x.cholesky(3, p)).toBe(0);
    expect([...c.f64(p, 9)]).toEqual([2, 0, 0, 6, 1, 0, -8, 5, 3]);
  });

  it("reports the first non-positive pivot as column + 1", () => {
    const c = rawCore();
    expect(c.x.cholesky(2, c.put([-1, 0, 0, 1]))).toBe(1);
    expect(c.x.cholesky(2, c.put([1, 2, 2, 1]))).toBe(2);          // 1 − 2² < 0
    expect(c.x.cholesky(3, c.put([4, 0, 0, 0, 1, 0, 0, 0, 0]))).toBe(3); // semidefinite: pivot 0
    expect(c.x.cholesky(2, c.put([1, 0, NaN, 1]))).toBe(2);
    expect(c.x.cholesky(0, c.put([1]))).toBe(0);
  });

  it("L·Lᵀ = A within n·eps·‖A‖ on random SPD matrices; the upper triangle is zeroed", () => {
    for (const n of [1, 2, 7, 50, 200]) {
      const B = rand(900 + n, n * n);
      const A = matmul(B, transpose(B, n, n), n, n, n);
      for (let i = 0; i < n; i++) A[i * n + i] += 1;
      const c = rawCore();
      const p = c.put(A);
      expect(c.x.cholesky(n, p)).toBe(0);
      const L = c.f64(p, n * n).slice();
      let upper = 0;
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) upper = Math.max(upper, Math.abs(L[i * n + j]));
      expect(upper).toBe(0);
      const R = matmul(L, transpose(L, n, n), n, n, n);
      expect(maxDiff(R, A)).toBeLessThanOrEqual(2 * n * EPS * maxAbs(A));
    }
  });

  it("trsv_lower and trsv_lower_t match forward/back substitution", () => {
    for (const n of [1, 2, 7, 50, 200]) {
      const L = rand(300 + n, n * n);
      for (let i = 0; i < n; i++) { L[i * n + i] = 2 + Math.abs(L[i * n + i]); for (let j = i + 1; j < n; j++) L[i * n + j] = NaN; }
      const b = rand(400 + n, n);
      const c = rawCore();
      const pL = c.put(L), px = c.put(b), py = c.put(b);
      c.x.trsv_lower(n, pL, px);
      c.x.trsv_lower_t(n, pL, py);
      const x = c.f64(px, n), y = c.f64(py, n);
      // residuals relative to |L|·|x| + |b| (componentwise backward error, Higham §8.1)
      for (let i = 0; i < n; i++) {
        let r = b[i], s = Math.abs(b[i]), rt = b[i], st = Math.abs(b[i]);
        for (let j = 0; j <= i; j++) { r -= L[i * n + j] * x[j]; s += Math.abs(L[i * n + j] * x[j]); }
        for (let j = i; j < n; j++) { rt -= L[j * n + i] * y[j]; st += Math.abs(L[j * n + i] * y[j]); }
        expect(Math.abs(r)).toBeLessThanOrEqual((n + 2) * EPS * s);
        expect(Math.abs(rt)).toBeLessThanOrEqual((n + 2) * EPS * st);
      }
    }
  });

  it("handles condition number 1e10: backward error of the factor and of A·x = b ~ n·eps", () => {
    const n = 60;
    const { A } = spdWithSpectrum(77, logspace(n, 1e10));
    const xTrue = rand(78, n);
    const b = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) b[i] += A[i * n + j] * xTrue[j];
    const c = rawCore();
    const p = c.put(A), px = c.put(b);
    expect(c.x.cholesky(n, p)).toBe(0);
    c.x.trsv_lower(n, p, px);
    c.x.trsv_lower_t(n, p, px);
    const L = c.f64(p, n * n).slice(), x = c.f64(px, n).slice();
    const normA = normF(A);
    expect(normF(matmul(L, transpose(L, n, n), n, n, n).map((v, i) => v - A[i])) / normA).toBeLessThanOrEqual(n * EPS);
    const r = new Float64Array(n);
    for (let i = 0; i < n; i++) { r[i] = b[i]; for (let j = 0; j < n; j++) r[i] -= A[i * n + j] * x[j]; }
    expect(normF(r) / (normA * normF(x))).toBeLessThanOrEqual(n * EPS);
    // forward error may be as large as cond·eps = 2e-6, but no larger
    expect(maxDiff(x, xTrue) / maxAbs(xTrue)).toBeLessThan(1e-4);
  });
});

describe("qr_thin", () => {
  function qr(c: Core, A: Float64Array, m: number, n: number) {
    const pA = c.put(A), pQ = c.allocF64(m * n), pR = c.allocF64(n * n), pW = c.allocF64(m * n + 2 * n);
    c.x.qr_thin(m, n, pA, pQ, pR, pW);
    return { A: c.f64(pA, m * n).slice(), Q: c.f64(pQ, m * n).slice(), R: c.f64(pR, n * n).slice() };
  }

  it("Q·R = A, QᵀQ = I, R upper with diag ≥ 0, A preserved", () => {
    for (const [m, n] of [[1, 1], [2, 2], [7, 3], [7, 7], [33, 17], [50, 50], [200, 50], [200, 200]]) {
      const A0 = rand(m * 7 + n, m * n);
      const c = rawCore();
      const { A, Q, R } = qr(c, A0, m, n);
      expect(maxDiff(A, A0)).toBe(0);
      let lower = 0, minDiag = Infinity;
      for (let i = 0; i < n; i++) {
        minDiag = Math.min(minDiag, R[i * n + i]);
        for (let j = 0; j < i; j++) lower = Math.max(lower, Math.abs(R[i * n + j]));
      }
      expect(lower).toBe(0);
      expect(minDiag).toBeGreaterThanOrEqual(0);
      // Householder QR: ‖QR − A‖ ≤ c·m·n·u‖A‖ normwise (Higham Thm 19.4); checked at m·eps·‖A‖_F
      expect(normF(matmul(Q, R, m, n, n).map((v, i) => v - A0[i]))).toBeLessThanOrEqual(m * EPS * normF(A0));
      expect(maxDiff(matmul(transpose(Q, m, n), Q, n, m, n), eye(n))).toBeLessThanOrEqual(m * EPS);
    }
  });

  it("known values and a rank-deficient column", () => {
    const c = rawCore();
    // [3; 4] = [0.6; 0.8]·[5] (the 3-4-5 triangle)
    const a = qr(c, Float64Array.from([3, 4]), 2, 1);
    expect(a.R[0]).toBeCloseTo(5, 14);
    expect(Math.abs(a.Q[0] - 0.6)).toBeLessThan(4 * EPS);
    expect(Math.abs(a.Q[1] - 0.8)).toBeLessThan(4 * EPS);
    // a zero middle column: R[1,1] = 0, Q still orthonormal
    const Z = Float64Array.from([1, 0, 2, 1, 0, -1, 1, 0, 3, 1, 0, 0]); // 4×3
    const z = qr(c, Z, 4, 3);
    expect(Math.abs(z.R[4])).toBeLessThan(4 * EPS);
    expect(maxDiff(matmul(z.Q, z.R, 4, 3, 3), Z)).toBeLessThan(16 * EPS);
    expect(maxDiff(matmul(transpose(z.Q, 4, 3), z.Q, 3, 4, 3), eye(3))).toBeLessThan(16 * EPS);
  });
});

describe("eigh", () => {
  function eig(c: Core, A: Float64Array, n: number) {
    const pA = c.put(A), pw = c.allocF64(n), pV = c.allocF64(n * n), pW = c.allocF64(n * n + 3 * n);
    const status = c.x.eigh(n, pA, pw, pV, pW);
    return { status, A: c.f64(pA, n * n).slice(), w: c.f64(pw, n).slice(), V: c.f64(pV, n * n).slice() };
  }

  /** ‖V·diag(w)·Vᵀ − A‖_F and ‖VᵀV − I‖_max. */
  function residuals(A: Float64Array, w: Float64Array, V: Float64Array, n: number) {
    const VW = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) VW[i * n + j] = V[i * n + j] * w[j];
    const rec = matmul(VW, transpose(V, n, n), n, n, n);
    return {
      rec: normF(rec.map((v, i) => v - A[i])),
      orth: maxDiff(matmul(transpose(V, n, n), V, n, n, n), eye(n)),
    };
  }

  it("A = V·diag(w)·Vᵀ, VᵀV = I, w ascending, A preserved (random symmetric)", () => {
    for (const n of [1, 2, 3, 7, 50, 200]) {
      const A0 = randSym(600 + n, n);
      const c = rawCore();
      const { status, A, w, V } = eig(c, A0, n);
      expect(status).toBe(0);
      expect(maxDiff(A, A0)).toBe(0);
      for (let i = 1; i < n; i++) expect(w[i]).toBeGreaterThanOrEqual(w[i - 1]);
      const { rec, orth } = residuals(A0, w, V, n);
      // backward stable: ‖VΛVᵀ − A‖ ≲ c·n·eps·‖A‖ (GvL §8.3.6); checked at n·eps·‖A‖_F and n·eps
      expect(rec).toBeLessThanOrEqual(n * EPS * normF(A0) + 1e-300);
      expect(orth).toBeLessThanOrEqual(n * EPS);
    }
  });

  it("known spectra", () => {
    const c = rawCore();
    // [[2,1],[1,2]]: eigenvalues 1 and 3, eigenvectors (1,−1)/√2 and (1,1)/√2 (by hand: det(A − λI) = (2−λ)² − 1)
    const a = eig(c, Float64Array.from([2, 1, 1, 2]), 2);
    expect(Math.abs(a.w[0] - 1)).toBeLessThan(4 * EPS);
    expect(Math.abs(a.w[1] - 3)).toBeLessThan(8 * EPS);
    expect(Math.abs(Math.abs(a.V[0]) - Math.SQRT1_2)).toBeLessThan(4 * EPS);
    expect(a.V[0] * a.V[2]).toBeLessThan(0);  // column 0 ∝ (1, −1)
    expect(a.V[1] * a.V[3]).toBeGreaterThan(0); // column 1 ∝ (1, 1)
    // the 1-D Laplacian tridiag(−1, 2, −1) of order n has eigenvalues 2 − 2cos(jπ/(n+1)), j = 1..n
    // (GvL §4.8.3); n = 3: 2 − √2, 2, 2 + √2
    for (const n of [3, 40]) {
      const T = new Float64Array(n * n);
      for (let i = 0; i < n; i++) { T[i * n + i] = 2; if (i > 0) T[i * n + i - 1] = T[(i - 1) * n + i] = -1; }
      const t = eig(c, T, n);
      for (let j = 1; j <= n; j++) expect(Math.abs(t.w[j - 1] - (2 - 2 * Math.cos((j * Math.PI) / (n + 1))))).toBeLessThan(4 * n * EPS);
    }
    // a diagonal matrix: w = sorted diagonal exactly, V a permutation
    const d = eig(c, Float64Array.from([3, 0, 0, 0, -1, 0, 0, 0, 2]), 3);
    expect([...d.w]).toEqual([-1, 2, 3]);
    expect([...d.V].map(Math.abs)).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 0]);
    // repeated eigenvalues: 5·I and the all-ones matrix J (eigenvalues 0 (n−1 times) and n)
    const I5 = eig(c, eye(6).map((v) => 5 * v), 6);
    expect(maxDiff(I5.w, new Float64Array(6).fill(5))).toBe(0);
    const n = 6;
    const J = new Float64Array(n * n).fill(1);
    const j = eig(c, J, n);
    expect(maxAbs(j.w.slice(0, n - 1))).toBeLessThan(8 * n * EPS);
    expect(Math.abs(j.w[n - 1] - n)).toBeLessThan(8 * n * EPS);
    const { rec, orth } = residuals(J, j.w, j.V, n);
    expect(rec).toBeLessThan(n * EPS * normF(J));
    expect(orth).toBeLessThan(n * EPS);
    // the zero matrix
    const z = eig(c, new Float64Array(16), 4);
    expect(z.status).toBe(0);
    expect([...z.w]).toEqual([0, 0, 0, 0]);
  });

  it("matches high-precision spectra: Wilkinson's W21+ (near-double pairs) and the 6×6 Hilbert matrix", () => {
    const c = rawCore();
    // reference values: test/vectors/linalg.json (mpmath, 60 digits)
    const n = 21;
    const W = new Float64Array(n * n);
    for (let i = 0; i < n; i++) { W[i * n + i] = Math.abs(10 - i); if (i > 0) W[i * n + i - 1] = W[(i - 1) * n + i] = 1; }
    const w = eig(c, W, n);
    expect(w.status).toBe(0);
    expect(maxDiff(w.w, vectors.wilkinson21)).toBeLessThanOrEqual(n * EPS * 10.75); // n·eps·‖W‖₂
    // the top pair differs by 7e-14, yet its eigenvectors come out orthogonal
    expect(residuals(W, w.w, w.V, n).orth).toBeLessThanOrEqual(n * EPS);
    const m = 6;
    const H = new Float64Array(m * m);
    for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) H[i * m + j] = 1 / (i + j + 1);
    const h = eig(c, H, m);
    expect(maxDiff(h.w, vectors.hilbert6)).toBeLessThanOrEqual(m * EPS * 1.62); // n·eps·‖H‖₂
  });

  it("returns nonzero instead of looping on NaN input", () => {
    const c = rawCore();
    const A = randSym(5, 5);
    A[1 * 5 + 2] = A[2 * 5 + 1] = NaN;
    expect(eig(c, A, 5).status).toBeGreaterThan(0);
    const pA = c.put(A), pOut = c.allocF64(25), pw = c.allocF64(5), pV = c.allocF64(25), pW = c.allocF64(25 + 15);
    expect(c.x.expm_sym(5, pA, pOut, pw, pV, pW)).toBeGreaterThan(0);
  });

  it("condition number 1e10: |Δλ_i| ≤ n·eps·‖A‖, so the relative error of λ_i is ≤ n·eps·‖A‖/λ_i", () => {
    const n = 60;
    const { A, lam } = spdWithSpectrum(91, logspace(n, 1e10));
    const c = rawCore();
    const { status, w, V } = eig(c, A, n);
    expect(status).toBe(0);
    // the stored A is the exact Q·Λ·Qᵀ perturbed by ~n·eps·‖A‖ (rounding of the product), and a
    // backward stable solver adds as much again (Weyl: |Δλ| ≤ ‖ΔA‖₂)
    const normA = lam[n - 1];
    for (let i = 0; i < n; i++) expect(Math.abs(w[i] - lam[i]) / lam[i]).toBeLessThanOrEqual((n * EPS * normA) / lam[i]);
    // the large eigenvalues are then relatively accurate to n·eps
    expect(Math.abs(w[n - 1] - 1)).toBeLessThanOrEqual(n * EPS);
    const { rec, orth } = residuals(A, w, V, n);
    expect(rec).toBeLessThanOrEqual(n * EPS * normF(A));
    expect(orth).toBeLessThanOrEqual(n * EPS);
  });
});

describe("expm_sym", () => {
  function expm(c: Core, A: Float64Array, n: number, alias = false) {
    const pA = c.put(A), pOut = alias ? pA : c.allocF64(n * n), pw = c.allocF64(n), pV = c.allocF64(n * n), pW = c.allocF64(n * n + 3 * n);
    expect(c.x.expm_sym(n, pA, pOut, pw, pV, pW)).toBe(0);
    return c.f64(pOut, n * n).slice();
  }

  it("exp([[0,1],[1,0]]) = [[cosh 1, sinh 1],[sinh 1, cosh 1]]", () => {
    // the matrix squares to I, so its series splits into the even (cosh) and odd (sinh) parts
    const c = rawCore();
    const E = expm(c, Float64Array.from([0, 1, 1, 0]), 2);
    const ch = Math.cosh(1), sh = Math.sinh(1);
    expect(maxDiff(E, [ch, sh, sh, ch])).toBeLessThan(8 * EPS * ch);
  });

  it("matches a high-precision exp of a 4×4 symmetric matrix", () => {
    // reference: test/vectors/linalg.json (mpmath expm, 60 digits). A has ‖A‖₂ ≈ 5.5: the
    // eigenvalues' backward errors (~n·eps·‖A‖) move each e^λ by that much relatively
    const c = rawCore();
    const A = Float64Array.from(vectors.expm4.A.flat());
    const ref = vectors.expm4.expA.flat();
    expect(maxDiff(expm(c, A, 4), ref)).toBeLessThanOrEqual(4 * EPS * 5.5 * maxAbs(ref));
  });

  it("exp(diag) = diag(exp), exp(0) = I, and out may alias A", () => {
    const c = rawCore();
    const D = new Float64Array(9);
    D[0] = -2; D[4] = 0.5; D[8] = 3;
    const E = expm(c, D, 3, true);
    const ref = new Float64Array(9);
    ref[0] = Math.exp(-2); ref[4] = Math.exp(0.5); ref[8] = Math.exp(3);
    // V is a permutation here, so each entry is one product e^{w/2}·e^{w/2}: 2 roundings + exp's
    for (let i = 0; i < 9; i++) expect(Math.abs(E[i] - ref[i])).toBeLessThanOrEqual(4 * EPS * Math.abs(ref[i]));
    for (const n of [1, 5, 50]) expect(maxDiff(expm(c, new Float64Array(n * n), n), eye(n))).toBeLessThanOrEqual(n * EPS);
  });

  it("expm(A)·expm(−A) = I, exactly symmetric, and matches the Taylor series", () => {
    for (const n of [1, 2, 7, 50, 200]) {
      // spectrum within about [−2, 2]: ‖e^A‖·‖e^−A‖ ≤ e^4
      const A = randSym(700 + n, n).map((v) => (2 * v) / Math.sqrt(n));
      const c = rawCore();
      const E = expm(c, A, n), F = expm(c, A.map((v) => -v), n);
      expect(maxDiff(E, transpose(E, n, n))).toBe(0);
      expect(maxDiff(matmul(E, F, n, n, n), eye(n))).toBeLessThanOrEqual(n * EPS * Math.exp(4));
      if (n <= 7) {
        // Taylor series with scaling and squaring: exp(A) = (Σ_{j<25} (A/16)^j / j!)^16
        const S = A.map((v) => v / 16);
        let T = eye(n), term = eye(n);
        for (let j = 1; j < 25; j++) { term = matmul(term, S, n, n, n).map((v) => v / j); T = T.map((v, i) => v + term[i]); }
        for (let s = 0; s < 4; s++) T = matmul(T, T, n, n, n);
        expect(maxDiff(E, T)).toBeLessThanOrEqual(16 * n * EPS * maxAbs(T));
      }
    }
  });
});
