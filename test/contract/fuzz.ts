// The contract fuzzer (issue 9), written as functions of the run count so the fast tier
// (test/contract/fuzz.test.ts) and the slow tier (test/slow/fuzz.slow.test.ts) share it.
//
// Model-based (fast-check's fc.commands): random sequences of ask, tell (finite values, NaN, ±Infinity,
// −0, ±1e308, wrong lengths, non-arrays), discard, save, load, shouldStop, dispose, every getter, a
// save → load → continue comparison and a bystander optimizer's generations, over random valid and
// invalid options, for every strategy of the registry. After every command either
//   - the call threw a typed error (TypeError/RangeError; a plain Error for a call out of order or on a
//     disposed optimizer) and the state is unchanged: the core's heap bytes, the counters, `asked`; or
//   - the state is consistent: counters and best so far equal the model's, the mean and σ finite
//     (σ > 0) or a stop reason reported, getters change nothing.
// At the end of a sequence the bystander (another optimizer, advanced between commands) must equal a
// solo run of it, bit for bit: two interleaved optimizers never affect each other.
//
// Corrupted bytes: save() output with random byte flips and truncations (checksums left as they are:
// always a RangeError naming load(bytes)), and forged ones (header fields changed and heap bytes flipped
// with both checksums recomputed: a RangeError naming load(bytes) or the field, never a trap or a
// SyntaxError; an accepted state must then run without a trap and stay consistent).
import fc from "fast-check";
import { expect } from "vitest";
import { strategies } from "../../src/registry";
import type { Strategy } from "../../src/contract/strategy";
import { contractOptions } from "./contract-options";

type Cls = (typeof strategies)[string];
const NAMES = Object.keys(strategies);
const REASONS = new Set(["maxEvaluations", "maxTime", "target", "tolFun", "tolX", "tolUpSigma", "conditionCov", "sigmaCollapse", "tolStagnation", "nonFinite", "tolFunHist", "noEffectAxis", "noEffectCoord"]);

/** What the fuzzer tried (for the report). */
export const counts = { sequences: 0, commands: 0, invalidOptions: 0, refusedValid: 0, typedErrors: 0, corrupted: 0, corruptedAccepted: 0 };
export const refusedExamples = new Set<string>();

/**
 * Properties that depend on the lead's part of issue 9 (src/contract, assembly/), skipped until it
 * lands: each name is checked where it applies, and a failure it covers is recorded here instead of
 * failing the suite. Set EVOSTRAT_FUZZ_STRICT=1 to check them all.
 */
const STRICT = typeof process !== "undefined" && process.env.EVOSTRAT_FUZZ_STRICT === "1";
export const PENDING: Record<string, string> = STRICT ? {} : {};
/** How often each pending property failed, and the first example of each. */
export const pendingHits: Record<string, number> = {};
export const pendingExamples: Record<string, string[]> = {};
function pending(key: string, ok: boolean, what: () => string): void {
  if (ok) return;
  if (key in PENDING) {
    pendingHits[key] = (pendingHits[key] ?? 0) + 1;
    // distinct examples (by their first words), a few of each
    const ex = (pendingExamples[key] ??= []), w = what(), kind = w.replace(/[-\d.e+]+|\[.*?\]/g, "#").slice(0, 90);
    if (ex.length < 12 && !ex.some((e) => e.replace(/[-\d.e+]+|\[.*?\]/g, "#").slice(0, 90) === kind)) ex.push(w);
    return;
  }
  throw new Error(`fuzz: ${key}: ${what()}`);
}

const heap = (o: Strategy): Uint8Array => (o as unknown as { core: { heap(): Uint8Array } }).core.heap().slice();
const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
const hex = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString("hex");
const sphere = (x: ArrayLike<number>) => { let s = 0; for (let i = 0; i < x.length; i++) s += (x[i] - 0.3) ** 2; return s; };

function throwsTyped(fn: () => unknown): Error {
  let err: unknown;
  try { fn(); } catch (e) { err = e; }
  if (!(err instanceof TypeError || err instanceof RangeError)) throw new Error(`fuzz: expected a TypeError or RangeError, got ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  expect(err.message).toMatch(/^evostrat: /);
  counts.typedErrors++;
  return err;
}
function throwsPlain(fn: () => unknown, re: RegExp): void {
  let err: unknown;
  try { fn(); } catch (e) { err = e; }
  if (!(err instanceof Error) || err instanceof TypeError || err instanceof RangeError || !re.test(err.message)) {
    throw new Error(`fuzz: expected an Error matching ${re}, got ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
  }
}

