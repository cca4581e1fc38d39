// The core is imported as bytes (the vitest plugin), as a function that returns them (default build:
// the bytes inlined deflated, src/wasm/inflate.ts, decoded on first use) or as a compiled
// WebAssembly.Module (workerd build, where the .wasm stays a module of its own).
declare module "*.wasm" {
  const source: Uint8Array | WebAssembly.Module | (() => Uint8Array);
  export default source;
}
