// Chromium module Web Worker: synchronous compilation is allowed off the main thread, so the package
// works here without ready(); then a second run with a fresh import after ready() for completeness.
import * as api from "/dist/index.mjs";
import * as kernels from "/dist/kernels.mjs";
import * as neorl from "/dist/neorl.mjs";
import * as pypop7 from "/dist/pypop7.mjs";
import { probe } from "/test/runtimes/probe.mjs";

const attempt = (fn) => {
  try {
    return { ok: true, result: fn() };
  } catch (e) {
    return { ok: false, error: `${e && e.name}: ${e && e.message}` };
  }
};
const noReady = attempt(() => probe(api, { kernels, neorl, pypop7 }));
await api.ready();
const afterReady = attempt(() => probe(api, { kernels, neorl, pypop7 }));
postMessage({ noReady, afterReady });
