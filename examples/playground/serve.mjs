// npm run playground: serves the playground page (examples/playground/), the BBOB runner's page
// (examples/bbob/) and the built package (dist/) on 127.0.0.1, then prints the address. `serve({ port: 0 })` is what the Chromium test uses.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { join, normalize, extname, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const TYPES = { ".html": "text/html; charset=utf-8", ".mjs": "text/javascript; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".wasm": "application/wasm", ".svg": "image/svg+xml" };

/** Serves / (the playground), /examples/playground/*, /examples/bbob/* and /dist/*; nothing else. */
export async function serve({ port = 8321, host = "127.0.0.1" } = {}) {
  const server = createServer(async (req, res) => {
    let path = normalize(decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname));
    // the page's own address, so that its relative imports (./app.mjs) resolve
    if (path === "/" || path === "/index.html") return void res.writeHead(302, { location: "/examples/playground/" }).end();
    if (path === "/examples/playground/" || path === "/examples/bbob/") path += "index.html";
    if (!/^\/(dist|examples\/playground|examples\/bbob)\//.test(path) || path.includes("..")) return void res.writeHead(404).end();
    try {
      const body = await readFile(join(ROOT, path));
      res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream", "cache-control": "no-store" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  const addr = server.address();
  return {
    url: `http://${host}:${addr.port}/`,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const port = Number(process.env.PORT ?? 8321);
  const { url } = await serve({ port });
  console.log(`evostrat playground: ${url}  BBOB runner: ${url}examples/bbob/  (Ctrl-C to stop)`);
}
