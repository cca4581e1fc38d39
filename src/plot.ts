/**
 * evostrat/plot: SVG pictures of a run, as strings, with no dependency and nothing runtime-specific
 * (Node, Deno, Bun, browsers, workers): write them to a file, or put them in a page's innerHTML.
 *
 * - `plotRun(history)`: pycma's four panels (cma.plot(): f, the mean's coordinates, σ with the axis
 *   ratio, the scaling) from `minimize(...).history`: best and median f with f − f_best (log),
 *   the mean's coordinates (linear; recorded when d ≤ 50), σ and the axis ratio (log), and the
 *   largest and smallest coordinate standard deviation σ·√C_ii (log). Restarts are dashed lines.
 * - `plotConvergence(runs)`: one panel, the best f so far of several runs (e.g. one per strategy)
 *   against evaluations (log y).
 * Long histories are thinned to at most `maxPoints` points per line (every k-th, the last kept).
 */

/** What the plots read: `minimize(...).history` has every field (the optional ones may be missing). */
export interface PlotHistory {
  bestF: ArrayLike<number>;
  medianF?: ArrayLike<number>;
  sigma?: ArrayLike<number>;
  maxStd?: ArrayLike<number>;
  minStd?: ArrayLike<number>;
  /** evaluations so far, per generation (the x axis when given, else the generation) */
  evaluations?: ArrayLike<number>;
  /** the mean per generation */
  mean?: ArrayLike<ArrayLike<number>>;
  /** the generation index at which each run started (restarts) */
  starts?: ArrayLike<number>;
}

export interface PlotOptions {
  /** Title above the panels. Default: none. */
  title?: string;
  /** Width and height of the whole picture in px. Default 900 × 600 (plotRun), 640 × 400 (plotConvergence). */
  width?: number;
  /** See `width`. Default 600 (plotRun), 400 (plotConvergence). */
  height?: number;
  /** At most this many points per line. Default 500. */
  maxPoints?: number;
}

interface Series {
  label: string;
  color: string;
  x: number[];
  y: number[];
  dash?: string;
}
interface Panel {
  title: string;
  log: boolean;
  series: Series[];
  xLabel: string;
  vlines?: number[];
  note?: string;
}

const COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

const esc = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const arr = (a: ArrayLike<number> | undefined): number[] => (a ? Array.from(a) : []);
const r2 = (v: number): string => (Math.round(v * 10) / 10).toString(); // 0.1 px

/** A tick label: 1e-8, 0.001, 250, 1.5e6. */
function label(v: number, log: boolean): string {
  if (v === 0) return "0";
  if (log) {
    const e = Math.round(Math.log10(v));
    return e >= -2 && e <= 3 ? String(Number(`1e${e}`)) : `1e${e}`;
  }
  const a = Math.abs(v);
  return a >= 1e5 || a < 1e-3 ? v.toExponential(1).replace("e+", "e") : String(Number(v.toPrecision(4)));
}

/** The axis range and its ticks: decades on a log axis, 1-2-5 steps on a linear one. Covers [lo, hi]. */
export function axis(lo: number, hi: number, log: boolean): { lo: number; hi: number; ticks: number[] } {
  if (!(lo <= hi)) { lo = log ? 1 : 0; hi = log ? 10 : 1; }
  if (log) {
    let a = Math.floor(Math.log10(lo)), b = Math.ceil(Math.log10(hi));
    if (b === a) { a -= 1; b += 1; }
    const step = Math.max(1, Math.ceil((b - a) / 8));
    a = Math.floor(a / step) * step;
    b = Math.ceil(b / step) * step;
    const ticks: number[] = [];
    const dec = (e: number) => Number(`1e${e}`); // exact decimals, where 10 ** -5 is not
    for (let e = a; e <= b; e += step) ticks.push(dec(e));
    return { lo: dec(a), hi: dec(b), ticks };
  }
  if (hi === lo) { const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1; lo -= pad; hi += pad; }
  const raw = (hi - lo) / 5, p = 10 ** Math.floor(Math.log10(raw)), m = raw / p;
  const step = (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
  const a = Math.floor(lo / step) * step, b = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let i = 0; a + i * step <= b + step * 1e-9; i++) ticks.push(Number((a + i * step).toPrecision(12)));
  return { lo: a, hi: b, ticks };
}