// ---------------------------------------------------------------------------------------------------
// options

interface Setup { name: string; options: Record<string, unknown>; bad: string | null; bystander: string; byOptions: Record<string, unknown> }

/** Mutations that make valid options invalid (each must be a TypeError or RangeError naming the option). */
const BAD: Record<string, (o: Record<string, unknown>) => void> = {
  "sigma -1": (o) => { o.sigma = -1; },
  "sigma 0": (o) => { o.sigma = 0; },
  "sigma NaN": (o) => { o.sigma = NaN; },
  "sigma string": (o) => { o.sigma = "1"; },
  "sigma Infinity": (o) => { o.sigma = Infinity; },
  "mean empty": (o) => { o.mean = []; },
  "mean NaN": (o) => { o.mean = [NaN, 1]; },
  "mean Infinity": (o) => { o.mean = [1, -Infinity]; },
  "mean string": (o) => { o.mean = "0,0"; },
  "mean null": (o) => { o.mean = null; },
  "mean strings": (o) => { o.mean = ["1", "2"]; },
  "popSize 1": (o) => { o.popSize = 1; },
  "popSize 2.5": (o) => { o.popSize = 2.5; },
  "popSize 2^21": (o) => { o.popSize = 2 ** 21; },
  "popSize -4": (o) => { o.popSize = -4; },
  "mode x": (o) => { o.mode = "x"; },
  "unknown key": (o) => { o.sigmaa = 1; },
  "tolFun -1": (o) => { o.tolFun = -1; },
  "maxEvaluations NaN": (o) => { o.maxEvaluations = NaN; },
  "seed -1": (o) => { o.seed = -1; },
  "seed 1.5": (o) => { o.seed = 1.5; },
  "seed 2^64": (o) => { o.seed = 2n ** 64n; },
  "target string": (o) => { o.target = "0"; },
};

function optionsFor(name: string, d: number, centre: number, sigma: number, seed: number, popSize: number | null, mode: string): Record<string, unknown> {
  const base = contractOptions[name]?.options(seed) ?? { sigma: 0.3, seed };
  const mean = Array.from({ length: d }, (_, i) => centre + 0.37 * i);
  const o: Record<string, unknown> = { ...base, mean, sigma, seed, mode };
  if (popSize !== null) o.popSize = name === "openai" ? 2 * Math.ceil(popSize / 2) : popSize;
  if (typeof o.initialF === "number" && mode === "max") o.initialF = -o.initialF;
  return o;
}

export const setupArb: fc.Arbitrary<Setup> = fc
  .record({
    name: fc.constantFrom(...NAMES),
    d: fc.integer({ min: 1, max: 6 }),
    centre: fc.oneof(fc.double({ min: -5, max: 5, noNaN: true }), fc.constantFrom(0, -0, 1e300, -1e300)),
    sigma: fc.oneof({ weight: 8, arbitrary: fc.double({ min: 1e-3, max: 3, noNaN: true }) }, { weight: 1, arbitrary: fc.constantFrom(1e-300, 1e100, Number.MAX_VALUE, 5e-324) }),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    popSize: fc.option(fc.integer({ min: 2, max: 12 }), { freq: 2 }),
    mode: fc.constantFrom("min", "max"),
    extra: fc.oneof({ weight: 2, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom<Record<string, unknown>>({ maxEvaluations: 40 }, { tolFun: 1e-3 }, { tolX: 1e-3 }, { target: 0.5 }, { maxTime: 0 }, { tolUpSigma: 1.5 }) }),
    bad: fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(...Object.keys(BAD)) }),
    bystander: fc.constantFrom(...NAMES),
    bySeed: fc.integer({ min: 0, max: 1000 }),
  })
  .map((r) => {
    const options = { ...optionsFor(r.name, r.d, r.centre, r.sigma, r.seed, r.popSize, r.mode), ...(r.extra ?? {}) };
    if (r.bad) BAD[r.bad](options);
    return { name: r.name, options, bad: r.bad, bystander: r.bystander, byOptions: optionsFor(r.bystander, 3, 0.5, 0.4, r.bySeed, null, "min") };
  });

