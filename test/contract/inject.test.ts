// tell(fitness, x): points other than the ones asked are accepted only by strategies whose update is
// recomputed from x (abi.ts SC_INJECTABLE); the others refuse them with a TypeError and no change.
import { describe, expect, it } from "vitest";
import { strategies } from "../../src/registry";
import { contractOptions } from "./contract-options";

const d = 6;
const optionsOf = (name: string, seed: number) => contractOptions[name]?.options(seed) ?? { mean: new Array(d).fill(0.5), sigma: 0.3, seed };

describe("tell(fitness, x)", () => {
  for (const [name, Cls] of Object.entries(strategies)) {
    it(`${name}: ${"refuses x when not injectable, leaving the state unchanged; checks x's shape"}`, () => {
      const o = new Cls(optionsOf(name, 3));
      const p = o.ask();
      const f = Array.from({ length: p.count }, (_, i) => p.row(i).reduce((s, v) => s + v * v, 0));
      const rows = Array.from({ length: p.count }, (_, i) => Array.from(p.row(i)));
      if (!o.injectable) {
        // deno-lint-ignore no-explicit-any
        const heap = () => (o as any).core.heap().slice() as Uint8Array;
        const before = heap();
        expect(() => o.tell(f, rows)).toThrow(TypeError);
        expect(heap()).toEqual(before);
        expect(o.asked).toBe(true);
      } else {
        expect(() => o.tell(f, rows.slice(1))).toThrow(RangeError);
        expect(() => o.tell(f, rows.map((r) => r.slice(1)))).toThrow(RangeError);
      }
      o.tell(f);
      expect(o.generation).toBe(1);
      o.dispose();
    });
  }
});
