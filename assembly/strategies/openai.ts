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

import { alloc, allocF64, allocI32 } from "../core/mem";
import { RNG_BYTES, rng_seed, rng_fill_normal } from "../core/rng";
import { argsort } from "../core/shaping";

let d = 0, lambda = 0, half = 0;
let lr: f64 = 0, b1: f64 = 0, b2: f64 = 0, eps: f64 = 0, wd: f64 = 0, sDecay: f64 = 0, sMin: f64 = 0;
// pointers, fixed at init
let S: usize = 0, rng: usize = 0, theta: usize = 0, E: usize = 0, X: usize = 0, fit: usize = 0;
let idx: usize = 0, tmp: usize = 0, u: usize = 0, g: usize = 0, M: usize = 0, V: usize = 0;

/** Scalars: S[0] = σ, S[1] = 1, S[2] = β1^t, S[3] = β2^t (t = Adam steps taken). */
export function openai_init(dim: i32, lam: i32, seed: u64, sigma: f64, learningRate: f64, beta1: f64, beta2: f64, epsilon: f64, weightDecay: f64, sigmaDecay: f64, sigmaMin: f64): void {
  d = dim; lambda = lam; half = lam >> 1;
  lr = learningRate; b1 = beta1; b2 = beta2; eps = epsilon; wd = weightDecay; sDecay = sigmaDecay; sMin = sigmaMin;
  S = allocF64(4);
  rng = alloc(RNG_BYTES);
  theta = allocF64(d); g = allocF64(d); M = allocF64(d); V = allocF64(d);
  E = allocF64(half * d); X = allocF64(lambda * d);
  fit = allocF64(lambda); u = allocF64(lambda); idx = allocI32(lambda); tmp = allocI32(lambda);
  store<f64>(S, sigma);
  store<f64>(S, 1.0, 8);
  store<f64>(S, 1.0, 16);
  store<f64>(S, 1.0, 24);
  rng_seed(rng, seed);
}

/** 0 θ (the mean), 1 population, 2 fitness, 3 scalars, 4 ε (λ/2 × d), 5 utilities, 6 Adam m, 7 Adam v. */
export function openai_ptr(which: i32): usize {
  switch (which) {
    case 0: return theta;
    case 1: return X;
    case 2: return fit;
    case 3: return S;
    case 4: return E;
    case 5: return u;
    case 6: return M;
    case 7: return V;
  }
  return 0;
}

/** Rows k and k + λ/2 are θ ± σ ε_k. */
export function openai_ask(): void {
  rng_fill_normal(rng, E, half * d);
  const s = load<f64>(S);
  for (let k = 0; k < half; k++) {
    const e = E + (<usize>(k * d) << 3);
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
  const sigma = load<f64>(S);
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
  const p1 = load<f64>(S, 16) * b1, p2 = load<f64>(S, 24) * b2;
  store<f64>(S, p1, 16);
  store<f64>(S, p2, 24);
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
  store<f64>(S, max(sigma * sDecay, sMin));
}
