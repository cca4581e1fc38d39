// Properties every registered strategy keeps, checked with fast-check over random dimensions, means,
// step sizes, seeds and fitness values (seeded runs, so a failure replays; fast-check prints the
// counterexample and the seed):
//   (a) tell() accepts any finite fitness, ties and ±1e308 included, and σ stays finite and > 0, the
//       mean finite;
//   (b) every strategy ranks: a strictly increasing transform of the fitness (3f + 1, exp f) leaves
//       the run unchanged to the bit. All five sort the fitness (argsort in assembly/strategies/*.ts)
//       and use it only through that order; RMES also compares this generation's values with the
//       last one's (and with `initialF`, transformed with them here);
//   (c) save → load → continue gives the uninterrupted run, bit for bit.
// Written against the public API only (the registry, ask/tell/save/load, mean, sigma).
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { strategies } from "../../src/registry.js";
import { contractOptions } from "./contract-options";

type Strategy = InstanceType<(typeof strategies)[string]>;

const SEED = 20261130; // fast-check's own seed: the generated cases are the same on every run
const sphere = (x: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - 0.5) ** 2;
  return s;
};
const hex = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("hex");
const bitsOf = (o: Strategy) => `${hex(o.mean)} σ=${hex(Float64Array.of(o.sigma))}`;

/** A strategy's contract options, with this case's mean, σ and seed (and initialF, when it has one, through g). */
function make(name: string, mean: number[], sigma: number, seed: number, g: (f: number) => number = (f) => f): Strategy {
  const base = contractOptions[name]?.options(seed) ?? {};
  const opts: Record<string, unknown> = { ...base, mean, sigma, seed };
  if (typeof opts.initialF === "number") opts.initialF = g(opts.initialF);
  return new strategies[name]!(opts);
}

/** One generation: fitness from f(row), passed through g, told to the strategy. */
function step(o: Strategy, g: (f: number) => number): void {
  const p = o.ask();
  const fit = new Float64Array(p.count);
  for (let i = 0; i < p.count; i++) fit[i] = g(sphere(p.row(i)));
  o.tell(fit);
}

const start = fc.record({
  d: fc.integer({ min: 2, max: 8 }),
  centre: fc.double({ min: -3, max: 3, noNaN: true }),
  sigma: fc.double({ min: 0.05, max: 2, noNaN: true }),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
});
const meanOf = (d: number, centre: number) => Array.from({ length: d }, (_, i) => centre + 0.25 * i);

// Any finite double, with a good share of extremes, zeros and exact ties.
const finite = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 1, -1, 1e308, -1e308, 5e-324, Number.MAX_VALUE, -Number.MAX_VALUE),
  fc.double({ min: -10, max: 10, noNaN: true }),
);

for (const name of Object.keys(strategies)) {
  describe(`${name}: properties`, () => {
    it("(a) tell accepts any finite fitness; σ stays finite and > 0, the mean finite", () => {
      fc.assert(
        fc.property(start, fc.array(fc.array(finite, { minLength: 64, maxLength: 64 }), { minLength: 1, maxLength: 6 }), ({ d, centre, sigma, seed }, gens) => {
          const o = make(name, meanOf(d, centre), sigma, seed);
          try {
            for (const values of gens) {
              const p = o.ask();
              o.tell(Float64Array.from({ length: p.count }, (_, i) => values[i % values.length]!));
              expect(Number.isFinite(o.sigma) && o.sigma > 0, `σ = ${o.sigma}`).toBe(true);
              expect(o.mean.every(Number.isFinite), `mean = ${Array.from(o.mean)}`).toBe(true);
            }
          } finally {
            o.dispose();
          }
        }),
        { seed: SEED, numRuns: 25 },
      );
    });

    it("(b) a strictly increasing transform of the fitness (3f + 1, exp f) changes no bit of the run", () => {
      const transforms: [string, (f: number) => number][] = [["3f + 1", (f) => 3 * f + 1], ["exp f", Math.exp]];
      fc.assert(
        fc.property(start, fc.integer({ min: 1, max: 6 }), fc.constantFrom(...transforms), ({ d, centre, sigma, seed }, gens, [, g]) => {
          const a = make(name, meanOf(d, centre), sigma, seed);
          const b = make(name, meanOf(d, centre), sigma, seed, g);
          try {
            for (let k = 0; k < gens; k++) {
              step(a, (f) => f);
              step(b, g);
            }
            expect(bitsOf(b)).toBe(bitsOf(a));
            expect(hex(b.ask().data)).toBe(hex(a.ask().data));
          } finally {
            a.dispose();
            b.dispose();
          }
        }),
        { seed: SEED, numRuns: 20 },
      );
    });

    it("(c) save → load → continue equals the uninterrupted run, bit for bit", () => {
      fc.assert(
        fc.property(start, fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 4 }), ({ d, centre, sigma, seed }, before, after) => {
          const a = make(name, meanOf(d, centre), sigma, seed);
          let b: Strategy | undefined;
          try {
            for (let k = 0; k < before; k++) step(a, (f) => f);
            b = strategies[name]!.load(a.save());
            expect(bitsOf(b)).toBe(bitsOf(a));
            for (let k = 0; k < after; k++) {
              step(a, (f) => f);
              step(b, (f) => f);
            }
            expect(bitsOf(b)).toBe(bitsOf(a));
            expect(hex(b.ask().data)).toBe(hex(a.ask().data));
            expect([b.generation, b.evaluations]).toEqual([a.generation, a.evaluations]);
          } finally {
            a.dispose();
            b?.dispose();
          }
        }),
        { seed: SEED, numRuns: 20 },
      );
    });
  });
}
