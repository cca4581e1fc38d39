/**
 * What a benchmark's records say, COCO-style: the expected running time (ERT) to reach f − f_opt < 1e-8
 * as a markdown table, and empirical cumulative distributions of runtime as SVG figures: the fraction
 * of (run, target) pairs (targets 10^2 … 10^−8) reached against evaluations / d, one line per strategy,
 * per dimension and function group. Pure: strings in, strings out.
 *
 * see: Hansen et al., "COCO: Performance Assessment", arXiv:1605.03560 (ERT, runtime ECDFs over targets).
 * Unlike cocopp, runs that failed are not extended by bootstrapped restarts: each line ends at the budget.
 */
import { GROUPS } from "./index.js";
import { TARGETS, type RunRecord } from "./runner.js";

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

/** Points (log10(evaluations/d), fraction) of the runtime ECDF over all (run, target) pairs. */
export function ecdf(runs: RunRecord[]): { x: number[]; y: number[]; maxX: number } {
  const times: number[] = [];
  let total = 0;
  let maxX = 0;
  for (const r of runs) {
    maxX = Math.max(maxX, Math.log10(r.evaluations / r.d));
    for (const h of r.hits) {
      total++;
      if (h >= 0) times.push(Math.log10(h / r.d));
    }
  }
  times.sort((a, b) => a - b);
  return { x: times, y: times.map((_, i) => (i + 1) / Math.max(1, total)), maxX };
}

/** One SVG figure: the ECDF of each strategy's runs among `records`. */
export function ecdfSvg(records: RunRecord[], title: string): string {
  const W = 560;
  const Hh = 380;
  const m = { l: 56, r: 130, t: 32, b: 44 };
  const strategies = [...new Set(records.map((r) => r.strategy))];
  const curves = strategies.map((s) => ecdf(records.filter((r) => r.strategy === s)));
  const xmax = Math.max(1, Math.ceil(Math.max(...curves.map((c) => c.maxX), 0)));
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
    `<text x="14" y="${(py(0) + py(1)) / 2}" text-anchor="middle" transform="rotate(-90 14 ${(py(0) + py(1)) / 2})">fraction of (run, target) pairs</text>`,
  );
  curves.forEach((c, i) => {
    const color = COLORS[i % COLORS.length];
    let d = `M${px(xmin).toFixed(1)},${py(0).toFixed(1)}`;
    let last = 0;
    for (let k = 0; k < c.x.length; k++) {
      if (k + 1 < c.x.length && c.x[k + 1] === c.x[k]) continue; // one step per distinct runtime
      d += ` H${px(c.x[k]).toFixed(1)} V${py(c.y[k]).toFixed(1)}`;
      last = c.y[k];
    }
    d += ` H${px(c.maxX).toFixed(1)}`;
    parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"/>`);
    parts.push(`<text x="${px(c.maxX) + 6}" y="${py(last) + 4}" fill="${color}">${esc(strategies[i])}</text>`);
  });
  parts.push("</svg>");
  return parts.join("\n") + "\n";
}

/** Every figure of a benchmark: per dimension, all functions and each function group. */
export function ecdfFigures(records: RunRecord[]): { name: string; title: string; svg: string }[] {
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
      out.push({ name: `ecdf_d${d}_${slug}.svg`, title: `${suite}, d = ${d}, ${g} (f${[...new Set(rg.map((r) => r.fid))].join(", f")})`, svg: ecdfSvg(rg, `${suite} d=${d}: ${g}`) });
    }
  }
  return out;
}
