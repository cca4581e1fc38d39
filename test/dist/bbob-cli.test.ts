// `npx evostrat-bbob` from the packed tarball in a scratch project (the package's "bin"): the run the
// issue names (csa and xnes, d = 2 and 5, instances 1-3, budget 1000·d) writes COCO's data, the SVG
// figures and the ERT table, shows progress, and a second call resumes (runs nothing again); a call with
// another budget for the same runs is refused.
// The tarball is unpacked into node_modules/ with the bin linked as npm would, so no registry is needed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, buildDist, run } from "../runtimes/harness";

let dir = "";


beforeAll(() => {
  buildDist();
  dir = mkdtempSync(join(tmpdir(), "evostrat-bbob-cli-"));
  const out = execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], { cwd: ROOT, encoding: "utf8" });
  const tgz = JSON.parse(out.slice(out.indexOf("[")))[0].filename as string;
  const proj = join(dir, "proj");
  mkdirSync(join(proj, "node_modules", ".bin"), { recursive: true });
  writeFileSync(join(proj, "package.json"), JSON.stringify({ name: "scratch", private: true, type: "module" }));
  execFileSync("tar", ["-xzf", join(dir, tgz), "-C", join(proj, "node_modules")]);
  renameSync(join(proj, "node_modules", "package"), join(proj, "node_modules", "evostrat"));
  const pkg = JSON.parse(readFileSync(join(proj, "node_modules", "evostrat", "package.json"), "utf8"));
  symlinkSync(join("..", "evostrat", pkg.bin["evostrat-bbob"]), join(proj, "node_modules", ".bin", "evostrat-bbob"));
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("npx evostrat-bbob", () => {
  const args = ["--no-install", "evostrat-bbob", "--strategies", "csa,xnes", "--dims", "2,5", "--instances", "1-3", "--budget", "1000", "--out", "res"];

  it("writes COCO's data, the figures and the ERT table, with progress", async () => {
    const proj = join(dir, "proj");
    const { stderr } = await run("npx", args, proj);
    expect(stderr).toContain("288/288 runs");
    const res = join(proj, "res");
    expect(readFileSync(join(res, "runs.jsonl"), "utf8").trim().split("\n")).toHaveLength(288);
    const md = readFileSync(join(res, "README.md"), "utf8");
    expect(md).toContain("| f | csa | xnes |");
    expect(md).toMatch(/\| f24 \|/);
    // how it was made: the command, the runs, the wall time and the machine of this invocation
    expect(md).toMatch(/\| `evostrat-bbob --strategies csa,xnes --dims 2,5 --instances 1-3 --budget 1000 --out res` \| 288 \| \d+ \| \d+ s \| .*Node v\d+/);
    expect(md).toMatch(/\| csa \| [\d.]+ % \(\d+\/72\) \| [\d.]+ % \(\d+\/72\) \| [\d.]+ % \(\d+\/144\) \|/);
    expect(readdirSync(join(res, "figures")).filter((f) => f.endsWith(".svg"))).toHaveLength(12);
    for (const s of ["csa", "xnes"]) {
      const info = readFileSync(join(res, "coco", s, "bbobexp_f1.info"), "utf8");
      expect(info).toMatch(/^suite = 'bbob', funcId = 1, DIM = 2, Precision = 1\.000e-08, algId = '\w+'/);
      expect(info).toMatch(/data_f1\/bbobexp_f1_DIM5\.dat, 1:\d+\|[\d.]+e[-+]\d\d, 2:\d+\|[\d.]+e[-+]\d\d, 3:\d+\|/);
      for (const ext of ["dat", "tdat", "rdat", "mdat"]) expect(existsSync(join(res, "coco", s, "data_f24", `bbobexp_f24_DIM5.${ext}`))).toBe(true);
      const dat = readFileSync(join(res, "coco", s, "data_f1", "bbobexp_f1_DIM2.dat"), "utf8");
      expect(dat.split("\n").filter((l) => l.startsWith("%"))).toHaveLength(3); // a header per instance
    }
  });

  it("resumes: a second call runs nothing again", async () => {
    const proj = join(dir, "proj");
    const before = readFileSync(join(proj, "res", "runs.jsonl"), "utf8");
    const { stderr } = await run("npx", args, proj);
    expect(stderr).toContain("288 runs already in");
    expect(stderr).toContain("0 to go");
    expect(readFileSync(join(proj, "res", "runs.jsonl"), "utf8")).toBe(before);
    // an invocation that ran nothing is not a session
    expect(readFileSync(join(proj, "res", "sessions.jsonl"), "utf8").trim().split("\n")).toHaveLength(1);
  });

  it("refuses another budget for runs the folder holds (they would count as done)", async () => {
    const proj = join(dir, "proj");
    const before = readFileSync(join(proj, "res", "runs.jsonl"), "utf8");
    const other = args.map((a) => (a === "1000" ? "2000" : a));
    await expect(run("npx", other, proj)).rejects.toThrow(/holds csa\/bbob\/\d+\/\d\/\d run with --budget 1000, and this invocation asks --budget 2000: use another --out folder/);
    expect(readFileSync(join(proj, "res", "runs.jsonl"), "utf8")).toBe(before);
  });
});
