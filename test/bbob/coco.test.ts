/**
 * evostrat/bbob against COCO's own C code (../shared/reference/bbob/*.jsonl; skipped, with a message,
 * where that folder is absent): f at x = 0, at five generator points, at three points near x_opt and at
 * x_opt within 1e-9·max(1, |f|), and x_opt bit for bit (test/bbob/compare.ts). Fast tier: every `bbob` problem, and
 * the `bbob-largescale` problems with d ≤ 40 and instance 1 at d = 640; test/slow/bbob.slow.test.ts
 * compares every problem of both suites.
 */
import { describe, expect, it } from "vitest";
import { compare, summary } from "./compare.js";
import { referenceDir } from "./reference.js";

const skipped = (suite: string) => console.log(`bbob: ${referenceDir}/${suite}.jsonl absent: comparison with COCO skipped`);

describe("evostrat/bbob against COCO", () => {
  it("bbob: every reference value", () => {
    const t = compare("bbob");
    if (t === null) return skipped("bbob");
    console.log(summary("bbob", t, "all"));
    expect(t.problems).toBe(2160);
    expect(t.xoptIdentical).toBe(2160);
    expect(t.failures.slice(0, 20)).toEqual([]);
  });

  it("bbob-largescale: d ≤ 40, and instance 1 at d = 640", () => {
    const t = compare("bbob-largescale", (_r, _fid, instance, d) => d <= 40 || (instance === 1 && d === 640));
    if (t === null) return skipped("bbob-largescale");
    console.log(summary("bbob-largescale", t, "sample"));
    expect(t.problems).toBe(264);
    expect(t.xoptIdentical).toBe(264);
    expect(t.failures.slice(0, 20)).toEqual([]);
  });
});
