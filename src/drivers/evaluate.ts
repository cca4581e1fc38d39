/**
 * The one evaluation loop. A driver is written as a generator that yields batches of points and
 * receives their values (PyPop7's generator-driven `optimize` loop, which sync and async fitness
 * share); `drive` pumps it through an evaluator, synchronously until the evaluator returns its first
 * thenable, then asynchronously. `generations` is the ask/evaluate/tell loop over any Strategy
 * (public API only); minimize, restarts and the faces compose it.
 *
 * Value checks are made here, once: each value must be a number (NaN is allowed and is the worst
 * value); anything else is a TypeError naming the row. When the evaluator throws or rejects, the
 * driver generator is closed (its `finally` blocks run: the population is discarded, so the strategy
 * is left as it was before the ask) and the error propagates.
 *
 * Time limits hold while an evaluation is pending (`Limits`): each asynchronous batch is raced against
 * the time left and against the per-evaluation timeout. At the deadline the pending evaluations are
 * abandoned (their results, if they ever come, are ignored) and `Deadline` is thrown into the driver
 * generator at its yield: `generations` ends with "maxTime". A timeout rejects the run with an Error
 * naming the option. A synchronous fitness cannot be interrupted: its time is checked between calls.
 */
import type { GenerationInfo, Population, StopReason, Strategy } from "../contract/strategy.js";
import { describe, fail, isThenable } from "../check.js";

/** Points to evaluate: `count` rows of `dimension` values, row-major. Views, valid until the values come back. */
export interface Batch {
  readonly count: number;
  readonly dimension: number;
  /** count × dimension values, row-major (contiguous: a pool sends blocks of it). */
  readonly data: Float64Array;
  row(i: number): Float64Array;
}

/** A fitness of one point; it gets a view of the point (copy it to keep it). */
export type PointFitness = (x: Float64Array) => unknown;

/** Evaluates a whole batch at once (e.g. a worker pool: one transfer per worker). */
export interface BatchEvaluator {
  evaluateBatch(batch: Batch): ArrayLike<unknown> | PromiseLike<ArrayLike<unknown>>;
}

/** What the loop evaluates with: a function of one point, or a batch evaluator. */
export type Evaluator = PointFitness | BatchEvaluator;

/** A driver: yields batches, receives their values (a buffer valid until its next yield), returns R. */
export type Steps<R> = Generator<Batch, R, Float64Array>;

/**
 * Thrown into a driver generator at its yield when the run's deadline passed while the batch was
 * being evaluated: the batch's values will never come. `generations` catches it and ends with
 * "maxTime"; a driver that does not catch it makes `drive` reject with a plain Error.
 */
export class Deadline extends Error {
  constructor() {
    super("evostrat: the time limit passed while an evaluation was pending");
    this.name = "Deadline";
  }
}

/** Time limits of a driven run (each optional). */
export interface Limits {
  /** Seconds left until the run's deadline (may be ≤ 0, or Infinity for none). Read before each asynchronous batch. */
  remaining?: () => number;
  /** An asynchronous batch (one evaluation, or a generation's evaluations started together) that has not settled after this many seconds rejects the run. Default Infinity. */
  timeout?: number;
  /** The option that set `timeout`, for its error message. Default "timeout". */
  timeoutName?: string;
}

const clock = (): number => (globalThis.performance?.now?.() ?? Date.now()) / 1000;
const DEADLINE: unique symbol = Symbol("deadline");
// setTimeout takes at most 2^31 − 1 ms
const MAX_DELAY = 2 ** 31 - 1;

/**
 * Races `p` against the deadline (`remaining` seconds from now: resolves DEADLINE) and the timeout
 * (rejects). Timers are cleared as soon as one side wins, so nothing keeps the process alive.
 */
function race<T>(p: Promise<T>, remaining: number, timeout: number, onTimeout: () => Error): Promise<T | typeof DEADLINE> {
  if (!(remaining < Infinity) && !(timeout < Infinity)) return p;
  return new Promise<T | typeof DEADLINE>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined, done = false;
    const settle = () => { done = true; if (timer !== undefined) clearTimeout(timer); };
    const t0 = clock(), until = t0 + Math.min(remaining, timeout), byTimeout = timeout <= remaining;
    // timers may fire a little early (their clock is not performance.now's): re-arm until the time is really up
    const arm = () => {
      const left = until - clock();
      if (left <= 0) {
        settle();
        if (byTimeout) reject(onTimeout());
        else resolve(DEADLINE);
        return;
      }
      timer = setTimeout(arm, Math.min(MAX_DELAY, Math.ceil(left * 1000)));
    };
    p.then((v) => { if (!done) { settle(); resolve(v); } }, (e) => { if (!done) { settle(); reject(e); } });
    if (!done) arm();
  });
}

