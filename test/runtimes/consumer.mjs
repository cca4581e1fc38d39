// Node / Bun / Deno, ESM, as a consumer: copied into a temp dir whose node_modules/evostrat links to
// the repo, so `evostrat` and its subpaths resolve through the package's own exports map.
import * as api from "evostrat";
import * as kernels from "evostrat/kernels";
import * as neorl from "evostrat/neorl";
import * as pypop7 from "evostrat/pypop7";
import { probe } from "./probe.mjs";

const entry = import.meta.resolve("evostrat");
console.log(JSON.stringify({ entry, result: probe(api, { kernels, neorl, pypop7 }) }));