// ---------------------------------------------------------------------------------------------------
// the model and the commands

interface Snap { generation: number; evaluations: number; bestF: number; bestX: Float64Array; asked: boolean; pop: Float64Array | null }
interface Model extends Snap { name: string; d: number; n: number; sign: number; disposed: boolean; saves: { bytes: Uint8Array; snap: Snap }[] }
interface Real { Cls: Cls; o: Strategy; by: Strategy; byGens: number }

const snapOf = (m: Model): Snap => ({ generation: m.generation, evaluations: m.evaluations, bestF: m.bestF, bestX: m.bestX.slice(), asked: m.asked, pop: m.pop?.slice() ?? null });

/** The same values bit for bit, with NaN payloads lost in a load pending (issue 9 §4). */
function sameX(a: Float64Array, b: Float64Array, label: string): void {
  if (hex(a) === hex(b)) return;
  const norm = (v: Float64Array) => Array.from(v, (x) => (Number.isNaN(x) ? "NaN" : Object.is(x, -0) ? "-0" : String(x)));
  expect(norm(a), label).toEqual(norm(b));
  pending("nanBits", false, () => `${label}: ${hex(a)} vs ${hex(b)}`);
}

/** Object.is, with −0 read back as 0 after a load pending (issue 9 §4). */
function sameF(a: number, b: number, label: string): void {
  if (Object.is(a, b)) return;
  expect(a === b, `${label}: ${a} vs ${b}`).toBe(true);
  pending("negZero", false, () => `${label}: ${Object.is(a, -0) ? "-0" : a} vs ${Object.is(b, -0) ? "-0" : b}`);
}

/** The consistency checks after a command that did not throw (and the getters leave the heap as it was). */
function consistent(m: Model, r: Real, label: string): void {
  const o = r.o;
  expect(o.disposed).toBe(m.disposed);
  if (m.disposed) return;
  const h0 = heap(o);
  expect(o.generation, label).toBe(m.generation);
  expect(o.evaluations, label).toBe(m.evaluations);
  expect(o.asked, label).toBe(m.asked);
  const b = o.best;
  sameF(b.f, m.sign * m.bestF, `${label}: best.f vs the model's`);
  sameX(b.x, m.bestX, `${label}: best.x vs the model's`);
  const reasons = o.shouldStop();
  for (const s of reasons) expect(REASONS.has(s), `unknown stop reason ${s}`).toBe(true);
  const mean = o.mean, sigma = o.sigma;
  const finite = mean.every(Number.isFinite) && Number.isFinite(sigma) && sigma > 0;
  pending("nonFiniteState", finite || reasons.length > 0, () => `${label}: mean [${Array.from(mean)}] σ ${sigma} and no stop reason`);
  expect(sameBytes(heap(o), h0), `${label}: getters changed the heap`).toBe(true);
}

/** Told values as the base class reads them: the model's tell. */
function modelTell(m: Model, vals: ArrayLike<number>): { gBest: number; cnt: number } {
  const n = m.n, d = m.d;
  let gBest = Infinity, gi = -1, cnt = 0;
  for (let i = 0; i < n; i++) {
    const v = vals[i];
    const f = v !== v ? Infinity : m.sign * v;
    if (f < gBest || gi < 0) { gBest = f; gi = i; }
    if (Number.isFinite(f)) cnt++;
  }
  if (gBest < m.bestF) { m.bestF = gBest; m.bestX = m.pop!.slice(gi * d, gi * d + d); }
  m.generation++;
  m.evaluations += n;
  m.asked = false;
  m.pop = null;
  return { gBest, cnt };
}

function checkedAsk(m: Model, r: Real): void {
  const stopped = r.o.shouldStop().length > 0;
  const p = r.o.ask();
  expect(p.count).toBe(m.n);
  expect(p.dimension).toBe(m.d);
  expect(p.data.length).toBe(m.n * m.d);
  pending("nonFiniteState", stopped || p.data.every(Number.isFinite), () => `ask() gave non-finite rows with no stop reason (σ ${r.o.sigma}, mean [${Array.from(r.o.mean)}])`);
  m.asked = true;
  m.pop = p.data.slice();
}

