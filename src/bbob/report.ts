/**
 * What a benchmark's records say, COCO-style: the expected running time (ERT) to reach f − f_opt < 1e-8
 * as a markdown table, and empirical cumulative distributions of runtime as SVG figures: the fraction
 * of (function, target) pairs (targets 10^2 … 10^−8) solved against evaluations / d, one line per
 * strategy, per dimension and function group. Pure: strings in, strings out.
 *
 * The runtimes of the ECDFs are simulated restarts, as cocopp's are: for each (function, dimension,
 * target) a sample of runtimes is drawn from the runs on its instances, each by taking a run and, while
 * the run taken missed the target, adding its evaluations and taking another at random, until one that
 * reached it (whose evaluations to the target are added). Such a runtime has the ERT as its expectation;
 * lines go on past the budget (the ×), and where no run reached a target its pairs are never solved.
 * Seeded per (strategy, suite, function, dimension, target), so a figure is the same at every call.
 *
 * see: Hansen et al., "COCO: Performance Assessment", arXiv:1605.03560 (ERT; runtime ECDFs over
 *      targets; simulated restarts); Hansen, Auger, Brockhoff, Tušar, "Anytime Performance Assessment in
 *      Blackbox Optimization Benchmarking", IEEE TEVC 26(6), 2022 (the runtime distribution that
 *      simulated restarts give, consistent with the ERT); cocopp (numbbo/coco-postprocess),
 *      toolsstats.drawSP and compall/pprldmany.py: each run starts the same number of simulated
 *      runtimes, the further runs are drawn uniformly with replacement.
 */
import { GROUPS } from "./index.js";
import { TARGETS, fnv1a, type RunRecord } from "./runner.js";

/** ERT to a target index over runs: (evaluations of all runs until the target or their end) / successes. */
export function ert(runs: RunRecord[], k = TARGETS.length - 1): { ert: number; successes: number; runs: number } {
  let evals = 0;
  let ok = 0;
  for (const r of runs) {
    if (r.hits[k] >= 0) {
      evals += r.hits[k];
      ok++;
    } else evals += r.evaluations;
  }
  return { ert: ok > 0 ? evals / ok : Infinity, successes: ok, runs: runs.length };
}

const fmt = (v: number) => (!Number.isFinite(v) ? "∞" : v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

/** A markdown table per dimension: rows f1 … f24, a column per strategy, "ERT/d (successes/runs)". */
export function ertTable(records: RunRecord[]): string {
  const strategies = [...new Set(records.map((r) => r.strategy))];
  const dims = [...new Set(records.map((r) => r.d))].sort((a, b) => a - b);
  const out: string[] = [];
  for (const d of dims) {
    const rd = records.filter((r) => r.d === d);
    const budget = Math.max(...rd.map((r) => r.budget));
    out.push(`### d = ${d}`, "", `ERT to f − f_opt < 1e-8 in evaluations / d (successes / runs); budget ${budget}·d evaluations per run.`, "");
    out.push(`| f | ${strategies.join(" | ")} |`, `|---|${strategies.map(() => "---").join("|")}|`);
    const fids = [...new Set(rd.map((r) => r.fid))].sort((a, b) => a - b);
    for (const fid of fids) {
      const cells = strategies.map((s) => {
        const e = ert(rd.filter((r) => r.fid === fid && r.strategy === s));
        return e.runs === 0 ? "" : `${fmt(e.ert / d)} (${e.successes}/${e.runs})`;
      });
      out.push(`| f${fid} | ${cells.join(" | ")} |`);
    }
    out.push("");
  }
  return out.join("\n");
}

/**
 * The headline per strategy and dimension: the fraction of (run, target) pairs reached within the budget
 * (what the ECDF figures end at) and the runs that reached f − f_opt < 1e-8.
 */
export function summaryTable(records: RunRecord[]): string {
  const strategies = [...new Set(records.map((r) => r.strategy))];
  const dims = [...new Set(records.map((r) => r.d))].sort((a, b) => a - b);
  const out = [`| strategy | ${dims.map((d) => `d = ${d}`).join(" | ")} | all |`, `|---|${dims.map(() => "---").join("|")}|---|`];
  const cell = (rs: RunRecord[]) => {
    if (rs.length === 0) return "";
    let hit = 0;
    for (const r of rs) for (const h of r.hits) if (h >= 0) hit++;
    const solved = rs.filter((r) => r.hits[TARGETS.length - 1] >= 0).length;
    return `${((100 * hit) / (rs.length * TARGETS.length)).toFixed(1)} % (${solved}/${rs.length})`;
  };
  for (const s of strategies) {
    const rs = records.filter((r) => r.strategy === s);
    out.push(`| ${s} | ${dims.map((d) => cell(rs.filter((r) => r.d === d))).join(" | ")} | ${cell(rs)} |`);
  }
  return out.join("\n") + "\n";
}

const COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"];

/** Options of the runtime ECDFs (`ecdf`, `ecdfSvg`, `ecdfFigures`). */
export interface EcdfOptions {
  /**
   * simulated runtimes per (function, dimension, target): rounded up to a multiple of the number of runs,
   * so that each run starts as many of them. Default 100.
   */
  samples?: number;
  /** seed of the simulated restarts. Default 1. */
  seed?: number;
}

/** What `simulatedRuntimes` needs of a run: when it reached the target, and its length. */
export interface RuntimeRun {
  /** evaluations at which the run reached the target; −1 (or any negative) if it never did */
  hit: number;
  /** evaluations of the whole run */
  evaluations: number;
}

/** A seeded generator of uniform numbers in [0, 1) (splitmix32: Steele, Lea, Flood, OOPSLA 2014). */
export function seededUniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return ((z ^ (z >>> 16)) >>> 0) / 4294967296;
  };
}

