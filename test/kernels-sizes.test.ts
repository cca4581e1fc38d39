// evostrat/kernels refuses a capacity that cannot fit in wasm32 with a RangeError naming it, before
// the core's allocator (which traps) is reached: issue 9, "sizes are refused before they are allocated".
import { describe, expect, it } from "vitest";
import { Kernels } from "../src/kernels";

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

describe("Kernels: sizes", () => {
  it("new Kernels(2 ** 29 - 1) is a RangeError naming capacity, not a WebAssembly trap, within 50 ms and 50 MB", () => {
    for (const capacity of [2 ** 29 - 1, 2 ** 29 - 2 ** 16]) {
      gc();
      const rss0 = process.memoryUsage().rss, t0 = performance.now();
      let err: unknown;
      try {
        new Kernels(capacity);
      } catch (e) {
        err = e;
      }
      const ms = performance.now() - t0, grew = process.memoryUsage().rss - rss0;
      expect(err).toBeInstanceOf(RangeError);
      expect((err as Error).message).toMatch(/option "capacity" must be <= \d+ float64 values.*got \d+/);
      expect(ms).toBeLessThan(500); // a guard (allocating first took seconds); the time itself is measured in bench/
      expect(grew).toBeLessThan(50 * 2 ** 20);
    }
  });

  it("the documented range's upper part: 2 ** 29 is a RangeError too; a small capacity still works", () => {
    expect(() => new Kernels(2 ** 29)).toThrow(/option "capacity" must be <= 536870911/);
    const k = new Kernels(1000);
    expect(k.f64(1000).length).toBe(1000);
  });
});
