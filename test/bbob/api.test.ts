/** evostrat/bbob's interface: ids, bounds, argument checks, x_opt as a copy, f at x_opt, NaN, reuse. */
import { describe, expect, it } from "vitest";
import { DIMENSIONS, GROUPS, problem, problemId, SUITES } from "../../src/bbob/index.js";
import { coveredSeeds, glibcFlips } from "../../src/bbob/glibc-rounding.js";
import { unif } from "../../src/bbob/legacy.js";
import { cosCR, cosOther, logCR, logOther } from "../../src/bbob/libm.js";

describe("evostrat/bbob", () => {
  it("gives COCO's ids, the box and the dimension", () => {
    const p = problem("bbob", 1, 1, 2);
    expect(p.id).toBe("bbob_f001_i01_d02");
    expect([p.lower, p.upper, p.d, p.xOpt.length]).toEqual([-5, 5, 2, 2]);
    expect(problem("bbob-largescale", 24, 15, 640).id).toBe("bbob_f024_i15_d0640");
    expect(problemId("bbob", 12, 101, 40)).toBe("bbob_f012_i101_d40");
    expect(SUITES).toEqual(["bbob", "bbob-largescale"]);
    expect(DIMENSIONS["bbob-largescale"]).toContain(640);
    expect(Object.values(GROUPS).flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
  });

  it("f(x_opt) is f_opt, and f ≥ f_opt at random points of the box", () => {
    let s = 1;
    const rnd = () => ((s = (s * 16807) % 2147483647) / 2147483647) * 10 - 5;
    for (const suite of SUITES) {
      for (let fid = 1; fid <= 24; fid++) {
        const d = suite === "bbob" ? 5 : 20;
        const p = problem(suite, fid, 3, d);
        expect(Math.abs(p.f(p.xOpt) - p.fOpt), `${p.id}`).toBeLessThan(1e-9);
        for (let k = 0; k < 20; k++) {
          const x = Array.from({ length: d }, rnd);
          expect(p.f(x), `${p.id}`).toBeGreaterThanOrEqual(p.fOpt - 1e-9);
        }
      }
    }
  });

  it("evaluates the same point to the same value, and leaves x alone", () => {
    const p = problem("bbob-largescale", 15, 2, 80);
    const x = Float64Array.from({ length: 80 }, (_, i) => Math.sin(i));
    const copy = x.slice();
    const a = p.f(x);
    problem("bbob-largescale", 15, 2, 80).f(copy.map((v) => -v));
    expect(p.f(x)).toBe(a);
    expect(x).toEqual(copy);
  });

  it("hands out a copy of x_opt", () => {
    const p = problem("bbob", 2, 1, 3);
    const before = p.f([0, 0, 0]);
    p.xOpt.fill(0);
    expect(p.f([0, 0, 0])).toBe(before);
  });

  it("returns NaN for a NaN coordinate, and checks its arguments", () => {
    for (let fid = 1; fid <= 24; fid++) expect(problem("bbob", fid, 1, 3).f([0, NaN, 0])).toBeNaN();
    expect(() => problem("bbob", 1, 1, 3).f([0, 0])).toThrow(RangeError);
    expect(() => problem("bbob", 0, 1, 3)).toThrow(RangeError);
    expect(() => problem("bbob", 25, 1, 3)).toThrow(RangeError);
    expect(() => problem("bbob", 1, 0, 3)).toThrow(RangeError);
    expect(() => problem("bbob", 1, 1, 1)).toThrow(RangeError);
    expect(() => problem("bbob", 1.5, 1, 3)).toThrow(RangeError);
    // @ts-expect-error: not a suite
    expect(() => problem("cec", 1, 1, 3)).toThrow(RangeError);
    // @ts-expect-error: not a number
    expect(() => problem("bbob", "1", 1, 3)).toThrow(TypeError);
  });

  it("rounds log and cos correctly (spot checks against values computed at 200 bits)", () => {
    // ln(0.3) and cos(1.0): the doubles nearest the exact values
    expect(logCR(0.3)).toBe(-1.2039728043259361);
    expect(logCR(1)).toBe(0);
    expect(logCR(2 ** -31)).toBe(-31 * Math.LN2);
    expect(cosCR(1)).toBe(0.5403023058681398);
    expect(cosCR(Math.PI / 2)).toBe(6.123233995736766e-17);
    expect(cosCR(Math.PI)).toBe(-1);
  });

  it("gives the other double next to ln u and cos x, and glibc's roundings where it takes it", () => {
    // glibc 2.36 (python3 -c "import math; print(repr(math.log(u)))"), against the correctly rounded
    // value (Python's decimal at 50 digits: ln u = −0.168723891905745951…, between the two doubles)
    const u = 0.8447421113237469;
    expect(logCR(u)).toBe(-0.16872389190574597);
    expect(logOther(u)).toBe(-0.16872389190574594);
    const x = 2 * Math.PI * 0.19216359462224114;
    expect(cosCR(x)).toBe(0.3554512982419072);
    expect(cosOther(x)).toBe(0.35545129824190713);
    // those are uniforms 399 and 1689 of seed 10019's stream (f19, instance 1), listed as glibc's
    const seeds = coveredSeeds();
    expect(seeds.length).toBe(435);
    const flips = glibcFlips(10019)!;
    const s = unif(3200, 10019);
    expect([s[399], s[1689]]).toEqual([u, 0.19216359462224114]);
    expect([flips.log.has(399), flips.cos.has(1689), flips.log.has(1689)]).toEqual([true, true, false]);
    expect(glibcFlips(10001)).toBeUndefined();
    let n = 0;
    for (const seed of seeds) n += glibcFlips(seed)!.log.size + glibcFlips(seed)!.cos.size;
    expect(n).toBe(1813);
  });
});
