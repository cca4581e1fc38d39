// OpenAI-ES: antithetic Gaussian sampling, centred-rank fitness shaping, an Adam step on the
// search-gradient estimate, optional L2 weight decay, σ fixed or decaying.
//
// see: T. Salimans, J. Ho, X. Chen, S. Sidor, I. Sutskever, "Evolution Strategies as a Scalable
//      Alternative to Reinforcement Learning", arXiv:1703.03864 (2017): Algorithm 1 (the gradient
//      estimate), section 2.2 / 3.1 (mirrored sampling, rank-based fitness shaping, weight decay);
// see: D. P. Kingma, J. Ba, "Adam: A Method for Stochastic Optimization", arXiv:1412.6980,
//      Algorithm 1 (bias-corrected moments).
//
// Internally f is minimised (the bridge flips the sign for mode 'max'). With n = λ, pairs
// x_k = θ + σ ε_k and x_{k+n/2} = θ − σ ε_k (k < n/2), and utilities u_i = rank_i/(n − 1) − 1/2
// (rank 0 = lowest f), the gradient estimate of f is g = 1/(nσ) Σ_i u_i ε_i
// = 1/(nσ) Σ_{k<n/2} (u_k − u_{k+n/2}) ε_k; Adam then descends g + weightDecay·θ.

import * as abi from "../abi";
import { reserve, reserveF64, reserveI32, reserve_failed } from "../core/mem";
import { GEN_BYTES, gen_row, rng_fill_normal } from "../core/rng";
import { argsort } from "../core/shaping";
import { badConfig, cfgF64, cfgI32, initUniversal, universalSlot } from "../config";

let d = 0, lambda = 0, half = 0;
let lr: f64 = 0, b1: f64 = 0, b2: f64 = 0, eps: f64 = 0, wd: f64 = 0, sDecay: f64 = 0, sMin: f64 = 0;
// pointers, fixed at init
let S: usize = 0, gen: usize = 0, theta: usize = 0, E: usize = 0, X: usize = 0, fit: usize = 0;
let idx: usize = 0, tmp: usize = 0, u: usize = 0, g: usize = 0, M: usize = 0, V: usize = 0;

/** Scalars: SC_SIGMA, SC_MAXSD = SC_MINSD = 1, OPENAI_SC_B1T = β1^t, OPENAI_SC_B2T = β2^t (t = Adam steps taken). */
export function openai_init(c: usize): i32 {
  d = cfgI32(c, abi.CFG_D); lambda = cfgI32(c, abi.CFG_LAMBDA); half = lambda >> 1;
  lr = cfgF64(c, abi.OPENAI_LR); b1 = cfgF64(c, abi.OPENAI_BETA1); b2 = cfgF64(c, abi.OPENAI_BETA2);
  eps = cfgF64(c, abi.OPENAI_EPS); wd = cfgF64(c, abi.OPENAI_WD); sDecay = cfgF64(c, abi.OPENAI_SDECAY); sMin = cfgF64(c, abi.OPENAI_SMIN);
  if (d < 1) return badConfig(abi.CFG_D);
  if (lambda < 2 || (lambda & 1) != 0) return badConfig(abi.CFG_LAMBDA);
  S = reserveF64(abi.SC_FIRST + 2);
  gen = reserve(GEN_BYTES);
  theta = reserveF64(d); g = reserveF64(d); M = reserveF64(d); V = reserveF64(d);
  E = reserveF64(half * d); X = reserveF64(lambda * d);
  fit = reserveF64(lambda); u = reserveF64(lambda); idx = reserveI32(lambda); tmp = reserveI32(lambda);
  if (reserve_failed()) return abi.STATUS_NO_MEMORY;
  initUniversal(c, S, gen, cfgF64(c, abi.CFG_SIGMA), false);
  store<f64>(S + (abi.OPENAI_SC_B1T << 3), 1.0);
  store<f64>(S + (abi.OPENAI_SC_B2T << 3), 1.0);
  return abi.STATUS_OK;
}

export function openai_ptr(slot: i32): usize {
  if (slot < abi.SLOT_FIRST) return universalSlot(slot, theta, X, fit, S, gen);
  switch (slot) {
    case abi.OPENAI_EPSILON_ROWS: return E;
    case abi.OPENAI_UTIL: return u;
    case abi.OPENAI_ADAM_M: return M;
    case abi.OPENAI_ADAM_V: return V;
  }
  return 0;
}

/**
 * Rows [first, end): rows k and k + λ/2 are θ ± σ ε_k, ε_k drawn from row k's stream (the pair's), so
 * a pair is drawn once for either of its rows and both rows are written.
 */
export function openai_ask(first: i32, end: i32): void {
  if (first < 0 || end > lambda) return;
  const s = load<f64>(S + (abi.SC_SIGMA << 3));
  for (let k = 0; k < half; k++) {
    if (!((k >= first && k < end) || (k + half >= first && k + half < end))) continue;
    const e = E + (<usize>(k * d) << 3);
    rng_fill_normal(gen_row(gen, k), e, d);
    const xp = X + (<usize>(k * d) << 3), xm = X + (<usize>((k + half) * d) << 3);
    for (let i = 0; i < d; i++) {
      const o = <usize>i << 3;
      const m = load<f64>(theta + o), z = s * load<f64>(e + o);
      store<f64>(xp + o, m + z);
      store<f64>(xm + o, m - z);
    }
  }
}

/** Centred ranks, the gradient estimate, one Adam step, then σ decay. */
export function openai_tell(): void {
  argsort(fit, idx, tmp, lambda);
  const scale = 1.0 / <f64>(lambda - 1);
  for (let r = 0; r < lambda; r++) {
    store<f64>(u + (<usize>load<i32>(idx + (<usize>r << 2)) << 3), <f64>r * scale - 0.5);
  }
  const sigma = load<f64>(S + (abi.SC_SIGMA << 3));
  memory.fill(g, 0, <usize>d << 3);
  for (let k = 0; k < half; k++) {
    const c = load<f64>(u + (<usize>k << 3)) - load<f64>(u + (<usize>(k + half) << 3));
    if (c == 0) continue;
    const e = E + (<usize>(k * d) << 3);
    for (let i = 0; i < d; i++) {
      const o = <usize>i << 3;
      store<f64>(g + o, load<f64>(g + o) + c * load<f64>(e + o));
    }
  }
  const gs = 1.0 / (<f64>lambda * sigma);
  const p1 = load<f64>(S + (abi.OPENAI_SC_B1T << 3)) * b1, p2 = load<f64>(S + (abi.OPENAI_SC_B2T << 3)) * b2;
  store<f64>(S + (abi.OPENAI_SC_B1T << 3), p1);
  store<f64>(S + (abi.OPENAI_SC_B2T << 3), p2);
  const c1 = 1.0 / (1.0 - p1), c2 = 1.0 / (1.0 - p2);
  for (let i = 0; i < d; i++) {
    const o = <usize>i << 3;
    const th = load<f64>(theta + o);
    const gi = gs * load<f64>(g + o) + wd * th;
    const m = b1 * load<f64>(M + o) + (1.0 - b1) * gi;
    const v = b2 * load<f64>(V + o) + (1.0 - b2) * gi * gi;
    store<f64>(M + o, m);
    store<f64>(V + o, v);
    store<f64>(theta + o, th - (lr * (m * c1)) / (Math.sqrt(v * c2) + eps));
  }
  store<f64>(S + (abi.SC_SIGMA << 3), max(sigma * sDecay, sMin));
}
