// The test build of the core (build/testing.wasm, entry assembly/testing.ts): the shipped module's
// exports plus the internals only tests call (linalg, the generator's single draws, test hooks). It is
// instantiated as src/wasm.ts instantiates the shipped module (instantiateModule), so an
// AssemblyScript abort arrives here as the same Error.
import { instantiateModule } from "../src/wasm";
import testingWasm from "../build/testing.wasm";

/** The test build's bytes, e.g. for vi.mock("../build/core.wasm") in a test that needs strategy hooks. */
export const testingBytes = testingWasm as Uint8Array;

let compiled: WebAssembly.Module | undefined;

// deno-lint-ignore no-explicit-any
export type TestingExports = Record<string, any> & { memory: WebAssembly.Memory };

/** A fresh instance of the test build (its own memory). */
export function testingInstance(): TestingExports {
  compiled ??= new WebAssembly.Module(testingBytes as Uint8Array<ArrayBuffer>);
  return instantiateModule(compiled) as TestingExports;
}

/**
 * A fresh test-build instance with a bump allocator for test buffers. gemm's packing buffer is
 * reserved first, before any test buffer or view: for products up to `reserve` = [m, n, k], by
 * default for any product (768 KB, as evostrat/kernels does for a large workspace). Allocate
 * everything first, then take views.
 */
export function rawCore(reserve: readonly [number, number, number] = [1 << 30, 1 << 30, 1 << 30]) {
  const x = testingInstance();
  x.gemm_reserve(...reserve);
  return {
    x,
    /** Allocates n f64 and returns the byte pointer. */
    allocF64(n: number): number {
      return x.allocF64(n) >>> 0;
    },
    /** A fresh view (re-take views after any allocation). */
    f64(ptr: number, n: number): Float64Array {
      return new Float64Array(x.memory.buffer, ptr >>> 0, n);
    },
    /** Allocates n f64, copies `values` in, returns the pointer. */
    put(values: ArrayLike<number>): number {
      const p = x.allocF64(values.length) >>> 0;
      new Float64Array(x.memory.buffer, p, values.length).set(values);
      return p;
    },
  };
}
