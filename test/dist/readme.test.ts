// Every ```ts and ```js block of README.md and of docs/*.md (the guide, distributed, BBOB, benchmarks,
// moved out of the README), as a user would paste it (issue 13, item 7):
//   - a block whose first line is `// <name>.mjs` is a file the other samples import: written, not run;
//   - the TypeScript blocks type-check under tsc --strict (module node16, skipLibCheck off) against
//     the package's own declarations, each block on its own (a sample defines what it uses);
//   - every block runs in Node in a consumer directory, importing `evostrat` by name (dist/ through
//     the exports map);
//   - the figures a block quotes after a console.log are checked against what it logged. The comment
//     lists the logged values in order: `< 1e-8`, `≤ x`, `> x`, `≥ x`, `≈ x` (within a factor of 10),
//     `about x` (within 10%), a number (an integer exactly, e.g. `1,680`; a decimal to the digits
//     written), `"a string"`, `true`/`false`. Words between them and (parenthesised remarks) are prose.
//     Every console.log of a block must run exactly once, in the order written.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { execFile, execFileSync } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { ROOT, buildDist, consumerDir } from "../runtimes/harness";

interface Block {
  lang: "ts" | "js";
  /** the file's stem in ids: "readme", "docs-guide", … */
  stem: string;
  line: number;
  code: string;
  /** the file name when the block is a module the others import */
  file?: string;
  name: string;
}

function blocks(md: string, file: string): Block[] {
  const stem = file === "README.md" ? "readme" : file.replace(/\.md$/, "").replace(/\//g, "-");
  const out: Block[] = [];
  const re = /^```(ts|js)\n([\s\S]*?)^```$/gm;
  for (let m; (m = re.exec(md)); ) {
    const line = md.slice(0, m.index).split("\n").length;
    const code = m[2];
    const name = /^\/\/ ([\w.-]+\.mjs)\n/.exec(code)?.[1];
    const heading = [...md.slice(0, m.index).matchAll(/^#+ (.*)$/gm)].pop()?.[1] ?? "top";
    out.push({ lang: m[1] as "ts" | "js", stem, line, code, file: name, name: `${file}:${line} (${heading})` });
  }
  return out;
}

type Check = { op: string; value: string | number | boolean; text: string };

/** The figures quoted after each console.log of a block, in source order (one entry per console.log). */
export function quoted(code: string): Check[][] {
  const out: Check[][] = [];
  for (const l of code.split("\n")) {
    if (!/\bconsole\.log\(/.test(l)) continue;
    const c = /\)\s*;?\s*\/\/(.*)$/.exec(l)?.[1] ?? "";
    const prose = c.replace(/\([^)]*\)/g, " ");
    const checks: Check[] = [];
    const tok = /(<=|>=|<|>|≤|≥|≈|about\s+)?\s*("[^"]*"|\btrue\b|\bfalse\b|-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:e[-+]?\d+)?)/g;
    for (let m; (m = tok.exec(prose)); ) {
      const raw = m[2];
      const value = raw.startsWith('"') ? raw.slice(1, -1) : raw === "true" ? true : raw === "false" ? false : Number(raw.replace(/,/g, ""));
      checks.push({ op: (m[1] ?? "=").trim(), value, text: m[0].trim() });
    }
    out.push(checks);
  }
  return out;
}

function holds(v: unknown, c: Check): boolean {
  if (typeof c.value !== "number") return v === c.value;
  const x = typeof v === "string" && /^-?(Infinity|\d+n)$/.test(v) ? Number(v.replace(/n$/, "")) : v;
  if (typeof x !== "number") return false;
  const t = c.value;
  switch (c.op) {
    case "<": return x < t;
    case "<=": case "≤": return x <= t;
    case ">": return x > t;
    case ">=": case "≥": return x >= t;
    case "≈": return x > 0 && t > 0 ? Math.abs(Math.log10(x / t)) <= 1 : Math.abs(x - t) <= Math.abs(t) * 0.1;
    case "about": return Math.abs(x - t) <= 0.1 * Math.abs(t);
    default: {
      const digits = /\.(\d+)/.exec(c.text.replace(/e.*$/i, ""))?.[1].length;
      if (digits === undefined && !/e/i.test(c.text)) return x === t; // an integer: exactly
      const sig = (c.text.replace(/^-|,/g, "").replace(/e.*$/i, "").replace(".", "").replace(/^0+/, "").length) || 1;
      return Number(x.toPrecision(sig)) === t;
    }
  }
}

// README.md and every docs/*.md (not docs/api/, TypeDoc's output)
const docs = ["README.md", ...readdirSync(join(ROOT, "docs")).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`)];
const all = docs.flatMap((f) => blocks(readFileSync(join(ROOT, f), "utf8"), f));
const files = all.filter((b) => b.file);
const samples = all.filter((b) => !b.file);
const id = (b: Block) => `${b.stem}-${b.line}`;

// console.log's arguments, one JSON line per call (bigints as "123n", non-finite numbers as strings)
const CAPTURE = `import { appendFileSync } from "node:fs";
const file = process.env.README_CAPTURE, log = console.log;
const rep = (_k, v) => typeof v === "bigint" ? v + "n" : typeof v === "number" && !Number.isFinite(v) ? String(v) : ArrayBuffer.isView(v) ? Array.from(v) : v;
console.log = (...a) => { appendFileSync(file, JSON.stringify(a, rep) + "\\n"); log(...a); };
`;

let dir = "";
let cleanup = () => {};
let tscOut = "";

beforeAll(async () => {
  buildDist();
  ({ dir, cleanup } = consumerDir());
  writeFileSync(join(dir, "capture.mjs"), CAPTURE);
  for (const b of files) writeFileSync(join(dir, b.file!), b.code);
  const esbuild = await import("esbuild");
  const ts = samples.filter((b) => b.lang === "ts");
  for (const b of samples) {
    if (b.lang === "ts") writeFileSync(join(dir, `${id(b)}.mts`), b.code);
    const js = b.lang === "ts" ? esbuild.transformSync(b.code, { loader: "ts", format: "esm", target: "es2022" }).code : b.code;
    writeFileSync(join(dir, `${id(b)}.mjs`), js);
  }
  // One tsc run over every TypeScript sample; each is a module of its own (its imports make it one).
  const compilerOptions = { strict: true, noEmit: true, module: "node16", moduleResolution: "node16", target: "es2022", lib: ["es2022", "dom"], types: [], skipLibCheck: false };
  writeFileSync(join(dir, "tsconfig.readme.json"), JSON.stringify({ compilerOptions, files: ts.map((b) => `${id(b)}.mts`) }));
  try {
    execFileSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.readme.json"], { cwd: dir, encoding: "utf8" });
  } catch (e) {
    tscOut = String((e as { stdout?: string }).stdout ?? e);
  }
}, 300_000);
afterAll(() => cleanup());

function runBlock(b: Block): Promise<{ calls: unknown[][]; stdout: string }> {
  const capture = join(dir, `${id(b)}.log.jsonl`);
  writeFileSync(capture, "");
  return new Promise((resolve, reject) =>
    execFile(process.execPath, ["--import", "./capture.mjs", `${id(b)}.mjs`], { cwd: dir, timeout: 120_000, env: { ...process.env, README_CAPTURE: capture } }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${b.name} failed: ${err.message}\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`));
      const text = existsSync(capture) ? readFileSync(capture, "utf8") : "";
      resolve({ calls: text.split("\n").filter(Boolean).map((l) => JSON.parse(l) as unknown[]), stdout });
    }),
  );
}

