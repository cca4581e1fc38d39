// Random numbers: xoshiro256++ seeded through SplitMix64, with a 256-layer ziggurat for normals.
//
// see: D. Blackman, S. Vigna, "Scrambled linear pseudorandom number generators", ACM TOMS 47 (2021),
//      reference code xoshiro256plusplus.c and splitmix64.c (prng.di.unimi.it).
// see: G. Marsaglia, W. W. Tsang, "The ziggurat method for generating random variables",
//      J. Stat. Softw. 5(8), 2000; R = 3.6541528853610088 and V = 4.92867323399e-3 for 256 layers
//      (the constants numpy's and Rust's rand_distr ziggurats use).
//
// A xoshiro state is 4 u64 words in linear memory (RNG_BYTES). Each optimizer owns a generator block
// (abi.ts RNG_*): its seed, the count of asks so far, a main state (uniform(), normal(), adaptation
// sampling) and a scratch state for row streams, so save()/load() carry it with the rest of the state.
// Nothing here is global except the read-only tables.
//
// Per-row streams: row k of generation g is drawn from its own xoshiro256++ state, seeded from
// (seed, g, k) by chained SplitMix64 finalisers (a bijection of 64 bits at each step, so distinct keys
// give distinct seeds for fixed seed and g, and collisions across g are 2^-64 events). Any process can
// then draw any row by itself, with the same bits as when the whole population is drawn.

import { RNG_SEED, RNG_GEN, RNG_MAIN, RNG_ROW, RNG_KEY, RNG_WORDS } from "../abi";

export const RNG_BYTES: usize = 32;
/** Bytes of a generator block. */
export const GEN_BYTES: usize = <usize>RNG_WORDS << 3;

// @ts-ignore: decorator
@inline const ZIG_R: f64 = 3.6541528853610088;
// @ts-ignore: decorator
@inline const ZIG_V: f64 = 4.92867323399e-3;
// @ts-ignore: decorator
@inline const TWO_M53: f64 = 1.1102230246251565e-16; // 2^-53

// Tables, filled once at instantiation: X (257 layer edges), F = exp(-X²/2), W = X·2^-53,
// K = floor(X[i+1]/X[i]·2^53), the fast-path acceptance threshold of layer i.
const ZX: usize = memory.data(257 * 8, 16);
const ZF: usize = memory.data(257 * 8, 16);
const ZW: usize = memory.data(256 * 8, 16);
const ZK: usize = memory.data(256 * 8, 16);

function initTables(): void {
  // X[0] is the width of the base strip (rectangle of area V, tail included), X[1] = R, and each
  // strip above has area V: X[i+1] = f⁻¹(f(X[i]) + V/X[i]).
  store<f64>(ZX, ZIG_V / Math.exp(-0.5 * ZIG_R * ZIG_R));
  store<f64>(ZX + 8, ZIG_R);
  for (let i = 1; i < 255; i++) {
    const x = load<f64>(ZX + (<usize>i << 3));
    const y = Math.exp(-0.5 * x * x) + ZIG_V / x;
    store<f64>(ZX + (<usize>(i + 1) << 3), Math.sqrt(-2.0 * Math.log(y)));
  }
  store<f64>(ZX + 256 * 8, 0.0);
  for (let i = 0; i < 257; i++) {
    const x = load<f64>(ZX + (<usize>i << 3));
    store<f64>(ZF + (<usize>i << 3), Math.exp(-0.5 * x * x));
  }
  for (let i = 0; i < 256; i++) {
    const x = load<f64>(ZX + (<usize>i << 3));
    const xn = load<f64>(ZX + (<usize>(i + 1) << 3));
    store<f64>(ZW + (<usize>i << 3), x * TWO_M53);
    store<u64>(ZK + (<usize>i << 3), <u64>((xn / x) * 9007199254740992.0));
  }
}
initTables();

