import { defineConfig, type Options } from "tsup";
import { copyFileSync, existsSync, mkdirSync } from "node:fs";

// Entries that exist (the NEORL and PyPop7 front ends land with their strategies).
const names = ["index", "neorl", "pypop7", "kernels"].filter((n) => existsSync(`src/${n}.ts`));
// Entries in a folder of their own: the output name, then the source.
const nested: Record<string, string> = { bbob: "src/bbob/index.ts", "bbob-runner": "src/bbob/runner.ts" };

const common: Options = {
  platform: "neutral",
  target: "es2022",
  splitting: false,
  removeNodeProtocol: false,
  sourcemap: false,
  // The loader is a few hundred lines; bundling it keeps every entry free of bare imports, so the
  // ESM files load as they are in browsers and workerd. workerpool stays external: it is imported
  // lazily, only for ncores > 1.
  noExternal: ["@assemblyscript/loader"],
  external: ["workerpool", /^node:/],
};

// workerd (and Vercel edge) forbid compiling wasm from bytes: there the core is imported as a module.
const wasmAsModule = {
  name: "wasm-as-module",
  setup(build: { onResolve: (o: { filter: RegExp }, cb: () => { path: string; external: boolean }) => void }) {
    build.onResolve({ filter: /core\.wasm$/ }, () => ({ path: "../core.wasm", external: true }));
  },
};

export default defineConfig([
  {
    ...common,
    entry: { ...Object.fromEntries(names.map((n) => [n, `src/${n}.ts`])), ...nested },
    format: ["esm", "cjs"],
    dts: true,
    loader: { ".wasm": "binary" },
    outExtension: ({ format }) => ({ js: format === "esm" ? ".mjs" : ".cjs" }),
  },
  {
    ...common,
    entry: { ...Object.fromEntries(names.map((n) => [`workerd/${n}`, `src/${n}.ts`])), ...Object.fromEntries(Object.entries(nested).map(([n, f]) => [`workerd/${n}`, f])) },
    format: ["esm"],
    outExtension: () => ({ js: ".mjs" }),
    esbuildPlugins: [wasmAsModule],
    onSuccess: async () => {
      mkdirSync("dist", { recursive: true });
      copyFileSync("build/core.wasm", "dist/core.wasm");
    },
  },
  {
    // The evostrat-bbob command (package.json "bin"): Node only, one file, the core inlined.
    ...common,
    platform: "node",
    entry: { "bbob-cli": "src/bbob/cli.ts" },
    format: ["esm"],
    loader: { ".wasm": "binary" },
    outExtension: () => ({ js: ".mjs" }),
    banner: { js: "#!/usr/bin/env node" },
  },
]);
