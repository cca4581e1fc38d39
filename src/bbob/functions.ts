/**
 * The 24 noiseless BBOB functions, for the `bbob` suite (dense rotations) and the `bbob-largescale`
 * suite (permuted block-diagonal rotations, values normalised by min(1, 40/d) where COCO does so).
 * Everything an instance needs is computed once in its builder; the returned `f` reuses preallocated
 * buffers and allocates nothing.
 *
 * see: Hansen et al. 2009, INRIA RR-6829 (definitions f1–f24, T_osz, T_asy, Λ^α, f_pen);
 *      Varelas et al. 2018 (the large-scale variants); COCO (numbbo/coco-experiment),
 *      code-experiments/src/f_*.c, suite_bbob.c, suite_largescale.c: seeds, the order of the
 *      transformations, how x_opt and f_opt are set, and the order of the floating-point operations.
 */
import { blockRotation, blockSize, fopt, gauss, rotation, swapPermutation, unif, xopt, argsort } from "./legacy.js";
import {
  asy,
  asymmetry,
  conditioning,
  dense,
  mv,
  osz,
  penalty,
  penaltyAbs,
  permBlock,
  powers,
  round,
  sandwich,
  type Linear,
} from "./ops.js";

export interface Instance {
  /** seed of the instance: function + 10⁴·instance (f4 and f18 use 3 and 17 in place of the function) */
  readonly seed: number;
  readonly fid: number;
  readonly instance: number;
  readonly d: number;
  readonly large: boolean;
}

export interface Built {
  readonly f: (x: ArrayLike<number>) => number;
  readonly xOpt: Float64Array;
  /** COCO's best value; when omitted it is f_opt itself */
  readonly fOpt?: number;
}

type Builder = (c: Instance) => Built;

const TWO_PI = 2.0 * Math.PI;

/** The large-scale suite multiplies the raw value by min(1, 40/d) (before f_opt is added). */
function normByDim(c: Instance): number {
  const r = 40 / c.d;
  return c.large ? (1 < r ? 1 : r) : 1;
}

// ---- raw functions (on the transformed z) ----

function ellipsoid(z: Float64Array, w: Float64Array, d: number): number {
  let r = z[0] * z[0];
  for (let i = 1; i < d; i++) r += w[i] * z[i] * z[i];
  return r;
}

function rastrigin(z: Float64Array, d: number): number {
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < d; i++) {
    s1 += Math.cos(TWO_PI * z[i]);
    s2 += z[i] * z[i];
  }
  if (s2 === Infinity) return s2;
  return 10.0 * (d - s1) + s2;
}

function rosenbrock(z: Float64Array, d: number): number {
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < d - 1; i++) {
    let t = z[i] * z[i] - z[i + 1];
    s1 += t * t;
    t = z[i] - 1.0;
    s2 += t * t;
  }
  return 100.0 * s1 + s2;
}

/** ⌈d / 40⌉ coordinates: the discus's short axes, the bent cigar's long ones, the sharp ridge's linear ones. */
function fewAxes(c: Instance): number {
  return c.large ? Math.floor(c.d / 40) + (c.d % 40 !== 0 ? 1 : 0) : 1;
}

function schaffers(z: Float64Array, d: number): number {
  let r = 0;
  for (let i = 0; i < d - 1; i++) {
    const t = z[i] * z[i] + z[i + 1] * z[i + 1];
    if (t === Infinity && Number.isNaN(Math.sin(50.0 * Math.pow(t, 0.1)))) return t;
    r += Math.pow(t, 0.25) * (1.0 + Math.pow(Math.sin(50.0 * Math.pow(t, 0.1)), 2.0));
  }
  return Math.pow(r / (d - 1.0), 2.0);
}

function weierstrassTables(): { ak: Float64Array; bk: Float64Array; f0: number } {
  const ak = new Float64Array(12);
  const bk = new Float64Array(12);
  let f0 = 0;
  for (let k = 0; k < 12; k++) {
    ak[k] = Math.pow(0.5, k);
    bk[k] = Math.pow(3, k);
    f0 += ak[k] * Math.cos(2 * Math.PI * bk[k] * 0.5);
  }
  return { ak, bk, f0 };
}

function weierstrass(z: Float64Array, d: number, t: { ak: Float64Array; bk: Float64Array; f0: number }): number {
  let r = 0;
  for (let i = 0; i < d; i++) {
    for (let k = 0; k < 12; k++) r += Math.cos(2 * Math.PI * (z[i] + 0.5) * t.bk[k]) * t.ak[k];
  }
  return 10.0 * Math.pow(r / d - t.f0, 3.0);
}

const POW2 = Float64Array.from({ length: 33 }, (_, j) => Math.pow(2, j));

