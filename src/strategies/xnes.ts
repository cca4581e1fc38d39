/**
 * XNES, the exponential natural evolution strategy: x = μ + σ B z, z ~ N(0, I), with natural-gradient
 * updates of μ, σ and B, and optional adaptation sampling of η_σ.
 *
 * see: T. Glasmachers, T. Schaul, Y. Sun, D. Wierstra, J. Schmidhuber, "Exponential Natural Evolution
 * Strategies", GECCO 2010, Algorithm 1 (and §2.4 for adaptation sampling, in NEORL's form). Defaults as
 * in NEORL's and PyPop7's XNES (ALGORITHMS.md §2, §3). The core, assembly/strategies/xnes.ts, forms
 * B·expm(η_B/2 · G_B) from a thin QR of the population in O(d²λ), never O(d³).
 */
import * as abi from "../../assembly/abi.js";
import { baseSpec, ConfigWriter, Strategy, type StrategyOptions } from "../contract/strategy.js";
import { boolean, custom, derived, number, type ParamsOf } from "../contract/options.js";
import { xnesUtilities } from "../contract/defaults.js";
import { fail, rows } from "../check.js";
import { exp, ln } from "../math.js";
import type { CoreExports } from "../wasm/exports.js";


/** ln|det A| by LU with partial pivoting (−Infinity when A is singular), on a copy. */
function logAbsDet(A: Float64Array, d: number): number {
  const a = A.slice();
  let ld = 0;
  for (let k = 0; k < d; k++) {
    let p = k, mx = Math.abs(a[k * d + k]);
    for (let i = k + 1; i < d; i++) { const v = Math.abs(a[i * d + k]); if (v > mx) { mx = v; p = i; } }
    if (mx === 0) return -Infinity;
    if (p !== k) for (let j = k; j < d; j++) { const t = a[k * d + j]; a[k * d + j] = a[p * d + j]; a[p * d + j] = t; }
    const piv = a[k * d + k];
    ld += ln(Math.abs(piv));
    for (let i = k + 1; i < d; i++) {
      const f = a[i * d + k] / piv;
      if (f !== 0) for (let j = k + 1; j < d; j++) a[i * d + j] -= f * a[k * d + j];
    }
  }
  return ld;
}


export const xnesSpec = {
  ...baseSpec,
  /** Initial matrix A (d×d: an array of rows, or d² values row-major); σ0 = |det A|^{1/d} and B0 = A/σ0, as NEORL does (then `sigma` must be omitted). Default: I (with σ0 = `sigma`). */
  A: custom<Float64Array | undefined, ArrayLike<number> | ArrayLike<ArrayLike<number>>>((name, v, p) => rows(`option "${name}"`, name, v, p.d, p.d), undefined),
  /** η_μ, the mean's learning rate. Default 1. */
  etaMu: number({ gt: 0, default: 1 }),
  /** η_σ, the step size's learning rate (the initial one with adaptSampling). Default 3(3 + ln d)/(5 d √d). */
  etaSigma: number({ gt: 0, default: (p) => (3 * (3 + ln(p.d))) / (5 * p.d * Math.sqrt(p.d)) }),
  /** η_B, the shape matrix's learning rate. Default 3(3 + ln d)/(5 d √d). */
  etaB: number({ gt: 0, default: (p) => (3 * (3 + ln(p.d))) / (5 * p.d * Math.sqrt(p.d)) }),
  /** Adapt η_σ by adaptation sampling (Glasmachers et al. 2010 §2.4, as NEORL's adasam). Default false. */
  adaptSampling: boolean(false),
  /** Utilities by rank, best first: u_k = max(0, ln(λ/2 + 1) − ln k)/Σ − 1/λ. */
  utilities: derived((p) => xnesUtilities(p.popSize)),
};

/** The options of `new XNES(options)`: every option, its range and its default, is listed under `xnesSpec`. */
export type XNESOptions = StrategyOptions<typeof xnesSpec>;
/** XNES's resolved parameters (`es.params`, `XNES.defaults(d)`), derived ones included. */
export type XNESParams = ParamsOf<typeof xnesSpec>;

export class XNES extends Strategy<XNESParams> {
  static override readonly strategyName: string = "xnes";
  static readonly spec: typeof xnesSpec = xnesSpec;

  constructor(options: XNESOptions) {
    const o = options as Record<string, unknown> | null;
    if (o && typeof o === "object" && o.A !== undefined && o.sigma !== undefined) fail("type", `option "A"`, `and option "sigma" are exclusive: σ0 is |det A|^(1/d)`);
    super("XNES", xnesSpec, options);
  }

  protected exports(x: CoreExports) {
    return { init: x.xnes_init, ask: x.xnes_ask, tell: x.xnes_tell, ptr: x.xnes_ptr };
  }

  protected configure(c: ConfigWriter, p: XNESParams): void {
    if (p.A) {
      // σ0 = |det A|^{1/d} (with the core's ln and exp, so every runtime agrees to the bit)
      const ld = logAbsDet(p.A, p.d);
      if (!Number.isFinite(ld)) fail("range", `option "A"`, "must be nonsingular (det A = 0)");
      c.set(abi.CFG_SIGMA, exp(ld / p.d), "A");
    }
    c.set(abi.XNES_ETAMU, p.etaMu, "etaMu").set(abi.XNES_ETASIGMA, p.etaSigma, "etaSigma").set(abi.XNES_ETAB, p.etaB, "etaB")
      .set(abi.XNES_ADAPT, p.adaptSampling, "adaptSampling").set(abi.XNES_PATH, this.corePath(), "popSize");
  }

  protected override afterInit(p: XNESParams): void {
    const d = p.d;
    this.slot(abi.XNES_UTIL, p.popSize).set(p.utilities);
    if (p.A) {
      const s0 = this.scal[abi.SC_SIGMA], B = this.slot(abi.XNES_B, d * d);
      let mx = 0, mn = Infinity;
      for (let i = 0; i < d; i++) {
        let q = 0;
        for (let j = 0; j < d; j++) { const v = p.A[i * d + j] / s0; B[i * d + j] = v; q += v * v; }
        mx = Math.max(mx, q); mn = Math.min(mn, q);
      }
      this.scal[abi.SC_MAXSD] = Math.sqrt(mx);
      this.scal[abi.SC_MINSD] = Math.sqrt(mn);
    }
  }

  /** The core's B-update path: -1 automatic (low rank when 2λ ≤ d), 0 dense, 1 low rank. Tests override it. */
  protected corePath(): number {
    return -1;
  }

  protected override scalarCount(): number {
    return 6;
  }

  // Z and Yt = Z Bᵀ of the last ask, rewritten by the next (assembly/strategies/xnes.ts xnes_ask)
  protected override scratchSlots(): [number, number][] {
    return [[abi.XNES_Z, this.popSize], [abi.XNES_YT, this.popSize]];
  }

  // B (d×d), plus three d×d buffers of the dense update when 2λ > d (assembly/strategies/xnes.ts)
  protected override memoryEstimate(p: XNESParams): number {
    return 8 * p.d * p.d * (2 * p.popSize > p.d ? 4 : 1);
  }

  /** The current η_σ (changes only with adaptSampling). */
  get etaSigma(): number {
    this.live("etaSigma");
    return this.scal[abi.XNES_SC_ETASIGMA];
  }

  /** A copy of the current shape matrix B (d×d row-major); the search covariance is σ² B Bᵀ. */
  get B(): Float64Array {
    this.live("B");
    return this.slot(abi.XNES_B, this.dimension * this.dimension).slice();
  }
}
