/**
 * COCO's data format, as its `bbob` logger writes it (format "bbob-new2"), so that COCO's own
 * post-processing (cocopp) reads evostrat's runs: per (function, dimension) one line in
 * `<prefix>_f<f>.info` and, under `data_f<f>/`, the files `<prefix>_f<f>_DIM<d>.dat` (a line each time
 * the best f − f_opt crosses a target: 20 per decade down to 1e-8, and multiples of 1e5), `.tdat` (a
 * line at the evaluation counts 10^(k/20) and {1, 2, 5}·10^k·d), `.rdat` (a line at each restart) and
 * `.mdat` (a line when a recommendation reaches a target; the runs recommend nothing, so it holds each
 * run's header only, as COCO's logger writes it for such an algorithm; cocopp reads .mdat only when
 * asked to use recommendations). Each run starts its part of every file with the header line.
 * Pure: it produces text; the command writes the files (`cocoFiles`). Checked with cocopp itself
 * (bench/bbob/NOTES.md says how) and pinned by test/bbob/coco-format.test.ts.
 *
 * see: COCO (numbbo/coco-experiment), code-experiments/src/logger_bbob.c, coco_observer.c (the
 *      triggers), coco.h (NAN_FOR_LOGGING, INFINITY_FOR_LOGGING).
 */

const NAN_FOR_LOGGING = 2e21;
const INFINITY_FOR_LOGGING = 3e21;
const TARGETS_PER_DECADE = 20;
const LOG_PRECISION = 1e-8;
const LIN_PRECISION = 1e5;

/** C's printf("%+.<p>e"): a sign always, an exponent of at least two digits. */
export function cExp(v: number, p: number, sign = true): string {
  if (!Number.isFinite(v)) return v > 0 ? "inf" : v < 0 ? "-inf" : "nan";
  const s = Math.abs(v).toExponential(p);
  const [m, e] = s.split("e");
  const ex = Number(e);
  const body = `${m}e${ex < 0 ? "-" : "+"}${String(Math.abs(ex)).padStart(2, "0")}`;
  return v < 0 || Object.is(v, -0) ? `-${body}` : sign ? `+${body}` : body;
}

/** The header line of .dat, .tdat and .rdat files. */
export function datHeader(fOpt: number): string {
  return `% f evaluations | g evaluations | best noise-free fitness - Fopt (${cExp(fOpt, 12, false)}) + sum g_i+ | measured fitness | best measured fitness or single-digit g-values | x1 | x2...\n`;
}

/** COCO's target trigger: log targets (20 per decade, none below 1e-8) or linear ones (multiples of 1e5). */
class Targets {
  private exponent = Number.MAX_SAFE_INTEGER;
  private lin = Number.MAX_VALUE;

  trigger(v: number): boolean {
    let log = false;
    const n = TARGETS_PER_DECADE;
    if (v >= 0) {
      const w = v === 0 ? LOG_PRECISION / 10 : v < LOG_PRECISION ? LOG_PRECISION : v;
      const e = Math.ceil(Math.log10(w) * n);
      if (e < this.exponent) {
        this.exponent = e;
        log = true;
      }
    } else {
      const w = v > -LOG_PRECISION ? LOG_PRECISION : -v;
      const e = Math.floor(Math.log10(w) * n);
      const adjusted = 2 * Math.ceil(Math.log10(LOG_PRECISION / 10) * n) - e - 1;
      if (adjusted < this.exponent) {
        this.exponent = adjusted;
        log = true;
      }
    }
    const r = roundUp(v, LIN_PRECISION);
    let lin = false;
    if (r < this.lin) {
      this.lin = r;
      lin = true;
    }
    return log || lin;
  }
}

function roundUp(v: number, p: number): number {
  const up = Math.ceil(v / p) * p;
  const near = Math.floor(v / p + 0.5) * p;
  if (Math.abs(near - up) < p) return up;
  return Math.abs(v - near) < 1e-12 ? near : up;
}

/** COCO's evaluation trigger: 10^(k/20) evaluations, and {1, 2, 5}·10^k·d. */
class EvaluationTriggers {
  private v1 = 1;
  private e1 = 0;
  private v2: number;
  private e2 = 0;
  private base = 0;
  private static readonly BASES = [1, 2, 5];

  constructor(private readonly d: number) {
    this.v2 = d * EvaluationTriggers.BASES[0];
  }

  trigger(n: number): boolean {
    let first = false;
    if (n >= this.v1) {
      while (Math.floor(Math.pow(10, this.e1 / 20)) <= this.v1) this.e1++;
      this.v1 = Math.floor(Math.pow(10, this.e1 / 20));
      first = true;
    }
    let second = false;
    if (n >= this.v2) {
      if (this.base < EvaluationTriggers.BASES.length - 1) this.base++;
      else {
        this.base = 0;
        this.e2++;
      }
      this.v2 = Math.floor(Math.pow(10, this.e2) * this.d * EvaluationTriggers.BASES[this.base]);
      second = true;
    }
    return first || second;
  }
}

/** One run on one problem instance, logged as COCO's bbob logger would. */
export class CocoRunLog {
  dat: string;
  tdat: string;
  rdat: string;
  /** recommendations (none: the header only) */
  readonly mdat: string;
  evaluations = 0;
  best = Infinity;
  private readonly bestX: Float64Array;
  private lastDat = 0;
  private lastTdat = 0;
  private restarted = false;
  private readonly targets = new Targets();
  private readonly evals: EvaluationTriggers;