function katsuura(z: Float64Array, d: number, e: number): number {
  let r = 1.0;
  for (let i = 0; i < d; i++) {
    let t = 0;
    for (let j = 1; j < 33; j++) {
      const p = POW2[j];
      t += Math.abs(p * z[i] - round(p * z[i])) / p;
    }
    t = 1.0 + (i + 1) * t;
    r *= Math.pow(t, e);
  }
  return (10 / d / d) * (-1 + r);
}

function griewankRosenbrock(z: Float64Array, d: number): number {
  let r = 0;
  for (let i = 0; i < d - 1; i++) {
    const c1 = z[i] * z[i] - z[i + 1];
    const c2 = 1.0 - z[i];
    const t = 100.0 * c1 * c1 + c2 * c2;
    r += t / 4000 - Math.cos(t);
  }
  return 10.0 + (10.0 * r) / (d - 1);
}

// ---- shared pieces of the builders ----

function buffers(d: number, k: number): Float64Array[] {
  return Array.from({ length: k }, () => new Float64Array(d));
}

function shift(x: ArrayLike<number>, xo: Float64Array, out: Float64Array, d: number): void {
  for (let i = 0; i < d; i++) out[i] = x[i] - xo[i];
}

/** x_opt of the instance when it is COCO's standard one. */
function standardXopt(c: Instance, offset = 0): Float64Array {
  return xopt(c.seed + offset, c.d);
}

/** The large-scale suite's P_b · B · P_a with B from `bseed` and the permutations from `pa`, `pb`. */
function pbp(c: Instance, pa: number, bseed: number, pb: number): Linear {
  return permBlock(swapPermutation(pa, c.d), blockRotation(bseed, c.d), swapPermutation(pb, c.d));
}

// ---- the functions ----

const f1: Builder = (c) => {
  const { d } = c;
  const xo = standardXopt(c);
  const fo = fopt(c.fid, c.instance);
  const nd = normByDim(c);
  return {
    xOpt: xo,
    f: (x) => {
      let r = 0;
      for (let i = 0; i < d; i++) {
        const t = x[i] - xo[i];
        r += t * t;
      }
      return r * nd + fo;
    },
  };
};

const f2: Builder = (c) => {
  const { d } = c;
  const xo = standardXopt(c);
  const fo = fopt(c.fid, c.instance);
  const nd = normByDim(c);
  const w = powers(1e6, d);
  const [z] = buffers(d, 1);
  return {
    xOpt: xo,
    f: (x) => {
      for (let i = 0; i < d; i++) z[i] = osz(x[i] - xo[i]);
      return ellipsoid(z, w, d) * nd + fo;
    },
  };
};

const f3: Builder = (c) => {
  const { d } = c;
  const xo = standardXopt(c);
  const fo = fopt(c.fid, c.instance);
  const nd = normByDim(c);
  const ca = asymmetry(0.2, d);
  const w = conditioning(10, d);
  const [z] = buffers(d, 1);
  return {
    xOpt: xo,
    f: (x) => {
      for (let i = 0; i < d; i++) z[i] = w[i] * asy(osz(x[i] - xo[i]), ca[i]);
      return rastrigin(z, d) * nd + fo;
    },
  };
};

const f4: Builder = (c) => {
  const { d } = c;
  const xo = standardXopt(c);
  for (let i = 0; i < d; i += 2) xo[i] = Math.abs(xo[i]);
  const fo = fopt(c.fid, c.instance);
  const nd = normByDim(c);
  const odd = new Float64Array(d); // factor for z ≤ 0 or odd positions
  const even = new Float64Array(d); // factor for z > 0 at even positions
  for (let i = 0; i < d; i++) {
    odd[i] = Math.pow(Math.sqrt(10.0), i / (d - 1.0));
    even[i] = i % 2 === 0 ? odd[i] * 10.0 : odd[i];
  }
  return {
    xOpt: xo,
    f: (x) => {
      let s1 = 0;
      let s2 = 0;
      for (let i = 0; i < d; i++) {
        const t = osz(x[i] - xo[i]);
        const z = (t > 0 ? even[i] : odd[i]) * t;
        s1 += Math.cos(2 * Math.PI * z);
        s2 += z * z;
      }
      return (10.0 * (d - s1) + s2 + 0) * nd + fo + 100.0 * penalty(x, d);
    },
  };
};

const f5: Builder = (c) => {
  const { d } = c;
  const raw = standardXopt(c);
  const fo = fopt(c.fid, c.instance);
  const nd = normByDim(c);
  const xo = new Float64Array(d);
  const s = new Float64Array(d);
  const a = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    xo[i] = raw[i] < 0 ? -5.0 : 5.0;
    const p = Math.pow(Math.sqrt(100.0), i / (d - 1));
    s[i] = xo[i] > 0 ? p : -p;
    a[i] = 5.0 * Math.abs(s[i]);
  }
  return {
    xOpt: xo,
    f: (x) => {
      let r = 0;
      for (let i = 0; i < d; i++) r += x[i] * xo[i] < 25.0 ? a[i] - s[i] * x[i] : a[i] - s[i] * xo[i];
      return r * nd + fo;
    },
  };
};