function checkedTell(m: Model, r: Real, input: ArrayLike<number>): void {
  const info = r.o.tell(input);
  const vals = Array.from({ length: m.n }, (_, i) => input[i]);
  const { gBest, cnt } = modelTell(m, vals);
  expect(info.generation).toBe(m.generation);
  expect(info.evaluations).toBe(m.evaluations);
  sameF(info.bestF, m.sign * gBest, "tell().bestF");
  sameF(info.bestSoFar, m.sign * m.bestF, "tell().bestSoFar");
  pending("meanF", cnt === 0 ? Number.isNaN(info.meanF) : Number.isFinite(info.meanF), () => `tell([${vals}]).meanF = ${info.meanF}`);
}

/** Runs `fn` on a disposed or out-of-order optimizer: the plain Error, nothing changed. */
function refused(m: Model, r: Real, fn: () => unknown, re: RegExp): void {
  const h0 = m.disposed ? null : heap(r.o);
  throwsPlain(fn, re);
  if (h0) expect(sameBytes(heap(r.o), h0)).toBe(true);
}

type Cmd = fc.Command<Model, Real>;
abstract class Base implements Cmd {
  check(_m: Readonly<Model>): boolean { return true; }
  run(m: Model, r: Real): void {
    counts.commands++;
    this.go(m, r);
    consistent(m, r, this.toString());
  }
  abstract go(m: Model, r: Real): void;
  abstract toString(): string;
}

class Ask extends Base {
  go(m: Model, r: Real) {
    if (m.disposed) return refused(m, r, () => r.o.ask(), /disposed/);
    if (m.asked) return refused(m, r, () => r.o.ask(), /out of order/);
    checkedAsk(m, r);
  }
  toString() { return "ask()"; }
}

type TellKind = "values" | "typed" | "arraylike" | "short" | "long" | "empty" | "string" | "null" | "number" | "undefined" | "strings" | "holes" | "bigints" | "object";
const VALUE = fc.oneof(
  { weight: 4, arbitrary: fc.double({ min: -100, max: 100, noNaN: true }) },
  { weight: 2, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, 1e308, -1e308, Number.MAX_VALUE, -Number.MAX_VALUE, 5e-324) },
  { weight: 1, arbitrary: fc.double() },
);
class Tell extends Base {
  constructor(readonly kind: TellKind, readonly vs: number[]) { super(); }
  input(n: number): unknown {
    const full = Array.from({ length: n }, (_, i) => this.vs[i % this.vs.length]);
    switch (this.kind) {
      case "values": return full;
      case "typed": return Float64Array.from(full);
      case "arraylike": return Object.assign({ length: n }, full);
      case "short": return full.slice(1);
      case "long": return [...full, 1];
      case "empty": return [];
      case "string": return "1".repeat(n);
      case "null": return null;
      case "number": return 3;
      case "undefined": return undefined;
      case "strings": return full.map(String);
      case "holes": { const a = full.slice(); delete a[n - 1]; return a; }
      case "bigints": return full.map((v) => (Number.isFinite(v) ? BigInt(Math.trunc(v)) : 0n));
      case "object": return { length: n };
    }
  }
  go(m: Model, r: Real) {
    const input = this.input(m.n) as ArrayLike<number>;
    if (m.disposed) return refused(m, r, () => r.o.tell(input), /disposed/);
    if (!m.asked) return refused(m, r, () => r.o.tell(input), /out of order/);
    const valid = this.kind === "values" || this.kind === "typed" || this.kind === "arraylike";
    if (!valid) {
      const h0 = heap(r.o);
      throwsTyped(() => r.o.tell(input));
      expect(sameBytes(heap(r.o), h0), `${this}: a refused tell changed the heap`).toBe(true);
      return;
    }
    checkedTell(m, r, input);
  }
  toString() { return `tell(${this.kind}: [${this.vs.map((v) => (Object.is(v, -0) ? "-0" : String(v))).join(", ")}])`; }
}

class Discard extends Base {
  go(m: Model, r: Real) {
    if (m.disposed) return refused(m, r, () => r.o.discard(), /disposed/);
    r.o.discard();
    m.asked = false;
    m.pop = null;
  }
  toString() { return "discard()"; }
}

