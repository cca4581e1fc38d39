// Benchmark functions, defined as in the reference runs of test/vectors/convergence.json (their provenance)
// (sphere Σx², ellipsoid Σ 10^(6 i/(d−1)) x_i², rosenbrock Σ 100(x_{i+1} − x_i²)² + (1 − x_i)²).
export const sphere = (x: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return s;
};

export const ellipsoid = (x: ArrayLike<number>): number => {
  const d = x.length;
  let s = 0;
  for (let i = 0; i < d; i++) s += 10 ** ((6 * i) / (d - 1)) * x[i] * x[i];
  return s;
};

export const rosenbrock = (x: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i + 1 < x.length; i++) s += 100 * (x[i + 1] - x[i] * x[i]) ** 2 + (1 - x[i]) ** 2;
  return s;
};

export const rastrigin = (x: ArrayLike<number>): number => {
  let s = 10 * x.length;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i] - 10 * Math.cos(2 * Math.PI * x[i]);
  return s;
};