/** A one-row batch over a view. */
export function single(x: Float64Array): Batch {
  return { count: 1, dimension: x.length, data: x, row: () => x };
}

/**
 * Runs a driver to its end. Returns R when every value came back synchronously, else a Promise of R
 * (from the first thenable on, each batch's values are awaited together). `where` names the caller
 * in error messages ("minimize(f):").
 */
export function drive<R>(steps: Steps<R>, evaluator: Evaluator, where: string, limits: Limits = {}): R | Promise<R> {
  let out = new Float64Array(0);
  const buf = (n: number): Float64Array => (out.length === n ? out : (out = new Float64Array(n)));
  const value = (v: unknown, i: number): number =>
    typeof v === "number" ? v : fail("type", where, `the fitness must return a number (or a Promise of one), got ${describe(v)} for row ${i}`);
  const fromArray = (vs: ArrayLike<unknown>, n: number): Float64Array => {
    if (vs === null || typeof vs !== "object" || vs.length !== n) fail("type", where, `the evaluator must give ${n} values, got ${describe(vs)}`);
    const o = buf(n);
    for (let i = 0; i < n; i++) o[i] = value(vs[i], i);
    return o;
  };
  const point = typeof evaluator === "function" ? evaluator : undefined;
  const batchEv = point ? undefined : (evaluator as BatchEvaluator);
  if (!point && typeof batchEv?.evaluateBatch !== "function") fail("type", where, "the evaluator must be a function or have evaluateBatch(batch)");

  // Evaluates a batch: the values, or a Promise of them once a thenable appears.
  const evaluate = (b: Batch): Float64Array | Promise<Float64Array> => {
    const n = b.count;
    if (batchEv) {
      const r = batchEv.evaluateBatch(b);
      return isThenable<ArrayLike<unknown>>(r) ? Promise.resolve(r).then((vs) => fromArray(vs, n)) : fromArray(r, n);
    }
    const o = buf(n);
    for (let i = 0; i < n; i++) {
      const v = point!(b.row(i));
      if (isThenable(v)) {
        const pending: unknown[] = [v];
        for (let j = i + 1; j < n; j++) pending.push(point!(b.row(j)));
        const done = o.slice(0, i);
        return Promise.all(pending).then((vs) => {
          const r = buf(n);
          r.set(done);
          for (let j = i; j < n; j++) r[j] = value(vs[j - i], j);
          return r;
        });
      }
      o[i] = value(v, i);
    }
    return o;
  };

  const close = (e: unknown): never => {
    try {
      steps.return(undefined as never);
    } catch {
      // the driver's own clean-up failed: the evaluation error is the one to report
    }
    if (e instanceof Deadline) throw new Error(`evostrat: ${where} the time limit passed while an evaluation was pending (the pending evaluations were abandoned)`);
    throw e;
  };
  const timeout = limits.timeout ?? Infinity;
  const onTimeout = () => new Error(`evostrat: ${where} an evaluation did not settle within ${limits.timeoutName ?? "timeout"} = ${timeout} s (it was abandoned)`);
  // the batch's values, or the deadline thrown into the driver (its catch may end the run)
  const settle = async (v: Promise<Float64Array>): Promise<IteratorResult<Batch, R>> => {
    const got = await race(v, limits.remaining?.() ?? Infinity, timeout, onTimeout);
    return got === DEADLINE ? steps.throw(new Deadline()) : steps.next(got);
  };

  let r: IteratorResult<Batch, R>;
  try {
    r = steps.next();
    while (!r.done) {
      const v = evaluate(r.value);
      if (v instanceof Promise) return rest(v);
      r = steps.next(v);
    }
    return r.value;
  } catch (e) {
    return close(e);
  }

  async function rest(first: Promise<Float64Array>): Promise<R> {
    try {
      let r = await settle(first);
      while (!r.done) {
        const v = evaluate(r.value);
        r = v instanceof Promise ? await settle(v) : steps.next(v);
      }
      return r.value;
    } catch (e) {
      return close(e);
    }
  }
}

/** Why a `generations` loop ended. */
export type LoopEnd = StopReason | "callback" | "halt" | "restart";

