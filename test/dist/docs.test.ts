// The API reference (issue 13, item 5): `npm run docs` builds it with TypeDoc from the JSDoc of every
// public entry (typedoc.config.mjs over scripts/entries.mjs) into docs/api/. Here the same
// configuration runs into a temp directory (HTML and JSON) and must finish without a warning
// (treatWarningsAsErrors), and every public option must say its default: each property of an exported
// `…Options` interface or type and each entry of a strategy's `…Spec` has a comment that says
// "Default …" or "Required".
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, existsSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { ROOT } from "../runtimes/harness";
import { entries } from "../../scripts/entries.mjs";

interface Part { text: string }
interface Comment { summary?: Part[]; blockTags?: { tag: string; content: Part[] }[] }
interface Node {
  name: string;
  kind?: number;
  comment?: Comment;
  children?: Node[];
  type?: { type?: string; declaration?: Node; types?: Node["type"][] };
  declaration?: Node;
  signatures?: { comment?: Comment }[];
}

const text = (c?: Comment) => (c ? [...(c.summary ?? []), ...(c.blockTags ?? []).flatMap((t) => [{ text: `${t.tag} ` }, ...t.content])].map((p) => p.text).join("") : "");

/** The properties of an interface, a type alias of an object type (or a union/intersection of them), or an object literal's type. */
function props(n: Node | Node["type"] | undefined): Node[] {
  if (!n) return [];
  if ("children" in n && n.children) return n.children;
  if ("declaration" in n && n.declaration) return n.declaration.children ?? [];
  if ("types" in n && n.types) return n.types.flatMap(props);
  if ("type" in n && n.type && typeof n.type === "object") return props(n.type);
  return [];
}

let dir = "";
let output = "";
let code = -1;
let api: { children: Node[] };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "evostrat-docs-"));
  const bin = join(ROOT, "node_modules", "typedoc", "bin", "typedoc");
  await new Promise<void>((resolve) =>
    execFile(process.execPath, [bin, "--out", join(dir, "html"), "--json", join(dir, "api.json"), "--logLevel", "Info"], { cwd: ROOT, timeout: 120_000, env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" } }, (err, stdout, stderr) => {
      code = err ? ((err as { code?: number }).code ?? 1) : 0;
      output = `${stdout}\n${stderr}`;
      resolve();
    }),
  );
  api = existsSync(join(dir, "api.json")) ? JSON.parse(readFileSync(join(dir, "api.json"), "utf8")) : { children: [] };
}, 150_000);
afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

describe("API reference (npm run docs)", () => {
  it("TypeDoc builds it with warnings as errors: no warning, no error", () => {
    expect(output.split("\n").filter((l) => /\[(warning|error)\]/.test(l)), output).toEqual([]);
    expect(code, output).toBe(0);
    expect(existsSync(join(dir, "html", "index.html"))).toBe(true);
  });

  it("has one module per public entry, named by its import specifier", () => {
    const want = entries.map((e) => (e.subpath === "." ? "evostrat" : `evostrat/${e.subpath.slice(2)}`)).sort();
    expect(api.children.map((m) => m.name).sort()).toEqual(want);
  });

  it("every public option says its default (or that it is required)", () => {
    let checked = 0;
    const missing: string[] = [];
    for (const mod of api.children)
      for (const c of mod.children ?? []) {
        if (!/Options$/.test(c.name) && !/^[a-z]\w*Spec$/.test(c.name)) continue;
        for (const p of props(c)) {
          // a derived parameter (weights, μ_eff) is computed, not an option: `derived(...)` in the spec
          if (JSON.stringify(p.type ?? {}).includes('"name":"derived"')) continue;
          checked++;
          const t = text(p.comment) + (p.type?.declaration?.signatures ?? []).map((s) => text(s.comment)).join("");
          if (!/\bdefaults?\b|\brequired\b/i.test(t)) missing.push(`${mod.name}: ${c.name}.${p.name}`);
        }
      }
    // the strategies' specs and the options interfaces of every entry: a few hundred options
    expect(checked).toBeGreaterThan(200);
    expect(missing).toEqual([]);
  });
});
