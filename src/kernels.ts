/**
 * `evostrat/kernels`: the core's dense kernels for user code (batched fitness evaluation, e.g. a
 * population matrix times a data matrix), on one private wasm instance.
 *
 * Memory is reserved up front (`new Kernels(capacity)`); `f64(n)` hands out Float64Array views into
 * it and never grows the memory, so the views never detach. Kernel arguments must be views handed out
 * by the same `Kernels` (checked).
 *
 * ```ts
 * const k = new Kernels(3 * 1000 * 1000);
 * const A = k.f64(1000 * 1000), B = k.f64(1000 * 1000), C = k.f64(1000 * 1000);
 * k.gemm(A, B, C, 1000, 1000, 1000);           // C = A·B (row-major)
 * ```
 *
 * Batched scoring of linear softmax classifiers (a whole population of weight matrices against one
 * data set, f32 with f32x4 SIMD, fused with the log-softmax; see assembly/nn.ts):
 *
 * ```ts
 * const k = new Kernels(Kernels.softmaxCapacity(8000, 784, 10, 100));
 * const data = k.softmaxData(images, labels, 784, 10);   // images: 8000×784 row-major, labels 0..9
 * const { logLik, correct } = k.softmaxScore(data, opt.ask().data, 100); // sums over the 8000 rows
 * // OpenAIES's antithetic rows (k and k + 50 mirror images): half the product, same results
 * const r = k.softmaxScore(data, openai.ask().data, 100, { mirrored: true });
 * ```
 */
import { Core } from "./wasm.js";
import { bool, fail, num, seedValue } from "./check.js";

/** Accumulator floats of softmaxScore: 3 runs of popSize (rounded up to 4) directly, 6 of popSize/2 mirrored. */
function accFloats(popSize: number): number {
  return Math.max(3 * ((popSize + 3) & ~3), 6 * (((popSize >> 1) + 3) & ~3));
}

/** The largest packing buffer gemm_reserve makes (assembly/linalg/gemm.ts: 768 KB at most). */
const PACK_MAX = 768 << 10;

export class Kernels {
  private readonly core: Core;
  private base: number;
  private next: number;
  private end: number;

  /** @param capacity how many float64 values this workspace can hold (default 1,048,576 = 8 MB) */
  constructor(capacity = 1 << 20) {
    num("capacity", capacity, 0, { min: 1, integer: true, max: 2 ** 29 - 1 });
    this.core = new Core("Kernels:");
    // What fits in wasm32 (the core's allocator stops at 0xfffe0000 bytes) after the core's statics and
    // gemm's packing buffer (768 KB at most): checked here, before the core's alloc, which traps.
    const room = Math.floor((0xfffe0000 - (this.core.x.heap_top() >>> 0) - PACK_MAX - 64) / 8);
    if (capacity > room) fail("range", `option "capacity"`, `must be <= ${room} float64 values (what fits in WebAssembly's 4 GiB beside the kernels' own buffers), got ${capacity}`);
    try {
      // gemm's packing buffer, for the largest product the workspace can hold (no size exceeds capacity;
      // 768 KB at most), before the arena and any view: it may grow the memory
      this.core.x.gemm_reserve(capacity, capacity, capacity);
      this.base = this.core.x.allocF64(capacity) >>> 0;
    } catch (e) {
      // the runtime refused to grow the memory (the core's alloc traps when it cannot)
      if (e instanceof WebAssembly.RuntimeError) fail("range", `option "capacity"`, `${capacity} float64 values (${((capacity * 8) / 2 ** 30).toFixed(2)} GiB): the runtime refused to grow the WebAssembly memory that far; ask for less`);
      throw e;
    }
    this.core.views();
    this.next = this.base;
    this.end = this.base + capacity * 8;
  }

  /** A zeroed Float64Array of n values inside the workspace (16-byte aligned). */
  f64(n: number): Float64Array {
    num("n", n, 0, { min: 0, integer: true });
    return new Float64Array(this.core.x.memory.buffer, this.take(n * 8, `Kernels.f64(n): n = ${n}`), n);
  }

