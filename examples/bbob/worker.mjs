// A Web Worker of the BBOB page: runs one (strategy, problem) per message, posts its record back.
// The handler is set before evostrat loads: its browser entry compiles the core at import (top-level
// await), and a message that arrives while a worker's module is still evaluating finds no handler.
const runner = import("/dist/bbob-runner.mjs");
self.onmessage = async (e) => {
  try {
    const { runOne } = await runner;
    self.postMessage({ record: runOne(e.data) });
  } catch (err) {
    self.postMessage({ error: String(err?.stack ?? err) });
  }
};