function attractiveSector(z: Float64Array, xo: Float64Array, d: number): number {
  let r = 0;
  for (let i = 0; i < d; i++) r += xo[i] * z[i] > 0 ? 100.0 * 100.0 * z[i] * z[i] : z[i] * z[i];
  return r;
}

const f6: Builder = (c) => {
  const { d } = c;
  const xo = standardXopt(c);
  const fo = fopt(c.fid, c.instance);
  const [s, z] = buffers(d, 2);
  if (!c.large) {
    const m = dense(sandwich(rotation(c.seed + 1000000, d), powers(Math.sqrt(10.0), d), rotation(c.seed, d), d), d);
    return {
      xOpt: xo,
      f: (x) => {
        shift(x, xo, s, d);
        mv(m, s, z);
        return Math.pow(osz(attractiveSector(z, xo, d)), 0.9) + fo;
      },
    };
  }
  const a = pbp(c, c.seed + 2000000, c.seed, c.seed + 3000000);
  const b = pbp(c, c.seed + 4000000, c.seed + 1000000, c.seed + 5000000);
  const w = conditioning(10.0, d);
  const nd = normByDim(c);
  return {
    xOpt: xo,
    f: (x) => {
      shift(x, xo, s, d);
      mv(a, s, z);
      for (let i = 0; i < d; i++) z[i] *= w[i];
      mv(b, z, s);
      return Math.pow(osz(attractiveSector(s, xo, d) * nd), 0.9) + fo;
    },
  };
};

const f7: Builder = (c) => {
  const { d } = c;
  const xo = standardXopt(c);
  const fo = fopt(c.fid, c.instance);
  const w = powers(100, d);
  const [s, z, u] = buffers(d, 3);
  const stepRound = (v: number) => (Math.abs(v) > 0.5 ? round(v) : round(10.0 * v) / 10.0);
  if (!c.large) {
    const r1 = dense(rotation(c.seed + 1000000, d), d);
    const r2 = rotation(c.seed, d);
    for (let i = 0; i < d; i++) {
      const c1 = Math.sqrt(Math.pow(100 / 10, i / (d - 1)));
      for (let j = 0; j < d; j++) r2[i * d + j] = c1 * r2[i * d + j];
    }
    const m2 = dense(r2, d);
    return {
      xOpt: xo,
      f: (x) => {
        const pen = penaltyAbs(x, d);
        shift(x, xo, s, d);
        mv(m2, s, z);
        const x1 = z[0];
        for (let i = 0; i < d; i++) z[i] = stepRound(z[i]);
        mv(r1, z, u);
        let r = 0;
        for (let i = 0; i < d; i++) r += w[i] * u[i] * u[i];
        const m = Math.abs(x1) * 1.0e-4;
        return 0.1 * (m >= r ? m : r) + pen * 1.0 + fo;
      },
    };
  }
  const a = pbp(c, c.seed + 2000000, c.seed, c.seed + 3000000);
  const b = pbp(c, c.seed + 4000000, c.seed + 1000000, c.seed + 5000000);
  const cw = conditioning(10.0, d);
  const nd = normByDim(c);
  return {
    xOpt: xo,
    f: (x) => {
      shift(x, xo, s, d);
      mv(a, s, z);
      for (let i = 0; i < d; i++) z[i] *= cw[i];
      const zhat1 = Math.abs(z[0]) * d;
      for (let i = 0; i < d; i++) z[i] = stepRound(z[i]);
      mv(b, z, u);
      let r = 0;
      for (let i = 0; i < d; i++) r += w[i] * u[i] * u[i];
      const m = zhat1 * 1.0e-4;
      return 0.1 * (m >= r ? m : r) * nd + 1.0 * penalty(x, d) + fo;
    },
  };
};

const f8: Builder = (c) => {
  const { d } = c;
  const xo = standardXopt(c);
  for (let i = 0; i < d; i++) xo[i] *= 0.75;
  const fo = fopt(c.fid, c.instance);
  const nd = normByDim(c);
  const m = Math.sqrt(c.large ? blockSize(d) : d) / 8.0;
  const factor = 1.0 >= m ? 1.0 : m;
  const [z] = buffers(d, 1);
  return {
    xOpt: xo,
    f: (x) => {
      for (let i = 0; i < d; i++) z[i] = factor * (x[i] - xo[i]) - -1.0;
      return rosenbrock(z, d) * nd + fo;
    },
  };
};

