// Node / Bun, CommonJS, as a consumer: require("evostrat") of the ES package (require(esm): Node ≥ 20.19,
// Bun), through the exports map's "default" condition.
const api = require("evostrat");
const entries = { kernels: require("evostrat/kernels"), neorl: require("evostrat/neorl"), pypop7: require("evostrat/pypop7") };
const entry = require.resolve("evostrat");
import("./probe.mjs").then(({ probe }) => {
  console.log(JSON.stringify({ entry, result: probe(api, entries) }));
});
