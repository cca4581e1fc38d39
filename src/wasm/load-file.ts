/**
 * The core for Node, Deno and Bun (the "node" export condition, dist/node/*.mjs): dist/core.wasm read
 * with node:fs on first use, synchronously, so construction stays synchronous and the entry has no
 * top-level await (require() loads it through Node's require(esm)). Each entry file passes the
 * file's URL relative to itself.
 */
import { readFileSync } from "node:fs";
import { unloadable } from "./load.js";

export function fromFile(url: () => URL): () => Uint8Array<ArrayBuffer> {
  return () => {
    let where = "core.wasm";
    try {
      const u = url();
      where = u.href;
      const b = readFileSync(u);
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength) as Uint8Array<ArrayBuffer>;
    } catch (e) {
      return unloadable(where, e)();
    }
  };
}
