// The BBOB runner in a page: plan() × runOne() from evostrat/bbob-runner, on this thread or spread over
// Web Workers (./worker.mjs), then the ERT table and the runtime ECDFs (SVG) that evostrat-bbob writes.
// window.bbob.run(options) is for scripts (test/dist/bbob-browser.test.ts).
import { strategies } from "/dist/index.mjs"; // compiles dist/core.wasm at import
import { plan, runOne, ecdfFigures, ertTable, summaryTable } from "/dist/bbob-runner.mjs";

const $ = (id) => document.getElementById(id);

function list(s) {
  const out = [];
  for (const part of String(s).split(",")) {
    const m = /^\s*(\d+)(?:-(\d+))?\s*$/.exec(part);
    if (!m) throw new RangeError(`expected numbers and ranges like 1-3,5, got "${s}"`);
    for (let v = Number(m[1]); v <= Number(m[2] ?? m[1]); v++) out.push(v);
  }
  return out;
}

/** Runs the plan on `workers` Web Workers (0: this thread); `onRun(record, done, total)` after each. */
async function runPlan(runs, workers, onRun) {
  const out = new Array(runs.length);
  let done = 0;
  if (workers <= 0) {
    for (let i = 0; i < runs.length; i++) {
      out[i] = runOne(runs[i]);
      onRun?.(out[i], ++done, runs.length);
      if (i % 4 === 3) await new Promise((r) => setTimeout(r, 0)); // let the page draw
    }
    return out;
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(workers, runs.length) }, () =>
      new Promise((resolve, reject) => {
        const w = new Worker(new URL("./worker.mjs", import.meta.url), { type: "module" });
        let mine = -1;
        const feed = () => {
          if (next >= runs.length) {
            w.terminate();
            resolve();
            return;
          }
          mine = next++;
          w.postMessage(runs[mine]);
        };
        w.onmessage = (e) => {
          if (e.data.error) {
            w.terminate();
            reject(new Error(e.data.error));
            return;
          }
          out[mine] = e.data.record;
          onRun?.(out[mine], ++done, runs.length);
          feed();
        };
        w.onerror = (e) => reject(new Error(e.message));
        feed();
      }),
    ),
  );
  return out;
}

/** The options of the form (or given), run; resolves to the records (COCO's text included). */
async function run(o = {}) {
  const opts = {
    strategies: String(o.strategies ?? $("strategies").value).split(",").map((s) => s.trim()),
    functions: Array.isArray(o.functions) ? o.functions : list(o.functions ?? $("functions").value),
    dims: Array.isArray(o.dims) ? o.dims : list(o.dims ?? $("dims").value),
    instances: Array.isArray(o.instances) ? o.instances : list(o.instances ?? $("instances").value),
    budget: Number(o.budget ?? $("budget").value),
    seed: Number(o.seed ?? $("seed").value),
    restarts: o.restarts ?? true,
  };
  for (const s of opts.strategies) if (!strategies[s]) throw new RangeError(`unknown strategy "${s}"; known: ${Object.keys(strategies).join(", ")}`);
  const workers = Number(o.workers ?? $("workers").value);
  const runs = plan({ ...opts, suite: "bbob" });
  const t0 = performance.now();
  $("progress").max = runs.length;
  $("run").disabled = true;
  try {
    const records = await runPlan(runs, workers, (r, done, total) => {
      $("progress").value = done;
      $("status").textContent = `${done}/${total} runs, ${((performance.now() - t0) / 1000).toFixed(1)} s; last: ${r.strategy} f${r.fid} d${r.d} i${r.instance}: ${r.best.toExponential(1)}`;
    });
    show(records);
    $("status").textContent += `\ndone: ${records.length} runs in ${((performance.now() - t0) / 1000).toFixed(1)} s on ${workers > 0 ? `${workers} Web Workers` : "the main thread"}`;
    return records;
  } finally {
    $("run").disabled = false;
  }
}

function show(records) {
  $("figures").innerHTML = ecdfFigures(records).map((f) => `<div title="${f.title}">${f.svg}</div>`).join("");
  $("tables").textContent = `Targets reached\n\n${summaryTable(records)}\nExpected running time\n\n${ertTable(records)}`;
}

$("run").onclick = () => run().catch((e) => ($("status").textContent = String(e)));
window.bbob = { run, list };
document.body.dataset.ready = "true";
