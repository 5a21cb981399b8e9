import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { fc, test } from "@fast-check/vitest";
import { afterEach, describe, expect, it } from "vitest";
import { nodeRequestAccess, rawHeader } from "../src/node/native-request.js";
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
    expect(nodeRequestAccess.headers?.({})).toBeUndefined();
  });

  it("reads a request's headers by any case, a repeated one as Headers.get joins it", async () => {
    const seen: (string | undefined)[] = [];
    const url = await serve((env) => {
      const header = nodeRequestAccess.headers?.(env);
      seen.push(header?.("authorization"), header?.("X-Twice"), header?.("x-absent"));
      env.outgoing.end();
    });
    const client = await rawClient(url);
    await client.write(
      "GET / HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer a\r\nx-twice: 1\r\nAuthorization: Bearer b\r\nX-TWICE: 2\r\nConnection: close\r\n\r\n",
    );
    await client.response();
    client.destroy();
    expect(seen).toEqual(["Bearer a, Bearer b", "1, 2", undefined]);
  });
});

describe("rawHeader", () => {
  const name = fc.constantFrom("authorization", "content-type", "x-request-id", "idempotency-key");
  const casing = fc.array(fc.boolean(), { minLength: 20, maxLength: 20 });
  const recase = (text: string, upper: boolean[]) =>
    [...text].map((letter, index) => (upper[index] ? letter.toUpperCase() : letter)).join("");
  const value = fc.stringMatching(/^[!-~]([ -~]{0,20}[!-~])?$/);

  test.prop([fc.array(fc.tuple(name, casing, value), { maxLength: 8 }), name, casing])(
    "reads every header as the Headers of the same lines would",
    (lines, wanted, wantedCasing) => {
      const raw = lines.flatMap(([header, upper, text]) => [recase(header, upper), text]);
      const headers = new Headers();
      for (const [header, , text] of lines) headers.append(header, text);
      expect(rawHeader(raw, recase(wanted, wantedCasing))).toBe(headers.get(wanted) ?? undefined);
    },
  );
});
