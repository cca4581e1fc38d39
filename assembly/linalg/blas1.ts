// Level-1 BLAS over linear memory: dot, axpy, scal, copy, sumsq, and the beta-scaling that gemv and
// gemm share.
//
// Conventions of every file in assembly/linalg/: matrices are row-major f64; element (i, j) of an
// m×n matrix with row stride ld is at base + (i*ld + j)*8, and where a kernel takes no ld the row
// stride is the column count; every pointer is a byte offset into linear memory (usize), every
// dimension an i32; no kernel allocates: scratch comes from the caller (sizes in each JSDoc; gemm's
// packing buffers are reserved by the caller at init, see gemm.ts); outputs must not overlap inputs
// unless a JSDoc says so.

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

/** Σ x_i² over n values. */
export function sumsq(x: usize, n: i32): f64 {
  let s: f64 = 0;
  for (let i = 0; i < n; i++) {
    const v = load<f64>(x + (<usize>i << 3));
    s += v * v;
  }
  return s;
}

/** y = beta·y, with beta = 0 writing zeros (so NaN or Inf in y does not survive). */
export function scaleOrZero(n: i32, beta: f64, y: usize): void {
  if (n <= 0 || beta == 1) return;
  if (beta == 0) memory.fill(y, 0, <usize>n << 3);
  else scal(n, beta, y);
}

