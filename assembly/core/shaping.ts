// Fitness shaping shared by the strategies: ranking (argsort) and weighted recombination.

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