const f9: Builder = (c) => {
  const { d } = c;
  const fo = fopt(c.fid, c.instance);
  if (!c.large) {
    const r = rotation(c.seed, d);
    const q = Math.sqrt(d) / 8.0;
    const factor = 1.0 >= q ? 1.0 : q;
    const m = dense(r.map((v) => factor * v), d);
    const xo = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      let t = 0;
      for (let i = 0; i < d; i++) t += r[i * d + j];
      xo[j] = t / (2 * factor);
    }
    const [z] = buffers(d, 1);
    return {
      xOpt: xo,
      f: (x) => {
        mv(m, x, z, 0.5);
        return rosenbrock(z, d) + fo;
      },
    };
  }
  const xo = standardXopt(c);
  for (let i = 0; i < d; i++) xo[i] *= 0.75;
  const q = Math.sqrt(blockSize(d)) / 8.0;
  const factor = 1.0 >= q ? 1.0 : q;
  const a = pbp(c, c.seed + 2000000, c.seed, c.seed + 3000000);
  const nd = normByDim(c);
  const [s, z] = buffers(d, 2);
  return {
    xOpt: xo,
    f: (x) => {
      shift(x, xo, s, d);
      mv(a, s, z);
      for (let i = 0; i < d; i++) z[i] = factor * z[i] - -1.0;
      return rosenbrock(z, d) * nd + fo;
    },
  };
};

/** f10, f11: z = T_osz(R(x − x_opt)), then `raw`. */
function rotatedOsz(raw: (z: Float64Array, d: number) => number): Builder {
  return (c) => {
    const { d } = c;
    const xo = standardXopt(c);
    const fo = fopt(c.fid, c.instance);
    const nd = normByDim(c);
    const r = c.large ? pbp(c, c.seed + 2000000, c.seed + 1000000, c.seed + 3000000) : dense(rotation(c.seed + 1000000, d), d);
    const [s, z] = buffers(d, 2);
    return {
      xOpt: xo,
      f: (x) => {
        shift(x, xo, s, d);
        mv(r, s, z);
        for (let i = 0; i < d; i++) z[i] = osz(z[i]);
        return raw(z, d) * nd + fo;
      },
    };
  };
}

const f10: Builder = (c) => {
  const w = powers(1e6, c.d);
  return rotatedOsz((z, d) => ellipsoid(z, w, d))(c);
};

const f11: Builder = (c) => {
  const k = fewAxes(c);
  return rotatedOsz((z, d) => {
    let r = 0;
    if (!c.large) r = 1.0e6 * z[0] * z[0];
    else {
      for (let i = 0; i < k; i++) r += z[i] * z[i];
      r *= 1.0e6;
    }
    for (let i = k; i < d; i++) r += z[i] * z[i];
    return r;
  })(c);
};

const f12: Builder = (c) => {
  const { d } = c;
  const xo = standardXopt(c, 1000000);
  const fo = fopt(c.fid, c.instance);
  const nd = normByDim(c);
  const k = fewAxes(c);
  const ca = asymmetry(0.5, d);
  const r = c.large ? pbp(c, c.seed + 2000000, c.seed + 1000000, c.seed + 3000000) : dense(rotation(c.seed + 1000000, d), d);
  const [s, z] = buffers(d, 2);
  return {
    xOpt: xo,
    f: (x) => {
      shift(x, xo, s, d);
      mv(r, s, z);
      for (let i = 0; i < d; i++) z[i] = asy(z[i], ca[i]);
      mv(r, z, s);
      let v = c.large ? 0 : s[0] * s[0];
      if (c.large) for (let i = 0; i < k; i++) v += s[i] * s[i];
      for (let i = k; i < d; i++) v += 1.0e6 * s[i] * s[i];
      return v * nd + fo;
    },
  };
};

const f13: Builder = (c) => {
  const { d } = c;
  const xo = standardXopt(c);
  const fo = fopt(c.fid, c.instance);
  const nd = normByDim(c);
  const k = fewAxes(c);
  const [s, z] = buffers(d, 2);
  const ridge = (v: Float64Array) => {
    let r = 0;
    for (let i = k; i < d; i++) r += v[i] * v[i];
    r = c.large ? 100.0 * Math.sqrt(r) : 100.0 * Math.sqrt(r / 1.0);
    for (let i = 0; i < k; i++) r += c.large ? v[i] * v[i] : (v[i] * v[i]) / 1.0;
    return r;
  };
  if (!c.large) {
    const m = dense(sandwich(rotation(c.seed + 1000000, d), powers(Math.sqrt(10), d), rotation(c.seed, d), d), d);
    return {
      xOpt: xo,
      f: (x) => {
        shift(x, xo, s, d);
        mv(m, s, z);
        return ridge(z) + fo;
      },
    };
  }
  const a = pbp(c, c.seed + 5000000, c.seed, c.seed + 6000000);
  const b = pbp(c, c.seed + 3000000, c.seed + 1000000, c.seed + 4000000);
  const w = conditioning(10.0, d);
  return {
    xOpt: xo,
    f: (x) => {
      shift(x, xo, s, d);
      mv(a, s, z);
      for (let i = 0; i < d; i++) z[i] *= w[i];
      mv(b, z, s);
      return ridge(s) * nd + fo;
    },
  };
};

