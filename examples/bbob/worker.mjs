// A Web Worker of the BBOB page: runs one (strategy, problem) per message, posts its record back.
import { ready } from "/dist/index.mjs";
import { runOne } from "/dist/bbob-runner.mjs";

const started = ready();
self.onmessage = async (e) => {
  await started;
  try {
    self.postMessage({ record: runOne(e.data) });
  } catch (err) {
    self.postMessage({ error: String(err?.stack ?? err) });
  }
};
