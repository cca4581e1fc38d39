/**
 * COCO's data format, pinned: a small hand-made experiment (a seeded local search on f1, d = 2 with
 * instances 1 and 2, and d = 7 with instance 1; restarts, a NaN and an infinite value among the
 * evaluations) logged by CocoRunLog and laid out by cocoFiles must give the files in
 * test/bbob/golden/coco/ byte for byte. Those files were read by cocopp itself (numbbo/coco-postprocess
 * from source, as bench/bbob/NOTES.md describes): 2 data sets of 3 runs, with no warning but those it
 * gives COCO's own output too (too few instances; the .info's `settings`, which COCO's logger writes and
 * cocopp does not know), and its evaluations to each of the 51 targets 10^2 … 10^−8 equal to the .dat's. Each line is also checked against the
 * printf formats of COCO's logger_bbob.c, so a changed golden cannot silently change the format.
 * After an intended change: EVOSTRAT_UPDATE_GOLDEN=1 npx vitest run test/bbob/coco-format.test.ts,
 * then run cocopp on the folder again.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CocoRunLog, cocoFiles, type CocoRun } from "../../src/bbob/coco-log.js";
import { problem } from "../../src/bbob/index.js";

const GOLDEN = join(dirname(fileURLToPath(import.meta.url)), "golden", "coco");

/** A seeded (1+1) local search whose step halves every 8 evaluations, restarting every 30. */
function experiment(): CocoRun[] {
  const runs: CocoRun[] = [];
  for (const [d, instance] of [
    [2, 1],
    [2, 2],
    [7, 1],
  ]) {
    const p = problem("bbob", 1, instance, d);
    const log = new CocoRunLog(d, p.fOpt);
    let s = 12345 + 7 * instance + d;
    const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0), s / 2 ** 32);
    let best = new Float64Array(d);
    let fb = Infinity;
    let step = 4;
    for (let e = 1; e <= 70; e++) {
      if (e % 30 === 1 && e > 1) {
        log.restart();
        step = 4;
      }
      const x = best.map((v) => v + step * (rnd() - 0.5));
      // evaluation 5 is NaN, 6 is +∞: COCO logs them as 2e21 and 3e21
      const y = e === 5 ? NaN : e === 6 ? Infinity : p.f(x);
      log.observe(x, y);
      if (y < fb) {
        fb = y;
        best = x;
      }
      if (e % 8 === 0) step /= 2;
    }
    log.finish();
    runs.push({ strategy: "golden", suite: "bbob", fid: 1, d, instance, evaluations: log.evaluations, best: log.best - p.fOpt, coco: { dat: log.dat, tdat: log.tdat, rdat: log.rdat, mdat: log.mdat } });
  }
  return runs;
}

function readTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(relative(dir, p).split("\\").join("/"), readFileSync(p, "utf8"));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

// logger_bbob.c: "%lu %lu %+10.9e %+10.9e " then "%+10.9e" (no constraints), then " %+5.4e" per
// variable when there are fewer than 7
const E9 = String.raw`[+-]\d\.\d{9}e[+-]\d{2,3}`;
const E4 = String.raw`[+-]\d\.\d{4}e[+-]\d{2,3}`;
const HEADER = /^% f evaluations \| g evaluations \| best noise-free fitness - Fopt \(-?\d\.\d{12}e[+-]\d{2,3}\) \+ sum g_i\+ \| measured fitness \| best measured fitness or single-digit g-values \| x1 \| x2\.\.\.$/;

