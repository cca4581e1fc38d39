// Deno: the package's ESM entry imported by path (argv: the entry file, relative to this file's dir or absolute).
import { probe } from "./probe.mjs";

const arg = Deno.args[0];
const url = new URL(arg, import.meta.url).href;
const api = await import(url);
console.log(JSON.stringify({ entry: url, result: probe(api) }));
