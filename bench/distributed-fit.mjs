// The trivial fitness of bench/distributed.bench.mjs (the overhead is what is measured).
export function sphere(x) {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return s;
}
// An I/O-bound fitness: waits 20 ms, one evaluation at a time per process (a simulator or a remote
// service each worker holds one session of), so throughput can only grow with the workers.
let chain = Promise.resolve();
export function serial20(x) {
  const p = chain.then(() => new Promise((r) => setTimeout(r, 20))).then(() => sphere(x));
  chain = p.then(() => {}, () => {});
  return p;
}
