// The one evaluation loop (src/drivers/evaluate.ts): sync until the first thenable, value checks,
// a throwing fitness, per-generation callbacks and stop checks, over any strategy of the registry.
import { describe, expect, it } from "vitest";
import { drive, run, single } from "../../src/drivers/evaluate";
import { strategies } from "../../src/registry";

const sphere = (x: Float64Array) => { let s = 0; for (let i = 0; i < x.length; i++) s += x[i] * x[i]; return s; };
const make = (name: string, seed = 1) => new strategies[name]({ mean: [1, 2, 3], sigma: 0.5, seed, popSize: 6, maxEvaluations: 120 });

describe("evaluation loop, for every strategy", () => {
  for (const name of Object.keys(strategies)) {
    it(`${name}: sync, async from the first row, async from a middle row and a batch evaluator give the same bits`, async () => {
      const ref = make(name);
      expect(run(ref, sphere)).toEqual(["maxEvaluations"]);
      const variants = [
        (x: Float64Array) => Promise.resolve(sphere(x)),
        (() => { let k = 0; return (x: Float64Array) => (++k % 6 === 4 ? Promise.resolve(sphere(x)) : sphere(x)); })(),
        { evaluateBatch: (b: { count: number; row(i: number): Float64Array }) => Array.from({ length: b.count }, (_, i) => sphere(b.row(i))) },
      ];
      for (const ev of variants) {
        const s = make(name);
        const r = run(s, ev);
        expect(await r).toEqual(["maxEvaluations"]);
        expect(s.best).toEqual(ref.best);
        expect(Array.from(s.mean)).toEqual(Array.from(ref.mean));
        s.dispose();
      }
      ref.dispose();
    });
  }

  it("values must be numbers (NaN is allowed: the worst); the message names the row", async () => {
    const s = make("csa");
    expect(() => run(s, (x) => (x[0] > 100 ? 1 : "1"), {}, "minimize(f):")).toThrow(/minimize\(f\): the fitness must return a number .*got the string '1' for row 0/);
    expect(s.asked).toBe(false);
    await expect(run(s, async () => null)).rejects.toThrow(TypeError);
    expect(run(s, () => NaN)).toEqual(["maxEvaluations"]);
    s.dispose();
  });

  it("a throwing fitness discards the population: the state is as before the ask", () => {
    const a = make("xnes", 4), b = make("xnes", 4);
    let k = 0;
    expect(() => run(a, (x) => { if (++k === 15) throw new Error("boom"); return sphere(x); }, { maxGenerations: 5 })).toThrow("boom");
    expect(a.asked).toBe(false);
    expect(a.generation).toBe(2); // two full generations told, the third discarded
    run(b, sphere, { maxGenerations: 2 });
    expect(Array.from(a.mean)).toEqual(Array.from(b.mean));
    expect(a.sigma).toBe(b.sigma);
    // and it goes on
    expect(run(a, sphere)).toEqual(["maxEvaluations"]);
    a.dispose(); b.dispose();
  });

  it("callbacks and stop checks: onGeneration false, stop, halt before every evaluation (pointwise)", () => {
    const s = make("rmes");
    const seen: number[] = [];
    expect(run(s, sphere, { onGeneration: (i) => { seen.push(i.generation); return i.generation < 3; } })).toEqual(["callback"]);
    expect(seen).toEqual([1, 2, 3]);
    expect(run(s, sphere, { stop: () => (s.generation >= 5 ? ["tolX"] : []) })).toEqual(["tolX"]);
    let calls = 0;
    expect(run(s, () => { calls++; return 1; }, { pointwise: true, halt: () => calls >= 9 })).toEqual(["halt"]);
    expect(calls).toBe(9); // mid-generation: 6 + 3
    expect(s.asked).toBe(false);
    expect(s.generation).toBe(6);
    s.dispose();
  });

  it("drive: a driver generator sees its values and its clean-up runs on errors", async () => {
    let cleaned = 0;
    function* steps(): Generator<ReturnType<typeof single>, number, Float64Array> {
      try {
        const a = (yield single(new Float64Array([1, 2])))[0];
        const b = (yield single(new Float64Array([3])))[0];
        return a + b;
      } finally {
        cleaned++;
      }
    }
    expect(drive(steps(), sphere, "t:")).toBe(14);
    expect(await drive(steps(), async (x: Float64Array) => sphere(x), "t:")).toBe(14);
    expect(() => drive(steps(), () => { throw new Error("x"); }, "t:")).toThrow("x");
    expect(cleaned).toBe(3);

  });
});
