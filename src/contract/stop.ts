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

/**
 * A Ring that, once full, also keeps its oldest fifth and its newest fifth sorted, for the stagnation
 * test below. Each push moves one value out of and one into each fifth (two binary searches, and one
 * shift of the values between the two places, in copyWithin), so the test reads minima and medians in
 * O(1). Copying and
 * selecting the four window statistics on every shouldStop() instead cost O(window/5) per generation:
 * with the default window of 4,160 generations at d = 10, λ = 10, it was most of the optimizer's
 * overhead per evaluation (1.8 µs against 0.16 µs for ask + tell) in the PyPop7 face's benchmark.
 */
export class FifthsRing extends Ring {
  /** the length of a fifth: ⌊capacity / 5⌋, at least 1 */
  readonly fifth: number;
  /** sorted copies of the oldest and newest fifths (valid once the ring is full) */
  readonly oldest: Float64Array;
  readonly newest: Float64Array;

  constructor(n: number) {
    super(n);
    this.fifth = Math.max(1, Math.floor(this.data.length / 5));
    this.oldest = new Float64Array(this.fifth);
    this.newest = new Float64Array(this.fifth);
  }

  override push(v: number): void {
    if (!Number.isFinite(v)) return;
    const d = this.data, n = d.length, l = this.fifth;
    if (this.full) {
      // positions from the oldest (at head when full): 0 leaves the ring and the oldest fifth, l joins
      // the oldest fifth, n − l leaves the newest fifth, v joins it
      const h = this.head;
      replace(this.oldest, d[h], d[(h + l) % n]);
      replace(this.newest, d[(h + n - l) % n], v);
      super.push(v);
      return;
    }
    super.push(v);
    if (this.full) {
      const vals = this.values();
      this.oldest.set(vals.subarray(0, l));
      this.oldest.sort();
      this.newest.set(vals.subarray(n - l));
      this.newest.sort();
    }
  }
}

// The first index i of the sorted a[0..n) with a[i] ≥ v.
function lowerBound(a: Float64Array, n: number, v: number): number {
  let lo = 0, hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// In the sorted a, one occurrence of `out` (present: the fifths hold exactly the ring's values) is
// replaced by `inn`, keeping a sorted: only the values between the two places shift, by one.
function replace(a: Float64Array, out: number, inn: number): void {
  const n = a.length, i = lowerBound(a, n, out);
  if (inn < out) {
    const j = lowerBound(a, i, inn); // a[j..i) are ≥ inn and < out: one place up
    a.copyWithin(j + 1, j, i);
    a[j] = inn;
  } else {
    const j = lowerBound(a, n, inn); // a(i..j) are ≥ out and < inn: one place down
    if (j > i + 1) {
      a.copyWithin(i, i + 1, j);
      a[j - 1] = inn;
    } else a[i] = inn;
  }
}

// The median of a sorted array, halves first (no overflow near ±1e308), as the generation medians.
function sortedMedian(a: Float64Array): number {
  const l = a.length, m = l >> 1;
  return l % 2 ? a[m] : 0.5 * a[m - 1] + 0.5 * a[m];
}

/**
 * Stagnation, after pycma's tolstagnation (evolution_strategy.py, `stop()`): with the last W
 * generations recorded, the best, the median generation-best value and the median generation median
 * of the newest fifth are no better than those of the oldest fifth. (pycma compares the newest tenth
 * with the tenth before it; comparing across the whole window lets slow but steady progress, e.g.
 * CSA-ES with a large population on Rastrigin, run on.) Fires on runs whose σ cannot collapse
 * (SimpleES, OpenAI-ES) once they stop improving, and on adaptive runs that wander.
 */
export function stagnated(best: FifthsRing, med: FifthsRing): boolean {
  if (!best.full || !med.full) return false;
  return best.newest[0] >= best.oldest[0] && sortedMedian(best.newest) >= sortedMedian(best.oldest) &&
    sortedMedian(med.newest) >= sortedMedian(med.oldest);
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
  stagBest: FifthsRing;
  stagMedian: FifthsRing;
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
