// Host-independent elementary functions for the TS side's defaults (weights, learning rates).
// V8 in Node 20 rounds Math.log(3) one ULP below Deno, Bun and Chromium; computing every constant
// with AssemblyScript's musl-derived Math makes runs bit-identical in every runtime (src/math.ts).

export function math_log(x: f64): f64 {
  return Math.log(x);
}

export function math_exp(x: f64): f64 {
  return Math.exp(x);
}
