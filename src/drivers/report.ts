/*
 * What minimize reports while it runs, when asked (library code prints nothing otherwise): a log
 * file in Node (`log: 'run.jsonl' | 'run.csv'`, one line per generation, written synchronously so
 * the lines are there if the process dies), a `logger` callback anywhere, and `progress: true` (one
 * updating line on a terminal, a bar when a budget is known; plain lines, at most one a second, when
 * stderr is not a terminal or there is no stderr, e.g. in a browser: console.log).
 */
import type { GenerationInfo } from "../contract/strategy.js";
import { describe, fail } from "../check.js";

/** One generation, as `logger` receives it and as the log files hold it. */
export interface LogRecord {
  generation: number;
  evaluations: number;
  /** best f of this generation */
  bestF: number;
  /** mean of this generation's finite f values */
  meanF: number;
  /** median of this generation's finite f values */
  medianF: number;
  /** best f so far (over restarts too) */
  bestSoFar: number;
  sigma: number;
  /** the largest over the smallest coordinate standard deviation (1 for isotropic strategies) */
  axisRatio: number;
  /** seconds since minimize started */
  time: number;
  /** which run (0 without restarts) */
  run: number;
}

export const LOG_FIELDS = ["generation", "evaluations", "bestF", "meanF", "medianF", "bestSoFar", "sigma", "axisRatio", "time", "run"] as const;

interface Stream {
  isTTY?: boolean;
  columns?: number;
  write(s: string): unknown;
}
interface FsLike {
  openSync(path: string, flags: string): number;
  writeSync(fd: number, s: string): number;
  closeSync(fd: number): void;
}

const clock = (): number => (globalThis.performance?.now?.() ?? Date.now()) / 1000;
const proc = (): { stderr?: Stream; getBuiltinModule?: (id: string) => unknown } | undefined => (globalThis as unknown as { process?: { stderr?: Stream; getBuiltinModule?: (id: string) => unknown } }).process;

/** 1.234e-5 style: short, fixed width-ish. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return "0";
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e5 ? v.toPrecision(4) : v.toExponential(2);
}

export interface ReportOptions {
  log?: unknown;
  logger?: unknown;
  progress?: unknown;
  /** the run's evaluation budget (for the bar), Infinity when none */
  budget: number;
}

/** The reporter of one minimize call; `record` per generation, `close` once at the end. */
export interface Reporter {
  record(info: GenerationInfo, run: number): void;
  close(summary?: { f: number; evaluations: number; stopReason?: string }): void;
}

/** Checks the options and opens what they ask for; undefined when nothing is asked. */
export function reporter(o: ReportOptions): Reporter | undefined {
  const { log, logger, progress, budget } = o;
  if (logger !== undefined && typeof logger !== "function") fail("type", `minimize: option "logger"`, `must be a function, got ${describe(logger)}`);
  if (progress !== undefined && typeof progress !== "boolean") fail("type", `minimize: option "progress"`, `must be a boolean, got ${describe(progress)}`);
  let file: { fs: FsLike; fd: number; csv: boolean } | undefined;
  if (log !== undefined) {
    if (typeof log !== "string" || !/\.(jsonl|ndjson|csv)$/i.test(log)) fail("type", `minimize: option "log"`, `must be a file name ending in .jsonl or .csv, got ${describe(log)}`);
    const fs = proc()?.getBuiltinModule?.("node:fs") as FsLike | undefined;
    if (!fs) fail("type", `minimize: option "log"`, "needs Node's file system (process.getBuiltinModule, Node >= 20.16); elsewhere use `logger`");
    const csv = /\.csv$/i.test(log as string);
    const fd = fs.openSync(log as string, "w");
    if (csv) fs.writeSync(fd, LOG_FIELDS.join(",") + "\n");
    file = { fs, fd, csv };
  }
  if (!file && logger === undefined && !progress) return undefined;

  const t0 = clock();
  const err = proc()?.stderr;
  const tty = !!(progress && err?.isTTY);
  let lastPrint = -Infinity, lastLine = "";
  const out = (line: string) => (err ? err.write(line + "\n") : console.log(line));
  const line = (r: LogRecord): string => {
    const figures = `gen ${r.generation}  evals ${r.evaluations}  best ${fmt(r.bestSoFar)}  σ ${fmt(r.sigma)}  axis ratio ${fmt(r.axisRatio)}  ${r.time.toFixed(1)} s`;
    if (!Number.isFinite(budget) || budget <= 0) return figures;
    const frac = Math.min(1, r.evaluations / budget), w = 20, k = Math.round(frac * w);
    return `[${"#".repeat(k)}${"-".repeat(w - k)}] ${(100 * frac).toFixed(0).padStart(3)}%  ${figures}`;
  };

  return {
    record(info, run) {
      const r: LogRecord = {
        generation: info.generation, evaluations: info.evaluations, bestF: info.bestF, meanF: info.meanF, medianF: info.medianF,
        bestSoFar: info.bestSoFar, sigma: info.sigma, axisRatio: info.maxStd / info.minStd, time: clock() - t0, run,
      };
      if (file) file.fs.writeSync(file.fd, file.csv ? LOG_FIELDS.map((k) => String(r[k])).join(",") + "\n" : JSON.stringify(r, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v)) + "\n");
      (logger as ((r: LogRecord) => void) | undefined)?.(r);
      if (progress) {
        lastLine = line(r);
        if (tty) {
          if (r.time - lastPrint >= 0.1) { err!.write(`\r${lastLine.slice(0, Math.max(20, (err!.columns ?? 120) - 1))}\x1b[K`); lastPrint = r.time; }
        } else if (r.time - lastPrint >= 1) { out(lastLine); lastPrint = r.time; }
      }
    },
    close(summary) {
      if (file) { file.fs.closeSync(file.fd); file = undefined; }
      if (progress) {
        const end = summary ? `done: f ${fmt(summary.f)} after ${summary.evaluations} evaluations${summary.stopReason ? ` (${summary.stopReason})` : ""}` : "stopped";
        if (tty) err!.write(`\r${lastLine ? lastLine + "  " : ""}${end}\x1b[K\n`);
        else out(`${lastLine ? lastLine + "  " : ""}${end}`);
      }
    },
  };
}
