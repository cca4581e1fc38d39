/**
 * What the package's entry files give src/wasm.ts as the core when dist/core.wasm cannot be read:
 * a function that throws, so importing never fails and the first construction (or `ready()`) reports
 * which URL failed and what to do. Shared by load-file.ts (Node, Deno, Bun) and load-url.ts (browsers
 * and every other runtime).
 */
export function unloadable(url: string, e: unknown): () => never {
  const why = e instanceof Error ? e.message : String(e);
  const error = new Error(
    `evostrat: could not load the WebAssembly core from ${url} (${why}). It is dist/core.wasm of the package ` +
      "(also exported as evostrat/core.wasm): make it reachable at that URL (a bundler that leaves " +
      'new URL("./core.wasm", import.meta.url) as it is, such as esbuild, needs it copied next to the bundle), ' +
      "or pass it to provideCore() before creating optimizers",
    { cause: e },
  );
  return () => {
    throw error;
  };
}
