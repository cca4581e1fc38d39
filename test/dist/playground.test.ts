// The playground page (examples/playground/, `npm run playground`) in Chromium (test/dist/chromium.ts):
// it loads the built package, runs a strategy for N generations on a 2-D function (its own four, or
// one of BBOB's 24 from evostrat/bbob), and the page's
// state says the mean, the best point and the population end near the optimum, and that the 1-σ ellipse
// follows the strategy's matrix. Saves a screenshot to
// the temp directory, or to docs/playground.png (the README's) with EVOSTRAT_SCREENSHOT=1.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { join } from "node:path";
import { tmpdir } from "node:os";
import type { Browser, Page } from "playwright-core";
import { ROOT, buildDist } from "../runtimes/harness";
import { launchChromium } from "./chromium";

interface State { generation: number; evaluations: number; mean: number[]; sigma: number; shape: number[]; best: { x: number[]; f: number }; points: number[][]; optimum: number[]; stop: string[] }

let browser: Browser;
let page: Page;
let close = async () => {};
const errors: string[] = [];

beforeAll(async () => {
  buildDist();
  // @ts-expect-error: a plain .mjs module (the playground's server)
  const { serve } = (await import("../../examples/playground/serve.mjs")) as { serve: (o: { port: number }) => Promise<{ url: string; close: () => Promise<void> }> };
  const s = await serve({ port: 0 });
  close = s.close;
  ({ browser } = await launchChromium());
  page = await browser.newPage({ viewport: { width: 1040, height: 620 } });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  await page.goto(s.url);
  await page.waitForSelector("body[data-ready=true]", { timeout: 30_000 });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await close();
});

const run = (o: Record<string, string | number>, n: number) =>
  page.evaluate(([o, n]) => {
    const pg = (window as unknown as { playground: { set(o: object): void; run(n: number): unknown } }).playground;
    pg.set(o);
    return pg.run(n);
  }, [o, n] as const) as Promise<State>;
const dist = (a: number[], b: number[]) => Math.hypot(a[0] - b[0], a[1] - b[1]);

describe("playground", () => {
  it("lists every strategy of the registry and every function", async () => {
    const methods = await page.$$eval("#method option", (os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(methods).toEqual(expect.arrayContaining(["csa", "xnes", "rmes", "simple", "openai"]));
    const fns = await page.$$eval("#fn option", (os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(fns).toEqual(["sphere", "ellipsoid", "rosenbrock", "rastrigin", ...Array.from({ length: 24 }, (_, i) => `bbob-f${i + 1}`)]);
    const labels = await page.$$eval("#fn option", (os) => os.map((o) => o.textContent));
    expect(labels[4]).toBe("BBOB f1 sphere");
    expect(labels[27]).toBe("BBOB f24 Lunacek bi-Rastrigin");
  });

  it("BBOB's 24 functions at d = 2 (instance 1), shown as f − f_opt: the optimum is evostrat/bbob's x_opt; every run stays at f − f_opt ≥ 0, and CMA-ES solves the unimodal ones", async () => {
    const { problem } = await import("../../src/bbob/index");
    for (let fid = 1; fid <= 24; fid++) {
      const s = await run({ method: "cma", fn: `bbob-f${fid}`, seed: 1, sigma: 1, x0: 0, y0: 0, popSize: 0 }, 300);
      const p = problem("bbob", fid, 1, 2);
      expect(s.optimum, `f${fid}: optimum`).toEqual(Array.from(p.xOpt));
      expect(s.best.f, `f${fid}: best f − f_opt`).toBeGreaterThanOrEqual(0);
      expect(s.best.f, `f${fid}: best f − f_opt`).toBeCloseTo(p.f(s.best.x) - p.fOpt, 12);
      // the unimodal, continuous ones (not f5's slope, whose optimum is a whole region, nor f7's plateaus)
      if ([1, 2, 8, 9, 10, 11, 12, 14].includes(fid)) {
        expect(s.best.f, `f${fid}: best f − f_opt`).toBeLessThan(1e-8);
        expect(dist(s.best.x, s.optimum), `f${fid}: best point`).toBeLessThan(1e-3);
      }
    }
    expect(errors).toEqual([]);
  });

  it("XNES on Rosenbrock from (−3, 3): within 500 generations (it stops by tolFun) the mean, the best point and the population are at (1, 1)", async () => {
    const s = await run({ method: "xnes", fn: "rosenbrock", seed: 1, sigma: 1, x0: -3, y0: 3 }, 500);
    expect(s.generation).toBeGreaterThan(20);
    expect(s.optimum).toEqual([1, 1]);
    expect(s.best.f).toBeLessThan(1e-8);
    expect(dist(s.mean, [1, 1])).toBeLessThan(1e-3);
    for (const p of s.points) expect(dist(p, [1, 1])).toBeLessThan(1e-2);
    const shot = process.env.EVOSTRAT_SCREENSHOT === "1" ? join(ROOT, "docs", "playground.png") : join(tmpdir(), "evostrat-playground.png");
    // the picture the README shows: a run part-way, on its way along the valley
    await run({ method: "xnes", fn: "rosenbrock", seed: 1, sigma: 1, x0: -3, y0: 3 }, 15);
    // the whole page: since the BBOB names widened the function picker, the controls take two rows
    // and the status line falls below the 620-pixel viewport
    await page.screenshot({ path: shot, fullPage: true });
    console.log(`playground: XNES reached f = ${s.best.f.toExponential(2)} in ${s.generation} generations; screenshot ${shot}`);
  });

  it("the 1-σ ellipse follows the strategy's matrix: on x² + 100y², CMA-ES's C, sep-CMA-ES's diagonal and XNES's B stretch it along x; CSA-ES draws a circle", async () => {
    // the ellipse's extent along x and along y: the lengths of B's rows
    const extent = (B: number[]) => [Math.hypot(B[0], B[1]), Math.hypot(B[2], B[3])];
    for (const method of ["cma", "sepcma", "xnes"]) {
      const s = await run({ method, fn: "ellipsoid", seed: 3, sigma: 1, x0: 3, y0: 3, popSize: 0 }, 40);
      const [ex, ey] = extent(s.shape);
      expect(ex / ey, `${method}: x extent over y extent`).toBeGreaterThan(3);
    }
    const c = await run({ method: "csa", fn: "ellipsoid", seed: 3, sigma: 1, x0: 3, y0: 3, popSize: 0 }, 40);
    expect(c.shape).toEqual([1, 0, 0, 1]);
    expect(errors).toEqual([]);
  });

  it("every strategy gets near the sphere's optimum from (−3, 3) in 300 generations", async () => {
    for (const method of ["csa", "xnes", "rmes", "simple", "openai"]) {
      const s = await run({ method, fn: "sphere", seed: 2, sigma: 1, x0: -3, y0: 3, popSize: 0 }, 300);
      expect(dist(s.best.x, [0, 0]), `${method}: best point`).toBeLessThan(0.1);
    }
    expect(errors).toEqual([]);
  });
});
