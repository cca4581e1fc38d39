/**
 * The core for browsers and every runtime without a condition of its own ("browser" and "default",
 * dist/*.mjs): each entry file awaits `fromUrl` at import (top-level await), so `import { CSAES } from
 * "evostrat"` resolves with the core compiled and construction stays synchronous, on the main thread
 * too. Compiled once, however many entries are imported (the first URL wins).
 *
 * - `compileStreaming` when the server says application/wasm, else fetch → arrayBuffer → compile;
 * - a file: URL (a Node-like host that picked this entry, e.g. a test runner with the browser
 *   condition) is read with node:fs where `process.getBuiltinModule` exists;
 * - on any failure (no file, offline, a bundle without core.wasm beside it, no import.meta.url) the
 *   import still succeeds: the error is kept and thrown at the first construction (load.ts).
 */
import { unloadable } from "./load.js";

let pending: Promise<WebAssembly.Module | (() => never)> | undefined;

export function fromUrl(url: () => URL): Promise<WebAssembly.Module | (() => never)> {
  pending ??= compile(url);
  return pending;
}

type Fs = { readFileSync(u: URL): Uint8Array };

async function compile(url: () => URL): Promise<WebAssembly.Module | (() => never)> {
  let where = "core.wasm";
  try {
    const u = url();
    where = u.href;
    const fs = u.protocol === "file:" ? (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.("node:fs") as Fs | undefined : undefined;
    if (fs) return await WebAssembly.compile(fs.readFileSync(u) as Uint8Array<ArrayBuffer>);
    const res = await fetch(u);
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const type = res.headers.get("content-type")?.split(";")[0]?.trim();
    if (type === "application/wasm" && typeof WebAssembly.compileStreaming === "function") return await WebAssembly.compileStreaming(res);
    return await WebAssembly.compile(await res.arrayBuffer());
  } catch (e) {
    return unloadable(where, e);
  }
}
