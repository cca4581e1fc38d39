// The test build of the core (build/testing.wasm, compiled only for tests; never shipped): everything
// build/core.wasm exports, plus the internals tests reach into (test/testing-core.ts loads it).
export * from "./index";
export { alloc, allocI32 } from "./core/mem";
export { RNG_BYTES, rng_seed_row, rng_next, rng_fill_uniform } from "./core/rng";
export { argsort, weighted_rows } from "./core/shaping";
export { dot, axpy, scal, copy, sumsq } from "./linalg/blas1";
export { gemv_t } from "./linalg/gemv";
export { gemm_pack_bytes, gemm_nt } from "./linalg/gemm";
export { syrk, gemm_tn_update } from "./linalg/lowrank";
export { cholesky, trsv_lower, trsv_lower_t, qr_thin } from "./linalg/factor";
export { eigh } from "./linalg/eigh";
export { expm_sym } from "./linalg/expm";
export { nn_nr, nn_lambda_pad, nn_mirrored_acc_floats } from "./nn";

/**
 * Aborts with a message when x < 0 and returns x otherwise: checks that an AssemblyScript abort
 * reaches JS through the loader as an Error carrying the message and file:line (test/contract/abort.test.ts).
 */
export function testing_check_nonnegative(x: i32): i32 {
  assert(x >= 0, "testing: x must be non-negative");
  return x;
}
