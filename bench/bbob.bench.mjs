// BBOB functions (evostrat/bbob): ns per evaluation of each of the 24 functions, `bbob` at d = 40 and
// `bbob-largescale` at d = 640 (instance 1), on points drawn uniformly in [−5, 5]^d (a pool of 64,
// cycled, so the branch predictor sees varied inputs), and the time to build an instance.
import { problem } from "../dist/bbob.mjs";

export const title = "BBOB functions";

const NAMES = [
  "sphere", "ellipsoid (separable)", "Rastrigin (separable)", "Büche-Rastrigin", "linear slope",
  "attractive sector", "step ellipsoid", "Rosenbrock", "Rosenbrock (rotated)", "ellipsoid",
  "discus", "bent cigar", "sharp ridge", "different powers", "Rastrigin",
  "Weierstrass", "Schaffers F7", "Schaffers F7 (ill-conditioned)", "Griewank-Rosenbrock", "Schwefel",
  "Gallagher 101 peaks", "Gallagher 21 peaks", "Katsuura", "Lunacek bi-Rastrigin",
];

let rs = 0x9e3779b9;
const rnd = () => { rs ^= rs << 13; rs ^= rs >>> 17; rs ^= rs << 5; return (rs >>> 0) / 4294967296; };

/** ns per evaluation: repeated for at least minMs after a warm-up, median of 5 such runs. */
function nsPerEval(p, minMs) {
  const pool = Array.from({ length: 64 }, () => Float64Array.from({ length: p.d }, () => 10 * rnd() - 5));
  let sink = 0;
  for (let k = 0; k < 200; k++) sink += p.f(pool[k & 63]);
  const runs = [];
  for (let r = 0; r < 5; r++) {
    let n = 0;
    const t0 = performance.now();
    let t = t0;
    do {
      for (let k = 0; k < 64; k++) sink += p.f(pool[k]);
      n += 64;
      t = performance.now();
    } while (t - t0 < minMs);
    runs.push(((t - t0) * 1e6) / n);
  }
  if (Number.isNaN(sink)) throw new Error("NaN in a BBOB value");
  runs.sort((a, b) => a - b);
  return runs[2];
}

function buildMs(suite, fid, d) {
  const t0 = performance.now();
  problem(suite, fid, 1, d);
  return performance.now() - t0;
}

export async function run() {
  const out = [`## ${title}`, ""];
  out.push(
    "Time per evaluation of `problem(suite, f, 1, d).f(x)` from `evostrat/bbob` (plain TypeScript, no WebAssembly), x uniform in [−5, 5]^d,",
    "median of 5 timed runs; `bbob` at d = 40 (dense rotations), `bbob-largescale` at d = 640 (permuted block-diagonal rotations, blocks of 40,",
    "so O(d · 40) per rotation; f21 and f22 cost O(d · peaks)). Set-up: building the instance (rotations, permutations, peaks), once per problem.",
    "",
    "| f | function | bbob d = 40, ns per evaluation | ns per coordinate | set-up, ms | bbob-largescale d = 640, ns per evaluation | ns per coordinate | set-up, ms |",
    "|---|---|---|---|---|---|---|---|",
  );
  for (let fid = 1; fid <= 24; fid++) {
    const small = problem("bbob", fid, 1, 40);
    const large = problem("bbob-largescale", fid, 1, 640);
    const a = nsPerEval(small, 60);
    const b = nsPerEval(large, 120);
    const sa = buildMs("bbob", fid, 40);
    const sb = buildMs("bbob-largescale", fid, 640);
    out.push(`| f${fid} | ${NAMES[fid - 1]} | ${a.toFixed(0)} | ${(a / 40).toFixed(1)} | ${sa.toFixed(1)} | ${b.toFixed(0)} | ${(b / 640).toFixed(1)} | ${sb.toFixed(1)} |`);
  }
  out.push("");
  return out.join("\n");
}
