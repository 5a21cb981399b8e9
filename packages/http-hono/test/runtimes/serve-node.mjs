// The Workers bundle served unchanged on Node with @hono/node-server, as serve-bun.mjs and
// serve-deno.mjs serve it on Bun and Deno (the Node server proper is dist/node/main.js; this
// one only shows the bundle needs nothing from workerd). Usage: node serve-node.mjs <bundle>
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { serve } from "@hono/node-server";

const { default: worker } = await import(pathToFileURL(resolve(process.argv[2])).href);
const env = { ...process.env };
const context = {
  waitUntil(promise) {
    Promise.resolve(promise).catch((error) => console.error(error));
  },
  passThroughOnException() {},
  props: {},
};

serve(
  {
    hostname: process.env.HOST ?? "127.0.0.1",
    port: Number(process.env.PORT ?? 3000),
    fetch(request, { incoming }) {
      const headers = new Headers(request.headers);
      headers.set("cf-connecting-ip", incoming.socket.remoteAddress ?? "unknown");
      return worker.fetch(new Request(request, { headers }), env, context);
    },
  },
  ({ address, port }) => {
    const host = address.includes(":") ? `[${address}]` : address;
    const url = `http://${host}:${port}/`;
    console.log(JSON.stringify({ level: "info", event: "server.listening", runtime: "node", url }));
  },
);
