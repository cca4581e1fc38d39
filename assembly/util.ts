// Shared helpers for the strategies: ranking and small vector reductions.

/**
 * Writes into idx[0..n) the indices that sort f[0..n) ascending. Stable (ties keep index order), so
 * rankings, and therefore runs, are deterministic. Bottom-up merge sort through `tmp` (n i32s).
 * NaN never reaches here: the bridge maps NaN fitness to +Infinity before tell.
 */
export function argsort(f: usize, idx: usize, tmp: usize, n: i32): void {
  for (let i = 0; i < n; i++) store<i32>(idx + (<usize>i << 2), i);
  let src = idx, dst = tmp;
  for (let width = 1; width < n; width <<= 1) {
    for (let lo = 0; lo < n; lo += width << 1) {
      const mid = min(lo + width, n), hi = min(lo + (width << 1), n);
      let i = lo, j = mid, k = lo;
      while (i < mid && j < hi) {
        const a = load<i32>(src + (<usize>i << 2)), b = load<i32>(src + (<usize>j << 2));
        if (load<f64>(f + (<usize>b << 3)) < load<f64>(f + (<usize>a << 3))) {
          store<i32>(dst + (<usize>k << 2), b); j++;
        } else {
          store<i32>(dst + (<usize>k << 2), a); i++;
        }
        k++;
      }
      while (i < mid) { store<i32>(dst + (<usize>k << 2), load<i32>(src + (<usize>i << 2))); i++; k++; }
      while (j < hi) { store<i32>(dst + (<usize>k << 2), load<i32>(src + (<usize>j << 2))); j++; k++; }
    }
    const t = src; src = dst; dst = t;
  }
  if (src != idx) memory.copy(idx, src, <usize>n << 2);
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

/** Writes Σ_j w_j · rows[idx[j]] (each row d long) into out; the weighted recombination of ES. */
export function weighted_rows(rows: usize, idx: usize, w: usize, k: i32, d: i32, out: usize): void {
  memory.fill(out, 0, <usize>d << 3);
  for (let j = 0; j < k; j++) {
    const wj = load<f64>(w + (<usize>j << 3));
    const r = rows + (<usize>(load<i32>(idx + (<usize>j << 2)) * d) << 3);
    for (let i = 0; i < d; i++) {
      const o = out + (<usize>i << 3);
      store<f64>(o, load<f64>(o) + wj * load<f64>(r + (<usize>i << 3)));
    }
  }
}

// Host-independent elementary functions for the TS side's constants (weights, learning rates).
// V8 in Node 20 rounds Math.log(3) one ULP below Deno, Bun and Chromium; computing every constant
// with AssemblyScript's musl-derived Math makes runs bit-identical in every runtime.
export function math_log(x: f64): f64 {
  return Math.log(x);
}

export function math_exp(x: f64): f64 {
  return Math.exp(x);
}
