// Issue 9's contract-level cases, each a failure before: every run ends, sizes are refused before
// they are allocated, no non-finite state goes unreported, saved bytes are trusted only when every field
// checks, inputs are read once.
import { describe, expect, it } from "vitest";
import * as abi from "../../assembly/abi";
import { CSAES, OpenAIES, RMES, SimpleES, XNES, minimize } from "../../src/index";
import { Kernels } from "../../src/kernels";
import { sphere } from "../functions";
import { testingInstance } from "../testing-core";

// deno-lint-ignore no-explicit-any
const core = (o: unknown) => (o as any).core as { x: any; heap(): Uint8Array; f64(p: number, n: number): Float64Array };

/** save() bytes with the header edited and the header checksum recomputed (a forgery, not damage). */
function rewrite(bytes: Uint8Array, edit: (h: Record<string, any>) => void, heapEdit?: (heap: Uint8Array) => void): Uint8Array {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hl = dv.getUint32(8, true);
  const h = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + hl)));
  const heap = bytes.slice(16 + hl, bytes.length - 4);
  if (heapEdit) {
    heapEdit(heap);
    // the heap checksum too, with the core's own function
    const x = testingInstance();
    const p = x.allocF64(Math.ceil(heap.length / 8)) >>> 0;
    new Uint8Array(x.memory.buffer, p, heap.length).set(heap);
    h.heapHash = x.mem_hash(p, heap.length) >>> 0;
  }
  edit(h);
  const head = new TextEncoder().encode(JSON.stringify(h));
  const out = new Uint8Array(12 + head.length + 4 + heap.length + 4);
  const ov = new DataView(out.buffer);
  out.set(bytes.subarray(0, 8));
  ov.setUint32(8, head.length, true);
  out.set(head, 12);
  ov.setUint32(12 + head.length, heap.length, true);
  out.set(heap, 16 + head.length);
  let f = 0x811c9dc5;
  for (const b of head) f = Math.imul(f ^ b, 0x01000193);
  ov.setUint32(out.length - 4, f >>> 0, true);
  return out;
}

describe("every run ends", () => {
  it("minimize with SimpleES or OpenAI-ES and no budget ends on the sphere (tolStagnation)", () => {
    const a = minimize(sphere, { method: "simple", mean: new Array(5).fill(1), sigma: 0.3, seed: 1 });
    expect(a.stopReasons).toContain("tolStagnation");
    expect(a.f).toBeLessThan(1e-2);
    const b = minimize(sphere, { method: "openai", mean: new Array(5).fill(1), sigma: 0.1, learningRate: 0.05, seed: 1 });
    expect(b.stopReasons).toContain("tolStagnation");
    expect(b.f).toBeLessThan(1e-2);
  });

  it("a fitness that gives NaN or ±Infinity in some generations no longer disables tolFun", () => {
    let calls = 0;
    const f = (x: Float64Array) => (++calls % 7 === 0 ? [NaN, Infinity, -Infinity][calls % 3] : sphere(x));
    const r = minimize(f, { method: "csa", mean: [1, 2, 3], sigma: 0.5, seed: 2, maxEvaluations: 200_000 });
    expect(r.stopReason).not.toBe("maxEvaluations");
    expect(["tolFun", "tolX", "sigmaCollapse", "target"]).toContain(r.stopReason);
  });
});

describe("sizes are refused before they are allocated", () => {
  it("a mean of length 2^31 is a RangeError at once, before any copy", () => {
    const huge = new Proxy([] as number[], { get: (t, k) => (k === "length" ? 2 ** 31 : k in t ? (t as never)[k] : 0) });
    const t0 = performance.now();
    expect(() => new CSAES({ mean: huge })).toThrow(/mean.*4 GiB/);
    expect(performance.now() - t0).toBeLessThan(500); // a guard: copying 2^31 values took seconds
  });

  it("CSA-ES counts both its λ×d buffers: refused before allocation", () => {
    // 8·d·(λ + 4) fits under 4 GiB, with a second λ×d buffer it does not
    const d = 1_000_000, popSize = 300;
    const mean = new Float64Array(d);
    const rss0 = process.memoryUsage().rss, t0 = performance.now();
    expect(() => new CSAES({ mean, popSize })).toThrow(RangeError);
    expect(performance.now() - t0).toBeLessThan(500); // a guard: allocating 2.4 GB first took seconds
    expect(process.memoryUsage().rss - rss0).toBeLessThan(50 * 2 ** 20);
  });

  it("a runtime that refuses a new memory (about 12,000 live optimizers) is an evostrat RangeError naming the owner", () => {
    // V8's own error when the address space is exhausted, measured with 12,141 live CSA-ES in Node 20;
    // making that many takes a minute, so the refusal is injected where every instance is made
    const real = WebAssembly.Instance;
    let calls = 0;
    (WebAssembly as { Instance: unknown }).Instance = function () {
      calls++;
      throw new RangeError("WebAssembly.Instance(): Out of memory: Cannot allocate Wasm memory for new instance");
    };
    try {
      expect(() => new CSAES({ mean: [0, 0] })).toThrow(/CSAES: the runtime refused a new WebAssembly memory.*too many live optimizers\? dispose\(\)/);
      expect(() => new XNES({ mean: [0, 0] })).toThrow(RangeError);
      expect(() => new Kernels(16)).toThrow(/Kernels: the runtime refused a new WebAssembly memory/);
      expect(calls).toBe(3);
    } finally {
      (WebAssembly as { Instance: unknown }).Instance = real;
    }
    // nothing was left half-made: the next optimizer runs
    expect(minimize(sphere, { method: "csa", mean: [1, 1], maxEvaluations: 200, seed: 1 }).evaluations).toBeGreaterThan(0);
  });
});

