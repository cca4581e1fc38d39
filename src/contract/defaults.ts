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
