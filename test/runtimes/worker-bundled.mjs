// workerd, as a Worker author gets it from wrangler: this file imports evostrat BY NAME and is bundled
// with esbuild under the conditions wrangler uses (workerd, worker, browser); the `.wasm` import of the
// workerd entry is left as a CompiledWasm module next to the bundle.
// (evostrat/neorl is covered by the unbundled workerd test; its worker pool looks node:worker_threads
// up at run time, in Node only.)
import * as api from "evostrat";
import * as kernels from "evostrat/kernels";
import * as pypop7 from "evostrat/pypop7";
import { probe } from "./probe.mjs";

export default {
  async fetch() {
    try {
      return Response.json({ entry: "evostrat (bundled)", result: probe(api, { kernels, pypop7 }) });
    } catch (e) {
      return Response.json({ error: String((e && e.stack) || e) });
    }
  },
};