class Save extends Base {
  go(m: Model, r: Real) {
    if (m.disposed) return refused(m, r, () => r.o.save(), /disposed/);
    const h0 = heap(r.o);
    const bytes = r.o.save();
    expect(sameBytes(heap(r.o), h0)).toBe(true);
    m.saves.push({ bytes, snap: snapOf(m) });
    if (m.saves.length > 3) m.saves.shift();
  }
  toString() { return "save()"; }
}

class Load extends Base {
  constructor(readonly k: number) { super(); }
  override check(m: Readonly<Model>) { return m.saves.length > 0; }
  go(m: Model, r: Real) {
    const { bytes, snap } = m.saves[this.k % m.saves.length];
    const o2 = r.Cls.load(bytes);
    r.o.dispose();
    r.o = o2;
    Object.assign(m, { ...snap, bestX: snap.bestX.slice(), pop: snap.pop?.slice() ?? null, disposed: false });
  }
  toString() { return `load(saves[${this.k}])`; }
}

class Stop extends Base {
  go(m: Model, r: Real) {
    if (m.disposed) return refused(m, r, () => r.o.shouldStop(), /disposed/);
    const h0 = heap(r.o);
    const s = r.o.shouldStop();
    expect(Array.isArray(s)).toBe(true);
    expect(sameBytes(heap(r.o), h0)).toBe(true);
  }
  toString() { return "shouldStop()"; }
}

class Getters extends Base {
  go(m: Model, r: Real) {
    const o = r.o;
    // these answer on a disposed optimizer too
    expect(o.generation).toBe(m.generation);
    expect(o.evaluations).toBe(m.evaluations);
    expect(o.popSize).toBe(m.n);
    expect(o.dimension).toBe(m.d);
    expect(typeof o.seed).toBe("bigint");
    expect(o.params.popSize).toBe(m.n);
    expect(o.best.x.length).toBe(m.d);
    if (m.disposed) {
      for (const g of [() => o.mean, () => o.sigma, () => o.injectable, () => o.rngState(), () => o.uniform(1)]) throwsPlain(g, /disposed/);
      return;
    }
    const h0 = heap(o);
    expect(o.mean.length).toBe(m.d);
    expect(typeof o.sigma).toBe("number");
    expect(typeof o.injectable).toBe("boolean");
    expect(o.rngState().length).toBeGreaterThan(0);
    expect(sameBytes(heap(o), h0)).toBe(true);
  }
  toString() { return "getters"; }
}

class Dispose extends Base {
  go(m: Model, r: Real) {
    r.o.dispose();
    r.o.dispose(); // twice is harmless
    m.disposed = true;
    m.asked = false;
  }
  toString() { return "dispose()"; }
}

/** save → load → continue k generations equals the uninterrupted run, bit for bit. */
class Continue extends Base {
  constructor(readonly k: number) { super(); }
  override check(m: Readonly<Model>) { return !m.disposed; }
  go(m: Model, r: Real) {
    const c = r.Cls.load(r.o.save());
    try {
      const fit = (p: Float64Array, n: number, d: number) => Float64Array.from({ length: n }, (_, i) => sphere(p.subarray(i * d, i * d + d)));
      for (let g = 0; g < this.k; g++) {
        if (!m.asked) checkedAsk(m, r);
        if (!c.asked) c.ask();
        const pa = m.pop!, pc = (c as unknown as { popV: Float64Array }).popV;
        expect(hex(pc), `${this}: the loaded copy's population`).toBe(hex(pa));
        const f = fit(pa, m.n, m.d);
        checkedTell(m, r, f);
        c.tell(f);
        expect(hex(c.mean)).toBe(hex(r.o.mean));
        expect(Object.is(c.sigma, r.o.sigma)).toBe(true);
        sameX(c.best.x, r.o.best.x, `${this}: best.x of the loaded copy`);
        sameF(c.best.f, r.o.best.f, `${this}: best.f of the loaded copy`);
        expect(c.generation).toBe(r.o.generation);
        expect(sameBytes(heap(c), heap(r.o)), `${this}: heaps differ after generation ${g}`).toBe(true);
      }
    } finally {
      c.dispose();
    }
  }
  toString() { return `save→load→continue ${this.k}`; }
}