/**
 * Runtimes of simulated restarts over `runs` (the runs of one problem on its instances, for one target):
 * `samples` values; the k-th starts from run π(k mod n) for a random permutation π of the n runs (drawn
 * anew for every n samples, so with samples a multiple of n each run starts equally many), and while the
 * run taken missed the target its evaluations are added and another is taken uniformly at random, until
 * one that reached it, whose evaluations to the target end the sum. Infinity for every sample when no
 * run reached the target. The mean tends to the ERT, (Σ evaluations to the target or to the end) /
 * (runs that reached it).
 * see: the module's header.
 */
export function simulatedRuntimes(runs: readonly RuntimeRun[], samples: number, rnd: () => number): Float64Array {
  const n = runs.length;
  const out = new Float64Array(samples);
  if (n === 0 || !runs.some((r) => r.hit >= 0)) return out.fill(Infinity);
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  for (let k = 0; k < samples; k++) {
    if (k % n === 0) {
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(rnd() * (i + 1));
        const t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
      }
    }
    let r = runs[perm[k % n]];
    let total = 0;
    while (r.hit < 0) {
      total += r.evaluations;
      r = runs[Math.floor(rnd() * n)];
    }
    out[k] = total + r.hit;
  }
  return out;
}

/**
 * Points (log10(evaluations/d), fraction) of the runtime ECDF over all (function, dimension, target)
 * triples among `runs`, each weighted by its simulated runtimes (`simulatedRuntimes`); `maxX` is
 * log10 of the largest budget/d, `reached` the fraction solved by then.
 */
export function ecdf(runs: readonly RunRecord[], options: EcdfOptions = {}): { x: number[]; y: number[]; maxX: number; reached: number } {
  const want = options.samples ?? 100;
  const seed = options.seed ?? 1;
  if (!(Number.isInteger(want) && want >= 1)) throw new RangeError(`ecdf(): options.samples must be a positive integer, got ${want}`);
  const groups = new Map<string, RunRecord[]>();
  let maxX = 0;
  for (const r of runs) {
    maxX = Math.max(maxX, Math.log10(r.evaluations / r.d));
    const key = `${r.strategy}/${r.suite}/f${r.fid}/d${r.d}`;
    const g = groups.get(key);
    if (g) g.push(r);
    else groups.set(key, [r]);
  }
  // (log10(runtime/d), weight): each triple weighs 1, shared by its simulated runtimes
  const pts: [number, number][] = [];
  let triples = 0;
  for (const key of [...groups.keys()].sort()) {
    const g = groups.get(key)!.slice().sort((a, b) => a.instance - b.instance);
    const d = g[0].d;
    const samples = g.length * Math.ceil(want / g.length);
    for (let k = 0; k < TARGETS.length; k++) {
      const sim = simulatedRuntimes(
        g.map((r) => ({ hit: r.hits[k], evaluations: r.evaluations })),
        samples,
        seededUniform(fnv1a(`${key}/t${k}/${seed}`)),
      );
      for (const t of sim) if (t < Infinity) pts.push([Math.log10(t / d), 1 / samples]);
      triples++;
    }
  }
  pts.sort((p, q) => p[0] - q[0]);
  const x: number[] = [];
  const y: number[] = [];
  let acc = 0;
  let reached = 0;
  for (const [px, w] of pts) {
    acc += w;
    x.push(px);
    y.push(acc / Math.max(1, triples));
    if (px <= maxX) reached = acc / Math.max(1, triples);
  }
  return { x, y, maxX, reached };
}

