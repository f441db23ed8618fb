// Run the site's search worker in Node: node run_worker.js WORKERS_DIR INDEX QUERY...
// Prints one JSON line per query: the locations of the results, best first.
const fs = require("fs");
const path = require("path");
const vm = require("vm");
const [dir, indexPath, ...queries] = process.argv.slice(2);
let handler;
let reply;
globalThis.self = globalThis;
globalThis.addEventListener = (_type, h) => { handler = h; };
globalThis.postMessage = (message) => { reply = message; };
globalThis.importScripts = (...files) => {
  for (const file of files) {
    vm.runInThisContext(fs.readFileSync(path.resolve(dir, file), "utf8"), { filename: file });
  }
};
importScripts("search-i18n.js");
(async () => {
  const data = JSON.parse(fs.readFileSync(indexPath, "utf8"));
  data.options = { suggest: false };
  await handler({ data: { type: 0, data } });
  for (const query of queries) {
    await handler({ data: { type: 2, data: query } });
    console.log(JSON.stringify(reply.data.items.flat().map((item) => item.location)));
  }
})();
