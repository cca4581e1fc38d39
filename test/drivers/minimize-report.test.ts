// What minimize's result says to repeat a run (seed, final mean and σ, save() bytes on request), the
// history evostrat/plot draws, and the reports it makes only when asked: log files, logger, progress.
import { afterEach, describe, expect, it, vi } from "vitest";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { minimize, type LogRecord } from "../../src/drivers/minimize";
import { CSAES } from "../../src/strategies/csa";
import { XNES } from "../../src/strategies/xnes";

const sphere = (x: Float64Array) => x.reduce((s, v) => s + v * v, 0);
const ellipsoid = (x: Float64Array) => x.reduce((s, v, i) => s + 10 ** ((6 * i) / (x.length - 1)) * v * v, 0);

afterEach(() => vi.restoreAllMocks());

describe("the result repeats the run", () => {
  it("an unseeded run reports its seed; the same options with that seed give the same bits", () => {
    const a = minimize(sphere, { method: "csa", mean: [1, 2, 3], sigma: 0.5, maxEvaluations: 600 });
    expect(typeof a.seed).toBe("bigint");
    const b = minimize(sphere, { method: "csa", mean: [1, 2, 3], sigma: 0.5, maxEvaluations: 600, seed: a.seed });
    expect(b.f).toBe(a.f);
    expect(Array.from(b.mean)).toEqual(Array.from(a.mean));
    expect(b.sigma).toBe(a.sigma);
    expect(b.history.sigma).toEqual(a.history.sigma);
  });

  it("mean and sigma are the final optimizer's; keepState gives save() bytes that continue the run", () => {
    const opts = { mean: [3, 3, 3, 3], sigma: 0.3, seed: 7, maxEvaluations: 400 };
    const r = minimize(sphere, { method: "csa", ...opts, keepState: true });
    expect(r.state).toBeInstanceOf(Uint8Array);
    expect(minimize(sphere, { method: "csa", ...opts }).state, "no bytes unless asked").toBeUndefined();
    // by hand: the same run, ask/tell
    const es = new CSAES(opts);
    while (es.shouldStop().length === 0) {
      const p = es.ask();
      es.tell(Array.from({ length: p.count }, (_, i) => sphere(p.row(i))));
    }
    expect(Array.from(r.mean)).toEqual(Array.from(es.mean));
    expect(r.sigma).toBe(es.sigma);
    // the saved state continues exactly as the uninterrupted optimizer does
    const loaded = CSAES.load(r.state!);
    expect(loaded.generation).toBe(es.generation);
    const more = (o: CSAES) => {
      const p = o.ask();
      o.tell(Array.from({ length: p.count }, (_, i) => sphere(p.row(i))));
      return o.mean;
    };
    expect(Array.from(more(loaded))).toEqual(Array.from(more(es)));
    es.dispose();
    loaded.dispose();
  });

  it("with restarts: the seed repeats the whole run, mean/σ/state are the last run's", () => {
    const o = { method: "xnes", sigma: 2, maxEvaluations: 3000, restarts: { kind: "ipop", lower: [-5, -5, -5], upper: [5, 5, 5], maxRestarts: 2 }, keepState: true } as const;
    const rastrigin = (x: Float64Array) => x.reduce((s, v) => s + v * v - 10 * Math.cos(2 * Math.PI * v), 10 * x.length);
    const a = minimize(rastrigin, o);
    const b = minimize(rastrigin, { ...o, seed: a.seed });
    expect(b.f).toBe(a.f);
    expect(b.restarts).toBe(a.restarts);
    expect(a.history.starts).toHaveLength(a.restarts + 1);
    const last = XNES.load(a.state!);
    expect(Array.from(last.mean)).toEqual(Array.from(a.mean));
    expect(last.sigma).toBe(a.sigma);
    last.dispose();
  });
});

