// The evostrat WebAssembly core as it ships (build/core.wasm): one module, instantiated once per
// optimizer (each instance owns its memory). It exports what src/ calls (src/wasm/exports.ts) and
// nothing else (test/contract/exports.test.ts): four exports per strategy; the config block, heap
// bounds and checksum the contract uses; the optimizer's generator; ln and exp for the TS side's
// defaults; and the kernels behind src/kernels.ts. Internals that only tests call are exported by the
// test build, assembly/testing.ts.
export { config_ptr, allocF64, heap_top, heap_base, mem_hash } from "./core/mem";
export { rng_seed, rng_uniform, rng_normal, rng_fill_normal, gen_advance } from "./core/rng";
export { math_log, math_exp } from "./core/math";
export { gemv } from "./linalg/gemv";
export { gemm, gemm_reserve } from "./linalg/gemm";
export * from "./strategies/csa";
export * from "./strategies/rmes";
export * from "./strategies/xnes";
export * from "./strategies/cma";
export * from "./strategies/simple";
export * from "./strategies/openai";
export * from "./strategies/sepcma";
export * from "./strategies/lmmaes";
export { nn_mc, nn_mr, nn_ncols, nn_pack, nn_score, nn_pack_mirrored, nn_score_mirrored } from "./nn";
export { bounds_apply, bounds_margin } from "./core/bounds";
