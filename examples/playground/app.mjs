// The playground: a strategy from evostrat's registry on a 2-D function, generation by generation.
// The functions: sphere, ellipsoid, Rosenbrock, Rastrigin, and BBOB's 24 at d = 2 (instance 1).
// Left: the function's level sets (log f, banded), the population (dots), the mean (cross) and the
// distribution's 1-σ ellipse (from the strategy's matrix where it has one: XNES's B, CMA-ES's C,
// sep-CMA-ES's diagonal; a circle of radius σ otherwise). Right: best f so far and σ, log scale. window.playground exposes the state and the
// controls (the Chromium test drives it: test/dist/playground.test.ts).
import { strategies } from "/dist/index.mjs"; // compiles dist/core.wasm at import
import { problem } from "/dist/bbob.mjs";

// 2-D test functions on [-5, 5]², with their optimum
const FUNCTIONS = {
  sphere: { f: (x, y) => x * x + y * y, opt: [0, 0] },
  ellipsoid: { f: (x, y) => x * x + 100 * y * y, opt: [0, 0] },
  rosenbrock: { f: (x, y) => 100 * (y - x * x) ** 2 + (1 - x) ** 2, opt: [1, 1] },
  rastrigin: { f: (x, y) => 20 + x * x + y * y - 10 * (Math.cos(2 * Math.PI * x) + Math.cos(2 * Math.PI * y)), opt: [0, 0] },
};
// COCO's 24 noiseless BBOB functions (evostrat/bbob) at d = 2, instance 1, shifted by f_opt: the page
// shows and minimises f − f_opt, so the optimum's value is 0 as for the functions above
const BBOB_NAMES = ["sphere", "separable ellipsoid", "separable Rastrigin", "Büche-Rastrigin", "linear slope", "attractive sector",
  "step ellipsoid", "Rosenbrock", "rotated Rosenbrock", "ellipsoid", "discus", "bent cigar", "sharp ridge", "different powers",
  "Rastrigin", "Weierstrass", "Schaffers F7", "Schaffers F7, ill-conditioned", "Griewank-Rosenbrock", "Schwefel",
  "Gallagher 101 peaks", "Gallagher 21 peaks", "Katsuura", "Lunacek bi-Rastrigin"];
const LABELS = {};
BBOB_NAMES.forEach((name, i) => {
  const p = problem("bbob", i + 1, 1, 2), x = new Float64Array(2);
  const key = `bbob-f${i + 1}`;
  FUNCTIONS[key] = { f: (a, b) => { x[0] = a; x[1] = b; return p.f(x) - p.fOpt; }, opt: Array.from(p.xOpt) };
  LABELS[key] = `BBOB f${i + 1} ${name}`;
});
const LO = -5, HI = 5;

const $ = (id) => document.getElementById(id);
const contour = $("contour"), trace = $("trace");
const cx = contour.getContext("2d"), tx = trace.getContext("2d");
for (const m of Object.keys(strategies)) $("method").add(new Option(m, m));
for (const f of Object.keys(FUNCTIONS)) $("fn").add(new Option(LABELS[f] ?? f, f));
$("method").value = "xnes";
$("fn").value = "rosenbrock";

let es, fn, points = [], hist = [], running = false, background;

function options() {
  const popSize = Number($("popSize").value);
  return {
    method: $("method").value, fn: $("fn").value, seed: Number($("seed").value), sigma: Number($("sigma").value),
    popSize: popSize > 0 ? popSize : undefined, mean: [Number($("x0").value), Number($("y0").value)],
  };
}

function reset() {
  running = false;
  es?.dispose();
  const o = options();
  fn = FUNCTIONS[o.fn];
  const Cls = strategies[o.method];
  es = new Cls({ mean: o.mean, sigma: o.sigma, seed: o.seed, ...(o.popSize ? { popSize: o.popSize } : {}) });
  points = [];
  hist = [];
  background = levelSets(fn.f);
  draw();
}

