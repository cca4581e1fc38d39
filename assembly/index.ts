// The evostrat WebAssembly core: one module, instantiated once per optimizer (each instance owns its
// memory). The strategies' exports are prefixed by strategy name; the kernels are exported for tests,
// benchmarks and the documented helpers in src/kernels.ts.
export { alloc, allocF64, allocI32, heap_top, heap_base, mem_hash, config_ptr } from "./mem";
export { RNG_BYTES, rng_seed, rng_seed_row, rng_next, rng_uniform, rng_normal, rng_fill_normal, rng_fill_uniform } from "./rng";
export * from "./linalg";
export * from "./util";
export * from "./strategies/csa";
export * from "./strategies/rmes";
export * from "./strategies/xnes";
export * from "./strategies/simple";
export * from "./strategies/openai";
export * from "./nn";
