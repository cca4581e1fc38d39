/**
 * evostrat-bbob: runs evostrat's strategies on COCO's BBOB suites and writes
 *   OUT/runs.jsonl             one finished (strategy, problem) per line: what makes the run resumable
 *   OUT/coco/<strategy>/        COCO's data format (.info; data_f<f>/ with .dat, .tdat, .rdat, .mdat), for cocopp
 *   OUT/figures/*.svg          runtime ECDFs per dimension and function group
 *   OUT/README.md              the ERT table and the figures (OUT/NOTES.md, if there, at its top)
 *   OUT/sessions.jsonl         one line per invocation: the command, the machine, the wall time
 * Runs are spread over worker threads (Node's worker_threads); a run already in runs.jsonl is not run
 * again. Progress goes to stderr, as a bar on a terminal.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, platform, release, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { strategies } from "../index.js";
import { cocoFiles } from "./coco-log.js";
import { DIMENSIONS, type Suite } from "./index.js";
import { ecdfFigures, ertTable, summaryTable } from "./report.js";
import { plan, runOne, type RunOptions, type RunRecord } from "./runner.js";

const VERSION = "evostrat-bbob-0.1.0";

const HELP = `evostrat-bbob: evostrat's strategies on COCO's BBOB suites

  --strategies csa,xnes   strategies from the registry (default: all: ${Object.keys(strategies).join(",")})
  --suite bbob            bbob or bbob-largescale (default bbob)
  --functions 1-24        function numbers, ranges allowed (default 1-24)
  --dims 2,5              dimensions (default: the suite's, ${DIMENSIONS.bbob.join(",")})
  --instances 1-15        instance numbers, ranges allowed (default 1-15)
  --budget 1000           evaluations per dimension per run (default 1000)
  --no-restarts           no IPOP restarts (default: restart until the budget or 1e-8)
  --seed 1                base seed (default 1)
  --workers N             worker threads (default: cores − 1, at least 1)
  --out DIR               output folder (default bbob-results)

Resumable: runs already in DIR/runs.jsonl are not run again (one budget per run: asking another
--budget for runs DIR holds is refused; use another DIR). DIR/README.md is rewritten from all runs
in DIR at the end of each invocation, with DIR/NOTES.md (if present) at its top, and the command,
machine and wall time of each invocation (DIR/sessions.jsonl).
`;

function list(s: string, name: string): number[] {
  const out: number[] = [];
  for (const part of s.split(",")) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) throw new RangeError(`evostrat-bbob: --${name} takes numbers and ranges like 1-3,5, got "${s}"`);
    const a = Number(m[1]);
    const b = m[2] ? Number(m[2]) : a;
    for (let v = a; v <= b; v++) out.push(v);
  }
  return out;
}

function positive(name: string, v: unknown): number {
  const n = Number(v);
  if (!(n > 0) || !Number.isFinite(n)) throw new RangeError(`evostrat-bbob: --${name} must be a positive number, got "${String(v)}"`);
  return n;
}

interface Args {
  strategies: string[];
  suite: Suite;
  functions: number[];
  dims: number[];
  instances: number[];
  budget: number;
  restarts: boolean;
  seed: number;
  workers: number;
  out: string;
}

const KNOWN = ["strategies", "suite", "functions", "dims", "instances", "budget", "seed", "workers", "out"];

function parse(argv: string[]): Args | null {
  const a: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k === "--help" || k === "-h") return null;
    if (k === "--no-restarts") a.restarts = false;
    else if (k.startsWith("--")) {
      const [key, inline] = k.slice(2).split("=", 2);
      if (!KNOWN.includes(key)) throw new RangeError(`evostrat-bbob: unknown option --${key} (--help lists the options)`);
      const v = inline ?? argv[++i];
      if (v === undefined) throw new RangeError(`evostrat-bbob: --${key} needs a value`);
      a[key] = v;
    } else throw new RangeError(`evostrat-bbob: unexpected argument "${k}" (--help lists the options)`);
  }
  const suite = (a.suite ?? "bbob") as Suite;
  if (suite !== "bbob" && suite !== "bbob-largescale") throw new RangeError(`evostrat-bbob: --suite must be bbob or bbob-largescale`);
  const names = typeof a.strategies === "string" ? a.strategies.split(",").map((s) => s.trim()) : Object.keys(strategies);
  for (const s of names) if (!strategies[s]) throw new RangeError(`evostrat-bbob: unknown strategy "${s}"; known: ${Object.keys(strategies).join(", ")}`);
  const cores = typeof availableParallelism === "function" ? availableParallelism() : cpus().length;
  return {
    strategies: names,
    suite,
    functions: list(String(a.functions ?? "1-24"), "functions"),
    dims: typeof a.dims === "string" ? list(a.dims, "dims") : [...DIMENSIONS[suite]],
    instances: list(String(a.instances ?? "1-15"), "instances"),
    budget: positive("budget", a.budget ?? 1000),
    restarts: a.restarts !== false,
    seed: positive("seed", a.seed ?? 1),
    workers: positive("workers", a.workers ?? Math.max(1, cores - 1)),
    out: String(a.out ?? "bbob-results"),
  };
}

const key = (r: { strategy: string; suite: string; fid: number; instance: number; d: number }) => `${r.strategy}/${r.suite}/${r.fid}/${r.instance}/${r.d}`;

function readRecords(file: string): RunRecord[] {
  if (!existsSync(file)) return [];
  const out: RunRecord[] = [];
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as RunRecord);
    } catch {
      // a line cut by an interruption: that run is done again
    }
  }
  return out;
}

/** One invocation of the command: what was run, where, and how long it took. */
interface Session {
  command: string;
  started: string;
  wallSeconds: number;
  runs: number;
  workers: number;
  machine: string;
}

