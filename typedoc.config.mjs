// npm run docs: the API reference, generated from the JSDoc of every public entry (scripts/entries.mjs,
// the same table the build uses) into docs/api/. Warnings are errors: test/dist/docs.test.ts runs this
// configuration and requires a clean build.
import { entries } from "./scripts/entries.mjs";

/** @type {Partial<import("typedoc").TypeDocOptions>} */
export default {
  name: "evostrat",
  entryPoints: entries.map((e) => e.source),
  tsconfig: "tsconfig.typedoc.json",
  // modules named by their import specifier (evostrat, evostrat/neorl, …)
  plugin: ["./scripts/typedoc-names.mjs"],
  out: "docs/api",
  readme: "none",
  excludePrivate: true,
  excludeProtected: true,
  excludeInternal: true,
  // type-level plumbing the documented types are built from (not names users write)
  intentionallyNotExported: ["src/contract/options.ts:InOf", "src/contract/options.ts:Fn", "src/contract/options.ts:InputOf", "src/registry.ts:registry"],
  treatWarningsAsErrors: true,
  validation: { notExported: true, invalidLink: true, rewrittenLink: true, notDocumented: false, unusedMergeModuleWith: true },
  githubPages: false,
  disableSources: true,
};
