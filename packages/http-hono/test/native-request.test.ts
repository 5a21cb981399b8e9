import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { nodeRequestAccess } from "../src/node/native-request.js";
import { chunk, LAST_CHUNK, rawClient, requestHead } from "./node-raw-http.js";

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) =>
    server === undefined ? resolve() : server.close(() => resolve()),
  );
  server = undefined;
});

/** A plain Node server whose handler gets the bindings `@hono/node-server` passes as `c.env`. */
async function serve(
  handler: (env: { incoming: IncomingMessage; outgoing: ServerResponse }) => void,
) {
  server = createServer((incoming, outgoing) => handler({ incoming, outgoing }));
  await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe("nodeRequestAccess", () => {
  it("reads the body as it arrives, and refuses one over the limit", async () => {
    const reads: unknown[] = [];
    const url = await serve(async (env) => {
      const read = await nodeRequestAccess.readBody?.(env, 8);
      reads.push(read?.kind === "read" ? Buffer.from(read.bytes).toString() : read?.kind);
      env.outgoing.end();
    });
    await fetch(url, { method: "POST", body: "12345678" });
    await fetch(url, { method: "POST", body: "123456789" });
    // Chunked, without a length: counted as it arrives.
    const client = await rawClient(url);
    await client.write(requestHead("POST", "/", { host: "x", "transfer-encoding": "chunked" }));
    await client.write(chunk("x".repeat(100)));
    await client.write(LAST_CHUNK);
    await client.response();
    client.destroy();
    await fetch(url, { method: "POST" });
    expect(reads).toEqual(["12345678", "too_large", "too_large", ""]);
  });

  it("tells a body cut short by its client, and a caller gone before its answer", async () => {
    const seen: Record<string, string | boolean | undefined> = {};
    let done: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });
    const url = await serve(async (env) => {
      const caller = nodeRequestAccess.caller?.(env);
      seen.before = caller?.aborted;
      seen.body = (await nodeRequestAccess.readBody?.(env, 1024))?.kind;
      if (!env.outgoing.destroyed) {
        await new Promise((resolve) => env.outgoing.once("close", resolve));
      }
      seen.after = caller?.aborted;
      done();
    });
    const client = await rawClient(url);
    await client.write(requestHead("POST", "/", { host: "x", "content-length": "10" }));
    await client.write("12345");
    await new Promise((resolve) => setTimeout(resolve, 50));
    client.destroy();
    await finished;
    expect(seen).toEqual({ before: false, body: "client_gone", after: true });
  });

  it("answers nothing for bindings it does not know, so that the app reads the Request", () => {
    expect(nodeRequestAccess.readBody?.(undefined, 10)).toBeUndefined();
    expect(nodeRequestAccess.caller?.({})).toBeUndefined();
  });
});
