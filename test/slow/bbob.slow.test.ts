/**
 * evostrat/bbob against COCO: every reference value of both suites (test/bbob/compare.ts), 2,160 `bbob`
 * and 720 `bbob-largescale` problems; skipped, with a message, where ../shared/reference/bbob is absent.
 */
import { describe, expect, it } from "vitest";
import { compare, summary } from "../bbob/compare.js";
import { referenceDir } from "../bbob/reference.js";

describe("evostrat/bbob against COCO, every problem", () => {
  it.each([
    ["bbob", 2160],
    ["bbob-largescale", 720],
  ] as const)("%s", (suite, n) => {
    const t = compare(suite);
    if (t === null) return console.log(`bbob: ${referenceDir}/${suite}.jsonl absent: comparison with COCO skipped`);
    console.log(summary(suite, t, "all"));
    expect(t.problems).toBe(n);
    expect(t.xoptIdentical).toBe(n);
    expect(t.failures.slice(0, 20)).toEqual([]);
  });
});