const f14: Builder = (c) => {
  const { d } = c;
  const xo = standardXopt(c);
  const fo = fopt(c.fid, c.instance);
  const nd = normByDim(c);
  const e = new Float64Array(d);
  for (let i = 0; i < d; i++) e[i] = 2.0 + (4.0 * i) / (d - 1.0);
  const r = c.large ? pbp(c, c.seed + 2000000, c.seed + 1000000, c.seed + 3000000) : dense(rotation(c.seed + 1000000, d), d);
  const [s, z] = buffers(d, 2);
  return {
    xOpt: xo,
    f: (x) => {
      shift(x, xo, s, d);
      mv(r, s, z);
      let sum = 0;
      for (let i = 0; i < d; i++) sum += Math.pow(Math.abs(z[i]), e[i]);
      return Math.sqrt(sum) * nd + fo;
    },
  };
};

const f15: Builder = (c) => {
  const { d } = c;
  const xo = standardXopt(c);
  const fo = fopt(c.fid, c.instance);
  const nd = normByDim(c);
  const ca = asymmetry(0.2, d);
  const [s, z] = buffers(d, 2);
  if (!c.large) {
    const r1 = rotation(c.seed + 1000000, d);
    const m = dense(sandwich(r1, powers(Math.sqrt(10), d), rotation(c.seed, d), d), d);
    const r = dense(r1, d);
    return {
      xOpt: xo,
      f: (x) => {
        shift(x, xo, s, d);
        mv(r, s, z);
        for (let i = 0; i < d; i++) z[i] = asy(osz(z[i]), ca[i]);
        mv(m, z, s);
        return rastrigin(s, d) + fo;
      },
    };
  }
  const r1 = pbp(c, c.seed + 3000000, c.seed + 1000000, c.seed + 4000000);
  const r2 = pbp(c, c.seed + 5000000, c.seed, c.seed + 6000000);
  const w = conditioning(10.0, d);
  return {
    xOpt: xo,
    f: (x) => {
      shift(x, xo, s, d);
      mv(r1, s, z);
      for (let i = 0; i < d; i++) z[i] = asy(osz(z[i]), ca[i]);
      mv(r2, z, s);
      for (let i = 0; i < d; i++) s[i] *= w[i];
      mv(r1, s, z);
      return rastrigin(z, d) * nd + fo;
    },
  };
};

const f16: Builder = (c) => {
  const { d } = c;
  const xo = standardXopt(c);
  const fo = fopt(c.fid, c.instance);
  const t = weierstrassTables();
  const pf = 10.0 / d;
  const [s, z] = buffers(d, 2);
  if (!c.large) {
    const r1 = rotation(c.seed + 1000000, d);
    const m = dense(sandwich(r1, powers(1.0 / Math.sqrt(100.0), d), rotation(c.seed, d), d), d);
    const r = dense(r1, d);
    return {
      xOpt: xo,
      f: (x) => {
        shift(x, xo, s, d);
        mv(r, s, z);
        for (let i = 0; i < d; i++) z[i] = osz(z[i]);
        mv(m, z, s);
        return weierstrass(s, d, t) + fo + pf * penalty(x, d);
      },
    };
  }
  const r1 = pbp(c, c.seed + 5000000, c.seed + 1000000, c.seed + 6000000);
  const r2 = pbp(c, c.seed + 3000000, c.seed, c.seed + 4000000);
  const w = conditioning(1.0 / 100.0, d);
  return {
    xOpt: xo,
    f: (x) => {
      shift(x, xo, s, d);
      mv(r1, s, z);
      for (let i = 0; i < d; i++) z[i] = osz(z[i]);
      mv(r2, z, s);
      for (let i = 0; i < d; i++) s[i] *= w[i];
      mv(r1, s, z);
      return weierstrass(z, d, t) + pf * penalty(x, d) + fo;
    },
  };
};

function schaffersBuilder(cond: number): Builder {
  return (c) => {
    const { d } = c;
    const xo = standardXopt(c);
    const fo = fopt(c.fid, c.instance);
    const ca = asymmetry(0.5, d);
    const [s, z] = buffers(d, 2);
    if (!c.large) {
      const r2 = rotation(c.seed, d);
      for (let i = 0; i < d; i++) {
        const l = Math.pow(Math.sqrt(cond), (1.0 * i) / (d - 1.0));
        for (let j = 0; j < d; j++) r2[i * d + j] = r2[i * d + j] * l;
      }
      const m = dense(r2, d);
      const r = dense(rotation(c.seed + 1000000, d), d);
      return {
        xOpt: xo,
        f: (x) => {
          shift(x, xo, s, d);
          mv(r, s, z);
          for (let i = 0; i < d; i++) z[i] = asy(z[i], ca[i]);
          mv(m, z, s);
          return schaffers(s, d) + fo + 10.0 * penalty(x, d);
        },
      };
    }
    const r1 = pbp(c, c.seed + 5000000, c.seed + 1000000, c.seed + 6000000);
    const r2 = pbp(c, c.seed + 3000000, c.seed, c.seed + 4000000);
    const w = conditioning(cond, d);
    return {
      xOpt: xo,
      f: (x) => {
        shift(x, xo, s, d);
        mv(r1, s, z);
        for (let i = 0; i < d; i++) z[i] = asy(z[i], ca[i]);
        mv(r2, z, s);
        for (let i = 0; i < d; i++) s[i] *= w[i];
        return schaffers(s, d) + 10.0 * penalty(x, d) + fo;
      },
    };
  };
}

