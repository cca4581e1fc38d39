/**
 * evostrat/bbob against COCO's own C code: every value in ../shared/reference/bbob/*.jsonl (x_opt, and f
 * at x = 0, at five generator points, at three points near x_opt and at x_opt), |Δf| ≤ 1e-9·max(1, |f|),
 * x_opt bit for bit. Skipped, with a message, where the reference folder is absent.
 */
import { describe, expect, it } from "vitest";
import { problem, type Suite } from "../../src/bbob/index.js";
import { parseId, points, readReference, referenceDir } from "./reference.js";

const TOL = 1e-9;

interface Tally {
  values: number;
  problems: number;
  xoptExact: number;
  worst: number;
  worstAt: string;
  failures: string[];
}

function compare(suite: Suite): Tally | null {
  const refs = readReference(suite);
  if (refs === null) return null;
  const t: Tally = { values: 0, problems: 0, xoptExact: 0, worst: 0, worstAt: "", failures: [] };
  for (const r of refs) {
    const { fid, instance, d } = parseId(r.id);
    const p = problem(suite, fid, instance, d);
    t.problems++;
    if (p.id !== r.id) t.failures.push(`${r.id}: id ${p.id}`);
    if (p.d !== r.d) t.failures.push(`${r.id}: d ${p.d}`);
    let exact = p.xOpt.length === r.xopt.length;
    for (let i = 0; exact && i < d; i++) exact = p.xOpt[i] === r.xopt[i];
    if (exact) t.xoptExact++;
    else t.failures.push(`${r.id}: x_opt differs, e.g. [${Array.from(p.xOpt.slice(0, 3))}] vs [${r.xopt.slice(0, 3)}]`);
    const pts = points(d, r.xopt);
    const at = [...pts.f, ...pts.near, Float64Array.from(r.xopt)];
    const want = [...r.f, ...r.f_near, r.f_xopt];
    const names = ["x=0", "lcg1", "lcg2", "lcg3", "lcg4", "lcg5", "near1e-2", "near1e-4", "near1e-6", "x_opt"];
    for (let k = 0; k < at.length; k++) {
      const got = p.f(at[k]);
      const e = Math.abs(got - want[k]) / Math.max(1, Math.abs(want[k]));
      t.values++;
      if (!(e <= TOL)) t.failures.push(`${r.id} f(${names[k]}) = ${got}, COCO ${want[k]} (rel ${e.toExponential(2)})`);
      if (e > t.worst) {
        t.worst = e;
        t.worstAt = `${r.id} f(${names[k]})`;
      }
    }
  }
  return t;
}

describe.each(["bbob", "bbob-largescale"] as const)("%s against COCO", (suite) => {
  it("matches every reference value", () => {
    const t = compare(suite);
    if (t === null) {
      console.log(`bbob/coco.test: ${referenceDir}/${suite}.jsonl absent: comparison with COCO skipped`);
      return;
    }
    console.log(
      `bbob/coco.test: ${suite}: compared ${t.values} f values and ${t.problems} x_opt (${t.xoptExact} identical) of ${t.problems} problems; ` +
        `worst relative error ${t.worst.toExponential(2)} (${t.worstAt}); ${t.failures.length} outside the tolerance`,
    );
    expect(t.failures.slice(0, 20)).toEqual([]);
  });
});