export interface LoopOptions {
  /**
   * Evaluate one point per yield, so `halt` is checked before every evaluation (PyPop7's
   * per-evaluation terminations). Default false: one batch per generation.
   */
  pointwise?: boolean;
  /**
   * Checked before every batch (and, when pointwise, before every evaluation and before tell): true
   * ends the loop with "halt", discarding a population not yet told.
   */
  halt?: () => boolean;
  /**
   * Called before each ask, once the loop goes on (e.g. a distributed coordinator sends the
   * generation's work first, so that its own ask overlaps the workers' draws).
   */
  beforeAsk?: () => void;
  /** The points to evaluate for a population (e.g. clipped copies). Default: the population itself. */
  points?: (pop: Population) => Batch;
  /** Called with each point and its (checked) value, in order. */
  onValue?: (x: Float64Array, y: number, i: number) => void;
  /** May rewrite the values in place before tell (e.g. a sign); gets the points that were evaluated. */
  beforeTell?: (values: Float64Array, points: Batch) => void;
  /** After every tell, with the values told; return false to end the loop ("callback"). */
  onGeneration?: (info: GenerationInfo, values: Float64Array) => boolean | void;
  /** Reasons to end the loop, checked before every generation. Default: strategy.shouldStop(). */
  stop?: () => readonly string[];
  /** Generations to run at most. Default Infinity. */
  maxGenerations?: number;
}

/**
 * ask → evaluate → tell over any strategy until a stop reason, a halt, the callback or maxGenerations.
 * Returns the reasons ([] after maxGenerations). A population that was asked but never told (halt,
 * or a throwing evaluator) is discarded.
 */
export function* generations(s: Strategy, o: LoopOptions = {}): Generator<Batch, LoopEnd[], Float64Array> {
  const stop = o.stop ?? (() => s.shouldStop());
  const max = o.maxGenerations ?? Infinity;
  const values = new Float64Array(s.popSize);
  let copy: Batch | undefined;
  // one-row batches over the copy's rows, made once per copy (not one object and closure per evaluation)
  let singles: Batch[] = [];
  try {
    for (let g = 0; g < max; g++) {
      const reasons = stop();
      if (reasons.length) return reasons as LoopEnd[];
      if (o.halt?.()) return ["halt"];
      o.beforeAsk?.();
      const pop = s.ask();
      const pts = o.points ? o.points(pop) : pop;
      const n = pts.count;
      // The evaluator gets a copy: a fitness that writes into its x changes neither the population
      // (told, and the best so far taken from it) nor what onValue and beforeTell see.
      const prev = copy;
      const sent = (copy = copyOf(pts, copy));
      try {
        if (o.pointwise) {
          if (sent !== prev) singles = Array.from({ length: n }, (_, i) => single(sent.row(i)));
          for (let i = 0; i < n; i++) {
            if (i > 0 && o.halt?.()) return ["halt"];
            const y = (yield singles[i])[0];
            values[i] = y;
            o.onValue?.(pts.row(i), y, i);
          }
          if (o.halt?.()) return ["halt"];
        } else {
          const ys = yield sent;
          values.set(ys);
          if (o.onValue) for (let i = 0; i < n; i++) o.onValue(pts.row(i), values[i], i);
        }
      } catch (e) {
        // the deadline passed while this population was evaluated: it is abandoned (discarded below)
        if (e instanceof Deadline) return ["maxTime"];
        throw e;
      }
      o.beforeTell?.(values, pts);
      const info = s.tell(values);
      if (o.onGeneration?.(info, values) === false) return ["callback"];
    }
    return [];
  } finally {
    if (!s.disposed && s.asked) s.discard();
  }
}

/** A batch over a copy of b's rows (refilling `prev` when it has the same shape). */
function copyOf(b: Batch, prev: Batch | undefined): Batch {
  const n = b.count, d = b.dimension;
  let out = prev;
  if (!out || out.count !== n || out.dimension !== d) {
    const data = new Float64Array(n * d);
    const rows = Array.from({ length: n }, (_, i) => data.subarray(i * d, i * d + d));
    out = { count: n, dimension: d, data, row: (i) => rows[i] };
  }
  if (b.data.length === n * d) out.data.set(b.data);
  else for (let i = 0; i < n; i++) out.data.set(b.row(i), i * d);
  return out;
}

/** Runs `generations` through an evaluator: the one loop for a single strategy. */
export function run(s: Strategy, evaluator: Evaluator, o: LoopOptions = {}, where = "evaluate:", limits: Limits = {}): LoopEnd[] | Promise<LoopEnd[]> {
  return drive(generations(s, o), evaluator, where, limits);
}