  /** A zeroed Float32Array of n values inside the workspace (16-byte aligned; n/2 of the capacity). */
  f32(n: number): Float32Array {
    num("n", n, 0, { min: 0, integer: true });
    const p = this.take(n * 4, `Kernels.f32(n): n = ${n}`);
    return new Float32Array(this.core.x.memory.buffer, p, n);
  }

  /** Frees every view and every softmaxData() handed out (views stay attached but will be reused). */
  reset(): void {
    this.next = this.base;
    this.rng = 0;
    this.epoch++;
  }

  private epoch = 0;

  private take(bytes: number, what: string): number {
    const b = Math.ceil(bytes / 16) * 16; // arithmetic, not bit shifts: sizes may exceed 2^31
    if (this.next + b > this.end) fail("range", `${what}`, `does not fit: ${(this.end - this.next) >> 3} float64 values left of the capacity given to new Kernels()`);
    const p = this.next;
    new Uint8Array(this.core.x.memory.buffer, p, b).fill(0);
    this.next += b;
    return p;
  }

  /**
   * The capacity (in float64 values, for `new Kernels(capacity)`) that softmaxData() and
   * softmaxScore() need for `rows` samples of `features` inputs, `classes` classes and `popSize`
   * candidates.
   */
  static softmaxCapacity(rows: number, features: number, classes: number, popSize: number): number {
    const mr = 4, nr = 8, mc = 64;
    const lp = (popSize + 3) & ~3, ncols = Math.ceil((classes * lp) / nr) * nr;
    const f32 = (n: number) => Math.ceil(n / 4) * 2 + 2, f64 = (n: number) => Math.ceil(n / 2) * 2 + 2;
    return f32(Math.ceil(rows / mr) * mr * features) + f32(rows) + f64(popSize * features * classes) + f32(ncols * features) +
      f32(mc * ncols) + f32(accFloats(popSize)) + 2 * f64(popSize) + 8;
  }

  /**
   * Packs a labelled data set once, for softmaxScore(): `X` holds rows×features values, row-major
   * (any array of numbers; stored as float32), `labels` one class index in [0, classes) per row.
   */
  softmaxData(X: ArrayLike<number>, labels: ArrayLike<number>, features: number, classes: number): SoftmaxData {
    num("features", features, 0, { min: 1, integer: true });
    num("classes", classes, 0, { min: 2, integer: true, max: 100 });
    if (X === null || typeof X !== "object" || typeof X.length !== "number") fail("type", "softmaxData(X):", "X must be an array or typed array of numbers");
    if (labels === null || typeof labels !== "object" || typeof labels.length !== "number") fail("type", "softmaxData(labels):", "labels must be an array or typed array of class indices");
    const rows = labels.length;
    if (rows < 1 || X.length !== rows * features) fail("range", "softmaxData(X):", `X must hold labels.length × features = ${rows * features} values, got ${X.length}`);
    const mr = this.core.x.nn_mr() as number;
    const padded = Math.ceil(rows / mr) * mr;
    const pX = this.take(padded * features * 4, "softmaxData: the data");
    const pL = this.take(rows * 4, "softmaxData: the labels");
    const xp = new Float32Array(this.core.x.memory.buffer, pX, padded * features);
    const lab = new Int32Array(this.core.x.memory.buffer, pL, rows);
    for (let i = 0; i < rows; i++) {
      const c = labels[i];
      if (!Number.isInteger(c) || c < 0 || c >= classes) fail("range", "softmaxData(labels):", `labels[${i}] must be an integer in [0, ${classes}), got ${c}`);
      lab[i] = c;
    }
    // blocks of mr rows, k-major inside a block (assembly/nn.ts, "Layouts")
    for (let r = 0; r < rows; r++) {
      const blk = ((r / mr) | 0) * features * mr, lane = r % mr, src = r * features;
      for (let k = 0; k < features; k++) xp[blk + k * mr + lane] = X[src + k];
    }
    return { rows, features, classes, pX, pL, owner: this, epoch: this.epoch, scratch: new Map() } as SoftmaxData;
  }

