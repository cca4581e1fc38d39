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
    // Also record what the inlined-bytes entry does here (expected to be refused by workerd).
    try {
      probe(await import("../../dist/index.mjs"));
      out.bytesEntry = "ok";
    } catch (e) {
      out.bytesEntry = String((e && e.message) || e);
    }
    return Response.json(out);
  },
};
