// Node / Bun / Deno, ESM, as a consumer: copied into a temp dir whose node_modules/evostrat links to
// the repo, so `evostrat` resolves through the package's own exports map.
import * as api from "evostrat";
import { probe } from "./probe.mjs";

const entry = import.meta.resolve("evostrat");
console.log(JSON.stringify({ entry, result: probe(api) }));