/** A generation of the bystander (another optimizer in the same process). */
class Bystander extends Base {
  go(_m: Model, r: Real) {
    const p = r.by.ask();
    r.by.tell(Float64Array.from({ length: p.count }, (_, i) => sphere(p.row(i))));
    r.byGens++;
  }
  toString() { return "bystander generation"; }
}

const commandArbs = [
  fc.constant(new Ask()),
  fc.constant(new Ask()),
  fc.tuple(fc.constantFrom<TellKind>("values", "values", "values", "values", "typed", "arraylike", "short", "long", "empty", "string", "null", "number", "undefined", "strings", "holes", "bigints", "object"), fc.array(VALUE, { minLength: 1, maxLength: 6 })).map(([k, vs]) => new Tell(k, vs)),
  fc.tuple(fc.constantFrom<TellKind>("values", "typed"), fc.array(VALUE, { minLength: 1, maxLength: 6 })).map(([k, vs]) => new Tell(k, vs)),
  fc.constant(new Discard()),
  fc.constant(new Save()),
  fc.nat(5).map((k) => new Load(k)),
  fc.constant(new Stop()),
  fc.constant(new Getters()),
  fc.integer({ min: 1, max: 3 }).map((k) => new Continue(k)),
  fc.constant(new Bystander()),
  fc.constant(new Dispose()),
];

/** Runs `runs` model-checked sequences of up to `maxCommands` commands. */
export function fuzzSequences(runs: number, maxCommands: number, seed: number): void {
  fc.assert(
    fc.property(setupArb, fc.commands(commandArbs, { maxCommands, size: "medium" }), (s, cmds) => {
      counts.sequences++;
      const Cls = strategies[s.name]!;
      if (s.bad) {
        counts.invalidOptions++;
        throwsTyped(() => new Cls(s.options));
        return;
      }
      let o: Strategy;
      try {
        o = new Cls(s.options);
      } catch (e) {
        // a valid-looking combination a strategy refuses (e.g. a μ above λ): typed, named
        if (!(e instanceof TypeError || e instanceof RangeError)) throw e;
        counts.invalidOptions++;
        counts.refusedValid++;
        refusedExamples.add(`${s.name}: ${e.message}`);
        return;
      }
      const ByCls = strategies[s.bystander]!;
      const by = new ByCls(s.byOptions);
      const m: Model = {
        name: s.name, d: o.dimension, n: o.popSize, sign: s.options.mode === "max" ? -1 : 1, disposed: false, saves: [],
        generation: 0, evaluations: 0, bestF: Infinity, bestX: new Float64Array(o.dimension).fill(NaN), asked: false, pop: null,
      };
      const r: Real = { Cls, o, by, byGens: 0 };
      try {
        fc.modelRun(() => ({ model: m, real: r }), cmds);
        // the bystander equals a solo run of it, bit for bit
        const solo = new ByCls(s.byOptions);
        try {
          for (let g = 0; g < r.byGens; g++) { const p = solo.ask(); solo.tell(Float64Array.from({ length: p.count }, (_, i) => sphere(p.row(i)))); }
          expect(sameBytes(heap(solo), heap(r.by)), "the bystander differs from its solo run").toBe(true);
        } finally {
          solo.dispose();
        }
      } finally {
        r.o.dispose();
        r.by.dispose();
      }
    }),
    { numRuns: runs, seed, endOnFailure: true },
  );
}

// ---------------------------------------------------------------------------------------------------
// corrupted bytes

const FNV = (bytes: Uint8Array): number => { let f = 0x811c9dc5; for (const b of bytes) f = Math.imul(f ^ b, 0x01000193); return f >>> 0; };

