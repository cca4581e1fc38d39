import { defineConfig, type Options } from "tsup";
import { copyFileSync, existsSync, mkdirSync } from "node:fs";

// Entries: dist/<name>.* from these sources (the faces live in src/faces/<name>/).
const sources: Record<string, string> = { index: "src/index.ts", neorl: "src/faces/neorl/index.ts", pypop7: "src/faces/pypop7/index.ts", kernels: "src/kernels.ts", distributed: "src/distributed/index.ts" };
const names = Object.keys(sources).filter((n) => existsSync(sources[n]));

const common: Options = {
  platform: "neutral",
  target: "es2022",
  splitting: false,
  removeNodeProtocol: false,
  sourcemap: false,
  // The loader is a few hundred lines; bundling it keeps every entry free of bare imports, so the
  // ESM files load as they are in browsers and workerd. node:worker_threads (the pool, in Node only)
  // is looked up at run time.
  noExternal: ["@assemblyscript/loader"],
  external: [/^node:/],
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
    entry: Object.fromEntries(names.map((n) => [n, sources[n]])),
    format: ["esm", "cjs"],
    dts: true,
    loader: { ".wasm": "binary" },
    outExtension: ({ format }) => ({ js: format === "esm" ? ".mjs" : ".cjs" }),
  },
  {
    ...common,
    entry: Object.fromEntries(names.map((n) => [`workerd/${n}`, sources[n]])),
    format: ["esm"],
    outExtension: () => ({ js: ".mjs" }),
    esbuildPlugins: [wasmAsModule],
    onSuccess: async () => {
      mkdirSync("dist", { recursive: true });
      copyFileSync("build/core.wasm", "dist/core.wasm");
    },
  },
]);
