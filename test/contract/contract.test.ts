// The strategy contract (src/contract/strategy.ts), checked for every strategy in the registry: shape and
// finiteness, determinism, save/load/continue bit for bit, typed errors that change nothing, NaN and
// throwing fitness, views that never detach, and no memory growth across create/dispose.
import { describe, expect, it } from "vitest";
import { strategies } from "../../src/registry";
import type { Strategy } from "../../src/contract/strategy";
import { contractOptions } from "./contract-options";
import * as abi from "../../assembly/abi";

const sphereShift = (x: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - 0.1 * i) ** 2;
  return s;
};

function optionsFor(name: string, seed: number): Record<string, unknown> {
  return contractOptions[name]?.options(seed) ?? { mean: [0.5, -0.5, 1, 2, -1, 0.25], sigma: 0.3, seed };
}

function fitnessOf(o: Strategy): Float64Array {
  const p = o.ask();
  const f = new Float64Array(p.count);
  for (let i = 0; i < p.count; i++) f[i] = sphereShift(p.row(i));
  return f;
}

function run(o: Strategy, gens: number): void {
  for (let g = 0; g < gens; g++) o.tell(fitnessOf(o));
}

/** save() bytes with the header JSON changed by `edit` and its checksum recomputed (as a forger would). */
function rewriteHeader(bytes: Uint8Array, edit: (h: Record<string, unknown>) => void): Uint8Array {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hl = dv.getUint32(8, true);
  const h = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + hl)));
  edit(h);
  const head = new TextEncoder().encode(JSON.stringify(h));
  const rest = bytes.subarray(12 + hl, bytes.length - 4); // heap length + heap
  const out = new Uint8Array(12 + head.length + rest.length + 4);
  out.set(bytes.subarray(0, 12));
  new DataView(out.buffer).setUint32(8, head.length, true);
  out.set(head, 12);
  out.set(rest, 12 + head.length);
  let f = 0x811c9dc5; // FNV-1a, as src/contract/state.ts
  for (const b of head) f = Math.imul(f ^ b, 0x01000193);
  new DataView(out.buffer).setUint32(out.length - 4, f >>> 0, true);
  return out;
}

/** Everything observable, as bits, for bit-exact comparisons. */
function snapshot(o: Strategy): string {
  const stop = o.shouldStop().join(",");
  const p = o.ask();
  const bits = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("hex");
  const s = [bits(p.data), bits(o.mean), String(o.sigma), String(o.generation), String(o.evaluations), bits(o.best.x), String(o.best.f), stop].join("|");
  const f = new Float64Array(p.count);
  for (let i = 0; i < p.count; i++) f[i] = sphereShift(p.row(i));
  o.tell(f);
  return s;
}

