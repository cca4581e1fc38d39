// Deno: the package's ESM entries imported by path (argv: the URL of dist/index.mjs or dist/node/index.mjs; the other entries
// are its siblings).
import { probe } from "./probe.mjs";

const url = new URL(Deno.args[0], import.meta.url).href;
const api = await import(url);
const entries = {};
for (const n of ["kernels", "neorl", "pypop7"]) entries[n] = await import(new URL(`./${n}.mjs`, url).href);
console.log(JSON.stringify({ entry: url, result: probe(api, entries) }));
