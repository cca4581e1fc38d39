// Packaging: what `npm pack` would publish, the exports map (resolved by Node for import, require (of the
// same ES files: require(esm)) and
// the workerd/worker/edge-light conditions), the type declarations, and the package.json fields.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT, buildDist, consumerDir, run } from "../runtimes/harness";

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
type Conds = Record<string, string | Record<string, string>>;
const exportsMap = pkg.exports as Record<string, string | Conds>;
// Every conditional subpath of "exports" is an entry that must be built, with its types: a missing one
// fails the tests below (dist/ is rebuilt from empty whenever src/ changes, scripts/ensure-dist.mjs).
const entryOf = (sub: string) => (sub === "." ? "index" : sub.slice(2));
const isEntry = (sub: string) => typeof exportsMap[sub] === "object";
const built = Object.keys(exportsMap).filter(isEntry);

let dir = "";
let cleanup = () => {};


beforeAll(() => {
  buildDist();
  ({ dir, cleanup } = consumerDir());
}, 300_000);
afterAll(() => cleanup());

describe("package.json", () => {
  it("declares an ESM package whose only side effects are its entry files, for node >= 20.19 (require(esm))", () => {
    expect(pkg.name).toBe("evostrat");
    expect(pkg.type).toBe("module");
    expect(Array.isArray(pkg.sideEffects), "sideEffects: the entry files only (test/dist/lean.test.ts)").toBe(true);
    expect(pkg.engines?.node).toBe(">=20.19");
    expect(pkg.main, "main (for tools that ignore exports): the ES entry").toBe("./dist/index.mjs");
    for (const f of [pkg.main, pkg.module, pkg.types]) expect(existsSync(join(ROOT, f)), f).toBe(true);
  });
});