describe("evostrat/bbob: COCO's data format", () => {
  const files = cocoFiles(experiment(), () => "evostrat golden test: a seeded local search", "evostrat-bbob-test");

  it("writes the golden files byte for byte", () => {
    if (process.env.EVOSTRAT_UPDATE_GOLDEN) {
      rmSync(GOLDEN, { recursive: true, force: true });
      for (const [p, text] of files) {
        mkdirSync(dirname(join(GOLDEN, p)), { recursive: true });
        writeFileSync(join(GOLDEN, p), text);
      }
    }
    const golden = readTree(GOLDEN);
    expect([...files.keys()].sort()).toEqual([...golden.keys()].sort());
    expect([...files.keys()].sort()).toEqual([
      "golden/bbobexp_f1.info",
      ...["dat", "mdat", "rdat", "tdat"].map((x) => `golden/data_f1/bbobexp_f1_DIM2.${x}`),
      ...["dat", "mdat", "rdat", "tdat"].map((x) => `golden/data_f1/bbobexp_f1_DIM7.${x}`),
    ]);
    for (const [p, text] of files) expect(text, p).toBe(golden.get(p));
  });

  it("prints every line as COCO's logger_bbob.c does", () => {
    for (const [p, text] of files) {
      if (p.endsWith(".info")) continue;
      const d = Number(/_DIM(\d+)\./.exec(p)![1]);
      const line = new RegExp(`^\\d+ 0 ${E9} ${E9} ${E9}${d < 7 ? ` ${E4}`.repeat(d) : ""}$`);
      const lines = text.split("\n");
      expect(lines.pop(), p).toBe(""); // every line ends with \n
      const runs = d === 2 ? 2 : 1;
      expect(lines.filter((l) => l.startsWith("%")).length, p).toBe(runs); // a header per run
      expect(lines[0], p).toMatch(HEADER);
      for (const l of lines) if (!l.startsWith("%")) expect(l, p).toMatch(line);
    }
    // .info: per dimension a header, the algorithm's comment, the .dat file and instance:evaluations|f − f_opt (%.1e)
    const info = files.get("golden/bbobexp_f1.info")!.split("\n");
    expect(info).toHaveLength(7);
    expect(info[0]).toBe("suite = 'bbob', funcId = 1, DIM = 2, Precision = 1.000e-08, algId = 'golden', coco_version = 'evostrat-bbob-test', logger = 'bbob', data_format = 'bbob-new2', settings = ''");
    expect(info[1]).toBe("% evostrat golden test: a seeded local search");
    expect(info[2]).toMatch(/^data_f1\/bbobexp_f1_DIM2\.dat, 1:70\|\d\.\de[+-]\d\d, 2:70\|\d\.\de[+-]\d\d$/);
    expect(info[3]).toMatch(/^suite = 'bbob', funcId = 1, DIM = 7, /);
    expect(info[5]).toMatch(/^data_f1\/bbobexp_f1_DIM7\.dat, 1:70\|\d\.\de[+-]\d\d$/);
    expect(info[6]).toBe("");
  });

  it("logs NaN and ∞ as COCO does, one .rdat line per restart, and only headers in .mdat", () => {
    const tdat = files.get("golden/data_f1/bbobexp_f1_DIM2.tdat")!.split("\n");
    expect(tdat.find((l) => l.startsWith("5 0 "))!.split(" ")[3]).toBe("+2.000000000e+21");
    expect(tdat.find((l) => l.startsWith("6 0 "))!.split(" ")[3]).toBe("+3.000000000e+21");
    const rdat = files.get("golden/data_f1/bbobexp_f1_DIM2.rdat")!.split("\n").filter((l) => l && !l.startsWith("%"));
    expect(rdat.map((l) => l.split(" ")[0])).toEqual(["31", "61", "31", "61"]);
    expect(files.get("golden/data_f1/bbobexp_f1_DIM2.mdat")!.split("\n").filter((l) => l && !l.startsWith("%"))).toEqual([]);
    // the .dat's last line of a run repeats the best at the last evaluation (logger_bbob_free)
    const dat7 = files.get("golden/data_f1/bbobexp_f1_DIM7.dat")!.trimEnd().split("\n");
    const last = dat7[dat7.length - 1].split(" ");
    expect(last[0]).toBe("70");
    expect(last[3]).toBe(last[4]);
  });
});
