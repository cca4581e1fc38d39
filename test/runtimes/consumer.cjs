// Node / Bun, CommonJS, as a consumer: require("evostrat") through the exports map's "require" condition.
const api = require("evostrat");
const entries = { kernels: require("evostrat/kernels"), neorl: require("evostrat/neorl"), pypop7: require("evostrat/pypop7") };
const entry = require.resolve("evostrat");
import("./probe.mjs").then(({ probe }) => {
  console.log(JSON.stringify({ entry, result: probe(api, entries) }));
});
