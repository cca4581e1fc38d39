// The trivial fitness of bench/distributed.bench.mjs (the overhead is what is measured).
export function sphere(x) {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return s;
}
