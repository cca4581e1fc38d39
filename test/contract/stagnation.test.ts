// The stagnation test keeps its oldest and newest fifths sorted as values arrive (src/contract/stop.ts,
// FifthsRing); it must answer exactly what the definition says, computed here the plain way: sort the
// oldest and the newest fifth of the last W finite values, compare minima and medians.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { FifthsRing, stagnated } from "../../src/contract/stop";

const median = (a: number[]): number => {
  const s = [...a].sort((x, y) => x - y), m = s.length >> 1;
  return s.length % 2 ? s[m] : 0.5 * s[m - 1] + 0.5 * s[m];
};

function plain(best: number[], med: number[], w: number): boolean {
  const fb = best.filter(Number.isFinite), fm = med.filter(Number.isFinite);
  if (fb.length < w || fm.length < w) return false;
  const b = fb.slice(-w), m = fm.slice(-w), l = Math.max(1, Math.floor(w / 5));
  const [bo, bn, mo, mn] = [b.slice(0, l), b.slice(w - l), m.slice(0, l), m.slice(w - l)];
  return Math.min(...bn) >= Math.min(...bo) && median(bn) >= median(bo) && median(mn) >= median(mo);
}

// values with ties, signed zeros, huge magnitudes and non-finite ones (which the rings skip)
const value = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -5, max: 5 }).map((i) => i / 2) },
  { weight: 3, arbitrary: fc.double({ noNaN: true, min: -1e300, max: 1e300 }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, 1e308, -1e308, NaN, Infinity, -Infinity) },
);

// a generation's best and median: both finite, or (no finite value in the generation) neither pushed
const pair = fc.tuple(value, value).map(([a, b]) => (Number.isFinite(a) ? [a, Number.isFinite(b) ? b : a] : [a, NaN]) as [number, number]);

describe("tolStagnation's sorted fifths", () => {
  it("agree with the plain definition after every push (fast-check)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 20, max: 60 }), fc.array(pair, { minLength: 20, maxLength: 400, size: "max" }), (w, pairs) => {
        const best = new FifthsRing(w), med = new FifthsRing(w);
        const hb: number[] = [], hm: number[] = [];
        for (const [a, b] of pairs) {
          best.push(a);
          med.push(b);
          hb.push(a);
          hm.push(b);
          if (stagnated(best, med) !== plain(hb, hm, w)) return false;
        }
        return true;
      }),
      { numRuns: 300, seed: 9 },
    );
  });

  it("fires on a flat sequence once the window is full, not before", () => {
    const best = new FifthsRing(20), med = new FifthsRing(20);
    for (let g = 0; g < 19; g++) {
      best.push(1);
      med.push(2);
      expect(stagnated(best, med)).toBe(false);
    }
    best.push(1);
    med.push(2);
    expect(stagnated(best, med)).toBe(true);
    // progress in the newest fifth's minimum, median and medians: no stagnation
    for (let g = 0; g < 4; g++) {
      best.push(0.5);
      med.push(1);
    }
    expect(stagnated(best, med)).toBe(false);
  });
});