function step() {
  if (es.shouldStop().length) return false;
  const pop = es.ask();
  const f = new Float64Array(pop.count);
  points = [];
  for (let i = 0; i < pop.count; i++) {
    const r = pop.row(i);
    points.push([r[0], r[1]]);
    f[i] = fn.f(r[0], r[1]);
  }
  const info = es.tell(f);
  hist.push({ best: info.bestSoFar, sigma: info.sigma });
  return true;
}

// level sets: log10(f − f* + 1e-12), banded into 14 shades, as one image
function levelSets(f) {
  const n = 160, img = cx.createImageData(n, n);
  const v = new Float64Array(n * n);
  let lo = Infinity, hi = -Infinity;
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) {
    const x = LO + ((i + 0.5) / n) * (HI - LO), y = HI - ((j + 0.5) / n) * (HI - LO);
    const t = Math.log10(Math.max(f(x, y), 0) + 1e-3);
    v[j * n + i] = t;
    lo = Math.min(lo, t); hi = Math.max(hi, t);
  }
  for (let k = 0; k < n * n; k++) {
    const band = Math.floor(((v[k] - lo) / (hi - lo + 1e-12)) * 14) / 14;
    img.data[4 * k] = 255 - 110 * band; img.data[4 * k + 1] = 245 - 60 * band; img.data[4 * k + 2] = 200 + 55 * band; img.data[4 * k + 3] = 255;
  }
  const c = document.createElement("canvas");
  c.width = c.height = n;
  c.getContext("2d").putImageData(img, 0, 0);
  return c;
}

const W = contour.width;
const px = (x) => ((x - LO) / (HI - LO)) * W, py = (y) => ((HI - y) / (HI - LO)) * W;

/**
 * B of the 1-σ ellipse m + σ·B·u (|u| = 1), 2×2 row-major: any B with B·Bᵀ = the distribution's
 * matrix draws the same ellipse. XNES: its B; CMA-ES: the Cholesky factor of C; sep-CMA-ES:
 * √diag(C) (its `stds`); the others sample isotropically: I.
 */
function shape(es) {
  if ("B" in es) return Array.from(es.B);
  if ("C" in es) {
    const [c00, c01, , c11] = es.C, a = Math.sqrt(c00), b = c01 / a;
    return [a, 0, b, Math.sqrt(Math.max(0, c11 - b * b))];
  }
  if (es.constructor.strategyName === "sepcma") return [es.stds[0], 0, 0, es.stds[1]];
  return [1, 0, 0, 1];
}

function draw() {
  cx.imageSmoothingEnabled = false;
  cx.drawImage(background, 0, 0, W, W);
  const [ox, oy] = fn.opt;
  cx.strokeStyle = "#d62728"; cx.lineWidth = 2;
  cx.beginPath(); cx.arc(px(ox), py(oy), 6, 0, 2 * Math.PI); cx.stroke();
  cx.fillStyle = "#1f77b4";
  for (const [x, y] of points) { cx.beginPath(); cx.arc(px(x), py(y), 3, 0, 2 * Math.PI); cx.fill(); }
  const m = es.mean, s = es.sigma;
  // the 1-σ ellipse: m + σ·B·u over the unit circle
  const B = shape(es);
  cx.strokeStyle = "#2ca02c"; cx.lineWidth = 1.5; cx.beginPath();
  for (let k = 0; k <= 64; k++) {
    const a = (2 * Math.PI * k) / 64, u = Math.cos(a), v = Math.sin(a);
    const x = m[0] + s * (B[0] * u + B[1] * v), y = m[1] + s * (B[2] * u + B[3] * v);
    k ? cx.lineTo(px(x), py(y)) : cx.moveTo(px(x), py(y));
  }
  cx.stroke();
  cx.strokeStyle = "#000"; cx.lineWidth = 2;
  cx.beginPath(); cx.moveTo(px(m[0]) - 7, py(m[1])); cx.lineTo(px(m[0]) + 7, py(m[1])); cx.moveTo(px(m[0]), py(m[1]) - 7); cx.lineTo(px(m[0]), py(m[1]) + 7); cx.stroke();
  drawTrace();
  const b = es.best;
  $("status").textContent = `generation ${es.generation}  evaluations ${es.evaluations}  best f ${Number.isFinite(b.f) ? b.f.toExponential(3) : "–"}  σ ${s.toExponential(3)}  mean (${m[0].toFixed(4)}, ${m[1].toFixed(4)})${es.shouldStop().length ? `  stopped: ${es.shouldStop().join(", ")}` : ""}`;
}