describe("history", () => {
  it("records per generation best, median, σ, the coordinate standard deviations, evaluations and the mean (d ≤ 50)", () => {
    const r = minimize(ellipsoid, { method: "xnes", mean: [1, 1, 1, 1, 1], sigma: 1, seed: 3, maxEvaluations: 2000 });
    const h = r.history, n = r.generations;
    for (const k of ["bestF", "meanF", "medianF", "sigma", "maxStd", "minStd", "evaluations", "mean"] as const) expect(h[k], k).toHaveLength(n);
    expect(h.starts).toEqual([0]);
    for (let g = 0; g < n; g++) {
      expect(h.medianF[g]).toBeGreaterThanOrEqual(h.bestF[g]);
      expect(h.maxStd[g]).toBeGreaterThanOrEqual(h.minStd[g]);
      expect(h.mean[g]).toHaveLength(5);
    }
    expect(h.evaluations[n - 1]).toBe(r.evaluations);
    expect(Array.from(h.mean[n - 1])).toEqual(Array.from(r.mean));
    // XNES learns the ellipsoid's scales: the axis ratio grows well above 1 (isotropic: exactly 1)
    expect(h.maxStd[n - 1] / h.minStd[n - 1]).toBeGreaterThan(10);
    const c = minimize(ellipsoid, { method: "csa", mean: [1, 1, 1, 1, 1], sigma: 1, seed: 3, maxEvaluations: 300 });
    expect(c.history.maxStd).toEqual(c.history.sigma);
    expect(c.history.minStd).toEqual(c.history.sigma);
  });

  it("keeps no mean above d = 50", () => {
    const r = minimize(sphere, { method: "rmes", mean: new Array(60).fill(1), sigma: 0.5, seed: 1, maxEvaluations: 200 });
    expect(r.history.mean).toEqual([]);
    expect(r.history.sigma.length).toBe(r.generations);
  });
});

describe("logs and progress, only when asked", () => {
  const base = { method: "csa", mean: [2, 2], sigma: 0.5, seed: 1, maxEvaluations: 120 } as const;

  it("prints nothing by default", () => {
    const log = vi.spyOn(console, "log"), err = vi.spyOn(process.stderr, "write"), out = vi.spyOn(process.stdout, "write");
    minimize(sphere, base);
    expect(log).not.toHaveBeenCalled();
    expect(err).not.toHaveBeenCalled();
    expect(out).not.toHaveBeenCalled();
  });

  it("logger gets one record per generation, the same figures as the history", () => {
    const recs: LogRecord[] = [];
    const r = minimize(sphere, { ...base, logger: (x) => recs.push(x) });
    expect(recs).toHaveLength(r.generations);
    expect(recs.map((x) => x.sigma)).toEqual(r.history.sigma);
    expect(recs.map((x) => x.evaluations)).toEqual(r.history.evaluations);
    expect(recs.every((x) => x.axisRatio === 1 && x.run === 0 && x.time >= 0)).toBe(true);
  });

  it("log: run.jsonl and run.csv, one line per generation (CSV with a header)", () => {
    const dir = mkdtempSync(join(tmpdir(), "evostrat-log-"));
    try {
      const r = minimize(sphere, { ...base, log: join(dir, "run.jsonl") as `${string}.jsonl` });
      const lines = readFileSync(join(dir, "run.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
      expect(lines).toHaveLength(r.generations);
      expect(lines.map((l) => l.bestF)).toEqual(r.history.bestF);
      minimize(sphere, { ...base, log: join(dir, "run.csv") as `${string}.csv` });
      const csv = readFileSync(join(dir, "run.csv"), "utf8").trim().split("\n");
      expect(csv[0]).toBe("generation,evaluations,bestF,meanF,medianF,bestSoFar,sigma,axisRatio,time,run");
      expect(csv).toHaveLength(r.generations + 1);
      expect(Number(csv[1].split(",")[6])).toBe(r.history.sigma[0]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("progress: plain lines on a non-terminal stderr, an updating line on a terminal", () => {
    const writes: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => (writes.push(String(s)), true));
    const tty = process.stderr.isTTY;
    try {
      (process.stderr as { isTTY?: boolean }).isTTY = false;
      minimize(sphere, { ...base, progress: true });
      expect(writes.length).toBeGreaterThan(0);
      expect(writes.every((w) => w.endsWith("\n") && !w.includes("\r"))).toBe(true);
      expect(writes.at(-1)).toMatch(/\[#+-*\] +100%.*done: f .* after 120 evaluations \(maxEvaluations\)/);
      writes.length = 0;
      (process.stderr as { isTTY?: boolean }).isTTY = true;
      minimize(sphere, { ...base, maxEvaluations: Infinity, target: 1e-6, progress: true });
      expect(writes[0].startsWith("\r")).toBe(true);
      expect(writes.at(-1)).toMatch(/^\r.*gen \d+ .*done: .*\(target\)\x1b\[K\n$/);
    } finally {
      (process.stderr as { isTTY?: boolean }).isTTY = tty;
    }
  });

  it("bad options are typed errors, raised before running", () => {
    const f = vi.fn(sphere);
    expect(() => minimize(f, { ...base, log: "run.txt" as `${string}.csv` })).toThrow(TypeError);
    expect(() => minimize(f, { ...base, logger: 3 as never })).toThrow(/logger/);
    expect(() => minimize(f, { ...base, progress: "yes" as never })).toThrow(/progress/);
    expect(() => minimize(f, { ...base, keepState: 1 as never })).toThrow(/keepState/);
    expect(f).not.toHaveBeenCalled();
  });
});
