// workerd (via miniflare): the workerd entries, which import ../core.wasm as a compiled
// WebAssembly.Module, because workerd forbids compiling wasm from bytes. Loaded with modulesRoot = the
// repo root.
import * as api from "../../dist/workerd/index.mjs";
import * as kernels from "../../dist/workerd/kernels.mjs";
import * as neorl from "../../dist/workerd/neorl.mjs";
import * as pypop7 from "../../dist/workerd/pypop7.mjs";
import { probe } from "./probe.mjs";

export default {
  async fetch() {
    const out = { entry: "dist/workerd/index.mjs" };
    try {
      out.result = probe(api, { kernels, neorl, pypop7 });
    } catch (e) {
      out.error = String((e && e.stack) || e);
    }
    // Why the workerd entries exist: workerd refuses to compile wasm from bytes (the smallest module,
    // its 8-byte header, is refused as well).
    try {
      new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
      out.bytesEntry = "ok";
    } catch (e) {
      out.bytesEntry = String((e && e.message) || e);
    }
    // The ESM entries share their chunks with the workerd entries, and the core slot is filled once:
    // dist/index.mjs, loaded after the workerd entry, runs on the module it provided.
    try {
      const r = probe(await import("../../dist/index.mjs"));
      out.sharedEntry = r.minimize.evaluations === out.result?.minimize.evaluations ? "same run" : "different run";
    } catch (e) {
      out.sharedEntry = String((e && e.message) || e);
    }
    return Response.json(out);
  },
};