function machine(): string {
  const c = cpus();
  const cores = typeof availableParallelism === "function" ? availableParallelism() : c.length;
  return `${c[0]?.model?.trim() ?? "unknown CPU"}, ${cores} cores available, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; ${platform()} ${release()}; Node ${process.version}`;
}

function readSessions(file: string): Session[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as Session];
      } catch {
        return [];
      }
    });
}

/** Writes COCO's files, the figures and the README from all records. */
function writeOutputs(out: string, records: RunRecord[], args: Args): void {
  const bySuite = records.filter((r) => r.suite === args.suite);
  for (const [path, text] of cocoFiles(bySuite, (s) => `evostrat ${s}, IPOP restarts: ${args.restarts}`, VERSION)) {
    mkdirSync(dirname(join(out, "coco", path)), { recursive: true });
    writeFileSync(join(out, "coco", path), text);
  }
  mkdirSync(join(out, "figures"), { recursive: true });
  const figs = ecdfFigures(bySuite);
  for (const f of figs) writeFileSync(join(out, "figures", f.name), f.svg);
  const secs = bySuite.reduce((s, r) => s + r.seconds, 0);
  const notes = existsSync(join(out, "NOTES.md")) ? [readFileSync(join(out, "NOTES.md"), "utf8").trimEnd(), ""] : [];
  const sessions = readSessions(join(out, "sessions.jsonl"));
  const md = [
    `# evostrat on ${args.suite}`,
    "",
    ...notes,
    `Strategies ${[...new Set(bySuite.map((r) => r.strategy))].join(", ")}; ${bySuite.length} runs; ${secs.toFixed(1)} s of run time in all (the sum over runs, whatever the worker threads).`,
    "COCO's data for cocopp: `coco/<strategy>/` (`python -m cocopp coco/*`).",
    "",
    "## How it was made",
    "",
    "Each invocation of `evostrat-bbob` on this folder (a run already done is not run again):",
    "",
    "| started (UTC) | command | runs | workers | wall time | machine |",
    "|---|---|---|---|---|---|",
    ...sessions.map((x) => `| ${x.started} | \`${x.command}\` | ${x.runs} | ${x.workers} | ${x.wallSeconds.toFixed(0)} s | ${x.machine} |`),
    "",
    "## Targets reached",
    "",
    "Per strategy and dimension: the fraction of (run, target) pairs reached within the budget, targets f − f_opt ∈ {10^2, 10^1.8, …, 10^−8} (where the ECDFs below pass the budget, ×), and in parentheses the runs that reached 1e-8.",
    "",
    summaryTable(bySuite),
    "## Expected running time",
    "",
    ertTable(bySuite),
    "## Runtime distributions",
    "",
    "Fraction of (function, target) pairs, targets f − f_opt ∈ {10^2, 10^1.8, …, 10^−8}, solved within the evaluations on the x axis, with simulated restarts as in cocopp's ECDFs (Hansen et al. 2022, \"Anytime performance assessment in blackbox optimization benchmarking\"): per (function, target), 100 runtimes bootstrapped from the runs on its instances, each starting from a run (each run equally often) and, while the run taken missed the target, adding its evaluations and taking another at random until one that reached it. Up to the budget (×) a line is the fraction of (run, target) pairs the runs reached; past it, restarts simulated from the same runs, whose mean runtime is the ERT. Seeded: the same runs give the same figures.",
    "",
    ...figs.map((f) => `![${f.title}](figures/${f.name})`),
    "",
  ].join("\n");
  writeFileSync(join(out, "README.md"), md);
}