function drawTrace() {
  const w = trace.width, h = trace.height, L = 48, T = 10, R = 10, Bm = 28;
  tx.fillStyle = "#fff"; tx.fillRect(0, 0, w, h);
  const ys = hist.flatMap((p) => [p.best, p.sigma]).filter((v) => v > 0 && Number.isFinite(v));
  const lo = Math.floor(Math.log10(Math.min(1e-8, ...ys))), hi = Math.ceil(Math.log10(Math.max(10, ...ys)));
  const n = Math.max(10, hist.length);
  const X = (i) => L + (i / n) * (w - L - R), Y = (v) => T + ((hi - Math.log10(v)) / (hi - lo)) * (h - T - Bm);
  tx.font = "11px sans-serif"; tx.fillStyle = "#444"; tx.strokeStyle = "#e4e4e4"; tx.lineWidth = 1;
  for (let e = lo; e <= hi; e += Math.max(1, Math.ceil((hi - lo) / 10))) {
    tx.beginPath(); tx.moveTo(L, Y(10 ** e)); tx.lineTo(w - R, Y(10 ** e)); tx.stroke();
    tx.fillText(`1e${e}`, 6, Y(10 ** e) + 4);
  }
  tx.fillText(`generation (${hist.length})`, w / 2 - 40, h - 8);
  for (const [key, color] of [["best", "#1f77b4"], ["sigma", "#2ca02c"]]) {
    tx.strokeStyle = color; tx.lineWidth = 1.5; tx.beginPath();
    let on = false;
    hist.forEach((p, i) => { const v = p[key]; if (v > 0 && Number.isFinite(v)) { on ? tx.lineTo(X(i + 1), Y(v)) : tx.moveTo(X(i + 1), Y(v)); on = true; } });
    tx.stroke();
  }
  tx.fillStyle = "#1f77b4"; tx.fillText("best f so far", w - 110, 24);
  tx.fillStyle = "#2ca02c"; tx.fillText("σ", w - 110, 38);
}

function loop() {
  if (!running) return;
  if (!step()) running = false;
  draw();
  if (running) requestAnimationFrame(loop);
}

$("start").onclick = () => { if (!running) { running = true; requestAnimationFrame(loop); } };
$("stop").onclick = () => { running = false; };
$("step").onclick = () => { running = false; step(); draw(); };
$("reset").onclick = reset;
for (const id of ["method", "fn", "seed", "sigma", "popSize", "x0", "y0"]) $(id).onchange = reset;

reset();

/** For scripts and tests: the state, and the controls without the animation. */
window.playground = {
  /** generations run so far, the mean, the best point, the last population, the optimum */
  state: () => ({ generation: es.generation, evaluations: es.evaluations, mean: Array.from(es.mean), sigma: es.sigma, shape: shape(es), best: { x: Array.from(es.best.x), f: es.best.f }, points, optimum: fn.opt, stop: es.shouldStop() }),
  /** set controls by id (method, fn, seed, sigma, popSize, x0, y0), then reset */
  set: (o) => { for (const [k, v] of Object.entries(o)) $(k).value = String(v); reset(); },
  /** run n generations at once (or until a stop reason), then draw */
  run: (n) => { for (let i = 0; i < n && step(); i++); draw(); return window.playground.state(); },
  reset,
};
document.body.dataset.ready = "true";