/** Splits save() bytes: [magic, format, header length][header JSON][heap length, heap][FNV of header]. */
function split(bytes: Uint8Array) {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hl = dv.getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + hl)));
  const heapBytes = bytes.slice(12 + hl + 4, bytes.length - 4);
  return { prefix: bytes.slice(0, 12), header, heapBytes };
}
function join(prefix: Uint8Array, header: unknown, heapBytes: Uint8Array): Uint8Array {
  const head = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(12 + head.length + 4 + heapBytes.length + 4);
  out.set(prefix);
  const dv = new DataView(out.buffer);
  dv.setUint32(8, head.length, true);
  out.set(head, 12);
  dv.setUint32(12 + head.length, heapBytes.length, true);
  out.set(heapBytes, 16 + head.length);
  dv.setUint32(out.length - 4, FNV(head), true);
  return out;
}
/** The core's heap checksum of `bytes`, computed in a scratch optimizer's memory. */
function heapHash(scratch: Strategy, bytes: Uint8Array): number {
  const c = (scratch as unknown as { core: { heap(): Uint8Array; x: { mem_hash(p: number, n: number): number } } }).core;
  const h = c.heap();
  const keep = h.slice();
  h.set(bytes);
  const v = c.x.mem_hash(h.byteOffset, h.length) >>> 0;
  h.set(keep);
  return v;
}

/** Header edits a forger could make (each with the checksum recomputed). */
const EDITS: [string, (h: Record<string, any>, rnd: () => number) => void][] = [
  ["state.generation -1", (h) => { h.state.generation = -1; }],
  ["state.generation 1.5", (h) => { h.state.generation = 1.5; }],
  ["state.generation string", (h) => { h.state.generation = "3"; }],
  ["state.evaluations 1e300", (h) => { h.state.evaluations = 1e300; }],
  ["state.expectTell 1", (h) => { h.state.expectTell = 1; }],
  ["state.bestF string", (h) => { h.state.bestF = "x"; }],
  ["state.bestF null", (h) => { h.state.bestF = null; }],
  // Float64Array fields travel as { $f64: base64 of their bytes } (src/contract/state.ts)
  ["state.bestX short", (h) => { h.state.bestX = { $f64: btoa(atob(h.state.bestX.$f64).slice(8)) }; }],
  ["state.bestX ragged", (h) => { h.state.bestX = { $f64: btoa(atob(h.state.bestX.$f64).slice(3)) }; }],
  ["state.bestX not base64", (h) => { h.state.bestX = { $f64: "%%%" }; }],
  ["state.bestX a number", (h) => { h.state.bestX = { $f64: 12 }; }],
  ["state.bestX plain array", (h) => { h.state.bestX = ["1"]; }],
  ["state.bestX null", (h) => { h.state.bestX = null; }],
  ["state.fhist null", (h) => { h.state.fhist = null; }],
  ["state.fhead 1e9", (h) => { h.state.fhead = 1e9; }],
  ["state.fhead -1", (h) => { h.state.fhead = -1; }],
  ["state.fcount 1e9", (h) => { h.state.fcount = 1e9; }],
  ["state.lastRange string", (h) => { h.state.lastRange = "0"; }],
  ["state.elapsed NaN-ish", (h) => { h.state.elapsed = null; }],
  ["state missing", (h) => { delete h.state; }],
  ["options.mean longer", (h) => { h.options.mean = [...Array.from(h.options.mean as number[]), 1]; }],
  ["options.mean 2^24 long", (h) => { h.options.mean = { length: 2 ** 24 }; }],
  ["options.popSize 2^20", (h) => { h.options.popSize = 2 ** 20; }],
  ["options.popSize string", (h) => { h.options.popSize = "4"; }],
  ["options.seed number", (h) => { h.options.seed = 3; }],
  ["options.seed junk", (h) => { h.options.seed = "12x"; }],
  ["options null", (h) => { h.options = null; }],
  ["options.unknown", (h) => { h.options.zzz = 1; }],
  ["heapHash string", (h) => { h.heapHash = "1"; }],
  ["strategy other", (h) => { h.strategy = "nope"; }],
  ["build other", (h) => { h.build = "0.0.0"; }],
];