describe("the samples of README.md and docs/*.md", () => {
  it("has the samples this test knows of (a README without code blocks would pass vacuously)", () => {
    expect(samples.length).toBeGreaterThanOrEqual(10);
    expect(samples.filter((b) => b.lang === "ts").length).toBeGreaterThanOrEqual(10);
    // the guide and distributed pages hold samples too (moved from the README)
    for (const f of ["readme", "docs-guide", "docs-distributed"]) expect(samples.filter((b) => b.stem === f).length, f).toBeGreaterThan(0);
    // the figure syntax itself
    expect(quoted(`console.log(a, b, c, d); // < 1e-8, 1,680 evaluations, "target" (prose 3), ≈ 2.5e-3`)).toEqual([
      [{ op: "<", value: 1e-8, text: "< 1e-8" }, { op: "=", value: 1680, text: "1,680" }, { op: "=", value: "target", text: '"target"' }, { op: "≈", value: 2.5e-3, text: "≈ 2.5e-3" }],
    ]);
    expect(holds(1.234e-9, { op: "=", value: 1.2e-9, text: "1.2e-9" })).toBe(true);
    expect(holds(1681, { op: "=", value: 1680, text: "1,680" })).toBe(false);
  });

  for (const b of samples) {
    it(`${b.name}: ${b.lang === "ts" ? "type-checks (--strict), " : ""}runs against dist/ and logs the figures it quotes`, async () => {
      if (b.lang === "ts") {
        const mine = tscOut.split("\n").filter((l) => l.startsWith(`${id(b)}.mts`));
        expect(mine, `tsc errors in ${b.name}`).toEqual([]);
      }
      const { calls } = await runBlock(b);
      const want = quoted(b.code);
      expect(calls.length, `${b.name}: console.log calls (each once, in order)`).toBe(want.length);
      want.forEach((checks, i) =>
        checks.forEach((c, j) => expect(holds(calls[i][j], c), `${b.name}, console.log #${i + 1}, value ${j + 1}: ${JSON.stringify(calls[i][j])} against "${c.text}"`).toBe(true)),
      );
    });
  }

  it("tsc reported nothing outside the samples", () => {
    expect(tscOut.split("\n").filter((l) => l.trim() && !/^(readme|docs-[\w-]+)-\d+\.mts/.test(l) && !/^\s/.test(l))).toEqual([]);
  });
});
