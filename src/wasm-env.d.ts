// The core is imported as bytes (default build: esbuild's binary loader, or the vitest plugin) or as a
// compiled WebAssembly.Module (workerd build, where the .wasm stays a module of its own).
declare module "*.wasm" {
  const source: Uint8Array | WebAssembly.Module;
  export default source;
}
