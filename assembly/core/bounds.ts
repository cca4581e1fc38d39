// Box bounds for every strategy: the map from a sampled point to the point that is evaluated.
//
// The distribution lives in the unbounded space; the strategy updates from the sampled points, and the
// bridge evaluates their images (best.x is an image). Three maps, per coordinate with bounds [l, u]:
//  - transform (pycma's default, BoxConstraintsLinQuadTransformation in cma/transformations.py, read
//    for its definition): the identity on [l + a_l, u − a_u], quadratic within a_l of l and a_u of u,
//    with a_l = min((u − l)/2, (1 + |l|)/20), a_u = min((u − l)/2, (1 + |u|)/20); outside, the point is
//    first shifted by whole periods 2(u − l + a_l + a_u) and mirrored into [l − a_l, u + a_u]. Smooth
//    (C¹), monotone near the box, and onto [l, u].
//  - reflect: mirrored at the bounds, periodically, into [l, u].
//  - clip: the nearest point of the box (as NEORL evaluates its samples).
// An infinite bound leaves that side unbounded.

import { BOUNDS_CLIP, BOUNDS_REFLECT } from "../abi";

// @ts-ignore: decorator
@inline function transform1(x: f64, l: f64, u: f64, al: f64, au: f64): f64 {
  const lf = isFinite(l), uf = isFinite(u);
  if (l == u) return l;
  if (lf && uf) {
    // far away: shift by whole periods into [s, s + r)
    const r = 2.0 * (u - l + al + au), s = l - 2.0 * al - 0.5 * (u - l);
    if (x < s || x > u + 2.0 * au + 0.5 * (u - l)) x -= r * Math.floor((x - s) / r);
    if (x > u + au) x -= 2.0 * (x - u - au);
    if (x < l - al) x += 2.0 * (l - al - x);
  } else if (lf) {
    if (x < l - al) x += 2.0 * (l - al - x);
  } else if (uf) {
    if (x > u + au) x -= 2.0 * (x - u - au);
  } else {
    return x;
  }
  if (lf && x < l + al) {
    const t = x - (l - al);
    return l + (t * t) / (4.0 * al);
  }
  if (uf && x > u - au) {
    const t = x - (u + au);
    return u - (t * t) / (4.0 * au);
  }
  return x;
}

// @ts-ignore: decorator
@inline function reflect1(x: f64, l: f64, u: f64): f64 {
  const lf = isFinite(l), uf = isFinite(u);
  if (lf && uf) {
    const w = u - l;
    if (w == 0) return l;
    let t = (x - l) % (2.0 * w);
    if (t < 0) t += 2.0 * w;
    return t <= w ? l + t : u - (t - w);
  }
  if (lf && x < l) return 2.0 * l - x;
  if (uf && x > u) return 2.0 * u - x;
  return x;
}

/** a_l (or a_u) of the transform for a bound b of a box of width w (0 for an infinite bound). */
export function bounds_margin(b: f64, w: f64): f64 {
  if (!isFinite(b)) return 0.0;
  return min(0.5 * w, (1.0 + Math.abs(b)) / 20.0);
}

/**
 * dst (rows × d) = the images of src (rows × d) under `mode`, with bounds lo, hi and the transform's
 * margins al, au (d each).
 */
export function bounds_apply(src: usize, dst: usize, lo: usize, hi: usize, al: usize, au: usize, rows: i32, d: i32, mode: i32): void {
  for (let k = 0; k < rows; k++) {
    const s = src + (<usize>(k * d) << 3), t = dst + (<usize>(k * d) << 3);
    for (let i = 0; i < d; i++) {
      const o = <usize>i << 3;
      const x = load<f64>(s + o), l = load<f64>(lo + o), u = load<f64>(hi + o);
      let y: f64;
      if (mode == BOUNDS_CLIP) y = min(max(x, l), u);
      else if (mode == BOUNDS_REFLECT) y = reflect1(x, l, u);
      else y = transform1(x, l, u, load<f64>(al + o), load<f64>(au + o));
      store<f64>(t + o, y);
    }
  }
}