describe("no non-finite state goes unreported", () => {
  it("σ0 so large that mean + σ0·z overflows is refused, naming sigma", () => {
    expect(() => new CSAES({ mean: [1, 2], sigma: Number.MAX_VALUE })).toThrow(/sigma/);
    expect(() => new XNES({ mean: [1, 2], sigma: 1e306 })).toThrow(RangeError);
  });

  it("SimpleES divides before it sums: a mean of [1e308, 0] stays finite", () => {
    const o = new SimpleES({ mean: [1e308, 0], sigma: 1, seed: 1 });
    for (let g = 0; g < 5; g++) {
      const p = o.ask();
      o.tell(Array.from({ length: p.count }, (_, i) => p.row(i)[1] ** 2));
    }
    expect(o.mean.every(Number.isFinite)).toBe(true);
    expect(o.shouldStop()).not.toContain("nonFinite");
    o.dispose();
  });

  it("tell's meanF of [1e308, 1e308, 0, 0] is finite", () => {
    const o = new CSAES({ mean: [0, 0], popSize: 4, seed: 1 });
    o.ask();
    expect(o.tell([1e308, 1e308, 0, 0]).meanF).toBe(5e307);
    o.dispose();
  });

  it("a non-finite mean or σ is reported (nonFinite), and a NaN mean does not hide sigmaCollapse", () => {
    for (const Cls of [CSAES, RMES, XNES, OpenAIES] as const) {
      const o = new Cls({ mean: [1, 2, 3], seed: 1 } as never);
      expect(o.shouldStop()).toEqual([]);
      const c = core(o);
      c.f64(c.x[`${(Cls as { strategyName: string }).strategyName}_ptr`](abi.SLOT_MEAN), 3)[1] = NaN;
      expect(o.shouldStop()).toContain("nonFinite");
      c.f64(c.x[`${(Cls as { strategyName: string }).strategyName}_ptr`](abi.SLOT_SCALARS), 1)[abi.SC_SIGMA] = 0;
      expect(o.shouldStop()).toEqual(expect.arrayContaining(["nonFinite", "sigmaCollapse"]));
      o.dispose();
    }
  });
});

describe("save and load", () => {
  it("−0 survives save/load", () => {
    const o = new CSAES({ mean: [-0, 1], sigma: 0.5, seed: 3 });
    const b = CSAES.load(o.save());
    expect(Object.is(b.mean[0], -0)).toBe(true);
    o.dispose(); b.dispose();
  });

  it("fields that pass the checksum but not the checks are RangeErrors naming the field", () => {
    const o = new CSAES({ mean: [1, 2, 3], seed: 4 });
    for (let g = 0; g < 2; g++) { const p = o.ask(); o.tell(Array.from({ length: p.count }, (_, i) => sphere(p.row(i)))); }
    const bytes = o.save();
    expect(() => CSAES.load(rewrite(bytes, (h) => { h.state.evaluations += 1; }))).toThrow(/field evaluations/);
    expect(() => CSAES.load(rewrite(bytes, (h) => { h.state.bestX = [1, 2]; }))).toThrow(/field bestX/);
    expect(() => CSAES.load(rewrite(bytes, (h) => { h.state.fhist = [1, "x"]; }))).toThrow(/field fhist/);
    expect(() => CSAES.load(rewrite(bytes, (h) => { h.state.elapsed = -1; }))).toThrow(/elapsed/);
    expect(() => CSAES.load(rewrite(bytes, (h) => { h.state.bestF = { $num: "1e3" }; }))).toThrow(/tagged number/);
    expect(CSAES.load(rewrite(bytes, () => {})).generation).toBe(2);
    o.dispose();
  });

  it("an RMES heap whose path order points out of range is refused, not a trap in ask()", () => {
    const o = new RMES({ mean: new Array(8).fill(1), seed: 5 });
    const c = core(o);
    const base = c.x.heap_base() >>> 0, order = (c.x.rmes_ptr(abi.RMES_ORDER) >>> 0) - base;
    const bytes = o.save();
    const forged = rewrite(bytes, () => {}, (heap) => { new DataView(heap.buffer, heap.byteOffset).setInt32(order, 1 << 20, true); });
    expect(() => RMES.load(forged)).toThrow(/RMES path order/);
    expect(RMES.load(rewrite(bytes, () => {}, () => {})).generation).toBe(0);
    o.dispose();
  });

  it("a state saved between ask() and tell() gives the pending population back", () => {
    const o = new XNES({ mean: [1, 2, 3, 4], seed: 6 });
    const p = o.ask();
    const rows = Array.from({ length: p.count }, (_, i) => Array.from(p.row(i)));
    const b = XNES.load(o.save());
    const q = b.population!;
    expect(q.count).toBe(p.count);
    expect(Array.from({ length: q.count }, (_, i) => Array.from(q.row(i)))).toEqual(rows);
    b.tell(rows.map(sphere));
    expect(b.population).toBeUndefined();
    o.dispose(); b.dispose();
  });
});

describe("inputs are read once", () => {
  it("tell() snapshots the fitness: an array-like whose getters change cannot slip NaN past the checks", () => {
    const o = new CSAES({ mean: [1, 2], popSize: 4, seed: 7 });
    o.ask();
    let reads = 0;
    const sneaky = new Proxy([1, 2, 3, 4], { get: (t, k) => (k === "length" ? 4 : typeof k === "string" && /^\d+$/.test(k) ? (reads++ < 4 ? t[+k] : "x") : (t as never)[k]) });
    const info = o.tell(sneaky as unknown as number[]);
    expect(info.bestF).toBe(1);
    expect(reads).toBe(4);
    o.dispose();
  });
});
