/**
 * Stop criteria as one pure function of the optimizer's figures (pycma's `stop()` returns the reasons
 * that fired; the names here are evostrat's, pycma's in parentheses).
 */

/** Why an optimizer should stop. */
export type StopReason = "maxEvaluations" | "maxTime" | "target" | "tolFun" | "tolX" | "tolUpSigma" | "conditionCov" | "sigmaCollapse" | CmaStopReason;

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

// ---- CMA-ES's own criteria (src/strategies/cma.ts), pycma's names in parentheses. Separate from the
// base's: a strategy with a covariance factor adds them to its shouldStop().

/** The stop reasons only CMA-ES reports. */
export type CmaStopReason = "tolFunHist" | "tolStagnation" | "noEffectAxis" | "noEffectCoord";

export interface CmaStopFigures {
  /** completed generations */
  generation: number;
  /** generation-best values and generation medians (minimised sign), oldest first */
  best: readonly number[];
  medians: readonly number[];
  mean: Float64Array;
  sigma: number;
  /** the diagonal of C (the search covariance is σ² C) */
  diagC: Float64Array;
  /** the factor A (d×d row-major, C = A Aᵀ) */
  A: Float64Array;
}

export interface CmaStopOptions {
  /** 0: off */
  tolFunHist: number;
  /** generations tolFunHist looks back */
  histLength: number;
  /** the least generations before tolStagnation may fire */
  tolStagnation: number;
  /** generations tolStagnation compares over (the newest of `best` and `medians`) */
  stagnationLength: number;
  noEffectAxis: boolean;
  noEffectCoord: boolean;
}

const medianOf = (xs: readonly number[], lo: number, hi: number): number => {
  const s = xs.slice(lo, hi).sort((a, b) => a - b), m = s.length >> 1;
  return s.length % 2 ? s[m] : 0.5 * (s[m - 1] + s[m]);
};

/** CMA-ES's reasons that hold now (pycma's tolfunhist, tolstagnation, noeffectaxis, noeffectcoord). */
export function cmaStopReasons(s: CmaStopFigures, o: CmaStopOptions): CmaStopReason[] {
  const r: CmaStopReason[] = [];
  const n = s.best.length, d = s.mean.length;
  // (tolfunhist) the generation-best values of the last histLength generations span less than tolFunHist
  if (o.tolFunHist > 0 && n >= o.histLength) {
    let lo = Infinity, hi = -Infinity;
    for (let i = n - o.histLength; i < n; i++) { lo = Math.min(lo, s.best[i]); hi = Math.max(hi, s.best[i]); }
    if (hi - lo < o.tolFunHist) r.push("tolFunHist");
  }
  // (tolstagnation) after tolStagnation generations, over the last stagnationLength generations: the
  // medians of the newest 20% of the best values and of the medians are both no better than those of
  // the oldest 20% (pycma's window is 120 + 30d/λ and grows with 0.2·g; this one stays fixed)
  if (s.generation >= o.tolStagnation && n >= o.stagnationLength) {
    const L = o.stagnationLength;
    const k = Math.max(1, Math.floor(0.2 * L)), a = n - L;
    if (medianOf(s.best, n - k, n) >= medianOf(s.best, a, a + k) && medianOf(s.medians, n - k, n) >= medianOf(s.medians, a, a + k)) r.push("tolStagnation");
  }
  // (noeffectaxis) 0.1σ along axis g mod d of the factor (column i of A) does not move the mean
  if (o.noEffectAxis && d > 0) {
    const i = s.generation % d;
    let same = true;
    for (let j = 0; j < d && same; j++) if (s.mean[j] + 0.1 * s.sigma * s.A[j * d + i] !== s.mean[j]) same = false;
    if (same) r.push("noEffectAxis");
  }
  // (noeffectcoord) 0.2σ√C_ii does not move m_i, for some i
  if (o.noEffectCoord) {
    for (let i = 0; i < d; i++) if (s.mean[i] + 0.2 * s.sigma * Math.sqrt(s.diagC[i]) === s.mean[i]) { r.push("noEffectCoord"); break; }
  }
  return r;
}
