// Dense linear algebra over linear memory: row-major f64, pointers are byte offsets.
// (being written: see the Foundation issue's list of kernels)

/** Σ x_i y_i. */
export function dot(x: usize, y: usize, n: i32): f64 {
  let s: f64 = 0;
  for (let i = 0; i < n; i++) s += load<f64>(x + (<usize>i << 3)) * load<f64>(y + (<usize>i << 3));
  return s;
}
