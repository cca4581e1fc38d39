// Dense reference linear algebra for the XNES tests, in plain TS (independent of the core).

/** C = A B for d×d row-major matrices. */
export function matmul(A: ArrayLike<number>, B: ArrayLike<number>, d: number): Float64Array {
  const C = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let k = 0; k < d; k++) {
      const a = A[i * d + k];
      if (a === 0) continue;
      for (let j = 0; j < d; j++) C[i * d + j] += a * B[k * d + j];
    }
  return C;
}

/**
 * expm(A) by scaling and squaring with a Taylor series: A/2^s has 1-norm ≤ 1/2, the series runs
 * until its terms stop changing the sum, then the result is squared s times (Moler & Van Loan,
 * "Nineteen Dubious Ways to Compute the Exponential of a Matrix, Twenty-Five Years Later", SIAM
 * Review 45 (2003), methods 1 and 3). Accurate to ~1e-15 relative for the symmetric matrices here.
 */
export function denseExpm(A: Float64Array, d: number): Float64Array {
  let norm = 0;
  for (let j = 0; j < d; j++) { let s = 0; for (let i = 0; i < d; i++) s += Math.abs(A[i * d + j]); norm = Math.max(norm, s); }
  const s = Math.max(0, Math.ceil(Math.log2(norm / 0.5)));
  const As = A.map((v) => v / 2 ** s);
  let E: Float64Array = new Float64Array(d * d), T: Float64Array = new Float64Array(d * d);
  for (let i = 0; i < d; i++) E[i * d + i] = T[i * d + i] = 1;
  for (let k = 1; k < 40; k++) {
    T = matmul(T, As, d).map((v) => v / k);
    let tn = 0;
    for (let i = 0; i < d * d; i++) { E[i] += T[i]; tn = Math.max(tn, Math.abs(T[i])); }
    if (tn < 1e-18) break;
  }
  for (let i = 0; i < s; i++) E = matmul(E, E, d);
  return E;
}

/** ‖a − b‖_F / ‖b‖_F. */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let n = 0, e = 0;
  for (let i = 0; i < b.length; i++) { e += (a[i] - b[i]) ** 2; n += b[i] ** 2; }
  return Math.sqrt(e / n);
}
