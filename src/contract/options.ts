/*
 * Options from one spec per strategy: each option is one declaration with its type, its range, its
 * default (a value, or a function of what was resolved before it: d, λ, μ, …) and its JSDoc (written
 * on the spec's property; `OptionsOf` carries it to the user-facing type). One function, `resolve`,
 * turns a spec and the options given into the resolved parameters, in declaration order, so a
 * default is computed once, in one place, and never read back over.
 *
 * Checks throw TypeError or RangeError naming the option (src/check.ts), before any state exists.
 */
import { bool, checkKeys, fail, num, oneOf, seedOf, vec, type NumSpec } from "../check.js";

/** What the defaults and ranges of later options can see: every option resolved before them. */
// deno-lint-ignore no-explicit-any
export type Resolved = Record<string, any> & { d: number };

type Fn<T> = (p: Resolved) => T;

/** One option (or, with `derived`, a parameter computed from the others that the user cannot set). */
export interface Spec<T, Opt extends boolean = true, In = InputOf<T>> {
  /** Checks a given value and returns it resolved (called only when the user gave one). */
  check(name: string, v: unknown, p: Resolved): T;
  /** The default: a value, a function of the parameters resolved so far, or undefined (none). */
  default?: T | Fn<T>;
  /** Required: no default, the user must give it. */
  required?: boolean;
  /** Not an option: always computed by `default`. */
  derived?: boolean;
  /** Phantom markers: whether it is an option (for `OptionsOf`), and what the user may pass. */
  readonly _opt?: Opt;
  readonly _in?: In;
}

// deno-lint-ignore no-explicit-any
export type AnySpec = Spec<any, boolean, any>;
export type SpecMap = Record<string, AnySpec>;

/** The user-facing options of a spec (derived parameters left out), every one optional unless required. */
export type OptionsOf<S extends SpecMap> = {
  [K in keyof S as S[K]["derived"] extends true ? never : S[K]["required"] extends true ? K : never]: InOf<S[K]>;
} & {
  [K in keyof S as S[K]["derived"] extends true ? never : S[K]["required"] extends true ? never : K]?: InOf<S[K]>;
};

// deno-lint-ignore no-explicit-any
type InOf<X> = X extends { readonly _in?: infer I } ? Exclude<I, undefined> : never;

/** The resolved parameters of a spec. */
export type ParamsOf<S extends SpecMap> = { [K in keyof S]: S[K] extends Spec<infer T, boolean, any> ? T : never } & { d: number };

// what the user may pass for a resolved type: vectors as any array-like, seeds as number or bigint
type InputOf<T> = T extends Float64Array ? ArrayLike<number> : T extends bigint ? number | bigint : T;
export type { InputOf };

type Range = { [K in keyof NumSpec]: NumSpec[K] | (K extends "integer" | "infinite" ? never : Fn<number>) };

function range(r: Range | undefined, p: Resolved): NumSpec {
  const out: NumSpec = {};
  if (!r) return out;
  for (const k of Object.keys(r) as (keyof NumSpec)[]) {
    const v = r[k];
    (out as Record<string, unknown>)[k] = typeof v === "function" ? (v as Fn<number>)(p) : v;
  }
  return out;
}

/** A number option. */
export function number(r: Range & { default?: number | Fn<number> } = {}): Spec<number> {
  const { default: def, ...rest } = r;
  return { default: def, check: (name, v, p) => num(name, v, NaN, range(rest, p)) };
}

/** An integer option. */
export function integer(r: Range & { default?: number | Fn<number> } = {}): Spec<number> {
  const { default: def, ...rest } = r;
  return { default: def, check: (name, v, p) => num(name, v, NaN, { ...range(rest, p), integer: true }) };
}

/** A number option that may be left unset (undefined: the strategy's behaviour without it). */
export function optionalNumber(r: Range = {}): Spec<number | undefined> {
  return { default: undefined, check: (name, v, p) => num(name, v, NaN, range(r, p)) };
}

export function boolean(def: boolean): Spec<boolean> {
  return { default: def, check: (name, v) => bool(name, v, def) };
}

export function choice<T extends string>(values: readonly T[], def: T): Spec<T> {
  return { default: def, check: (name, v) => oneOf(name, v, def, values) };
}

/** A finite vector; `length` (a function of what is resolved) checks its length. */
export function vector(o: { length?: Fn<number>; required?: boolean } = {}): Spec<Float64Array | undefined, true, ArrayLike<number>> {
  return { required: o.required, default: undefined, check: (name, v, p) => vec(name, v, o.length?.(p)) };
}

/** The seed: an integer in [0, 2^53) or a bigint; default drawn from crypto.getRandomValues. */
export function seed(): Spec<bigint, true, number | bigint> {
  return { default: () => seedOf(undefined), check: (name, v) => seedOf(v, name) };
}

/** A parameter computed from the options (not settable): weights, μ_eff, … */
export function derived<T>(fn: Fn<T>): Spec<T, false> & { derived: true } {
  return { derived: true, default: fn, check: () => fail("type", "derived parameter", "cannot be set") };
}

/** A spec entry with its own check (matrices and the like). */
export function custom<T, In = InputOf<T>>(check: (name: string, v: unknown, p: Resolved) => T, def?: T | Fn<T>): Spec<T, true, In> {
  return { check, default: def };
}

/**
 * Resolves `given` against `spec`: unknown keys are a TypeError listing the known ones; each option
 * in declaration order is checked (when given) or defaulted; derived parameters are computed. `d`
 * (the dimension) must be resolved by the caller and passed in `start`.
 */
export function resolve<S extends SpecMap>(where: string, spec: S, given: Record<string, unknown>, start: Resolved): ParamsOf<S> {
  const keys = Object.keys(spec).filter((k) => !spec[k].derived);
  checkKeys(where, given, keys);
  const p: Resolved = { ...start };
  for (const [k, s] of Object.entries(spec)) {
    if (k in start) continue;
    const v = s.derived ? undefined : given[k];
    if (v !== undefined) p[k] = s.check(k, v, p);
    else if (s.required) fail("type", `${where}: option "${k}"`, "is required");
    else p[k] = typeof s.default === "function" ? (s.default as Fn<unknown>)(p) : s.default;
  }
  return p as ParamsOf<S>;
}
