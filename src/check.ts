/**
 * Argument checks at the API boundary. Each throws TypeError (wrong type) or RangeError (value out of
 * range) naming the parameter, before any state changes. Success is tested first, so a valid call
 * costs a few comparisons.
 */

export function fail(kind: "type" | "range", where: string, msg: string): never {
  const text = `evostrat: ${where} ${msg}`;
  throw kind === "type" ? new TypeError(text) : new RangeError(text);
}

/** Rejects keys not in `allowed`, so a misspelt option never passes silently. */
export function checkKeys(where: string, opts: object, allowed: readonly string[]): void {
  if (opts === null || typeof opts !== "object") fail("type", where, `options must be an object, got ${describe(opts)}`);
  for (const k of Object.keys(opts)) {
    if (!allowed.includes(k)) fail("type", where, `got an unknown option "${k}"; known options: ${allowed.join(", ")}`);
  }
}

export interface NumSpec {
  /** inclusive lower bound */
  min?: number;
  /** exclusive lower bound */
  gt?: number;
  /** inclusive upper bound */
  max?: number;
  integer?: boolean;
  /** allow ±Infinity (otherwise the value must be finite) */
  infinite?: boolean;
}

/** A number option; `undefined` gives the default. */
export function num(name: string, v: unknown, def: number, spec: NumSpec = {}): number {
  if (v === undefined) return def;
  if (typeof v !== "number") fail("type", `option "${name}"`, `must be a number, got ${describe(v)}`);
  if (Number.isNaN(v) || (!spec.infinite && !Number.isFinite(v))) fail("range", `option "${name}"`, `must be a finite number, got ${v}`);
  if (spec.integer && Number.isFinite(v) && !Number.isInteger(v)) fail("range", `option "${name}"`, `must be an integer, got ${v}`);
  if (spec.min !== undefined && v < spec.min) fail("range", `option "${name}"`, `must be >= ${spec.min}, got ${v}`);
  if (spec.gt !== undefined && !(v > spec.gt)) fail("range", `option "${name}"`, `must be > ${spec.gt}, got ${v}`);
  if (spec.max !== undefined && v > spec.max) fail("range", `option "${name}"`, `must be <= ${spec.max}, got ${v}`);
  return v;
}

export function bool(name: string, v: unknown, def: boolean): boolean {
  if (v === undefined) return def;
  if (typeof v !== "boolean") fail("type", `option "${name}"`, `must be a boolean, got ${describe(v)}`);
  return v;
}

export function oneOf<T extends string>(name: string, v: unknown, def: T, values: readonly T[]): T {
  if (v === undefined) return def;
  if (typeof v !== "string") fail("type", `option "${name}"`, `must be one of ${values.map((s) => `'${s}'`).join(", ")}, got ${describe(v)}`);
  if (!values.includes(v as T)) fail("range", `option "${name}"`, `must be one of ${values.map((s) => `'${s}'`).join(", ")}, got '${v}'`);
  return v as T;
}

/**
 * A finite numeric vector (array or typed array); `len` checks the length when given, `maxLen` refuses
 * longer ones before anything is copied.
 */
export function vec(name: string, v: unknown, len?: number, maxLen = Infinity): Float64Array {
  const ok = Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
  if (!ok) fail("type", `option "${name}"`, `must be an array or typed array of numbers, got ${describe(v)}`);
  const a = v as ArrayLike<unknown>;
  if (len !== undefined && a.length !== len) fail("range", `option "${name}"`, `must have length ${len}, got ${a.length}`);
  if (a.length > maxLen) fail("range", `option "${name}"`, `has length ${a.length}: more than WebAssembly's 4 GiB can hold (at most ${maxLen})`);
  if (a.length === 0) fail("range", `option "${name}"`, `must not be empty`);
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    if (typeof x !== "number" && typeof x !== "bigint") fail("type", `option "${name}"`, `element ${i} must be a number, got ${describe(x)}`);
    const n = Number(x);
    if (!Number.isFinite(n)) fail("range", `option "${name}"`, `element ${i} must be finite, got ${n}`);
    out[i] = n;
  }
  return out;
}

/**
 * n rows of d finite numbers, row-major: an array of n rows, or n·d numbers (a d×d matrix option, the
 * points told with tell(fitness, x)). `where` names the value in errors.
 */
export function rows(where: string, name: string, v: unknown, n: number, d: number): Float64Array {
  const ok = Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
  if (!ok) fail("type", where, `must be ${n} rows of ${d} numbers (an array of rows, or ${n * d} numbers row-major), got ${describe(v)}`);
  const a = v as ArrayLike<unknown>;
  if (a.length === n * d && (a.length === 0 || (!Array.isArray(a[0]) && !ArrayBuffer.isView(a[0])))) return vec(name, a, n * d);
  if (a.length !== n) fail("range", where, `must have ${n} rows of ${d} numbers, got ${a.length} rows`);
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) out.set(vec(`${name}[${i}]`, a[i], d), i * d);
  return out;
}

/** A seed option: an integer in [0, 2^53) or a bigint in [0, 2^64); undefined (or null) stays undefined. */
export function seedValue(name: string, v: unknown): bigint | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === "bigint") {
    if (v < 0n || v >= 1n << 64n) fail("range", `option "${name}"`, `must be in [0, 2^64), got ${v}`);
    return v;
  }
  if (typeof v !== "number") fail("type", `option "${name}"`, `must be a non-negative integer or bigint, got ${describe(v)}`);
  if (!Number.isSafeInteger(v) || v < 0) fail("range", `option "${name}"`, `must be a non-negative safe integer, got ${v}`);
  return BigInt(v);
}

/** A seed option (`seed` unless named); undefined draws a 53-bit seed from crypto.getRandomValues. */
export function seedOf(v: unknown, name = "seed"): bigint {
  const s = seedValue(name, v);
  if (s !== undefined) return s;
  const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint32Array) => Uint32Array } }).crypto;
  if (!c?.getRandomValues) fail("type", `option "${name}"`, "is required here: this runtime has no crypto.getRandomValues");
  const w = c.getRandomValues(new Uint32Array(2));
  // 53 bits, so the seed round-trips through a JS number (and through save/load JSON)
  return (BigInt(w[0] & 0x1fffff) << 32n) | BigInt(w[1]);
}

/** True for a Promise or any thenable (a fitness that answers asynchronously). */
export function isThenable<T = unknown>(v: unknown): v is PromiseLike<T> {
  return v !== null && (typeof v === "object" || typeof v === "function") && typeof (v as PromiseLike<T>).then === "function";
}

export function describe(v: unknown): string {
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return (v as object).constructor?.name ?? "an object";
  if (typeof v === "string") return `the string '${v.length > 20 ? v.slice(0, 20) + "…" : v}'`;
  return `${typeof v} ${String(v)}`;
}
