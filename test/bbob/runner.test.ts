/** The BBOB runner: a run, COCO's data format, the ERT table and the ECDF figures. */
import { describe, expect, it } from "vitest";
import { CocoRunLog, cExp, datHeader, infoText } from "../../src/bbob/coco-log.js";
import { ecdfFigures, ert, ertTable, summaryTable } from "../../src/bbob/report.js";
import { plan, runOne, TARGETS } from "../../src/bbob/runner.js";

describe("evostrat/bbob/runner", () => {
  it("runs CSA-ES on the sphere to 1e-8 within the budget, hitting the targets in order", () => {
    const r = runOne({ strategy: "csa", suite: "bbob", fid: 1, instance: 1, d: 2, budget: 1000 });
    expect(r.id).toBe("bbob_f001_i01_d02");
    expect(r.best).toBeLessThan(1e-8);
    expect(r.evaluations).toBeLessThanOrEqual(2000);
    expect(r.hits.every((h) => h > 0)).toBe(true);
    for (let k = 1; k < TARGETS.length; k++) expect(r.hits[k]).toBeGreaterThanOrEqual(r.hits[k - 1]);
    expect(r.hits[TARGETS.length - 1]).toBeLessThanOrEqual(r.evaluations); // the generation is evaluated to its end
    expect(r.evaluations - r.hits[TARGETS.length - 1]).toBeLessThan(10);
    // the same seed, the same run
    expect(runOne({ strategy: "csa", suite: "bbob", fid: 1, instance: 1, d: 2, budget: 1000 }).hits).toEqual(r.hits);
  });

  it("spends the budget exactly, restarting when the strategy stops (Rastrigin)", () => {
    const r = runOne({ strategy: "csa", suite: "bbob", fid: 3, instance: 1, d: 2, budget: 1000 });
    expect(r.evaluations).toBe(2000);
    expect(r.best).toBeGreaterThan(1e-8);
    expect(r.restarts).toBeGreaterThan(0);
    expect(r.coco.rdat.split("\n").filter((l) => l && !l.startsWith("%")).length).toBe(r.restarts);
    const once = runOne({ strategy: "csa", suite: "bbob", fid: 3, instance: 1, d: 2, budget: 1000, restarts: false });
    expect(once.restarts).toBe(0);
    expect(once.evaluations).toBeLessThan(2000);
  });

  it("writes COCO's lines as its C logger prints them", () => {
    expect(cExp(19.54230041, 9)).toBe("+1.954230041e+01");
    expect(cExp(-0.000123, 4)).toBe("-1.2300e-04");
    expect(cExp(0, 9)).toBe("+0.000000000e+00");
    expect(cExp(1.3e-9, 1, false)).toBe("1.3e-09");
    expect(cExp(2e21, 9)).toBe("+2.000000000e+21");
    expect(datHeader(79.48)).toContain("Fopt (7.948000000000e+01)");
    const log = new CocoRunLog(2, 10);
    for (const y of [15, 14, 20, 10.5, 10.5]) log.observe([1, 2], y);
    log.finish();
    const dat = log.dat.split("\n").filter((l) => l && !l.startsWith("%"));
    expect(dat[0]).toBe("1 0 +5.000000000e+00 +1.500000000e+01 +1.500000000e+01 +1.0000e+00 +2.0000e+00");
    expect(dat.map((l) => Number(l.split(" ")[0]))).toEqual([1, 2, 4, 5]);
    // .tdat: evaluations 1, 2 (= d), 3, 4 (= 2d)…: every one of the first few, then the last
    expect(log.tdat.split("\n").filter((l) => l && !l.startsWith("%")).map((l) => Number(l.split(" ")[0]))).toEqual([1, 2, 3, 4, 5]);
    const info = infoText([{ suite: "bbob", fid: 1, d: 2, algId: "csa", algInfo: "x", datPath: "data_f1/bbobexp_f1_DIM2", runs: [{ instance: 1, evaluations: 5, best: 0.5 }] }], "v");
    expect(info).toBe("suite = 'bbob', funcId = 1, DIM = 2, Precision = 1.000e-08, algId = 'csa', coco_version = 'v', logger = 'bbob', data_format = 'bbob-new2', settings = ''\n% x\ndata_f1/bbobexp_f1_DIM2.dat, 1:5|5.0e-01");
  });

  it("summarises runs: ERT, the markdown table and the figures", () => {
    const runs = plan({ strategies: ["csa", "xnes"], functions: [1, 2], dims: [2], instances: [1, 2], budget: 200 }).map(runOne);
    expect(runs).toHaveLength(8);
    const e = ert(runs.filter((r) => r.strategy === "csa" && r.fid === 1));
    expect(e.runs).toBe(2);
    if (e.successes > 0) expect(e.ert).toBeGreaterThan(0);
    const table = ertTable(runs);
    expect(table).toContain("| f | csa | xnes |");
    expect(table).toMatch(/\| f1 \| [^|]+\(\d\/2\) \| [^|]+\(\d\/2\) \|/);
    const figs = ecdfFigures(runs);
    expect(figs.map((f) => f.name)).toEqual(["ecdf_d2_all-functions.svg", "ecdf_d2_separable.svg"]);
    expect(figs[0].svg).toMatch(/^<svg[\s\S]*<\/svg>\n$/);
    expect(figs[0].svg).toContain(">csa</text>");
    // the headline: targets reached per strategy and dimension, runs solved to 1e-8
    const sum = summaryTable(runs);
    expect(sum.split("\n")[0]).toBe("| strategy | d = 2 | all |");
    const csa = runs.filter((r) => r.strategy === "csa");
    const hit = csa.reduce((n, r) => n + r.hits.filter((h) => h >= 0).length, 0);
    const solved = csa.filter((r) => r.hits[TARGETS.length - 1] >= 0).length;
    const cell = `${((100 * hit) / (4 * TARGETS.length)).toFixed(1)} % (${solved}/4)`;
    expect(sum).toContain(`| csa | ${cell} | ${cell} |`);
  });
});