// i64.rotl: Binaryen does not fold the shift-or idiom into it, and V8 compiles i64.rotl to one rol.
// @ts-ignore: decorator
@inline export function rotl64(x: u64, k: u64): u64 {
  return rotl<u64>(x, k);
}

/**
 * The ziggurat's fast path for 64 random bits r (about 99% of draws): the normal variate, or NaN when
 * r falls outside its layer's inner rectangle, and then `normalSlow(s, r)` must be called with the
 * generator words stored back at s. For samplers that keep the generator words in locals
 * (rng_fill_normal below, the fused RMES sampler).
 */
// @ts-ignore: decorator
@inline export function zigFast(r: u64): f64 {
  const i = <usize>(r & 255);
  const u = r >> 11;
  // u < 2^53, so the signed conversion (one cvtsi2sd) is exact; bit 8 of r becomes the sign bit of x
  // without a branch (a 50/50 branch here cost more than the rest of the sample).
  const x = reinterpret<f64>(reinterpret<u64>(<f64><i64>u * load<f64>(ZW + (i << 3))) ^ ((r & 0x100) << 55));
  return u < load<u64>(ZK + (i << 3)) ? x : NaN;
}

function splitmix(x: u64): u64 {
  let z = x;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
  z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
  return z ^ (z >> 31);
}

/** Seeds the generator at `s` from a 64-bit seed through SplitMix64 (never all-zero). */
export function rng_seed(s: usize, seed: u64): void {
  let x = seed;
  for (let i: usize = 0; i < 4; i++) {
    x += 0x9e3779b97f4a7c15;
    store<u64>(s + (i << 3), splitmix(x));
  }
}

/** Initialises a generator block (GEN_BYTES at g) for `seed`: generation 0, main state from the seed. */
export function gen_init(g: usize, seed: u64): void {
  store<u64>(g + (<usize>RNG_SEED << 3), seed);
  store<u64>(g + (<usize>RNG_GEN << 3), 0);
  store<u64>(g + (<usize>RNG_KEY << 3), generationKey(seed, 0));
  rng_seed(g + (<usize>RNG_MAIN << 3), seed);
}

/** The main xoshiro state of a generator block. */
// @ts-ignore: decorator
@inline export function gen_main(g: usize): usize {
  return g + (<usize>RNG_MAIN << 3);
}

/** The generation index the next ask draws its rows for. */
// @ts-ignore: decorator
@inline export function gen_generation(g: usize): u64 {
  return load<u64>(g + (<usize>RNG_GEN << 3));
}

/** Called once at the end of every ask: the next ask draws from the next generation's streams. */
export function gen_advance(g: usize): void {
  const p = g + (<usize>RNG_GEN << 3);
  const next = load<u64>(p) + 1;
  store<u64>(p, next);
  store<u64>(g + (<usize>RNG_KEY << 3), generationKey(load<u64>(g + (<usize>RNG_SEED << 3)), next));
}

// The key of generation `gen` under `seed`; a row's stream then needs one more finaliser and the four
// of the seeding. Distinct odd constants keep (seed, gen, k) = (a, b, c) and its permutations apart.
function generationKey(seed: u64, gen: u64): u64 {
  const h = splitmix(seed ^ 0x6a09e667f3bcc909);
  return splitmix(h ^ (gen * 0x9e3779b97f4a7c15 + 0xbb67ae8584caa73b));
}

// @ts-ignore: decorator
@inline function seedRow(s: usize, key: u64, k: u64): void {
  rng_seed(s, splitmix(key ^ (k * 0xd1b54a32d192ed03 + 0x3c6ef372fe94f82b)));
}

/** Seeds the xoshiro state at `s` with the stream of row k of generation `gen` under `seed`. */
export function rng_seed_row(s: usize, seed: u64, gen: u64, k: u64): void {
  seedRow(s, generationKey(seed, gen), k);
}

/** Points the block's row state at row k of the current generation and returns it. */
export function gen_row(g: usize, k: i32): usize {
  const s = g + (<usize>RNG_ROW << 3);
  seedRow(s, load<u64>(g + (<usize>RNG_KEY << 3)), <u64>k);
  return s;
}

