// workerd (via miniflare): the workerd entry, which imports ../core.wasm as a compiled WebAssembly.Module,
// because workerd forbids compiling wasm from bytes. Loaded with modulesRoot = the repo root.
import * as api from "../../dist/workerd/index.mjs";
import { probe } from "./probe.mjs";

export default {
  async fetch() {
    const out = { entry: "dist/workerd/index.mjs" };
    try {
      out.result = probe(api);
    } catch (e) {
      out.error = String(e && e.stack || e);
    }
    // Also record what the inlined-bytes entry does here (expected to be refused by workerd).
    try {
      const bytes = await import("../../dist/index.mjs");
      probe(bytes);
      out.bytesEntry = "ok";
    } catch (e) {
      out.bytesEntry = String(e && e.message || e);
    }
    return Response.json(out);
  },
};
