// The core as src/wasm.ts imports it: bytes (the vitest plugin), a compiled WebAssembly.Module (the
// workerd build, where the .wasm stays a module of its own, and the browser build, which compiles
// dist/core.wasm at import) or a function that returns the bytes or throws why it could not (the
// Node build reads dist/core.wasm on first use). See tsup.config.ts.
declare module "*.wasm" {
  const source: Uint8Array | WebAssembly.Module | (() => Uint8Array);
  export default source;
}