/** What load() of damaged or forged bytes may do: a RangeError naming load(bytes) or a field; or (forged heap only) accept a state that then runs without a trap and stays consistent. */
function loadVerdict(Cls: Cls, bytes: Uint8Array, acceptable: boolean, label: string): void {
  counts.corrupted++;
  let o: Strategy | undefined;
  const t0 = performance.now();
  try {
    o = Cls.load(bytes);
  } catch (e) {
    // sizes are compared against the header before anything is constructed (issue 9 §4)
    const ms = performance.now() - t0;
    // a loose guard, not a timing claim (speed belongs in bench/): building a forged λ = 2^20 optimizer
    // before refusing took 300-500 ms; a refusal from the header alone takes well under a millisecond,
    // but a loaded shared machine stretches any single measurement
    pending("loadSizeFirst", ms < 250, () => `${label}: load took ${ms.toFixed(0)} ms to refuse`);
    const ok = e instanceof RangeError && /load\(bytes\)|option|field|state/.test(e.message);
    pending("loadValidates", ok, () => `${label}: load threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    return;
  }
  if (!acceptable) {
    o.dispose();
    pending("loadValidates", false, () => `${label}: load accepted damaged bytes`);
    return;
  }
  counts.corruptedAccepted++;
  try {
    for (let g = 0; g < 3; g++) {
      if (!o.asked) o.ask();
      const p = (o as unknown as { popV: Float64Array }).popV, d = o.dimension;
      o.tell(Float64Array.from({ length: o.popSize }, (_, i) => sphere(p.subarray(i * d, i * d + d))));
      const fin = o.mean.every(Number.isFinite) && Number.isFinite(o.sigma) && o.sigma > 0;
      pending("nonFiniteState", fin || o.shouldStop().length > 0, () => `${label}: accepted, then mean [${Array.from(o!.mean)}] σ ${o!.sigma} with no stop reason`);
    }
  } catch (e) {
    pending("loadValidates", false, () => `${label}: accepted, then ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  } finally {
    o.dispose();
  }
}

/** `cases` corrupted inputs per strategy: random flips and truncations, forged headers, forged heaps. */
export function fuzzCorrupted(cases: number, seed: number): void {
  for (const name of NAMES) {
    const Cls = strategies[name]!;
    const src = new Cls(optionsFor(name, 4, 0.5, 0.3, 7, null, "min"));
    for (let g = 0; g < 3; g++) { const p = src.ask(); src.tell(Float64Array.from({ length: p.count }, (_, i) => sphere(p.row(i)))); }
    const states = [src.save()];
    src.ask();
    states.push(src.save()); // between ask and tell
    const scratch = Cls.load(states[0]);
    try {
      fc.assert(
        fc.property(fc.nat(1), fc.nat(), fc.integer({ min: 0, max: 4 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }), fc.nat(EDITS.length - 1), (si, pos, kind, flips, ei) => {
          const bytes = states[si];
          const { prefix, header, heapBytes } = split(bytes);
          switch (kind) {
            case 0: { // byte flips, checksums as they were: damage
              const b = bytes.slice();
              for (const [p, x] of flips) b[p % b.length] ^= x;
              return loadVerdict(Cls, b, false, `${name}: flips ${JSON.stringify(flips)}`);
            }
            case 1: // truncated, or extended
              return loadVerdict(Cls, pos % 3 === 0 ? Uint8Array.of(...bytes, 0) : bytes.slice(0, pos % bytes.length), false, `${name}: length ${pos % bytes.length}`);
            case 2: { // a forged header field, checksum recomputed
              const [what, edit] = EDITS[ei];
              edit(header, () => 0);
              return loadVerdict(Cls, join(prefix, header, heapBytes), false, `${name}: forged ${what}`);
            }
            case 3: { // heap bytes flipped, both checksums recomputed
              const hb = heapBytes.slice();
              for (const [p, x] of flips) hb[p % hb.length] ^= x;
              header.heapHash = heapHash(scratch, hb);
              return loadVerdict(Cls, join(prefix, header, hb), true, `${name}: forged heap flips ${JSON.stringify(flips)}`);
            }
            default: { // a heap word set to an extreme (an index, a count, a float), both checksums recomputed
              const hb = heapBytes.slice(), dv = new DataView(hb.buffer), at = (pos % (hb.length >> 3)) << 3;
              const v = [0xffffffff, 0x7fffffff, 0x80000000, 1e308, NaN, -1][flips[0][1] % 6];
              if (Number.isInteger(v)) dv.setUint32(at, v >>> 0, true); else dv.setFloat64(at, v, true);
              header.heapHash = heapHash(scratch, hb);
              return loadVerdict(Cls, join(prefix, header, hb), true, `${name}: heap word at ${at} set to ${v}`);
            }
          }
        }),
        { numRuns: cases, seed, endOnFailure: true },
      );
    } finally {
      scratch.dispose();
      src.dispose();
    }
  }
}
