/**
 * Stop criteria as one pure function of the optimizer's figures (pycma's `stop()` returns the reasons
 * that fired; the names here are evostrat's, pycma's in parentheses).
 */

/** Why an optimizer should stop. */
export type StopReason = "maxEvaluations" | "maxTime" | "target" | "tolFun" | "tolX" | "tolUpSigma" | "conditionCov" | "sigmaCollapse";

export interface StopOptions {
  maxEvaluations: number;
  maxTime: number;
  /** NaN: no target */
  target: number;
  tolFun: number;
  tolX: number;
  tolUpSigma: number;
  conditionCov: number;
}

export interface StopFigures {
  evaluations: number;
  /** seconds since construction */
  elapsed: number;
  /** best so far, minimised sign */
  bestF: number;
  /** +1 minimising, −1 maximising */
  sign: number;
  /** the last generation-best values (minimised sign), a ring buffer, and how many it holds */
  fhist: Float64Array;
  fcount: number;
  /** the last generation's range of values (Infinity when any was non-finite) */
  lastRange: number;
  sigma: number;
  /** the initial σ */
  sigma0: number;
  /** the largest / smallest coordinate standard deviation over σ */
  maxsd: number;
  minsd: number;
  /** the largest coordinate sd over σ at the start */
  maxsd0: number;
  mean: Float64Array;
}

/** The reasons that hold now (empty: keep going). */
export function stopReasons(s: StopFigures, o: StopOptions): StopReason[] {
  const r: StopReason[] = [];
  if (s.evaluations >= o.maxEvaluations) r.push("maxEvaluations");
  if (s.elapsed >= o.maxTime) r.push("maxTime");
  // internal sign: maximising with target t stops once -bestF ≥ t, i.e. bestF ≤ -t
  if (s.bestF <= s.sign * o.target) r.push("target");
  // (tolfun with its tolfunhist window) the generation-best values over the window and the last
  // generation's values span less than tolFun
  const h = s.fhist;
  if (s.fcount === h.length && s.lastRange < o.tolFun) {
    let lo = Infinity, hi = -Infinity;
    for (const v of h) { if (v < lo) lo = v; if (v > hi) hi = v; }
    if (hi - lo < o.tolFun) r.push("tolFun");
  }
  const sd = s.sigma * s.maxsd;
  if (sd < o.tolX) r.push("tolX");
  // (tolupsigma) σ·max sd grew by more than tolUpSigma since the start: a flat or diverging problem
  if (sd > o.tolUpSigma * s.sigma0 * s.maxsd0) r.push("tolUpSigma");
  // (condition_cov) the coordinate variances' ratio, a lower bound of the covariance's condition number
  if ((s.maxsd / s.minsd) ** 2 > o.conditionCov) r.push("conditionCov");
  if (!(sd > 0) || !Number.isFinite(sd) || noEffect(s.mean, sd)) r.push("sigmaCollapse");
  return r;
}

// σ·sd no longer changes the mean in any coordinate (pycma's "noeffectaxis", for all axes)
function noEffect(m: Float64Array, sd: number): boolean {
  for (let i = 0; i < m.length; i++) if (m[i] + 0.1 * sd !== m[i]) return false;
  return true;
}
