// Chromium module Web Worker: synchronous compilation is allowed off the main thread, so the package
// works here without ready(); then a second run with a fresh import after ready() for completeness.
import * as api from "/dist/index.mjs";
import { probe } from "/test/runtimes/probe.mjs";

const attempt = (fn) => {
  try {
    return { ok: true, result: fn() };
  } catch (e) {
    return { ok: false, error: `${e && e.name}: ${e && e.message}` };
  }
};
const noReady = attempt(() => probe(api));
await api.ready();
const afterReady = attempt(() => probe(api));
postMessage({ noReady, afterReady });
