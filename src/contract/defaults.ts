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

/**
 * The unnormalised weights of Hansen's tutorial, eq. (49): w'_i = ln((λ+1)/2) − ln i, i = 1..λ (the
 * first ⌊λ/2⌋ positive, the rest zero or negative). CMA-ES normalises them with eq. (53) (activeWeights).
 */
export function rawWeights(lambda: number): Float64Array {
  const w = new Float64Array(lambda);
  const base = ln((lambda + 1) / 2);
  for (let i = 0; i < lambda; i++) w[i] = base - ln(i + 1);
  return w;
}

/** μ_eff^- = (Σ w'_i)²/Σ w'_i² over the negative raw weights i = μ+1..λ (tutorial, p. 31); 0 when there are none. */
export function muEffMinus(lambda: number, mu: number): number {
  const w = rawWeights(lambda);
  let s = 0, q = 0;
  for (let i = mu; i < lambda; i++) { s += w[i]; q += w[i] * w[i]; }
  return q > 0 ? (s * s) / q : 0;
}

/**
 * The active CMA-ES weights of Hansen's tutorial, eq. (53): the μ positive raw weights scaled to sum 1,
 * the others (i > μ) scaled to sum −α_min^- with α_min^- = min(α_μ^-, α_μeff^-, α_posdef^-):
 * α_μ^- = 1 + c_1/c_μ (eq. (50)), α_μeff^- = 1 + 2 μ_eff^-/(μ_eff + 2) (eq. (51)),
 * α_posdef^- = (1 − c_1 − c_μ)/(d c_μ) (eq. (52)). pycma 4.x's RecombinationWeights reach the same
 * values (finalize_negative_weights). With c_μ = 0 the negative weights are 0.
 */
export function activeWeights(lambda: number, mu: number, d: number, c1: number, cmu: number, mueff: number): Float64Array {
  const w = rawWeights(lambda);
  let pos = 0, neg = 0;
  for (let i = 0; i < lambda; i++) { if (i < mu) pos += w[i]; else w[i] = Math.min(0, w[i]); if (i >= mu) neg -= w[i]; }
  const alpha = cmu > 0 ? Math.min(1 + c1 / cmu, 1 + (2 * muEffMinus(lambda, mu)) / (mueff + 2), (1 - c1 - cmu) / (d * cmu)) : 0;
  for (let i = 0; i < lambda; i++) w[i] = i < mu ? w[i] / pos : neg > 0 ? (alpha * w[i]) / neg : 0;
  return w;
}