for (const [name, Cls] of Object.entries(strategies)) {
  describe(`contract: ${name}`, () => {
    const make = (seed = 1, extra: Record<string, unknown> = {}) => new Cls({ ...optionsFor(name, seed), ...extra });

    it("asks a population of the right shape, finite, as views of the optimizer's memory", () => {
      const o = make();
      const p = o.ask();
      expect(p.dimension).toBe(o.dimension);
      expect(p.count).toBe(o.popSize);
      expect(p.data).toBeInstanceOf(Float64Array);
      expect(p.data.length).toBe(p.count * p.dimension);
      expect(p.data.every(Number.isFinite)).toBe(true);
      expect(Array.from(p.row(1))).toEqual(Array.from(p.data.subarray(p.dimension, 2 * p.dimension)));
      expect(p.row(0).buffer).toBe(p.data.buffer);
      expect(() => p.row(p.count)).toThrow(RangeError);
      o.tell(Array.from({ length: p.count }, (_, i) => sphereShift(p.row(i))));
      expect(o.generation).toBe(1);
      expect(o.evaluations).toBe(p.count);
      expect(o.sigma).toBeGreaterThan(0);
      expect(o.mean.every(Number.isFinite)).toBe(true);
      expect(o.best.x.length).toBe(o.dimension);
      // memory is sized for this optimizer alone (no shared or static scratch): a few pages at small d
      const bytes = (o as unknown as { core: { x: { memory: WebAssembly.Memory } } }).core.x.memory.buffer.byteLength;
      expect(bytes).toBeLessThanOrEqual(4 * 65536);
      o.dispose();
    });

    it("gives the same bits for the same seed, and different bits for another seed", () => {
      const a = make(7), b = make(7), c = make(8);
      for (let g = 0; g < 8; g++) {
        const sa = snapshot(a), sb = snapshot(b);
        expect(sa).toBe(sb);
      }
      expect(snapshot(c)).not.toBe(snapshot(make(7)));
    });

    it("continues bit for bit after save and load (between generations and between ask and tell)", () => {
      const ref = make(3);
      const ss: string[] = [];
      for (let g = 0; g < 12; g++) ss.push(snapshot(ref));

      const a = make(3);
      for (let g = 0; g < 5; g++) snapshot(a);
      const b = Cls.load(a.save());
      a.dispose();
      for (let g = 5; g < 12; g++) expect(snapshot(b)).toBe(ss[g]);

      // saved with a population outstanding: the loaded optimizer expects tell() for it
      const c = make(3);
      for (let g = 0; g < 5; g++) snapshot(c);
      const pop = c.ask();
      const before = pop.data.slice();
      const d = Cls.load(c.save());
      expect(() => d.ask()).toThrow(/expected tell/);
      const f = new Float64Array(before.length / d.dimension);
      for (let i = 0; i < f.length; i++) f[i] = sphereShift(before.subarray(i * d.dimension, (i + 1) * d.dimension));
      d.tell(f);
      for (let g = 6; g < 12; g++) expect(snapshot(d)).toBe(ss[g]);
    });

    it("stateHash changes with the state (a tell, the mean), not with the population ask() rewrites", () => {
      const o = make(31);
      run(o, 3);
      const inner = o as unknown as { core: { x: { memory: WebAssembly.Memory } }; fns: { ptr(slot: number): number } };
      const f64 = (slot: number, n: number) => new Float64Array(inner.core.x.memory.buffer, inner.fns.ptr(slot) >>> 0, n);
      const h = o.stateHash();
      f64(abi.SLOT_POP, o.popSize * o.dimension).fill(123.5);
      expect(o.stateHash()).toBe(h);
      const mean = f64(abi.SLOT_MEAN, o.dimension), m0 = mean[0];
      mean[0] = m0 + 0.25;
      expect(o.stateHash()).not.toBe(h);
      mean[0] = m0;
      expect(o.stateHash()).toBe(h);
      run(o, 1);
      expect(o.stateHash()).not.toBe(h);
      o.dispose();
    });

    it("restores the stop-condition state too: tolFun fires at the same generation after save/load", () => {
      const flat = (o: Strategy) => { const p = o.ask(); o.tell(new Float64Array(p.count).fill(1)); };
      const until = (o: Strategy) => { let g = 0; while (o.shouldStop().length === 0 && g++ < 5000) flat(o); return [o.generation, o.shouldStop().join(",")]; };
      // tolX off: on a flat function some strategies shrink σ fast enough for tolX to fire first
      const ref = make(12, { tolX: 0 });
      const expected = until(ref);
      expect(expected[1]).toContain("tolFun");
      const a = make(12, { tolX: 0 });
      const half = Math.floor((expected[0] as number) / 2);
      for (let g = 0; g < half; g++) flat(a);
      const b = Cls.load(a.save());
      expect(until(b)).toEqual(expected);
    });

    it("askRows(first, end) draws those rows alone with ask()'s bits and changes nothing (adapted state, odd and even ranges, a box)", () => {
      const bits = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("hex");
      const d37 = Array.from({ length: 37 }, (_, i) => 0.5 - 0.03 * i);
      // the default d = 6 (λ = 9 unless the case says otherwise: an odd last row), d = 37 with λ = 13
      // or 14 (blocks of the products and their remainders), and a box that binds
      const variants: Record<string, unknown>[] = [{}, { mean: d37, popSize: name === "openai" ? 14 : 13 }, { lower: -0.3, upper: 0.4 }];
      for (const extra of variants) {
        const o = make(21, extra);
        run(o, 4); // an adapted distribution (a matrix, paths, direction vectors) drives the rows
        const saved = o.save();
        const lam = o.popSize, d = o.dimension;
        const full = o.ask().data.slice();
        const f = new Float64Array(lam);
        for (let i = 0; i < lam; i++) f[i] = sphereShift(full.subarray(i * d, (i + 1) * d));
        o.tell(f);
        const after = o.stateHash();
        const ranges: [number, number][] = [[0, 1], [1, 2], [lam - 1, lam], [1, lam - 1], [2, 5], [3, 4], [lam >> 1, lam], [0, lam]];
        for (const [a, b] of ranges) {
          const r = Cls.load(saved);
          const rows = r.askRows(a, b);
          expect(rows.length).toBe((b - a) * d);
          expect(bits(rows), `${name} rows [${a}, ${b}) ${JSON.stringify(Object.keys(extra))}`).toBe(bits(full.subarray(a * d, b * d)));
          expect(r.asked).toBe(false);
          expect(r.generation).toBe(4);
          // a second range, then the whole ask: the same population, and the same state after tell
          r.askRows(lam - 2, lam);
          const p = r.ask();
          expect(bits(p.data)).toBe(bits(full));
          // between ask and tell: the pending population's rows, not a new draw
          expect(bits(r.askRows(a, b))).toBe(bits(full.subarray(a * d, b * d)));
          r.tell(f);
          expect(r.stateHash()).toBe(after);
          r.dispose();
        }
        o.dispose();
      }
      const o = make(22);
      expect(() => o.askRows(-1, 2)).toThrow(RangeError);
      expect(() => o.askRows(2, 2)).toThrow(/end/);
      expect(() => o.askRows(0, o.popSize + 1)).toThrow(/end must be an integer/);
      expect(() => o.askRows(0.5, 2)).toThrow(/first/);
      expect(() => o.askRows("0" as never, 2)).toThrow(RangeError);
      o.dispose();
    });

    it("discard() drops an outstanding population; the next ask() samples afresh", () => {
      const o = make(13);
      run(o, 2);
      const p1 = o.ask().data.slice();
      expect(o.asked).toBe(true);
      o.discard();
      expect(o.asked).toBe(false);
      const p2 = o.ask().data.slice();
      expect(Array.from(p2)).not.toEqual(Array.from(p1));
      o.tell(new Float64Array(o.popSize).map((_, i) => i));
      expect(o.generation).toBe(3);
      expect(o.evaluations).toBe(3 * o.popSize);
    });

    it("rejects state from another strategy, another build, damaged or no state at all", () => {
      const o = make();
      run(o, 2);
      const bytes = o.save();
      const other = Object.entries(strategies).find(([n]) => n !== name)?.[1];
      if (other) expect(() => other.load(bytes)).toThrow(/strategy/);
      expect(() => Cls.load(rewriteHeader(bytes, (h) => { h.build = "0.0.0+0000000000000000"; }))).toThrow(/saved by build 0\.0\.0/);
      expect(() => Cls.load(rewriteHeader(bytes, (h) => { (h.state as Record<string, unknown>).generation = -5; }))).toThrow(/damaged state \(field generation\)/);
      const flipHead = bytes.slice();
      flipHead[20] ^= 1;
      expect(() => Cls.load(flipHead)).toThrow(/header checksum/);
      const flipHeap = bytes.slice();
      flipHeap[bytes.length - 40] ^= 1;
      expect(() => Cls.load(flipHeap)).toThrow(/heap checksum/);
      expect(() => Cls.load(new Uint8Array(40))).toThrow(RangeError);
      expect(() => Cls.load(bytes.subarray(0, bytes.length - 8))).toThrow(/truncated/);
      expect(() => Cls.load("x" as never)).toThrow(TypeError);
      expect(Cls.load(rewriteHeader(bytes, () => {})).generation).toBe(2); // the rewriting itself is sound
    });

    it("throws typed errors naming the option, and a failed call changes nothing", () => {
      expect(() => make(1, { nosuchOption: 1 })).toThrow(TypeError);
      expect(() => make(1, { nosuchOption: 1 })).toThrow(/nosuchOption/);
      expect(() => new Cls({ sigma: 1 })).toThrow(/mean/);
      expect(() => make(1, { sigma: -1 })).toThrow(RangeError);
      expect(() => make(1, { sigma: -1 })).toThrow(/sigma/);
      expect(() => make(1, { sigma: "big" })).toThrow(TypeError);
      expect(() => make(1, { popSize: 2.5 })).toThrow(/popSize/);
      expect(() => make(1, { mean: [1, NaN] })).toThrow(/mean/);
      expect(() => make(-1)).toThrow(/seed/);
      expect(() => make(1, { maxEvaluations: -5 })).toThrow(/maxEvaluations/);
      // more than wasm32's 4 GiB: a RangeError at once, not a trap after growing the memory
      expect(() => make(1, { mean: new Float64Array(2000), popSize: 2 ** 19 })).toThrow(RangeError);
      expect(() => make(1, { mean: new Float64Array(2000), popSize: 2 ** 19 })).toThrow(/GiB|MB/);

      const ref = make(5), o = make(5);
      const ss: string[] = [];
      for (let g = 0; g < 6; g++) ss.push(snapshot(ref));
      snapshot(o);
      expect(() => o.tell([1, 2])).toThrow(/expected ask\(\)/);
      const p = o.ask();
      expect(() => o.ask()).toThrow(/expected tell/);
      expect(() => o.tell(new Float64Array(p.count + 1))).toThrow(RangeError);
      expect(() => o.tell(Array.from({ length: p.count }, () => "1") as never)).toThrow(TypeError);
      expect(() => o.tell(null as never)).toThrow(TypeError);
      const f = new Float64Array(p.count);
      for (let i = 0; i < p.count; i++) f[i] = sphereShift(p.row(i));
      o.tell(f);
      for (let g = 2; g < 6; g++) expect(snapshot(o)).toBe(ss[g]);
    });

    it("treats NaN as the worst value, exactly like +Infinity", () => {
      const a = make(9), b = make(9);
      for (let g = 0; g < 6; g++) {
        const pa = a.ask(), pb = b.ask();
        const fa = new Float64Array(pa.count), fb = new Float64Array(pb.count);
        for (let i = 0; i < pa.count; i++) {
          const v = i % 3 === 1 ? NaN : sphereShift(pa.row(i));
          fa[i] = v;
          fb[i] = Number.isNaN(v) ? Infinity : v;
        }
        a.tell(fa);
        b.tell(fb);
        expect(Number.isNaN(a.best.f)).toBe(false);
      }
      expect(snapshot(a)).toBe(snapshot(b));
      expect(a.mean.every(Number.isFinite)).toBe(true);
      expect(a.sigma).toBeGreaterThan(0);
      // an all-NaN generation leaves a usable optimizer
      const p = a.ask();
      a.tell(new Float64Array(p.count).fill(NaN));
      run(a, 3);
      expect(a.mean.every(Number.isFinite)).toBe(true);
      expect(Number.isFinite(a.sigma) && a.sigma > 0).toBe(true);
    });

    it("stays usable when the fitness throws mid-population", () => {
      const o = make(11);
      run(o, 3);
      const p = o.ask();
      const f = new Float64Array(p.count);
      const boom = (x: Float64Array, i: number) => { if (i === 2) throw new Error("fitness failed"); return sphereShift(x); };
      expect(() => { for (let i = 0; i < p.count; i++) f[i] = boom(p.row(i), i); }).toThrow("fitness failed");
      // the population is still there: evaluate it again and go on
      for (let i = 0; i < p.count; i++) f[i] = sphereShift(p.row(i));
      o.tell(f);
      run(o, 20);
      expect(o.mean.every(Number.isFinite)).toBe(true);
      expect(o.sigma).toBeGreaterThan(0);
      expect(o.best.f).toBeLessThan(sphereShift(new Float64Array(optionsFor(name, 11).mean as number[])));
    });

    it("keeps every view attached across 10,000 generations", () => {
      const o = make(2);
      const first = o.ask();
      const data = first.data, row3 = first.row(3);
      const f = new Float64Array(first.count);
      for (let g = 0; g < 10_000; g++) {
        const p = g === 0 ? first : o.ask();
        expect(p.data).toBe(data);
        for (let i = 0; i < p.count; i++) f[i] = p.data[i * p.dimension] ** 2 + (i & 1);
        o.tell(f);
      }
      expect(data.byteLength).toBe(first.count * first.dimension * 8);
      expect(row3.byteLength).toBe(first.dimension * 8);
      expect(data.every((v) => !Number.isNaN(v))).toBe(true);
      expect(o.generation).toBe(10_000);
    });

    it("refuses calls after dispose()", () => {
      const o = make();
      o.dispose();
      expect(() => o.ask()).toThrow(/disposed/);
      expect(() => o.tell([])).toThrow(/disposed/);
      expect(() => o.save()).toThrow(/disposed/);
      o.dispose(); // idempotent
    });
  });
}

describe("contract: memory", () => {
  it("does not grow across 10,000 create/dispose cycles", () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    expect(gc, "run vitest with --expose-gc (vitest.config.ts sets execArgv)").toBeTypeOf("function");
    const Cls = strategies.csa;
    const cycle = (n: number) => {
      for (let i = 0; i < n; i++) {
        const o = new Cls({ mean: new Float64Array(20).fill(1), seed: i });
        o.tell(fitnessOf(o));
        o.dispose();
      }
    };
    cycle(500); // warm up
    gc!();
    const before = process.memoryUsage().rss;
    cycle(10_000);
    gc!();
    const after = process.memoryUsage().rss;
    // each optimizer holds at least one 64 KiB page: 10,000 leaked instances would add ≥ 640 MB
    expect(after - before).toBeLessThan(64 * 2 ** 20);
  });
});
