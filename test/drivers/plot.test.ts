// evostrat/plot (src/plot.ts): the SVG is well-formed XML, and each panel's axes cover the data it
// draws (every point of every line lies inside the panel's plot area, and the axis ranges hold the
// data's extremes).
import { beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { minimize, type MinimizeResult } from "../../src/drivers/minimize";
import { axis, plotConvergence, plotRun } from "../../src/plot";
// @ts-expect-error: a plain .mjs module (the example that writes docs/*.svg)
import { pictures } from "../../examples/plots.mjs";

interface El { name: string; attrs: Record<string, string>; children: El[]; text: string }

/** A small XML parser: throws on anything not well-formed (unbalanced or unquoted, bad entities). */
export function parseXML(src: string): El {
  let i = 0;
  const root: El = { name: "#root", attrs: {}, children: [], text: "" };
  const stack: El[] = [root];
  const bad = (why: string): never => { throw new Error(`not well-formed at ${i}: ${why}: ${JSON.stringify(src.slice(i, i + 40))}`); };
  const checkText = (t: string) => { if (/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);)/i.test(t) || t.includes("<")) bad("bad character data"); };
  while (i < src.length) {
    if (src[i] !== "<") {
      const j = src.indexOf("<", i);
      const t = src.slice(i, j < 0 ? src.length : j);
      checkText(t);
      if (t.trim() && stack.length === 1) bad("text outside the root element");
      stack[stack.length - 1].text += t;
      i = j < 0 ? src.length : j;
      continue;
    }
    if (src.startsWith("<?", i)) { const j = src.indexOf("?>", i); if (j < 0) bad("open declaration"); i = j + 2; continue; }
    if (src.startsWith("<!--", i)) { const j = src.indexOf("-->", i); if (j < 0) bad("open comment"); i = j + 3; continue; }
    if (src.startsWith("</", i)) {
      const m = /^<\/([A-Za-z_][\w.:-]*)\s*>/.exec(src.slice(i));
      if (!m) bad("bad end tag");
      const top = stack.pop();
      if (!top || top.name !== m![1]) bad(`end tag </${m![1]}> closes <${top?.name}>`);
      i += m![0].length;
      continue;
    }
    const m = /^<([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/.exec(src.slice(i));
    if (!m) bad("bad start tag");
    const attrs: Record<string, string> = {};
    for (const a of m![2].matchAll(/([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      if (a[1] in attrs) bad(`attribute ${a[1]} twice`);
      checkText(a[2] ?? a[3]);
      attrs[a[1]] = a[2] ?? a[3];
    }
    const el: El = { name: m![1], attrs, children: [], text: "" };
    if (stack.length === 1 && root.children.length) bad("a second root element");
    stack[stack.length - 1].children.push(el);
    if (!m![3]) stack.push(el);
    i += m![0].length;
  }
  if (stack.length !== 1) bad(`<${stack[stack.length - 1].name}> not closed`);
  if (root.children.length !== 1) bad("no root element");
  return root.children[0];
}

const all = (e: El, name: string): El[] => [...(e.name === name ? [e] : []), ...e.children.flatMap((c) => all(c, name))];
const nums = (s: string) => s.trim().split(/\s+/).map(Number);

/** Every polyline point inside its panel's plot area; returns the panels for further checks. */
function checkPanels(svg: string) {
  const root = parseXML(svg);
  expect(root.name).toBe("svg");
  expect(root.attrs.xmlns).toBe("http://www.w3.org/2000/svg");
  const panels = all(root, "g").filter((g) => g.attrs.class === "panel");
  for (const p of panels) {
    const [x, y, w, h] = nums(p.attrs["data-plot-area"]);
    for (const line of all(p, "polyline")) {
      const pts = line.attrs.points.split(" ").map((q) => q.split(",").map(Number));
      expect(pts.length).toBeGreaterThan(0);
      for (const [px, py] of pts) {
        expect(px, `${p.attrs["data-title"]}: x inside`).toBeGreaterThanOrEqual(x - 0.01);
        expect(px).toBeLessThanOrEqual(x + w + 0.01);
        expect(py, `${p.attrs["data-title"]}: y inside`).toBeGreaterThanOrEqual(y - 0.01);
        expect(py).toBeLessThanOrEqual(y + h + 0.01);
      }
    }
  }
  return panels;
}

const range = (a: ArrayLike<number>, log = false) => {
  const v = Array.from(a).filter((t) => Number.isFinite(t) && (!log || t > 0));
  return [Math.min(...v), Math.max(...v)];
};
const covers = (axisRange: string, [lo, hi]: number[]) => {
  const [a, b] = nums(axisRange);
  expect(a).toBeLessThanOrEqual(lo);
  expect(b).toBeGreaterThanOrEqual(hi);
};

/** plotRun's four panels of run r: well-formed, lines inside, axes covering the history. */
function fourPanels(svg: string, r: MinimizeResult) {
  const h = r.history;
  const panels = checkPanels(svg);
  expect(panels.map((p) => p.attrs["data-title"])).toEqual(["f", "mean", "σ and axis ratio", "coordinate standard deviations"]);
  const [f, mean, sig, sd] = panels;
  covers(f.attrs["data-y-range"], range([...h.bestF.map(Math.abs), ...h.medianF.map(Math.abs)], true));
  covers(f.attrs["data-x-range"], range(h.evaluations));
  covers(mean.attrs["data-y-range"], range(h.mean.flatMap((m) => Array.from(m))));
  covers(sig.attrs["data-y-range"], range([...h.sigma, ...h.maxStd.map((v, i) => v / h.minStd[i])], true));
  covers(sd.attrs["data-y-range"], range([...h.maxStd, ...h.minStd], true));
  return panels;
}

/** plotConvergence's one panel: a line per run, axes covering every run's best so far. */
function onePanel(svg: string, runs: Record<string, MinimizeResult>) {
  const [p] = checkPanels(svg);
  expect(all(p, "polyline")).toHaveLength(Object.keys(runs).length);
  const ys = Object.values(runs).flatMap((r) => { let b = Infinity; return r.history.bestF.map((v) => (b = Math.min(b, v))); });
  covers(p.attrs["data-y-range"], range(ys, true));
  covers(p.attrs["data-x-range"], range(Object.values(runs).flatMap((r) => r.history.evaluations)));
  expect(all(p, "text").map((t) => t.text)).toEqual(expect.arrayContaining(Object.keys(runs)));
  return p;
}

const ellipsoid = (x: Float64Array) => x.reduce((s, v, i) => s + 10 ** ((6 * i) / (x.length - 1)) * v * v, 0);

describe("plotRun: pycma's four panels", () => {
  it("well-formed SVG; every line inside its panel; the axes cover best, median, σ, the axis ratio, the deviations and the mean", () => {
    const r = minimize(ellipsoid, { method: "xnes", mean: [1, 2, 3, 4, 5], sigma: 1, seed: 2, target: 1e-10 });
    const h = r.history;
    const panels = fourPanels(plotRun(r, { title: "XNES & <ellipsoid>" }), r);
    const [f, mean] = panels;
    expect(all(mean, "polyline")).toHaveLength(5); // one line per coordinate
    expect(all(f, "polyline").length).toBeGreaterThanOrEqual(3);
  });

  it("marks restarts, thins long histories, and says when the mean was not recorded", () => {
    const rastrigin = (x: Float64Array) => x.reduce((s, v) => s + v * v - 10 * Math.cos(2 * Math.PI * v), 10 * x.length);
    const r = minimize(rastrigin, { method: "csa", sigma: 2, seed: 1, maxEvaluations: 20000, restarts: { kind: "ipop", lower: [-5, -5, -5], upper: [5, 5, 5], maxRestarts: 3 } });
    expect(r.restarts).toBeGreaterThan(0);
    const svg = plotRun(r.history, { maxPoints: 50 });
    const panels = checkPanels(svg);
    expect(all(panels[0], "line").filter((l) => l.attrs.class === "restart")).toHaveLength(r.history.starts.length - 1);
    for (const l of all(panels[0], "polyline")) expect(l.attrs.points.split(" ").length).toBeLessThanOrEqual(51);
    const big = minimize(ellipsoid, { method: "rmes", mean: new Array(60).fill(1), sigma: 0.5, seed: 1, maxEvaluations: 500 });
    const p2 = checkPanels(plotRun(big));
    expect(all(p2[1], "polyline")).toHaveLength(0);
    expect(all(p2[1], "text").map((t) => t.text)).toContain("mean not recorded (d &gt; 50)");
  });

  it("refuses what is not a history", () => {
    expect(() => plotRun({} as never)).toThrow(TypeError);
  });
});

describe("plotConvergence: several runs in one panel", () => {
  it("one line per run, best so far, the axes cover every run", () => {
    const o = { mean: [2, 2, 2, 2], sigma: 1, seed: 1, target: 1e-8, maxEvaluations: 20000 };
    const runs = { csa: minimize(ellipsoid, { method: "csa", ...o }), xnes: minimize(ellipsoid, { method: "xnes", ...o }), rmes: minimize(ellipsoid, { method: "rmes", ...o }) };
    onePanel(plotConvergence(runs, { title: "ellipsoid d = 4" }), runs);
  });
});

describe("the README's pictures (docs/, written by npm run example:plots)", () => {
  // The same runs as examples/plots.mjs, drawn from src/: the committed files must be what the code
  // draws now (runs are bit-identical across builds), so a change to the strategies or to the plot
  // that moves a picture fails here until `npm run example:plots` rewrites it.
  let runs: Record<string, MinimizeResult> = {};
  let files: Record<string, string> = {};
  beforeAll(() => {
    ({ runs, files } = pictures({ minimize, plotRun, plotConvergence }));
  });
  const docs = (f: string) => readFileSync(new URL(`../../docs/${f}`, import.meta.url), "utf8");

  it("docs/plot-csa.svg, plot-xnes.svg, plot-rmes.svg: CSA-ES, XNES and RMES in pycma's four panels, well-formed, axes covering each run", () => {
    expect(Object.keys(runs)).toEqual(["CSA-ES", "XNES", "RMES"]);
    for (const [file, name] of [["plot-csa.svg", "CSA-ES"], ["plot-xnes.svg", "XNES"], ["plot-rmes.svg", "RMES"]]) {
      expect(docs(file), `docs/${file} is what examples/plots.mjs draws now`).toBe(files[file]);
      fourPanels(docs(file), runs[name]);
    }
  });

  it("docs/convergence.svg: the three runs in one panel", () => {
    expect(docs("convergence.svg"), "docs/convergence.svg is what examples/plots.mjs draws now").toBe(files["convergence.svg"]);
    onePanel(docs("convergence.svg"), runs);
  });

  it("the README shows all four", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    for (const f of Object.keys(files)) expect(readme, f).toContain(`](docs/${f})`);
  });
});

describe("axis", () => {
  it("log axes span whole decades around the data; linear ones 1-2-5 steps", () => {
    expect(axis(3e-8, 0.25, true)).toEqual({ lo: 1e-8, hi: 1, ticks: [1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1] });
    // more than 8 decades: a tick every 2 (the range stays on the coarser grid)
    expect(axis(3e-9, 250, true)).toMatchObject({ lo: 1e-10, hi: 1e4 });
    expect(axis(5, 5, true)).toMatchObject({ lo: 1, hi: 10 });
    expect(axis(10, 10, true)).toMatchObject({ lo: 1, hi: 100 });
    const a = axis(-0.3, 4.2, false);
    expect(a.lo).toBeLessThanOrEqual(-0.3);
    expect(a.hi).toBeGreaterThanOrEqual(4.2);
    expect(a.ticks).toEqual([-1, 0, 1, 2, 3, 4, 5]);
  });

  it("the XML check itself rejects what is not well-formed", () => {
    for (const bad of ["<a><b></a></b>", "<a x=1/>", "<a>&bogus;</a>", "<a></a><b/>", "<a>", "<a x='1' x='2'/>"]) expect(() => parseXML(bad), bad).toThrow(/not well-formed/);
    expect(parseXML(`<?xml version="1.0"?><a x="1 &amp; 2"><b/>t</a>`).children[0].name).toBe("b");
  });
});
