/**
 * The comparison with COCO's reference values, shared by the fast test (every `bbob` problem and a
 * sample of `bbob-largescale`) and the slow one (every problem of both suites).
 *
 * x_opt must be identical, bit for bit, everywhere. f9's and f19's x_opt are sums of a rotation's
 * entries, which come from Box-Muller Gaussians (log and cos): evostrat rounds those correctly
 * (src/bbob/libm.ts) and, for the instances COCO names, the other way where glibc does
 * (src/bbob/glibc-rounding.ts); the test counts those x_opt apart, as the ones that depend on it.
 */
import { problem, type Suite } from "../../src/bbob/index.js";
import { parseId, points, readReference, type Reference } from "./reference.js";

export const TOL = 1e-9;
/** functions whose x_opt COCO computes through log and cos (see above) */
export const XOPT_THROUGH_LIBM: Readonly<Record<Suite, readonly number[]>> = { bbob: [9, 19], "bbob-largescale": [19] };

export interface Tally {
  values: number;
  problems: number;
  xoptIdentical: number;
  xoptThroughLibm: number;
  worst: number;
  worstAt: string;
  failures: string[];
}

const NAMES = ["x=0", "lcg1", "lcg2", "lcg3", "lcg4", "lcg5", "near1e-2", "near1e-4", "near1e-6", "x_opt"];

/** Compares the reference lines of `suite` that `keep` selects; null when the files are absent. */
export function compare(suite: Suite, keep: (r: Reference, fid: number, instance: number, d: number) => boolean = () => true): Tally | null {
  const refs = readReference(suite);
  if (refs === null) return null;
  const t: Tally = { values: 0, problems: 0, xoptIdentical: 0, xoptThroughLibm: 0, worst: 0, worstAt: "", failures: [] };
  for (const r of refs) {
    const { fid, instance, d } = parseId(r.id);
    if (!keep(r, fid, instance, d)) continue;
    const p = problem(suite, fid, instance, d);
    t.problems++;
    if (p.id !== r.id) t.failures.push(`${r.id}: id ${p.id}`);
    if (p.d !== r.d || p.xOpt.length !== r.xopt.length) t.failures.push(`${r.id}: d ${p.d}`);
    const libm = XOPT_THROUGH_LIBM[suite].includes(fid);
    if (libm) t.xoptThroughLibm++;
    let identical = true;
    let dx = 0;
    for (let i = 0; i < d; i++) {
      if (p.xOpt[i] !== r.xopt[i]) identical = false;
      dx = Math.max(dx, Math.abs(p.xOpt[i] - r.xopt[i]));
    }
    if (identical) t.xoptIdentical++;
    else t.failures.push(`${r.id}: x_opt differs by ${dx}, e.g. [${Array.from(p.xOpt.slice(0, 3))}] vs [${r.xopt.slice(0, 3)}]`);
    const pts = points(d, r.xopt);
    const at = [...pts.f, ...pts.near, Float64Array.from(r.xopt)];
    const want = [...r.f, ...r.f_near, r.f_xopt];
    for (let k = 0; k < at.length; k++) {
      const got = p.f(at[k]);
      const e = Math.abs(got - want[k]) / Math.max(1, Math.abs(want[k]));
      t.values++;
      if (!(e <= TOL)) t.failures.push(`${r.id} f(${NAMES[k]}) = ${got}, COCO ${want[k]} (rel ${e.toExponential(2)})`);
      if (e > t.worst) {
        t.worst = e;
        t.worstAt = `${r.id} f(${NAMES[k]})`;
      }
    }
  }
  return t;
}

/** The line a test prints. */
export function summary(suite: Suite, t: Tally, what: string): string {
  return (
    `bbob: ${suite} (${what}): compared ${t.values} f values of ${t.problems} problems, worst relative error ${t.worst.toExponential(2)} ` +
    `(${t.worstAt}); x_opt identical in ${t.xoptIdentical} of ${t.problems} (${t.xoptThroughLibm} of them f${XOPT_THROUGH_LIBM[suite].join(", f")}, through log and cos); ` +
    `${t.failures.length} failures`
  );
}
