// Test helpers: small statistics. (A raw core with the internals exported for tests is
// test/testing-core.ts.)

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