/** The next 64 random bits (xoshiro256++). */
export function rng_next(s: usize): u64 {
  let s0 = load<u64>(s), s1 = load<u64>(s, 8), s2 = load<u64>(s, 16), s3 = load<u64>(s, 24);
  const r = rotl64(s0 + s3, 23) + s0;
  const t = s1 << 17;
  s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl64(s3, 45);
  store<u64>(s, s0); store<u64>(s, s1, 8); store<u64>(s, s2, 16); store<u64>(s, s3, 24);
  return r;
}

/** A uniform variate in [0, 1) with 53 random bits. */
export function rng_uniform(s: usize): f64 {
  return <f64>(rng_next(s) >> 11) * TWO_M53;
}

/** A uniform variate in (0, 1]; safe to take the log of. */
// @ts-ignore: decorator
@inline function uniformOpen(s: usize): f64 {
  return (<f64>(rng_next(s) >> 11) + 1.0) * TWO_M53;
}

// The rare path of the ziggurat: the base strip's tail, or a wedge test. Retries draw fresh bits.
export function normalSlow(s: usize, bits: u64): f64 {
  let r = bits;
  while (true) {
    const i = <usize>(r & 255);
    const neg = (r >> 8) & 1;
    const u = r >> 11;
    let x = <f64>u * load<f64>(ZW + (i << 3));
    if (u < load<u64>(ZK + (i << 3))) return neg ? -x : x;
    if (i == 0) {
      // Marsaglia's tail algorithm: x = -ln(U1)/R, accept when -2 ln(U2) > x².
      let xx: f64, yy: f64;
      do {
        xx = -Math.log(uniformOpen(s)) / ZIG_R;
        yy = -Math.log(uniformOpen(s));
      } while (yy + yy < xx * xx);
      x = ZIG_R + xx;
      return neg ? -x : x;
    }
    const f0 = load<f64>(ZF + (i << 3));
    const f1 = load<f64>(ZF + ((i + 1) << 3));
    if (f0 + rng_uniform(s) * (f1 - f0) < Math.exp(-0.5 * x * x)) return neg ? -x : x;
    r = rng_next(s);
  }
}

/** One standard normal variate. */
export function rng_normal(s: usize): f64 {
  const r = rng_next(s);
  const i = <usize>(r & 255);
  const u = r >> 11;
  if (u < load<u64>(ZK + (i << 3))) {
    const x = <f64>u * load<f64>(ZW + (i << 3));
    return (r >> 8) & 1 ? -x : x;
  }
  return normalSlow(s, r);
}

/** Fills out[0..n) with standard normal variates. The generator words stay in locals on the fast path. */
export function rng_fill_normal(s: usize, out: usize, n: i32): void {
  let s0 = load<u64>(s), s1 = load<u64>(s, 8), s2 = load<u64>(s, 16), s3 = load<u64>(s, 24);
  const end = out + (<usize>n << 3);
  let p = out;
  while (p < end) {
    const r = rotl64(s0 + s3, 23) + s0;
    const t = s1 << 17;
    s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl64(s3, 45);
    let x = zigFast(r);
    if (x != x) {
      store<u64>(s, s0); store<u64>(s, s1, 8); store<u64>(s, s2, 16); store<u64>(s, s3, 24);
      x = normalSlow(s, r);
      s0 = load<u64>(s); s1 = load<u64>(s, 8); s2 = load<u64>(s, 16); s3 = load<u64>(s, 24);
    }
    store<f64>(p, x);
    p += 8;
  }
  store<u64>(s, s0); store<u64>(s, s1, 8); store<u64>(s, s2, 16); store<u64>(s, s3, 24);
}

/** Fills out[0..n) with uniform variates in [0, 1). */
export function rng_fill_uniform(s: usize, out: usize, n: i32): void {
  for (let k = 0; k < n; k++) store<f64>(out + (<usize>k << 3), rng_uniform(s));
}
