/**
 * The one bridge to the WebAssembly core.
 *
 * - The module is compiled once per process and cached (`compiledModule`). Each entry file of the
 *   package provides it (tsup.config.ts, src/wasm/load-*.ts); `provideCore()` overrides that.
 * - Every optimizer gets its own instance, so it owns its memory: `Core` wraps one instance.
 * - @assemblyscript/loader is used here and nowhere else: `instantiateModule` instantiates through it,
 *   and its env.abort turns an AssemblyScript abort (a failed `assert`, e.g. gemm without
 *   gemm_reserve) into an Error carrying the message and file:line read from the module's memory.
 * - Views: `Core.f64(ptr, n)` returns cached Float64Array views. Strategies size all memory in their
 *   init, so the memory never grows afterwards; if it ever did, `refresh()` rebuilds every view handed
 *   out through `ViewSet`, so no view the library uses goes stale silently.
 */
import { instantiateSync } from "@assemblyscript/loader";
import { describe, fail } from "./check.js";
import wasmSource from "../build/core.wasm";
import meta from "../build/meta.json";

/** Identifies this build of the core; save() stamps it and load() checks it. */
export const BUILD_ID: string = meta.buildId;

let compiled: WebAssembly.Module | undefined;
// what provideCore() was given; it takes precedence over what the entry file provided
let given: WebAssembly.Module | Uint8Array<ArrayBuffer> | undefined;

function isModule(x: unknown): x is WebAssembly.Module {
  return typeof WebAssembly !== "undefined" && x instanceof WebAssembly.Module;
}

// In the package, the entry files fill this import before anything runs (tsup.config.ts): only a
// bundler that dropped an entry file's statements (ignoring package.json's "sideEffects") leaves it empty.
function missing(): never {
  throw new Error("evostrat: the core was not provided: import evostrat through its entries (evostrat, evostrat/neorl, …), and keep package.json's \"sideEffects\" when bundling, or pass dist/core.wasm to provideCore()");
}

// The core as given: a compiled module, or bytes (the Node entries provide a function that reads
// dist/core.wasm on first use; an entry that failed to load it provides one that throws why).
function source(): WebAssembly.Module | Uint8Array<ArrayBuffer> {
  const s = given ?? wasmSource;
  if (s === undefined) missing();
  return (typeof s === "function" ? s() : s) as WebAssembly.Module | Uint8Array<ArrayBuffer>;
}

/** The compiled core, compiled on first use and cached for the life of the process. */
export function compiledModule(): WebAssembly.Module {
  if (compiled === undefined) {
    const s = source();
    compiled = isModule(s) ? s : new WebAssembly.Module(s);
  }
  return compiled;
}

/**
 * Compiles the core asynchronously, if it is not compiled yet. The browser entry compiles it at
 * import, and the Node, Deno and Bun entries compile it synchronously on first use, so this is
 * optional; it matters after `provideCore(bytes)` on a browser's main thread, where older browsers
 * forbid synchronous compilation of modules over 4 KB. Rejects with the reason when the core could
 * not be loaded.
 */
export async function ready(): Promise<void> {
  if (compiled === undefined) {
    const s = source();
    compiled = isModule(s) ? s : await WebAssembly.compile(s);
  }
}

/**
 * Supplies the WebAssembly core yourself: the package's dist/core.wasm (exported as
 * `evostrat/core.wasm`), as a compiled `WebAssembly.Module` or as its bytes. For bundlers that do
 * not ship the file that `new URL("./core.wasm", import.meta.url)` names (esbuild) and any host where
 * the entry could not load it; optimizers created afterwards use it. After passing bytes on a
 * browser's main thread, `await ready()` once to compile them asynchronously.
 *
 * @example
 * ```ts
 * import { provideCore, CSAES } from "evostrat";
 * provideCore(await WebAssembly.compileStreaming(fetch("/assets/core.wasm")));
 * ```
 */
export function provideCore(core: WebAssembly.Module | ArrayBuffer | ArrayBufferView): void {
  // not through isModule(): WebAssembly.Module is an empty interface, so its type guard would narrow
  // every other type away
  const c = core as object;
  if (isModule(core)) given = c as WebAssembly.Module;
  else if (c instanceof ArrayBuffer) given = new Uint8Array(c);
  else if (ArrayBuffer.isView(c)) given = new Uint8Array(c.buffer as ArrayBuffer, c.byteOffset, c.byteLength);
  else fail("type", "provideCore:", `core must be a WebAssembly.Module, an ArrayBuffer or a typed array of dist/core.wasm, got ${describe(c)}`);
  compiled = undefined;
}

// deno-lint-ignore no-explicit-any
export type Exports = Record<string, any> & { memory: WebAssembly.Memory };

/**
 * A fresh instance of a compiled AssemblyScript module, through @assemblyscript/loader: it supplies the
 * module's one import, env.abort, which reads the abort's message and file from the module's memory
 * and throws `Error("abort: <message> in <file>(<line>:<column>)")` (test/contract/abort.test.ts). The
 * exports used are the instance's own functions, called directly (the loader's demangled exports wrap
 * each in a forwarding closure, which cost about 20% per generation at d = 100).
 */
export function instantiateModule(module: WebAssembly.Module): Exports {
  return instantiateSync(module, {}).instance.exports as unknown as Exports;
}

function instantiate(): Exports {
  return instantiateModule(compiledModule());
}

/** One instance of the core: its exports and its memory. */
export class Core {
  readonly x: Exports;
  private buffer: ArrayBuffer;

  /**
   * @param owner names the optimizer or workspace in the error when the runtime refuses the instance.
   *   Each memory reserves its own address space (10 GiB of it in V8 on 64-bit hosts), so about
   *   12,000 live instances exhaust a process: V8 then throws a bare RangeError ("Out of memory: Cannot
   *   allocate Wasm memory for new instance") that says nothing about why. Every instance is made here,
   *   so that error is turned into an evostrat RangeError that says what to do, in one place.
   */
  constructor(owner = "core:") {
    try {
      this.x = instantiate();
    } catch (e) {
      if (e instanceof RangeError || e instanceof WebAssembly.RuntimeError) {
        fail("range", owner, `the runtime refused a new WebAssembly memory (${(e as Error).message}); too many live optimizers? dispose() the ones no longer in use`);
      }
      throw e;
    }
    this.buffer = this.x.memory.buffer;
  }

  /**
   * True when the memory has grown since the last `views()` call, i.e. every view made before is
   * detached. Strategies allocate only in init, so this stays false; the base class checks it on
   * every ask and tell and rebuilds its views if it ever turns true.
   */
  get stale(): boolean {
    return this.x.memory.buffer !== this.buffer;
  }

  /** Marks the current memory as the one views are built on; call before building views. */
  views(): ArrayBuffer {
    this.buffer = this.x.memory.buffer;
    return this.buffer;
  }

  /** A Float64Array view of n values at byte offset ptr (valid until the memory grows). */
  f64(ptr: number, n: number): Float64Array {
    return new Float64Array(this.x.memory.buffer, ptr >>> 0, n);
  }

  /** The bytes of the heap that hold this optimizer's state: [heap_base, heap_top). */
  heap(): Uint8Array {
    const lo = this.x.heap_base() >>> 0;
    const hi = this.x.heap_top() >>> 0;
    return new Uint8Array(this.x.memory.buffer, lo, hi - lo);
  }
}