describe("npm pack", () => {
  it("publishes only dist/, README.md, package.json and a licence, with every entry built", async () => {
    const { stdout } = await run("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], ROOT);
    const files: string[] = JSON.parse(stdout.slice(stdout.indexOf("[")))[0].files.map((f: { path: string }) => f.path);
    const stray = files.filter((f) => !/^(dist\/|README\.md$|package\.json$|LICEN[CS]E(\.\w+)?$)/i.test(f));
    expect(stray, "files outside the whitelist").toEqual([]);
    expect(files.filter((f) => /\.map$|\.tsbuildinfo$/.test(f)), "source maps / build info").toEqual([]);
    const want = ["package.json", "dist/core.wasm"];
    for (const s of built) {
      const n = entryOf(s);
      want.push(`dist/${n}.mjs`, `dist/${n}.d.ts`, `dist/workerd/${n}.mjs`);
    }
    for (const f of want) expect(files, `tarball has ${f}`).toContain(f);
    expect(files.filter((f) => /\.(cjs|d\.cts)$/.test(f)), "no CommonJS build: require() loads the ES files").toEqual([]);
  });
});

describe("exports map", () => {
  it("every target of every built entry exists", () => {
    for (const s of [...built, "./core.wasm", "./package.json"]) {
      const v = exportsMap[s];
      const targets = typeof v === "string" ? [v] : Object.values(v).flatMap((t) => (typeof t === "string" ? [t] : Object.values(t)));
      for (const t of targets) expect(existsSync(join(ROOT, t)), `${s} → ${t}`).toBe(true);
    }
  });

  // One Node child per condition set resolves every subpath through node_modules/evostrat.
  const resolveAll = async (conditions: string[]) => {
    const script = join(dir, `resolve-${conditions.join("-") || "default"}.mjs`);
    writeFileSync(
      script,
      `import { createRequire } from "node:module";\n` +
        `process.on("warning", (w) => { console.error(w.name + ": " + w.message); process.exitCode = 3; });\n` +
        `const require = createRequire(import.meta.url);\n` +
        `const subs = ${JSON.stringify(built.map((s) => (s === "." ? "evostrat" : `evostrat/${s.slice(2)}`)))};\n` +
        `const out = {};\n` +
        `for (const s of subs) out[s] = { import: import.meta.resolve(s), require: require.resolve(s), keys: Object.keys(await import(s)).length, cjsKeys: Object.keys(require(s)).length };\n` +
        `out.wasm = import.meta.resolve("evostrat/core.wasm");\n` +
        `console.log(JSON.stringify(out));\n`,
    );
    const { stdout } = await run(process.execPath, [...conditions.map((c) => `--conditions=${c}`), script], dir);
    return JSON.parse(stdout.trim().split("\n").pop()!);
  };
  const url = (p: string) => pathToFileURL(join(ROOT, p)).href;

  it("Node resolves and loads every entry for import and require (both dist/*.mjs), without a warning", async () => {
    const out = await resolveAll([]);
    for (const s of built) {
      const n = entryOf(s);
      const r = out[s === "." ? "evostrat" : `evostrat/${n}`];
      expect(r.import).toBe(url(`dist/${n}.mjs`));
      expect(r.require).toBe(join(ROOT, `dist/${n}.mjs`));
      expect(r.keys, `${s} ESM exports`).toBeGreaterThan(0);
      expect(r.cjsKeys, `${s} exports through require()`).toBe(r.keys);
    }
    expect(out.wasm).toBe(url("dist/core.wasm"));
  });

  for (const cond of ["workerd", "worker", "edge-light"]) {
    it(`the "${cond}" condition resolves imports to dist/workerd/*.mjs`, async () => {
      // Node cannot load these (they import a .wasm module), so this only resolves.
      const script = join(dir, `resolve-only-${cond}.mjs`);
      writeFileSync(script, `console.log(JSON.stringify(${JSON.stringify(built)}.map((s) => import.meta.resolve(s === "." ? "evostrat" : "evostrat/" + s.slice(2)))));\n`);
      const { stdout } = await run(process.execPath, [`--conditions=${cond}`, script], dir);
      expect(JSON.parse(stdout)).toEqual(built.map((s) => url(`dist/workerd/${entryOf(s)}.mjs`)));
    });
  }
});

describe("type declarations", () => {
  it("exist for every entry and declare the public API", () => {
    for (const s of built) {
      const t = (exportsMap[s] as Conds).types;
      const file = typeof t === "string" ? t : `./dist/${entryOf(s)}.d.ts`;
      expect(existsSync(join(ROOT, file)), file).toBe(true);
    }
    // dist/index.d.ts holds the declarations (ES declarations for the ES files; tsup.config.ts)
    const dts = readFileSync(join(ROOT, "dist/index.d.ts"), "utf8");
    for (const name of ["minimize", "CSAES", "ready", "MinimizeOptions", "MinimizeResult"]) expect(dts, `index.d.ts declares ${name}`).toMatch(new RegExp(`\\b${name}\\b`));
  });

  it("typecheck an ESM consumer (module node16) and a CommonJS one (module node20) through the exports map (tsc, skipLibCheck off)", async () => {
    writeFileSync(
      join(dir, "consumer.mts"),
      `import { minimize, CSAES, ready, type MinimizeResult } from "evostrat";\n` +
        `await ready();\n` +
        `const r: MinimizeResult = minimize((x) => x[0]! * x[0]!, { method: "csa", mean: [1, 2], sigma: 0.5, seed: 1 });\n` +
        `const o = new CSAES({ mean: [1, 2], sigma: 0.5 });\n` +
        `const p = o.ask(); const fit: number[] = []; for (let i = 0; i < p.count; i++) fit.push(p.row(i)[0]!);\n` +
        `o.tell(fit);\n` +
        `const b: Uint8Array = o.save();\n` +
        `export const out = [r.f, r.evaluations, r.stopReason, CSAES.load(b).generation];\n`,
    );
    writeFileSync(
      join(dir, "consumer.cts"),
      `import evo = require("evostrat");\n` +
        `const r: evo.MinimizeResult = evo.minimize((x) => x[0]! * x[0]!, { method: "csa", mean: [1, 2], sigma: 0.5, seed: 1 });\n` +
        `export const f = r.f;\n`,
    );
    const opts = { strict: true, noEmit: true, module: "node16", moduleResolution: "node16", target: "es2022", lib: ["es2022", "dom"], types: [], skipLibCheck: false };
    writeFileSync(join(dir, "tsconfig.esm.json"), JSON.stringify({ compilerOptions: opts, files: ["consumer.mts"] }));
    // a CommonJS file may require() the ES package where TypeScript models require(esm): module node20 or
    // nodenext (TypeScript ≥ 5.8); under node16 it reports TS1471 (see the lean test and README)
    writeFileSync(join(dir, "tsconfig.cjs.json"), JSON.stringify({ compilerOptions: { ...opts, module: "node20" }, files: ["consumer.cts"] }));
    const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
    const [esm, cjs] = await Promise.allSettled([tsc, tsc].map((t, i) => run(process.execPath, [t, "-p", `tsconfig.${i ? "cjs" : "esm"}.json`], dir)));
    if (esm.status === "rejected") throw esm.reason;
    // CommonJS consumers: `require("evostrat")` gets the ES declarations (dist/index.d.ts), as Node gives
    // it the ES module.
    if (cjs.status === "rejected") throw cjs.reason;
  });
});