/** Every k-th point (and the last), so a line has at most max points. */
function thin(x: number[], y: number[], max: number): [number[], number[]] {
  if (x.length <= max) return [x, y];
  const k = Math.ceil(x.length / max), xs: number[] = [], ys: number[] = [];
  for (let i = 0; i < x.length; i += k) { xs.push(x[i]); ys.push(y[i]); }
  if ((x.length - 1) % k !== 0) { xs.push(x[x.length - 1]); ys.push(y[y.length - 1]); }
  return [xs, ys];
}

/** One panel at (px, py) of size w × h: frame, ticks, lines, legend; data ranges in data-* attributes. */
function panel(p: Panel, px: number, py: number, w: number, h: number, maxPoints: number): string {
  const L = 58, R = 22, T = 22, B = 34; // margins inside the panel
  const x0 = px + L, y0 = py + T, pw = w - L - R, ph = h - T - B;
  const ok = (v: number) => Number.isFinite(v) && (!p.log || v > 0);
  let xmin = Infinity, xmax = -Infinity, ymin = Infinity, ymax = -Infinity;
  for (const s of p.series) for (let i = 0; i < s.x.length; i++) if (ok(s.y[i]) && Number.isFinite(s.x[i])) {
    xmin = Math.min(xmin, s.x[i]); xmax = Math.max(xmax, s.x[i]); ymin = Math.min(ymin, s.y[i]); ymax = Math.max(ymax, s.y[i]);
  }
  const empty = !(xmin <= xmax);
  const ax = axis(empty ? 0 : Math.min(0, xmin), empty ? 1 : xmax, false);
  const ay = axis(empty ? NaN : ymin, empty ? NaN : ymax, p.log);
  const X = (v: number) => x0 + ((v - ax.lo) / (ax.hi - ax.lo)) * pw;
  const Y = (v: number) => (p.log ? y0 + ph - ((Math.log10(v) - Math.log10(ay.lo)) / (Math.log10(ay.hi) - Math.log10(ay.lo))) * ph : y0 + ph - ((v - ay.lo) / (ay.hi - ay.lo)) * ph);
  const o: string[] = [];
  o.push(`<g class="panel" data-title="${esc(p.title)}" data-log="${p.log}" data-x-range="${ax.lo} ${ax.hi}" data-y-range="${ay.lo} ${ay.hi}" data-plot-area="${r2(x0)} ${r2(y0)} ${r2(pw)} ${r2(ph)}">`);
  o.push(`<text x="${r2(x0 + pw / 2)}" y="${r2(py + 15)}" text-anchor="middle" font-weight="bold">${esc(p.title)}</text>`);
  o.push(`<rect x="${r2(x0)}" y="${r2(y0)}" width="${r2(pw)}" height="${r2(ph)}" fill="#fff" stroke="#444"/>`);
  for (const t of ay.ticks) {
    const y = r2(Y(t));
    o.push(`<line x1="${r2(x0)}" x2="${r2(x0 + pw)}" y1="${y}" y2="${y}" stroke="#e4e4e4"/><text x="${r2(x0 - 4)}" y="${y}" text-anchor="end" dominant-baseline="middle">${esc(label(t, p.log))}</text>`);
  }
  for (const t of ax.ticks) {
    const x = r2(X(t));
    o.push(`<line x1="${x}" x2="${x}" y1="${r2(y0)}" y2="${r2(y0 + ph)}" stroke="#e4e4e4"/><text x="${x}" y="${r2(y0 + ph + 13)}" text-anchor="middle">${esc(label(t, false))}</text>`);
  }
  o.push(`<text x="${r2(x0 + pw / 2)}" y="${r2(y0 + ph + 28)}" text-anchor="middle" fill="#555">${esc(p.xLabel)}</text>`);
  for (const v of p.vlines ?? []) if (v > ax.lo && v <= ax.hi) o.push(`<line class="restart" x1="${r2(X(v))}" x2="${r2(X(v))}" y1="${r2(y0)}" y2="${r2(y0 + ph)}" stroke="#999" stroke-dasharray="4 3"/>`);
  if (empty && p.note) o.push(`<text x="${r2(x0 + pw / 2)}" y="${r2(y0 + ph / 2)}" text-anchor="middle" fill="#777">${esc(p.note)}</text>`);
  for (const s of p.series) {
    const [xs, ys] = thin(s.x, s.y, maxPoints);
    // a line per run of plottable points (non-finite values, or ≤ 0 on a log axis, break it)
    let seg: string[] = [];
    const flush = () => {
      if (seg.length) o.push(`<polyline fill="none" stroke="${s.color}" stroke-width="1.4"${s.dash ? ` stroke-dasharray="${s.dash}"` : ""} points="${seg.join(" ")}"/>`);
      seg = [];
    };
    for (let i = 0; i < xs.length; i++) {
      if (ok(ys[i]) && Number.isFinite(xs[i])) seg.push(`${r2(X(xs[i]))},${r2(Y(ys[i]))}`);
      else flush();
    }
    flush();
  }
  // legend, top right inside the frame
  const named = p.series.filter((s) => s.label);
  if (named.length) o.push(`<rect x="${r2(x0 + pw - 130)}" y="${r2(y0 + 3)}" width="126" height="${14 * named.length + 4}" fill="#fff" fill-opacity="0.85"/>`);
  named.forEach((s, i) => {
    const ly = y0 + 12 + i * 14, lx = x0 + pw - 8;
    o.push(`<line x1="${r2(lx - 118)}" x2="${r2(lx - 100)}" y1="${r2(ly)}" y2="${r2(ly)}" stroke="${s.color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ""}/><text x="${r2(lx - 96)}" y="${r2(ly)}" dominant-baseline="middle">${esc(s.label)}</text>`);
  });
  o.push(`</g>`);
  return o.join("\n");
}