  /**
   * Scores popSize linear softmax classifiers (no bias) on the data of softmaxData(): candidate i is
   * row i of `population` (popSize × features·classes, the weight matrix features×classes row-major,
   * W[k][c] at k·classes + c), e.g. `ask().data`. Returns, per candidate, the summed log-likelihood
   * Σ_rows log softmax(x·W)[label] and the number of rows whose largest logit is the label's (on
   * ties the lowest class index wins, as numpy's argmax). With `eps` > 0 the log-likelihood is Σ_rows log(p_label + eps) instead, the
   * tutorial's guard (numpy's float64 machine epsilon, 2.220446049250313e-16, there): it caps what
   * one badly wrong image can cost at −log(eps). Default eps 0.
   * One float32 product of the whole data set times all candidates side by side,
   * f32x4 SIMD and cache-blocked, fused with the log-softmax. The returned arrays are views, valid
   * until the next softmaxScore() on this data.
   *
   * `mirrored: true` is for antithetic populations such as OpenAIES.ask()'s: popSize must be even
   * and rows k and k + popSize/2 (k < popSize/2) must be mirror images about one common mean θ,
   * θ + δ_k and θ − δ_k (checked: a RangeError otherwise, beyond rounding). Their logits are then
   * x·θ ± x·δ_k, so the product needs popSize/2 + 1 weight matrices instead of popSize (about half
   * the work); the results keep the same per-row meaning and differ from the direct scoring only
   * by float32 rounding: log-likelihood sums by ~1e-7 relative, and a correct count by one on a row
   * whose two largest logits are within float32 rounding of each other (a near-tie, where the
   * direct float32 result is no more exact).
   */
  softmaxScore(data: SoftmaxData, population: ArrayLike<number>, popSize: number, options: { eps?: number; mirrored?: boolean } = {}): { logLik: Float64Array; correct: Float64Array } {
    const d = data as SoftmaxDataInternal;
    if (!d || d.owner !== this) fail("type", "softmaxScore(data):", "data must come from this Kernels' softmaxData()");
    if (d.epoch !== this.epoch) fail("type", "softmaxScore(data):", "data was freed by reset(); pack it again with softmaxData()");
    num("popSize", popSize, 0, { min: 1, integer: true });
    const eps = num("eps", options?.eps, 0, { min: 0 });
    const mirrored = bool("mirrored", options?.mirrored, false);
    if (mirrored && popSize % 2 !== 0) fail("range", "softmaxScore(popSize):", `must be even with mirrored: true (rows k and k + popSize/2 are pairs), got ${popSize}`);
    const K = d.features, C = d.classes;
    if (population === null || typeof population !== "object" || population.length !== popSize * K * C) {
      fail("range", "softmaxScore(population):", `population must hold popSize × features × classes = ${popSize * K * C} values, got ${(population as ArrayLike<number>)?.length}`);
    }
    const x = this.core.x;
    let s = d.scratch.get(popSize);
    if (!s) {
      const ncols = x.nn_ncols(popSize, C) as number;
      s = {
        pop: this.take(popSize * K * C * 8, "softmaxScore: the population"),
        bp: this.take(ncols * K * 4, "softmaxScore: the packed population"),
        cbuf: this.take((x.nn_mc() as number) * ncols * 4, "softmaxScore: the logits block"),
        acc: this.take(accFloats(popSize) * 4, "softmaxScore: the accumulators"),
        ll: this.take(popSize * 8, "softmaxScore: the output"),
        cor: this.take(popSize * 8, "softmaxScore: the output"),
      };
      d.scratch.set(popSize, s);
    }
    const buf = x.memory.buffer;
    new Float64Array(buf, s.pop, popSize * K * C).set(population);
    const ll = new Float64Array(buf, s.ll, popSize), cor = new Float64Array(buf, s.cor, popSize);
    ll.fill(0);
    cor.fill(0);
    if (mirrored) {
      // the h + 1 = popSize/2 + 1 packed columns per class fit in the direct path's scratch (h + 1 ≤ popSize)
      const dev = x.nn_pack_mirrored(s.pop, popSize, K, C, s.bp) as number;
      if (!(dev <= 1e-9)) fail("range", "softmaxScore(population):", `with mirrored: true, rows k and k + popSize/2 must be mirror images about one common mean (θ ± δ_k); they are off by ${dev.toExponential(2)} relative to the largest weight`);
      x.nn_score_mirrored(d.pX, d.pL, d.rows, K, s.bp, popSize, C, s.cbuf, s.acc, s.ll, s.cor, 0, d.rows, eps);
    } else {
      x.nn_pack(s.pop, popSize, K, C, s.bp);
      x.nn_score(d.pX, d.pL, d.rows, K, s.bp, popSize, C, s.cbuf, s.acc, s.ll, s.cor, 0, d.rows, eps);
    }
    return { logLik: ll, correct: cor };
  }

