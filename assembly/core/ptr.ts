// Addresses in row-major f64 arrays, written once for the strategies and the kernels.

/** The address of element i of the f64 array at p. */
// @ts-ignore: decorator
@inline export function at(p: usize, i: i32): usize {
  return p + (<usize>i << 3);
}

/** The address of row r of the row-major f64 matrix at p with n columns. */
// @ts-ignore: decorator
@inline export function rowp(p: usize, r: i32, n: i32): usize {
  return p + (<usize>(r * n) << 3);
}