function svg(width: number, height: number, title: string | undefined, body: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#fafafa"/>`,
    title ? `<text x="${width / 2}" y="18" text-anchor="middle" font-size="14" font-weight="bold">${esc(title)}</text>` : "",
    body,
    `</svg>`,
  ].filter(Boolean).join("\n") + "\n";
}

function checkHistory(h: unknown, where: string): PlotHistory {
  const o = (h && typeof h === "object" && "history" in h ? (h as { history: unknown }).history : h) as PlotHistory;
  if (!o || typeof o !== "object" || !o.bestF || typeof o.bestF.length !== "number") throw new TypeError(`evostrat: ${where} needs a history ({ bestF, … }, e.g. minimize(...).history or the result itself)`);
  return o;
}

/** The x values: evaluations when recorded, else generations 1, 2, … */
function xs(h: PlotHistory): { x: number[]; label: string } {
  const n = h.bestF.length;
  if (h.evaluations && h.evaluations.length === n) return { x: arr(h.evaluations), label: "evaluations" };
  return { x: Array.from({ length: n }, (_, i) => i + 1), label: "generation" };
}

/**
 * pycma's four panels from a run's history (`minimize(...).history`, or the result itself), as an
 * SVG string: f (best, median, and best − the final best so far), the mean's coordinates, σ and the
 * axis ratio, the largest and smallest coordinate standard deviation.
 */
