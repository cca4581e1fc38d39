// A TypeDoc plugin (typedoc.config.mjs): names each module of the API reference by its import
// specifier (`evostrat`, `evostrat/neorl`, …) instead of its source path, from scripts/entries.mjs.
import { Converter, ReflectionKind } from "typedoc";
import { entries } from "./entries.mjs";

// TypeDoc's own name for an entry: its path under src/, without ".ts" and a trailing "/index"
const derived = (source) => source.replace(/^src\//, "").replace(/\.ts$/, "").replace(/\/index$/, "");
const names = new Map(entries.map((e) => [derived(e.source), e.subpath === "." ? "evostrat" : `evostrat/${e.subpath.slice(2)}`]));

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const m of context.project.getChildrenByKind(ReflectionKind.Module)) {
      const name = names.get(m.name);
      if (!name) throw new Error(`typedoc-names: no entry in scripts/entries.mjs for module ${m.name}`);
      m.name = name;
    }
  });
}