/**
 * One SVG figure: the ECDF of each strategy's runs among `records` (`ecdf`), to 100 times the largest
 * budget, a × where each line passes its budget.
 */
export function ecdfSvg(records: readonly RunRecord[], title: string, options: EcdfOptions = {}): string {
  const W = 560;
  const Hh = 380;
  const m = { l: 56, r: 130, t: 32, b: 44 };
  const strategies = [...new Set(records.map((r) => r.strategy))];
  const curves = strategies.map((s) => ecdf(records.filter((r) => r.strategy === s), options));
  const xmax = Math.max(1, Math.ceil(Math.max(...curves.map((c) => c.maxX), 0))) + 2;
  const xmin = Math.min(0, Math.floor(Math.min(...curves.flatMap((c) => c.x.slice(0, 1)), 0)));
  const px = (x: number) => m.l + ((x - xmin) / (xmax - xmin)) * (W - m.l - m.r);
  const py = (y: number) => Hh - m.b - y * (Hh - m.t - m.b);
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${Hh}" viewBox="0 0 ${W} ${Hh}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${Hh}" fill="white"/>`,
    `<text x="${m.l}" y="20" font-size="14">${esc(title)}</text>`,
  ];
  for (let x = xmin; x <= xmax; x++) {
    parts.push(`<line x1="${px(x)}" y1="${py(0)}" x2="${px(x)}" y2="${py(1)}" stroke="#ddd"/>`, `<text x="${px(x)}" y="${py(0) + 16}" text-anchor="middle">${x}</text>`);
  }
  for (let i = 0; i <= 5; i++) {
    const y = i / 5;
    parts.push(`<line x1="${px(xmin)}" y1="${py(y)}" x2="${px(xmax)}" y2="${py(y)}" stroke="#ddd"/>`, `<text x="${m.l - 6}" y="${py(y) + 4}" text-anchor="end">${y.toFixed(1)}</text>`);
  }
  parts.push(
    `<text x="${(px(xmin) + px(xmax)) / 2}" y="${Hh - 8}" text-anchor="middle">log10(evaluations / d)</text>`,
    `<text x="14" y="${(py(0) + py(1)) / 2}" text-anchor="middle" transform="rotate(-90 14 ${(py(0) + py(1)) / 2})">fraction of (function, target) pairs</text>`,
  );
  curves.forEach((c, i) => {
    const color = COLORS[i % COLORS.length];
    let d = `M${px(xmin).toFixed(1)},${py(0).toFixed(1)}`;
    let last = 0;
    // one step per half pixel: the last value of the runtimes that fall in it
    for (let k = 0; k < c.x.length && c.x[k] <= xmax; k++) {
      if (k + 1 < c.x.length && c.x[k + 1] <= xmax && Math.round(2 * px(c.x[k + 1])) === Math.round(2 * px(c.x[k]))) continue;
      d += ` H${px(c.x[k]).toFixed(1)} V${py(c.y[k]).toFixed(1)}`;
      last = c.y[k];
    }
    d += ` H${px(xmax).toFixed(1)}`;
    const bx = px(c.maxX);
    const by = py(c.reached);
    parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"/>`);
    parts.push(`<path d="M${(bx - 5).toFixed(1)},${(by - 5).toFixed(1)} l10,10 m0,-10 l-10,10" stroke="${color}" stroke-width="1.5"/>`);
    parts.push(`<text x="${px(xmax) + 6}" y="${py(last) + 4}" fill="${color}">${esc(strategies[i])}</text>`);
  });
  parts.push("</svg>");
  return parts.join("\n") + "\n";
}

/** Every figure of a benchmark: per dimension, all functions and each function group (see `ecdfSvg`). */
export function ecdfFigures(records: readonly RunRecord[], options: EcdfOptions = {}): { name: string; title: string; svg: string }[] {
  const dims = [...new Set(records.map((r) => r.d))].sort((a, b) => a - b);
  const out: { name: string; title: string; svg: string }[] = [];
  for (const d of dims) {
    const rd = records.filter((r) => r.d === d);
    const groups: [string, readonly number[]][] = [["all functions", Array.from({ length: 24 }, (_, i) => i + 1)], ...Object.entries(GROUPS)];
    for (const [g, fids] of groups) {
      const rg = rd.filter((r) => fids.includes(r.fid));
      if (rg.length === 0) continue;
      const slug = g.replace(/\s+/g, "-");
      const suite = rg[0].suite;
      out.push({ name: `ecdf_d${d}_${slug}.svg`, title: `${suite}, d = ${d}, ${g} (f${[...new Set(rg.map((r) => r.fid))].join(", f")})`, svg: ecdfSvg(rg, `${suite} d=${d}: ${g}`, options) });
    }
  }
  return out;
}