export function plotRun(history: PlotHistory | { history: PlotHistory }, options: PlotOptions = {}): string {
  const h = checkHistory(history, "plotRun(history)");
  const { width = 900, height = 600, maxPoints = 500 } = options;
  const { x, label: xLabel } = xs(h);
  const n = x.length;
  const best = arr(h.bestF), median = arr(h.medianF);
  // f − f_best: the distance to the best value seen (pycma's f − min(f)), positive where it is not the best
  let fbest = Infinity;
  for (const v of best) if (v < fbest) fbest = v;
  const vlines = arr(h.starts).filter((g) => g > 0 && g < n).map((g) => x[g - 1] ?? g);
  const sigma = arr(h.sigma), maxStd = arr(h.maxStd), minStd = arr(h.minStd);
  const ratio = maxStd.map((v, i) => v / minStd[i]);
  const mean = h.mean ? Array.from(h.mean) : [];
  const d = mean.length === n && n > 0 ? mean[0].length : 0;
  const coords: Series[] = [];
  for (let j = 0; j < d; j++) coords.push({ label: d <= 6 ? `x${j + 1}` : "", color: COLORS[j % COLORS.length], x, y: mean.map((m) => m[j]) });
  const panels: Panel[] = [
    {
      title: "f", log: true, xLabel, vlines,
      series: [
        { label: "|best f|", color: "#1f77b4", x, y: best.map(Math.abs) },
        ...(median.length === n ? [{ label: "|median f|", color: "#ff7f0e", x, y: median.map(Math.abs) }] : []),
        { label: "f − f_best", color: "#17becf", x, y: best.map((v) => v - fbest) },
      ],
    },
    { title: "mean", log: false, xLabel, vlines, series: coords, note: "mean not recorded (d > 50)" },
    {
      title: "σ and axis ratio", log: true, xLabel, vlines,
      series: [
        ...(sigma.length === n ? [{ label: "σ", color: "#2ca02c", x, y: sigma }] : []),
        ...(ratio.length === n ? [{ label: "axis ratio", color: "#d62728", x, y: ratio }] : []),
      ],
    },
    {
      title: "coordinate standard deviations", log: true, xLabel, vlines,
      series: [
        ...(maxStd.length === n ? [{ label: "largest", color: "#9467bd", x, y: maxStd }] : []),
        ...(minStd.length === n ? [{ label: "smallest", color: "#8c564b", x, y: minStd, dash: "5 3" }] : []),
      ],
    },
  ];
  const top = options.title ? 26 : 4, pw = width / 2, ph = (height - top) / 2;
  const body = panels.map((p, i) => panel(p, (i % 2) * pw, top + Math.floor(i / 2) * ph, pw, ph, maxPoints)).join("\n");
  return svg(width, height, options.title, body);
}

/**
 * One panel: the best f so far of each run against evaluations (log y), one line per run: `runs` is
 * `{ label: history }` or `[{ label, history }]` (a history, or a minimize result).
 */
export function plotConvergence(runs: Record<string, PlotHistory | { history: PlotHistory }> | { label: string; history: PlotHistory }[], options: PlotOptions = {}): string {
  const list = Array.isArray(runs) ? runs.map((r) => ({ label: r.label, h: checkHistory(r.history, "plotConvergence(runs)") })) : Object.entries(runs).map(([label, h]) => ({ label, h: checkHistory(h, "plotConvergence(runs)") }));
  const { width = 640, height = 400, maxPoints = 500 } = options;
  let xLabel = "evaluations";
  const series = list.map(({ label: l, h }, i): Series => {
    const { x, label: xl } = xs(h);
    if (xl !== "evaluations") xLabel = "evaluations (or generations, where not recorded)";
    let b = Infinity;
    const y = Array.from(h.bestF, (v) => (b = v < b ? v : b));
    return { label: l, color: COLORS[i % COLORS.length], x, y: y.map(Math.abs) };
  });
  const top = options.title ? 26 : 4;
  return svg(width, height, options.title, panel({ title: "best f so far", log: true, xLabel, series }, 0, top, width, height - top, maxPoints));
}