const f19: Builder = (c) => {
  const { d } = c;
  const fo = fopt(c.fid, c.instance);
  const [z, u] = buffers(d, 2);
  if (!c.large) {
    const q = Math.sqrt(d) / 8.0;
    const scales = 1.0 >= q ? 1.0 : q;
    const r = rotation(c.seed, d);
    for (let i = 0; i < d * d; i++) r[i] *= scales;
    const xo = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      let t = 0;
      for (let i = 0; i < d; i++) t += r[i * d + j];
      xo[j] = t / (2.0 * scales);
    }
    const m = dense(r, d);
    return {
      xOpt: xo,
      f: (x) => {
        mv(m, x, z);
        for (let i = 0; i < d; i++) z[i] = z[i] - -0.5;
        return griewankRosenbrock(z, d) + fo;
      },
    };
  }
  const q = Math.sqrt(blockSize(d)) / 8.0;
  const scales = 1.0 >= q ? 1.0 : q;
  const p1 = swapPermutation(c.seed + 2000000, d);
  const b = blockRotation(c.seed, d);
  const a = permBlock(p1, b, swapPermutation(c.seed + 3000000, d));
  // x_opt = P1ᵀ Bᵀ 1 / (2·scales), summed over each block's rows as COCO does.
  const xo = new Float64Array(d);
  for (let start = 0; start < d; start += b.len[start]) {
    const size = b.len[start];
    for (let j = 0; j < size; j++) {
      let t = 0;
      for (let i = 0; i < size; i++) t += b.vals[b.off[start + i] + j];
      u[start + j] = t / (2.0 * scales);
    }
  }
  for (let j = 0; j < d; j++) xo[p1[j]] = u[j];
  return {
    xOpt: xo,
    f: (x) => {
      mv(a, x, z);
      for (let i = 0; i < d; i++) z[i] = scales * z[i] - -0.5;
      return griewankRosenbrock(z, d) + fo;
    },
  };
};

const f20: Builder = (c) => {
  const { d } = c;
  const fo = fopt(c.fid, c.instance);
  const u = unif(d, c.seed);
  const xs = new Float64Array(d); // x_opt of the definition, ±4.2096874637 / 2
  const neg = new Uint8Array(d);
  for (let i = 0; i < d; i++) {
    neg[i] = u[i] < 0.5 ? 1 : 0;
    xs[i] = c.large ? (u[i] - 0.5 < 0 ? -(0.5 * 4.2096874637) : 0.5 * 4.2096874637) : (u[i] < 0.5 ? -1 : 1) * 0.5 * 4.2096874637;
  }
  const two = new Float64Array(d);
  for (let i = 0; i < d; i++) two[i] = 2 * Math.abs(xs[i]);
  const w = conditioning(10.0, d);
  const constant = c.large ? 4.189828872724339 * 100 : 418.9828872724339;
  const raw = (v: Float64Array) => {
    let pen = 0;
    for (let i = 0; i < d; i++) {
      const t = Math.abs(v[i]) - 500.0;
      if (t > 0) pen += t * t;
    }
    let sum = 0;
    for (let i = 0; i < d; i++) sum += v[i] * Math.sin(Math.sqrt(Math.abs(v[i])));
    return 0.01 * (pen + constant - sum / d);
  };
  // COCO's x_opt: the inner optimum 420.96874633 carried back through the transformations.
  const xo = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let v = 420.96874633 / 100;
    v += -two[i];
    v += two[i];
    v /= 2;
    xo[i] = neg[i] ? v * -1 : v;
  }
  const [y, z] = buffers(d, 2);
  y.fill(420.96874633);
  const best = raw(y) + fo;
  return {
    xOpt: xo,
    fOpt: best,
    f: (x) => {
      for (let i = 0; i < d; i++) y[i] = 2 * (neg[i] ? -x[i] : x[i]);
      z[0] = y[0];
      for (let i = 1; i < d; i++) z[i] = y[i] + 0.25 * (y[i - 1] - 2.0 * Math.abs(xs[i - 1]));
      for (let i = 0; i < d; i++) z[i] = 100 * (w[i] * (z[i] - two[i]) - -two[i]);
      return raw(z) + fo;
    },
  };
};

