/**
 * The one bridge to the WebAssembly core.
 *
 * - The module is compiled once per process and cached (`compiledModule`).
 * - Every optimizer gets its own instance, so it owns its memory: `Core` wraps one instance.
 * - @assemblyscript/loader is used here and nowhere else: `instantiateModule` instantiates through it,
 *   and its env.abort turns an AssemblyScript abort (a failed `assert`, e.g. gemm without
 *   gemm_reserve) into an Error carrying the message and file:line read from the module's memory.
 * - Views: `Core.f64(ptr, n)` returns cached Float64Array views. Strategies size all memory in their
 *   init, so the memory never grows afterwards; if it ever did, `refresh()` rebuilds every view handed
 *   out through `ViewSet`, so no view the library uses goes stale silently.
 */
import { instantiateSync } from "@assemblyscript/loader";
import { fail } from "./check.js";
import wasmSource from "../build/core.wasm";
import meta from "../build/meta.json";

/** Identifies this build of the core; save() stamps it and load() checks it. */
export const BUILD_ID: string = meta.buildId;

let compiled: WebAssembly.Module | undefined;

function isModule(x: unknown): x is WebAssembly.Module {
  return typeof WebAssembly !== "undefined" && x instanceof WebAssembly.Module;
}

// In the package, the entry files fill this import before anything runs (tsup.config.ts): only a
// bundler that dropped an entry file's statements (ignoring package.json's "sideEffects") leaves it empty.
function missing(): never {
  throw new Error("evostrat: the core was not provided: import evostrat through its entries (evostrat, evostrat/neorl, …), and keep package.json's \"sideEffects\" when bundling");
}

// The bytes to compile; the default ES build provides a function that inflates them (first use only).
function bytes(): Uint8Array<ArrayBuffer> {
  return (typeof wasmSource === "function" ? wasmSource() : wasmSource) as Uint8Array<ArrayBuffer>;
}

/** The compiled core, compiled on first use and cached for the life of the process. */
export function compiledModule(): WebAssembly.Module {
  if (compiled === undefined) {
    if (wasmSource === undefined) missing();
    compiled = isModule(wasmSource) ? wasmSource : new WebAssembly.Module(bytes());
  }
  return compiled;
}

/**
 * Compiles the core asynchronously. Browsers forbid synchronous compilation of modules over 4 KB on
 * the main thread, so call `await ready()` once there before creating optimizers. Elsewhere optional.
 */
export async function ready(): Promise<void> {
  if (compiled === undefined) {
    if (wasmSource === undefined) missing();
    compiled = isModule(wasmSource) ? wasmSource : await WebAssembly.compile(bytes());
  }
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
