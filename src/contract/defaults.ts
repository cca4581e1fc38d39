/**
 * The defaults several strategies share, written once. `ln` is the core's (src/math.ts), so every
 * default is the same to the bit in every runtime (hosts' Math.log differ in the last bit).
 */
import { ln } from "../math.js";

/** λ = 4 + ⌊3 ln d⌋ (Hansen's tutorial, Table 1; also XNES's and RMES's default). */
export const defaultPopSize = (d: number): number => 4 + Math.floor(3 * ln(d));

/** μ = ⌊λ/2⌋. */
export const defaultMu = (lambda: number): number => Math.floor(lambda / 2);

/**
 * Positive log weights w_i ∝ ln((λ+1)/2) − ln i, i = 1..μ, normalised to sum 1 (Hansen's tutorial,
 * eq. (49) with μ ≤ ⌊λ/2⌋; PyPop7's RMES uses the same weights).
 */
export function logWeights(lambda: number, mu: number): Float64Array {
  const w = new Float64Array(mu);
  const base = ln((lambda + 1) / 2);
  let sum = 0;
  for (let i = 0; i < mu; i++) sum += w[i] = base - ln(i + 1);
  for (let i = 0; i < mu; i++) w[i] /= sum;
  return w;
}

/** μ_eff = 1/Σ w_i² (for weights that sum to 1). */
export function muEff(w: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < w.length; i++) s += w[i] * w[i];
  return 1 / s;
}

/**
 * XNES utilities by rank k = 1..λ (best first): u_k = max(0, ln(λ/2 + 1) − ln k)/Σ − 1/λ, so Σ u = 0
 * (Glasmachers et al. 2010, §2.3; NEORL's and PyPop7's XNES).
 */
export function xnesUtilities(lambda: number): Float64Array {
  const u = new Float64Array(lambda);
  const a = ln(lambda / 2 + 1);
  let sum = 0;
  for (let k = 0; k < lambda; k++) sum += u[k] = Math.max(0, a - ln(k + 1));
  for (let k = 0; k < lambda; k++) u[k] = u[k] / sum - 1 / lambda;
  return u;
}

/** μ_eff^- = (Σ w'_i)²/Σ w'_i² over the negative raw weights w'_i = ln((λ+1)/2) − ln i, i = μ+1..λ (Hansen's tutorial, p. 31); 0 when there are none. */
export function muEffMinus(lambda: number, mu: number): number {
  const base = ln((lambda + 1) / 2);
  let s = 0, q = 0;
  for (let i = mu; i < lambda; i++) { const w = base - ln(i + 1); s += w; q += w * w; }
  return q > 0 ? (s * s) / q : 0;
}

/**
 * CMA-ES recombination weights with their active (negative) part, by rank (best first), length λ:
 * w'_i = ln((λ+1)/2) − ln i (Hansen's tutorial, arXiv:1604.00772, eq. (49)); the positive ones
 * (i ≤ ⌊λ/2⌋) sum to 1 (eq. (50)); the negative ones are scaled so that Σ|w⁻| = min(α⁻_μ, α⁻_μeff[,
 * α⁻_posdef]) with α⁻_μ = 1 + c_1/c_μ (eq. (50)-(51)), α⁻_μeff = 1 + 2μ⁻_eff/(μ_eff + 2) (eq. (52)) and,
 * when `posDefDimension` d is given, α⁻_posdef = (1 − c_1 − c_μ)/(d c_μ) (eq. (53)). pycma's
 * RecombinationWeights.finalize_negative_weights computes the same (pos_def=False for its diagonal
 * mode, which is why the bound is optional). c_1 and c_μ depend on μ_eff of the positive part: compute
 * `logWeights(λ, ⌊λ/2⌋)` and `muEff` first.
 */
export function cmaActiveWeights(lambda: number, c1: number, cmu: number, posDefDimension?: number): Float64Array {
  const mu = defaultMu(lambda);
  const w = new Float64Array(lambda);
  const base = ln((lambda + 1) / 2);
  let pos = 0, neg = 0, neg2 = 0;
  for (let i = 0; i < lambda; i++) {
    const v = (w[i] = base - ln(i + 1));
    if (i < mu) pos += v;
    else { neg += v; neg2 += v * v; }
  }
  let pos2 = 0;
  for (let i = 0; i < mu; i++) pos2 += (w[i] /= pos) ** 2;
  if (neg === 0) return w; // λ = 2 or 3 has no negative weight (λ = 3: a zero one)
  const mueff = 1 / pos2, mueffMinus = (neg * neg) / neg2;
  let alpha = Math.min(cmu > 0 ? 1 + c1 / cmu : Infinity, 1 + (2 * mueffMinus) / (mueff + 2));
  if (posDefDimension !== undefined && cmu > 0) alpha = Math.min(alpha, (1 - c1 - cmu) / (posDefDimension * cmu));
  if (!Number.isFinite(alpha)) alpha = 1 + (2 * mueffMinus) / (mueff + 2);
  for (let i = mu; i < lambda; i++) w[i] = (alpha * w[i]) / -neg;
  return w;
}

/**
 * sep-CMA-ES learning rates as pycma 4.x sets them for its diagonal mode (options_parameters.py
 * CMAParameters.set: cc_sep, c1_sep, cmu_sep): c_c = (1 + 1/d + μ_eff/d)/(√d + 1/d + 2μ_eff/d),
 * c_1 = 1/(d + 2√d + μ_eff/d), c_μ = min(1 − c_1, (1/4 + μ_eff + 1/μ_eff − 2)/(d + 4√d + μ_eff/2)).
 * They play the role of Ros & Hansen's (2008) c_cov,sep = (d + 2)/3 · c_cov: rates of order 1/d
 * instead of 1/d², since only d variances are learned.
 */
export function sepCmaRates(d: number, mueff: number): { cc: number; c1: number; cmu: number } {
  const r = Math.sqrt(d);
  const cc = (1 + 1 / d + mueff / d) / (r + 1 / d + (2 * mueff) / d);
  const c1 = 1 / (d + 2 * r + mueff / d);
  const cmu = Math.min(1 - c1, (0.25 + mueff + 1 / mueff - 2) / (d + 4 * r + mueff / 2));
  return { cc, c1, cmu };
}
