// The core's generator: moments, a Kolmogorov–Smirnov test against Φ on 1e6 samples, stream
// independence across seeds, and bit-for-bit reproducibility.
import { describe, expect, it } from "vitest";
import { rawCore } from "../testing-core";

function normals(seed: bigint, n: number): Float64Array {
  const c = rawCore();
  const s = c.x.alloc(32) >>> 0;
  const out = c.allocF64(n);
  c.x.rng_seed(s, seed);
  c.x.rng_fill_normal(s, out, n);
  return c.f64(out, n).slice();
}

// Φ via the complementary error function (W. J. Cody's rational approximations are overkill here:
// Abramowitz & Stegun 7.1.26 has |ε| < 1.5e-7, well under the KS critical value of ~1.6e-3).
function phi(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + y) : 0.5 * (1 - y);
}

describe("rng", () => {
  const n = 1_000_000;
  const z = normals(12345n, n);

  it("has the moments of N(0,1)", () => {
    let m1 = 0, m2 = 0, m3 = 0, m4 = 0;
    for (const v of z) { m1 += v; }
    m1 /= n;
    for (const v of z) { const c = v - m1; m2 += c * c; m3 += c * c * c; m4 += c * c * c * c; }
    m2 /= n; m3 /= n; m4 /= n;
    const skew = m3 / m2 ** 1.5, kurt = m4 / (m2 * m2);
    // standard errors at n = 1e6: mean 1e-3, var 1.4e-3, skew 2.4e-3, kurt 4.9e-3; allow 5 s.e.
    expect(Math.abs(m1)).toBeLessThan(5e-3);
    expect(Math.abs(m2 - 1)).toBeLessThan(7e-3);
    expect(Math.abs(skew)).toBeLessThan(1.2e-2);
    expect(Math.abs(kurt - 3)).toBeLessThan(2.5e-2);
  });

  it("passes Kolmogorov–Smirnov against Φ on 1e6 samples", () => {
    const s = Float64Array.from(z).sort();
    let D = 0;
    for (let i = 0; i < n; i++) {
      const F = phi(s[i]);
      D = Math.max(D, (i + 1) / n - F, F - i / n);
    }
    // critical value at α = 0.001: 1.949/√n = 1.95e-3
    expect(D).toBeLessThan(1.949 / Math.sqrt(n));
  });

  it("samples the tail beyond R = 3.654 at the right rate", () => {
    let tail = 0;
    for (const v of z) if (Math.abs(v) > 3.6541528853610088) tail++;
    // P(|Z| > R) = 2.580e-4 → 258 expected, sd ≈ 16
    expect(tail).toBeGreaterThan(258 - 80);
    expect(tail).toBeLessThan(258 + 80);
  });

  it("gives the same bits for the same seed", () => {
    const a = normals(7n, 1000), b = normals(7n, 1000);
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
  });

  it("gives uncorrelated streams for different seeds", () => {
    const m = 100_000;
    const a = normals(1n, m), b = normals(2n, m);
    let sab = 0, saa = 0, sbb = 0;
    for (let i = 0; i < m; i++) { sab += a[i] * b[i]; saa += a[i] * a[i]; sbb += b[i] * b[i]; }
    const r = sab / Math.sqrt(saa * sbb);
    expect(Math.abs(r)).toBeLessThan(5 / Math.sqrt(m)); // 5 standard errors
    expect(a[0]).not.toBe(b[0]);
  });

  it("gives uniforms in [0, 1) with mean 1/2 and variance 1/12", () => {
    const c = rawCore();
    const s = c.x.alloc(32) >>> 0;
    const out = c.allocF64(200_000);
    c.x.rng_seed(s, 99n);
    c.x.rng_fill_uniform(s, out, 200_000);
    const u = c.f64(out, 200_000);
    let m = 0, v = 0, lo = 1, hi = 0;
    for (const x of u) { m += x; lo = Math.min(lo, x); hi = Math.max(hi, x); }
    m /= u.length;
    for (const x of u) v += (x - m) ** 2;
    v /= u.length;
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    expect(Math.abs(m - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / u.length));
    expect(Math.abs(v - 1 / 12)).toBeLessThan(2e-3);
  });
});
