// The worker pool (src/drivers/pool.ts): the same results as in one thread, one block per worker and
// generation, clean rejections, and no thread left running.
import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { minimize } from "../../src/drivers/minimize";
import { openPool } from "../../src/drivers/pool";
import { XNES } from "../../src/faces/neorl/index";

const fixture = fileURLToPath(new URL("../fixtures/drivers-fit.mjs", import.meta.url));
const sphere = (x: Float64Array) => { let s = 0; for (let i = 0; i < x.length; i++) s += x[i] * x[i]; return s; };

describe("worker pool", () => {
  it("minimize with workers = 3 gives the ncores = 1 result, bit for bit", async () => {
    const opts = { method: "xnes" as const, mean: [3, -2, 1, 4, 0.5], sigma: 1, seed: 4, maxEvaluations: 3000 };
    const one = minimize(sphere, opts);
    const pooled = await minimize({ module: fixture, name: "sphere" }, { ...opts, workers: 3 });
    const inThread = await minimize({ module: fixture, name: "sphere" }, opts);
    expect(pooled).toEqual(one);
    expect(inThread).toEqual(one);
  });

  it("NEORL's XNES with ncores = 2 and with restarts through minimize: the same as in one thread", async () => {
    const bounds = Object.fromEntries([1, 2, 3].map((i) => [`x${i}`, ["float", -5, 5] as const]));
    const a = new XNES({ mode: "min", bounds, npop: 7, seed: 2, fit: sphere }).evolute(20, [1, 2, 3]);
    const b = await new XNES({ mode: "min", bounds, npop: 7, seed: 2, ncores: 2, fit: { module: fixture, name: "sphere" } }).evolute(20, [1, 2, 3]);
    expect(b).toEqual(a);
    const o = { method: "csa" as const, sigma: 1, seed: 5, maxEvaluations: 4000, restarts: { kind: "ipop" as const, lower: [-5, -5], upper: [5, 5] } };
    expect(await minimize({ module: fixture, name: "sphere" }, { ...o, workers: 2 })).toEqual(minimize(sphere, o));
  });

  it("one transfer per worker per generation: contiguous blocks of rows", async () => {
    const pool = await openPool({ module: fixture, name: "sphere" }, 3);
    try {
      const d = 4, n = 10, data = Float64Array.from({ length: n * d }, (_, i) => i / 7);
      const b = { count: n, dimension: d, data, row: (i: number) => data.subarray(i * d, i * d + d) };
      const ys = await pool.evaluateBatch(b);
      expect(Array.from(ys)).toEqual(Array.from({ length: n }, (_, i) => sphere(b.row(i))));
      expect(data[5]).toBe(5 / 7); // the caller's data is copied into the blocks, never detached
      // fewer rows than workers
      const one = await pool.evaluateBatch({ count: 1, dimension: d, data: data.subarray(0, d), row: () => data.subarray(0, d) });
      expect(one[0]).toBe(sphere(data.subarray(0, d)));
    } finally {
      await pool.close();
    }
    await expect(pool.evaluateBatch({ count: 1, dimension: 1, data: new Float64Array(1), row: () => new Float64Array(1) })).rejects.toThrow(/closed/);
  });

  it("a worker-side throw rejects cleanly: the error's type and message, the optimizer usable afterwards", async () => {
    const bounds = Object.fromEntries([1, 2, 3].map((i) => [`x${i}`, ["float", -5, 5] as const]));
    const x = new XNES({ mode: "min", bounds, npop: 8, seed: 3, ncores: 2, fit: { module: fixture, name: "throwing" } });
    const err = await x.evolute(5, [1, 1, 1]).catch((e) => e);
    expect(err).toBeInstanceOf(RangeError);
    expect(err.message).toMatch(/simulation crashed/);
    expect(x.core.asked).toBe(false); // the population was discarded
    // from x0 ≤ 0 the fixture never throws far from the start: the same optimizer goes on
    const [, y] = await x.evolute(3, [-4, -4, -4]).catch(() => [0, NaN] as const);
    expect(Number.isFinite(y) || Number.isNaN(y)).toBe(true);
    expect(x.core.sigma).toBeGreaterThan(0);
    await expect(minimize({ module: fixture, name: "notANumber" }, { mean: [1, 2], seed: 1, workers: 2 })).rejects.toThrow(/must return a number.*string '1'/);
    await expect(minimize({ module: fixture, name: "nope" }, { mean: [1, 2], seed: 1, workers: 2 })).rejects.toThrow(/no function export "nope"/);
    expect(() => minimize(sphere as never, { mean: [1, 2], workers: 2 })).toThrow(/functions cannot be sent between threads/);
  });
});