  constructor(
    readonly d: number,
    readonly fOpt: number,
  ) {
    const h = datHeader(fOpt);
    this.dat = h;
    this.tdat = h;
    this.rdat = h;
    this.mdat = h;
    this.bestX = new Float64Array(d);
    this.evals = new EvaluationTriggers(d);
  }

  private line(x: ArrayLike<number>, y: number, best: number): string {
    let s = `${this.evaluations} 0 ${cExp(best - this.fOpt, 9)} ${cExp(y, 9)} ${cExp(best, 9)}`;
    if (this.d < 7) for (let i = 0; i < this.d; i++) s += ` ${cExp(x[i], 4)}`;
    return s + "\n";
  }

  /** Logs one evaluation f(x) = y. */
  observe(x: ArrayLike<number>, y: number): void {
    this.evaluations++;
    const yl = Number.isNaN(y) ? NAN_FOR_LOGGING : !Number.isFinite(y) ? INFINITY_FOR_LOGGING : y;
    const m = yl >= this.fOpt ? yl : this.fOpt;
    if (this.evaluations === 1 || m < this.best) {
      this.best = m;
      for (let i = 0; i < this.d; i++) this.bestX[i] = x[i];
      if (this.evaluations === 1 || this.targets.trigger(this.best - this.fOpt)) {
        this.dat += this.line(x, yl, this.best);
        this.lastDat = this.evaluations;
      }
    }
    if (this.evals.trigger(this.evaluations)) {
      this.tdat += this.line(x, yl, this.best);
      this.lastTdat = this.evaluations;
    }
    if (this.restarted) {
      this.rdat += this.line(x, yl, this.best);
      this.restarted = false;
    }
  }

  /** The algorithm restarts: the next evaluation is logged in .rdat. */
  restart(): void {
    this.restarted = true;
  }

  /** Closes the run (the last lines of .dat and .tdat, as COCO's logger does when freed). */
  finish(): void {
    if (this.evaluations !== this.lastDat) this.dat += this.line(this.bestX, this.best, this.best);
    if (this.evaluations !== this.lastTdat) this.tdat += this.line(this.bestX, this.best, this.best);
  }
}

/** The .info text of one function: a block per dimension, an entry per instance. */
export function infoText(
  blocks: { suite: string; fid: number; d: number; algId: string; algInfo: string; datPath: string; runs: { instance: number; evaluations: number; best: number }[] }[],
  version: string,
): string {
  return blocks
    .map((b) => {
      const head = `suite = '${b.suite}', funcId = ${b.fid}, DIM = ${b.d}, Precision = 1.000e-08, algId = '${b.algId}', coco_version = '${version}', logger = 'bbob', data_format = 'bbob-new2', settings = ''\n% ${b.algInfo}\n${b.datPath}.dat`;
      return head + b.runs.map((r) => `, ${r.instance}:${r.evaluations}|${cExp(r.best, 1, false)}`).join("");
    })
    .join("\n");
}

/** What `cocoFiles` needs of a run (a runner's RunRecord has it). */
export interface CocoRun {
  strategy: string;
  suite: string;
  fid: number;
  d: number;
  instance: number;
  evaluations: number;
  /** best f − f_opt */
  best: number;
  /** the run's part of each file (`mdat` absent in records written before it was: the .dat's header then) */
  coco: { dat: string; tdat: string; rdat: string; mdat?: string };
}

/**
 * Every file of COCO's data folder for `runs` of one suite, as paths relative to the output folder:
 * `<strategy>/bbobexp_f<f>.info` and `<strategy>/data_f<f>/bbobexp_f<f>_DIM<d>.{dat,tdat,rdat,mdat}`
 * (a folder per strategy, which cocopp takes as one algorithm), dimensions ascending, runs by instance.
 */
export function cocoFiles(runs: readonly CocoRun[], algInfo: (strategy: string) => string, version: string): Map<string, string> {
  const files = new Map<string, string>();
  const sorted = (v: Iterable<number>) => [...new Set(v)].sort((a, b) => a - b);
  for (const s of [...new Set(runs.map((r) => r.strategy))]) {
    const rs = runs.filter((r) => r.strategy === s);
    for (const fid of sorted(rs.map((r) => r.fid))) {
      const blocks = [];
      for (const d of sorted(rs.filter((r) => r.fid === fid).map((r) => r.d))) {
        const part = rs.filter((r) => r.fid === fid && r.d === d).sort((a, b) => a.instance - b.instance);
        const base = `data_f${fid}/bbobexp_f${fid}_DIM${d}`;
        files.set(`${s}/${base}.dat`, part.map((r) => r.coco.dat).join(""));
        files.set(`${s}/${base}.tdat`, part.map((r) => r.coco.tdat).join(""));
        files.set(`${s}/${base}.rdat`, part.map((r) => r.coco.rdat).join(""));
        files.set(`${s}/${base}.mdat`, part.map((r) => r.coco.mdat ?? r.coco.dat.slice(0, r.coco.dat.indexOf("\n") + 1)).join(""));
        blocks.push({ suite: part[0].suite, fid, d, algId: s, algInfo: algInfo(s), datPath: base, runs: part.map((r) => ({ instance: r.instance, evaluations: r.evaluations, best: r.best })) });
      }
      files.set(`${s}/bbobexp_f${fid}.info`, infoText(blocks, version) + "\n");
    }
  }
  return files;
}
