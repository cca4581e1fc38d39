// The package's entries, in one table: dist/<name>.{mjs,d.ts} and dist/workerd/<name>.mjs are
// built from each source (tsup.config.ts), scripts/ensure-dist.mjs checks them, and test/dist/
// checks that package.json's "exports" (and "typesVersions", for moduleResolution node10) list each
// one. A new entry is one line here plus its block in package.json's exports and typesVersions.
// `subpath` is the import specifier's tail: "." for `evostrat`, "./neorl" for `evostrat/neorl`;
// `core: false` for an entry that never touches the wasm core (its files then import no core at all).
export const entries = [
  { name: "index", source: "src/index.ts", subpath: "." },
  { name: "neorl", source: "src/faces/neorl/index.ts", subpath: "./neorl" },
  { name: "pypop7", source: "src/faces/pypop7/index.ts", subpath: "./pypop7" },
  { name: "pycma", source: "src/faces/pycma/index.ts", subpath: "./pycma" },
  { name: "distributed", source: "src/distributed/index.ts", subpath: "./distributed" },
  { name: "kernels", source: "src/kernels.ts", subpath: "./kernels" },
  { name: "plot", source: "src/plot.ts", subpath: "./plot", core: false },
  { name: "bbob", source: "src/bbob/index.ts", subpath: "./bbob", core: false },
  { name: "bbob-runner", source: "src/bbob/runner.ts", subpath: "./bbob-runner" },
];
