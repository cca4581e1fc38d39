// The shipped module (build/core.wasm, entry assembly/index.ts) exports what src/ uses and nothing
// else; internals that only tests call come from the test build (build/testing.wasm, see
// test/testing-core.ts). What src/ uses is what src/wasm/exports.ts declares (CoreExports), and each
// declared name must be reached from src/ (as `x.name` on the exports), so the declaration cannot keep
// a dead export alive.
import { describe, expect, it } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { compiledModule } from "../../src/wasm";
import { testingBytes } from "../testing-core";

const ROOT = join(__dirname, "..", "..");

function sources(dir: string): [string, string][] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e): [string, string][] => {
    const p = join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith(".ts") ? [[p, readFileSync(p, "utf8")]] : [];
  });
}

/** The names CoreExports declares (one `name(` or `name:` member per export). */
function declared(): string[] {
  const text = readFileSync(join(ROOT, "src", "wasm", "exports.ts"), "utf8");
  const body = text.slice(text.indexOf("export interface CoreExports {"));
  const block = body.slice(body.indexOf("{") + 1, body.indexOf("\n}")).replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");
  // members start a line or follow a `;` (parameters follow `(` or `,`)
  return [...block.matchAll(/(?:^|;)\s*([a-z][A-Za-z0-9_]*)\s*[(:]/gm)].map((m) => m[1]).filter((n, i, a) => a.indexOf(n) === i);
}

describe("exports", () => {
  const shipped = WebAssembly.Module.exports(compiledModule()).map((e) => e.name);

  it("build/core.wasm exports exactly what src/wasm/exports.ts declares", () => {
    expect([...shipped].sort()).toEqual(declared().sort());
  });

  it("every declared export is used by src/", () => {
    const text = sources(join(ROOT, "src")).filter(([p]) => !p.endsWith(join("wasm", "exports.ts"))).map(([, t]) => t).join("\n");
    const unused = declared().filter((n) => n !== "memory" && !new RegExp(`\\bx\\.${n}\\b`).test(text));
    expect(unused).toEqual([]);
  });

  it("build/testing.wasm exports everything build/core.wasm does, and more", () => {
    const testing = WebAssembly.Module.exports(new WebAssembly.Module(testingBytes as Uint8Array<ArrayBuffer>)).map((e) => e.name);
    expect(testing).toEqual(expect.arrayContaining(shipped));
    expect(testing.length).toBeGreaterThan(shipped.length);
  });
});