  private ptr(name: string, a: Float64Array, need: number): number {
    if (!(a instanceof Float64Array) || a.buffer !== this.core.x.memory.buffer) fail("type", `Kernels: argument "${name}"`, "must be a view from this Kernels' f64()");
    if (a.length < need) fail("range", `Kernels: argument "${name}"`, `must hold at least ${need} values, got ${a.length}`);
    return a.byteOffset;
  }

  /**
   * C = alpha·op(A)·op(B) + beta·C, row-major, op(X) = X or Xᵀ. op(A) is m×k, op(B) k×n, C m×n.
   * Blocked, f64x2 SIMD (see assembly/linalg/gemm.ts).
   */
  gemm(A: Float64Array, B: Float64Array, C: Float64Array, m: number, n: number, k: number, o: { transA?: boolean; transB?: boolean; alpha?: number; beta?: number } = {}): void {
    for (const [name, v] of [["m", m], ["n", n], ["k", k]] as const) num(name, v, 0, { min: 0, integer: true });
    for (const name of ["alpha", "beta"] as const) num(name, o[name], 0);
    const ta = o.transA ? 1 : 0, tb = o.transB ? 1 : 0;
    const pa = this.ptr("A", A, m * k), pb = this.ptr("B", B, k * n), pc = this.ptr("C", C, m * n);
    this.core.x.gemm(ta, tb, m, n, k, o.alpha ?? 1, pa, ta ? m : k, pb, tb ? k : n, o.beta ?? 0, pc, n);
  }

  /** y = alpha·A·x + beta·y with A m×n row-major. */
  gemv(A: Float64Array, x: Float64Array, y: Float64Array, m: number, n: number, alpha = 1, beta = 0): void {
    num("m", m, 0, { min: 0, integer: true });
    num("n", n, 0, { min: 0, integer: true });
    num("alpha", alpha, 0);
    num("beta", beta, 0);
    this.core.x.gemv(m, n, alpha, this.ptr("A", A, m * n), this.ptr("x", x, n), beta, this.ptr("y", y, m));
  }

  /** Fills `out` with standard normals from a seeded xoshiro256++/ziggurat stream. */
  normal(out: Float64Array, seed: number | bigint): void {
    const sd = seedValue("seed", seed) ?? fail("type", `option "seed"`, "is required: a non-negative integer or bigint");
    const p = this.ptr("out", out, 0);
    const s = this.rngState();
    this.core.x.rng_seed(s, sd);
    this.core.x.rng_fill_normal(s, p, out.length);
  }

  private rng = 0;
  private rngState(): number {
    if (this.rng === 0) {
      if (this.next + 32 > this.end) fail("range", "Kernels.normal:", "no room left for the generator state (32 bytes)");
      this.rng = this.next;
      this.next += 32;
    }
    return this.rng;
  }
}

/** A data set packed by Kernels.softmaxData(); pass it to softmaxScore() of the same Kernels. */
export interface SoftmaxData {
  readonly rows: number;
  readonly features: number;
  readonly classes: number;
}

interface SoftmaxDataInternal extends SoftmaxData {
  pX: number;
  pL: number;
  owner: Kernels;
  epoch: number;
  scratch: Map<number, { pop: number; bp: number; cbuf: number; acc: number; ll: number; cor: number }>;
}
