// The evostrat WebAssembly core as it ships (build/core.wasm): one module, instantiated once per
// optimizer (each instance owns its memory). It exports what src/ calls and nothing else (checked by
// test/exports.test.ts): the strategies' exports, prefixed by strategy name; the heap bounds and
// checksum that save()/load() use; ln for the TS side's constants; and the kernels behind
// src/kernels.ts. Internals that only tests call are exported by the test build, assembly/testing.ts.
export { allocF64, heap_top, heap_base, mem_hash } from "./core/mem";
export { rng_seed, rng_fill_normal } from "./core/rng";
export { math_log } from "./core/math";
export { gemv } from "./linalg/gemv";
export { gemm, gemm_reserve } from "./linalg/gemm";
export * from "./strategies/csa";
export * from "./strategies/rmes";
// xnes.ts also exports test hooks (xnes_expm_last, xnes_lowrank, xnes_refresh): those go out through
// assembly/testing.ts only
export { xnes_init, xnes_ptr, xnes_ask, xnes_tell, xnes_det_b, xnes_scale_b, xnes_uniform } from "./strategies/xnes";
export * from "./strategies/simple";
export * from "./strategies/openai";
export { nn_mc, nn_mr, nn_ncols, nn_pack, nn_score, nn_pack_mirrored, nn_score_mirrored } from "./nn";