function progress(done: number, total: number, last: string, t0: number): void {
  const err = process.stderr;
  const el = (performance.now() - t0) / 1000;
  if (err.isTTY) {
    const w = 30;
    const k = Math.round((w * done) / Math.max(1, total));
    err.write(`\r[${"#".repeat(k)}${".".repeat(w - k)}] ${done}/${total} ${el.toFixed(0)}s ${last}`.padEnd(100).slice(0, (err.columns ?? 100) - 1));
    if (done === total) err.write("\n");
  } else if (done === total || done % Math.max(1, Math.ceil(total / 10)) === 0) err.write(`evostrat-bbob: ${done}/${total} runs (${el.toFixed(0)} s)\n`);
}

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  if (args === null) {
    process.stdout.write(HELP);
    return;
  }
  mkdirSync(args.out, { recursive: true });
  const file = join(args.out, "runs.jsonl");
  const records = readRecords(file);
  const have = new Map(records.map((r) => [key(r), r]));
  const planned = plan({ ...args });
  // A run is done whatever budget it had (the key has no budget), so a folder holds one budget per
  // problem: asking another one for runs it already holds would mix budgets silently.
  for (const r of planned) {
    const old = have.get(key(r));
    if (old && old.budget !== r.budget) {
      throw new RangeError(`evostrat-bbob: ${file} holds ${key(r)} run with --budget ${old.budget}, and this invocation asks --budget ${r.budget}: use another --out folder for another budget`);
    }
  }
  const todo = planned.filter((r) => !have.has(key(r)));
  const total = todo.length;
  if (records.length > 0) process.stderr.write(`evostrat-bbob: ${records.length} runs already in ${file}; ${total} to go\n`);
  const t0 = performance.now();
  const started = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  let done = 0;
  const finish = (rec: RunRecord) => {
    appendFileSync(file, JSON.stringify(rec) + "\n");
    records.push(rec);
    done++;
    progress(done, total, `${rec.strategy} f${rec.fid} d${rec.d} i${rec.instance}: ${rec.best.toExponential(1)}`, t0);
  };
  const nw = Math.min(args.workers, total);
  if (nw <= 1) for (const r of todo) finish(runOne(r));
  else {
    let next = 0;
    await Promise.all(
      Array.from({ length: nw }, () =>
        new Promise<void>((resolve, reject) => {
          const w = new Worker(self, { workerData: { worker: true } });
          const feed = () => {
            if (next < todo.length) w.postMessage(todo[next++]);
            else void w.terminate().then(() => resolve());
          };
          w.on("message", (rec: RunRecord) => {
            finish(rec);
            feed();
          });
          w.on("error", reject);
          w.on("online", feed);
        }),
      ),
    );
  }
  if (total > 0) {
    const session: Session = {
      command: `evostrat-bbob ${process.argv.slice(2).join(" ")}`,
      started,
      wallSeconds: (performance.now() - t0) / 1000,
      runs: total,
      workers: nw,
      machine: machine(),
    };
    appendFileSync(join(args.out, "sessions.jsonl"), JSON.stringify(session) + "\n");
  }
  writeOutputs(args.out, records, args);
  process.stderr.write(`evostrat-bbob: results in ${args.out}/README.md, COCO data in ${args.out}/coco/\n`);
}

// The file that started this process (the package's dist/bbob-cli.mjs): its workers run it too.
let self: URL;

/**
 * The command: `cli(import.meta.url)` from the file that is run (dist/bbob-cli.mjs calls it after it
 * provided the core); in a worker thread it serves runs, otherwise it runs main().
 */
export function cli(entry: string | URL): void {
  self = new URL(entry);
  if (!isMainThread && (workerData as { worker?: boolean } | null)?.worker) {
    parentPort!.on("message", (r: RunOptions) => parentPort!.postMessage(runOne(r)));
  } else {
    main().catch((e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    });
  }
}