function gallagherBbob(c: Instance, peaks: number): Built {
  const { d } = c;
  const fo = fopt(c.fid, c.instance);
  const maxcondition = 1000;
  const b = peaks === 101 ? 10 : 9.8;
  const cc = peaks === 101 ? 5 : 4.9;
  const first = peaks === 101 ? Math.sqrt(1000) : 1000;
  const fit = [1.1, 9.1];
  const rot = rotation(c.seed, d);
  const order = argsort(unif(peaks - 1, c.seed));
  const cond = new Float64Array(peaks);
  const height = new Float64Array(peaks);
  cond[0] = first;
  height[0] = 10;
  for (let i = 1; i < peaks; i++) {
    cond[i] = Math.pow(maxcondition, order[i - 1] / (peaks - 2));
    height[i] = ((i - 1) / (peaks - 2)) * (fit[1] - fit[0]) + fit[0];
  }
  const scales = new Float64Array(peaks * d);
  for (let i = 0; i < peaks; i++) {
    const o = argsort(unif(d, c.seed + 1000 * i));
    for (let j = 0; j < d; j++) scales[i * d + j] = Math.pow(cond[i], o[j] / (d - 1) - 0.5);
  }
  const u = unif(d * peaks, c.seed);
  const xo = new Float64Array(d);
  const local = new Float64Array(peaks * d); // peak i's centre, rotated, at i·d
  for (let i = 0; i < d; i++) {
    xo[i] = 0.8 * (b * u[i] - cc);
    for (let j = 0; j < peaks; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += rot[i * d + k] * (b * u[j * d + k] - cc);
      local[j * d + i] = j === 0 ? s * 0.8 : s;
    }
  }
  const m = dense(rot, d);
  const fac = -0.5 / d;
  const [t] = buffers(d, 1);
  const f = (x: ArrayLike<number>): number => {
    const pen = penaltyAbs(x, d);
    mv(m, x, t);
    let best = 0;
    for (let i = 0; i < peaks; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const v = t[j] - local[i * d + j];
        s += scales[i * d + j] * v * v;
      }
      s = height[i] * Math.exp(fac * s);
      best = best >= s ? best : s;
    }
    const g = osz(10 - best);
    return g * g + pen + fo;
  };
  return { xOpt: xo, fOpt: f(xo), f };
}

function gallagherLarge(c: Instance, peaks: number): Built {
  const { d } = c;
  const fo = fopt(c.fid, c.instance);
  const b = peaks === 101 ? 10.0 : 9.8;
  const cc = peaks === 101 ? 5.0 : 4.9;
  const first = peaks === 101 ? 1000 : 1000 * 1000;
  const br = blockRotation(c.seed, d);
  const ident = Int32Array.from({ length: d }, (_, i) => i);
  const rot = permBlock(ident, br, ident);
  const alphas = new Float64Array(peaks - 1);
  for (let i = 0; i < peaks - 1; i++) alphas[i] = Math.pow(1000, (2 * i) / (peaks - 2));
  const pAlpha = argsort(unif(peaks - 1, c.seed));
  const u = unif(d * peaks, c.seed);
  const xo = new Float64Array(d);
  const centre = new Float64Array(peaks * d); // rotated y_i at i·d
  const inv = new Int32Array(peaks * d); // position m of peak i takes coordinate inv[i·d + m]
  const coef = new Float64Array(peaks * d); // √α_i^(0.5·m/(d−1)) at i·d + m
  const scale = new Float64Array(peaks);
  const weight = new Float64Array(peaks);
  const y = new Float64Array(d);
  const ry = new Float64Array(d);
  for (let p = 0; p < peaks; p++) {
    for (let i = 0; i < d; i++) {
      y[i] = b * u[i + p * d] - cc;
      if (p === 0) {
        y[i] *= 0.8;
        xo[i] = y[i];
      }
    }
    mv(rot, y, ry);
    centre.set(ry, p * d);
    const alpha = p === 0 ? first : alphas[pAlpha[p - 1]];
    const lambda = argsort(unif(d, c.seed + 1000 * p));
    for (let k = 0; k < d; k++) inv[p * d + lambda[k]] = k;
    const w = conditioning(Math.sqrt(alpha), d);
    coef.set(w, p * d);
    scale[p] = 1 / Math.sqrt(Math.sqrt(Math.sqrt(alpha)));
    weight[p] = p === 0 ? 10 : 1.1 + (8.0 * (p + 1 - 2.0)) / (peaks - 2.0);
  }
  const fac = -1.0 / (2.0 * d);
  const [t] = buffers(d, 1);
  const f = (x: ArrayLike<number>): number => {
    mv(rot, x, t);
    let maxf = 0;
    for (let p = 0; p < peaks; p++) {
      const o = p * d;
      let s = 0;
      for (let m = 0; m < d; m++) {
        const k = inv[o + m];
        const v = scale[p] * (coef[o + m] * (t[k] - centre[o + k]));
        s += v * v;
      }
      const v = weight[p] * Math.exp(fac * s);
      if (p === 0 || maxf < v) maxf = v;
    }
    return Math.pow(osz(10.0 - maxf), 2.0) + 1.0 * penalty(x, d) + fo;
  };
  return { xOpt: xo, fOpt: f(xo), f };
}

