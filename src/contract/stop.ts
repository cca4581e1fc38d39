/**
 * Stop criteria as one pure function of the optimizer's figures (pycma's `stop()` returns the reasons
 * that fired; the names here are evostrat's, pycma's in parentheses).
 */

/** Why an optimizer should stop. */
export type StopReason = "maxEvaluations" | "maxTime" | "target" | "tolFun" | "tolX" | "tolUpSigma" | "conditionCov" | "tolStagnation" | "nonFinite" | "sigmaCollapse" | CmaStopReason;

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

/**
 * A ring buffer of per-generation values (non-finite values are not recorded: they count as the worst
 * value in the ranking, and must not freeze a range or a median). `values()` lists them oldest first.
 */
export class Ring {
  readonly data: Float64Array;
  head = 0;
  count = 0;

  constructor(n: number) {
    this.data = new Float64Array(Math.max(1, n));
  }

  push(v: number): void {
    if (!Number.isFinite(v)) return;
    this.data[this.head] = v;
    this.head = (this.head + 1) % this.data.length;
    if (this.count < this.data.length) this.count++;
  }

  get full(): boolean {
    return this.count === this.data.length;
  }

  /** The values, oldest first. */
  values(): Float64Array {
    const n = this.data.length, out = new Float64Array(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.data[(this.head - this.count + i + n) % n];
    return out;
  }
}

/**
 * The stagnation window in generations: pycma's tolstagnation default 100 + 100·d^1.5/λ, times
 * `factor`, at most 20,000 (the history is kept in memory). Strategies that adapt σ end on tolFun or
 * tolX long before; for them the window is 10× pycma's, so a slow phase (IPOP's large populations on
 * Rastrigin) is not cut short. SimpleES and OpenAI-ES, whose σ cannot collapse, use pycma's.
 */
export const defaultStagnation = (d: number, lambda: number, factor = 10): number => Math.min(20_000, Math.ceil(factor * (100 + (100 * d ** 1.5) / lambda)));

// One scratch buffer for the window statistics below (used synchronously, never kept across calls).
let scratch = new Float64Array(64);

// Rearranges a[0..n) so that a[k] holds the k-th smallest value, the values before it being ≤ it
// (Hoare's selection): O(n) on average, against O(n log n) for a sort, on every shouldStop().
function select(a: Float64Array, n: number, k: number): void {
  let lo = 0, hi = n - 1;
  while (hi > lo) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) { const t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return;
  }
}

/** The median of the l values of the ring from position `from` (0 = oldest), without allocating. */
function windowMedian(r: Ring, from: number, l: number): number {
  if (scratch.length < l) scratch = new Float64Array(2 * l);
  const n = r.data.length, start = r.head - r.count + from + n;
  for (let i = 0; i < l; i++) scratch[i] = r.data[(start + i) % n];
  const m = l >> 1;
  select(scratch, l, m);
  if (l % 2) return scratch[m];
  let below = -Infinity; // the (m−1)-th smallest: the largest value left of m
  for (let i = 0; i < m; i++) if (scratch[i] > below) below = scratch[i];
  return 0.5 * below + 0.5 * scratch[m];
}

/** The smallest of the l values of the ring from position `from` (0 = oldest). */
function windowMin(r: Ring, from: number, l: number): number {
  const n = r.data.length, start = r.head - r.count + from + n;
  let v = Infinity;
  for (let i = 0; i < l; i++) v = Math.min(v, r.data[(start + i) % n]);
  return v;
}

/**
 * Stagnation, after pycma's tolstagnation (evolution_strategy.py, `stop()`): with the last W
 * generations recorded, the best, the median generation-best value and the median generation median
 * of the newest fifth are no better than those of the oldest fifth. (pycma compares the newest tenth
 * with the tenth before it; comparing across the whole window lets slow but steady progress, e.g.
 * CSA-ES with a large population on Rastrigin, run on.) Fires on runs whose σ cannot collapse
 * (SimpleES, OpenAI-ES) once they stop improving, and on adaptive runs that wander.
 */
export function stagnated(best: Ring, med: Ring): boolean {
  if (!best.full || !med.full) return false;
  const n = best.count, l = Math.max(1, Math.floor(n / 5));
  return windowMin(best, n - l, l) >= windowMin(best, 0, l) && windowMedian(best, n - l, l) >= windowMedian(best, 0, l) &&
    windowMedian(med, n - l, l) >= windowMedian(med, 0, l);
}

export interface StopFigures {
  evaluations: number;
  /** seconds since construction */
  elapsed: number;
  /** best so far, minimised sign */
  bestF: number;
  /** +1 minimising, −1 maximising */
  sign: number;
  /** the last generation-best values (minimised sign; finite ones only) over the tolFun window */
  fhist: Ring;
  /** the last generation's range of finite values (Infinity before the first generation) */
  lastRange: number;
  /** the tolStagnation windows: generation-best values and generation medians */
  stagBest: Ring;
  stagMedian: Ring;
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
  if (h.full && s.lastRange < o.tolFun) {
    let lo = Infinity, hi = -Infinity;
    for (const v of h.data) { if (v < lo) lo = v; if (v > hi) hi = v; }
    if (hi - lo < o.tolFun) r.push("tolFun");
  }
  if (stagnated(s.stagBest, s.stagMedian)) r.push("tolStagnation");
  const sd = s.sigma * s.maxsd;
  if (sd < o.tolX) r.push("tolX");
  // (tolupsigma) σ·max sd grew by more than tolUpSigma since the start: a flat or diverging problem
  if (sd > o.tolUpSigma * s.sigma0 * s.maxsd0) r.push("tolUpSigma");
  // (condition_cov) the coordinate variances' ratio, a lower bound of the covariance's condition number
  if ((s.maxsd / s.minsd) ** 2 > o.conditionCov) r.push("conditionCov");
  // a non-finite mean or σ is never left unreported (and a NaN mean must not hide sigmaCollapse)
  let finite = Number.isFinite(s.sigma) && Number.isFinite(s.maxsd);
  for (let i = 0; finite && i < s.mean.length; i++) finite = Number.isFinite(s.mean[i]);
  if (!finite) r.push("nonFinite");
  if (!(sd > 0) || (finite && noEffect(s.mean, sd))) r.push("sigmaCollapse");
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
export type CmaStopReason = "tolFunHist" | "noEffectAxis" | "noEffectCoord";

export interface CmaStopFigures {
  /** completed generations */
  generation: number;
  /** generation-best values (minimised sign), oldest first */
  best: readonly number[];
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
  noEffectAxis: boolean;
  noEffectCoord: boolean;
}

/** CMA-ES's reasons that hold now (pycma's tolfunhist, noeffectaxis, noeffectcoord; tolstagnation is the base's). */
export function cmaStopReasons(s: CmaStopFigures, o: CmaStopOptions): CmaStopReason[] {
  const r: CmaStopReason[] = [];
  const n = s.best.length, d = s.mean.length;
  // (tolfunhist) the generation-best values of the last histLength generations span less than tolFunHist
  if (o.tolFunHist > 0 && n >= o.histLength) {
    let lo = Infinity, hi = -Infinity;
    for (let i = n - o.histLength; i < n; i++) { lo = Math.min(lo, s.best[i]); hi = Math.max(hi, s.best[i]); }
    if (hi - lo < o.tolFunHist) r.push("tolFunHist");
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
