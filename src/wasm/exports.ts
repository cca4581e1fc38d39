/**
 * The core's exports, typed: the four per strategy (<p>_init, <p>_ask, <p>_tell, <p>_ptr; layout of
 * slots and config words in assembly/abi.ts) and the shared ones src/ calls. Nothing looks an export
 * up by a computed name.
 */

/** The four exports of one strategy's core. */
export interface StrategyExports {
  /** Reads the config block at `cfg`, sizes every buffer once; returns a status code (abi.ts STATUS_*). */
  init(cfg: number): number;
  /**
   * Draws rows [first, end) of the current generation's population (the generator block's generation
   * index) into the population slot and the strategy's per-row buffers, each row from its own stream,
   * with the bits the whole population's draw gives them. It does not advance the generator: after
   * drawing rows [0, λ) the bridge calls gen_advance.
   */
  ask(first: number, end: number): void;
  tell(): void;
  /** The address of a slot (abi.ts SLOT_* and the strategy's own). */
  ptr(slot: number): number;
}

export interface CoreExports {
  memory: WebAssembly.Memory;
  // memory and state
  config_ptr(): number;
  heap_base(): number;
  heap_top(): number;
  mem_hash(ptr: number, n: number): number;
  allocF64(n: number): number;
  // the optimizer's generator (main state of its generator block)
  rng_uniform(s: number): number;
  rng_normal(s: number): number;
  rng_seed(s: number, seed: bigint): void;
  rng_fill_normal(s: number, out: number, n: number): void;
  /** Moves a generator block to the next generation's row streams (the bridge calls it after a whole ask). */
  gen_advance(g: number): void;
  // host-independent Math for defaults (src/math.ts)
  math_log(x: number): number;
  math_exp(x: number): number;
  // box bounds (assembly/core/bounds.ts)
  bounds_apply(src: number, dst: number, lo: number, hi: number, al: number, au: number, rows: number, d: number, mode: number): void;
  bounds_margin(b: number, w: number): number;
  // strategies
  csa_init(cfg: number): number; csa_ask(first: number, end: number): void; csa_tell(): void; csa_ptr(slot: number): number;
  xnes_init(cfg: number): number; xnes_ask(first: number, end: number): void; xnes_tell(): void; xnes_ptr(slot: number): number;
  cma_init(cfg: number): number; cma_ask(first: number, end: number): void; cma_tell(): void; cma_ptr(slot: number): number;
  rmes_init(cfg: number): number; rmes_ask(first: number, end: number): void; rmes_tell(): void; rmes_ptr(slot: number): number;
  simple_init(cfg: number): number; simple_ask(first: number, end: number): void; simple_tell(): void; simple_ptr(slot: number): number;
  openai_init(cfg: number): number; openai_ask(first: number, end: number): void; openai_tell(): void; openai_ptr(slot: number): number;
  sepcma_init(cfg: number): number; sepcma_ask(first: number, end: number): void; sepcma_tell(): void; sepcma_ptr(slot: number): number;
  lmmaes_init(cfg: number): number; lmmaes_ask(first: number, end: number): void; lmmaes_tell(): void; lmmaes_ptr(slot: number): number;
  // kernels (src/kernels.ts)
  /** Reserves gemm's packing buffer for products up to m×n×k (call before taking views). */
  gemm_reserve(m: number, n: number, k: number): void;
  gemm(...a: number[]): void;
  gemv(...a: number[]): void;
  nn_pack(...a: number[]): void;
  nn_pack_mirrored(...a: number[]): void;
  nn_score(...a: number[]): number;
  nn_score_mirrored(...a: number[]): number;
  nn_mr(): number;
  nn_mc(): number;
  nn_ncols(...a: number[]): number;
}