const f23: Builder = (c) => {
  const { d } = c;
  const xo = standardXopt(c);
  const fo = fopt(c.fid, c.instance);
  const e = 10 / Math.pow(d, 1.2);
  const [s, z] = buffers(d, 2);
  if (!c.large) {
    const m = dense(sandwich(rotation(c.seed + 1000000, d), powers(Math.sqrt(100), d), rotation(c.seed, d), d), d);
    return {
      xOpt: xo,
      f: (x) => {
        shift(x, xo, s, d);
        mv(m, s, z);
        return katsuura(z, d, e) + fo + 1.0 * penalty(x, d);
      },
    };
  }
  const a = pbp(c, c.seed + 3000000, c.seed, c.seed + 4000000);
  const b = pbp(c, c.seed + 5000000, c.seed + 1000000, c.seed + 6000000);
  const w = conditioning(100.0, d);
  return {
    xOpt: xo,
    f: (x) => {
      shift(x, xo, s, d);
      mv(a, s, z);
      for (let i = 0; i < d; i++) z[i] *= w[i];
      mv(b, z, s);
      return katsuura(s, d, e) + 1.0 * penalty(x, d) + fo;
    },
  };
};

const f24: Builder = (c) => {
  const { d } = c;
  const fo = fopt(c.fid, c.instance);
  const mu0 = 2.5;
  const sc = 1.0 - 0.5 / (Math.sqrt(d + 20) - 4.1);
  const mu1 = -Math.sqrt((mu0 * mu0 - 1.0) / sc);
  const g = gauss(d, c.seed);
  const xo = new Float64Array(d);
  const sign = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    sign[i] = g[i] < 0.0 ? -1.0 : 1.0;
    xo[i] = g[i] < 0.0 ? 0.5 * mu0 * -1.0 : 0.5 * mu0;
  }
  const [h, s, z] = buffers(d, 3);
  if (!c.large) {
    const r2 = rotation(c.seed, d);
    for (let i = 0; i < d; i++) {
      const c1 = Math.pow(Math.sqrt(100.0), i / (d - 1));
      for (let j = 0; j < d; j++) r2[i * d + j] = c1 * r2[i * d + j];
    }
    const m2 = dense(r2, d);
    const m1 = dense(rotation(c.seed + 1000000, d), d);
    return {
      xOpt: xo,
      f: (x) => {
        const pen = penaltyAbs(x, d);
        for (let i = 0; i < d; i++) {
          h[i] = xo[i] < 0.0 ? 2.0 * x[i] * -1.0 : 2.0 * x[i];
          s[i] = h[i] - mu0;
        }
        mv(m2, s, z);
        mv(m1, z, s);
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let i = 0; i < d; i++) {
          s1 += (h[i] - mu0) * (h[i] - mu0);
          s2 += (h[i] - mu1) * (h[i] - mu1);
          s3 += Math.cos(2 * Math.PI * s[i]);
        }
        const b = 1.0 * d + sc * s2;
        return (s1 <= b ? s1 : b) + 10.0 * (d - s3) + 1e4 * pen + fo;
      },
    };
  }
  const a = pbp(c, c.seed + 3000000, c.seed, c.seed + 4000000);
  const b = pbp(c, c.seed + 5000000, c.seed + 1000000, c.seed + 6000000);
  const w = conditioning(100.0, d);
  const nd = normByDim(c);
  return {
    xOpt: xo,
    f: (x) => {
      for (let i = 0; i < d; i++) {
        h[i] = 2.0 * sign[i] * x[i];
        s[i] = h[i] - mu0;
      }
      mv(a, s, z);
      for (let i = 0; i < d; i++) z[i] *= w[i];
      mv(b, z, s);
      let y0 = 0;
      let y1 = 0;
      for (let i = 0; i < d; i++) {
        const t0 = h[i] - mu0;
        y0 += t0 * t0;
        const t1 = h[i] - mu1;
        y1 += t1 * t1;
      }
      y1 = y1 * sc + 1.0 * d;
      let r = d;
      for (let i = 0; i < d; i++) r -= Math.cos(2 * Math.PI * s[i]);
      r *= 10.0;
      r += y0 <= y1 ? y0 : y1;
      return r * nd + 1e4 * penalty(x, d) + fo;
    },
  };
};

/** The builders by function number (1–24). */
export const builders: readonly Builder[] = [
  f1,
  f2,
  f3,
  f4,
  f5,
  f6,
  f7,
  f8,
  f9,
  f10,
  f11,
  f12,
  f13,
  f14,
  f15,
  f16,
  schaffersBuilder(10),
  schaffersBuilder(1000),
  f19,
  f20,
  (c) => (c.large ? gallagherLarge(c, 101) : gallagherBbob(c, 101)),
  (c) => (c.large ? gallagherLarge(c, 21) : gallagherBbob(c, 21)),
  f23,
  f24,
];
