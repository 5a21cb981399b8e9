import { Readable } from "node:stream";
import { SEND_BUTTONS_PATH } from "@replykit/http-app";
import { Pool } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { DEMO_AGENT_ID, DEMO_API_KEY, DEMO_CONVERSATIONS } from "../src/demo/demo-config.js";
import { chunk, LAST_CHUNK, rawClient, requestHead } from "./node-raw-http.js";
import { startComposedServer } from "./support.js";

const MAX_BODY_BYTES = 1024;

const VALID = {
  agentId: DEMO_AGENT_ID,
  conversationId: DEMO_CONVERSATIONS.whatsapp,
  body_text: "Did your order arrive?",
  button_1_id: "yes",
  button_1_title: "Yes",
};

const headers = (extra: Record<string, string> = {}) => ({
  host: "replykit.test",
  authorization: `Bearer ${DEMO_API_KEY}`,
  "content-type": "application/json",
  ...extra,
});

/** A JSON body of about `bytes` bytes, so well over the limit. */
const oversizeBody = (bytes: number) => JSON.stringify({ ...VALID, body_text: "x".repeat(bytes) });

type Server = Awaited<ReturnType<typeof startComposedServer>>;
let server: Server | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const start = async () => {
  server = await startComposedServer((config) => ({ ...config, maxBodyBytes: MAX_BODY_BYTES }));
  return server;
};

const parsedLogs = (lines: readonly string[]) =>
  lines.map((line) => JSON.parse(line) as Record<string, unknown>);

describe("a request body over the limit, on a real socket", () => {
  it("sent chunked, is answered 400 with Connection: close, the server closes, and a new connection is served", async () => {
    const { url } = await start();
    const client = await rawClient(url);
    const body = oversizeBody(64 * 1024);
    await client.write(
      requestHead("POST", SEND_BUTTONS_PATH, headers({ "transfer-encoding": "chunked" })),
    );
    // In pieces, as a streaming client sends it; the server stops reading at 1 KiB.
    for (let offset = 0; offset < body.length; offset += 4096) {
      await client.write(chunk(body.slice(offset, offset + 4096)));
    }
    await client.write(LAST_CHUNK);

    const answer = await client.response();
    expect(answer.status).toBe(400);
    expect(answer.headers.connection).toBe("close");
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: "body_too_large" } });
    await client.closed;

    const next = await fetch(`${url}${SEND_BUTTONS_PATH}`, {
      method: "POST",
      headers: headers(),
      body: JSON.stringify(VALID),
    });
    expect(next.status).toBe(200);
  });

  it("refused for its Content-Length, is answered with Connection: close", async () => {
    const { url } = await start();
    const client = await rawClient(url);
    const body = oversizeBody(4 * 1024);
    await client.write(
      requestHead(
        "POST",
        SEND_BUTTONS_PATH,
        headers({ "content-length": String(Buffer.byteLength(body)) }),
      ),
    );
    const answer = await client.response();
    expect(answer.status).toBe(400);
    expect(answer.headers.connection).toBe("close");
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: "body_too_large" } });
    await client.closed;
    client.destroy();
  });

  it("does not cost a keep-alive client its next request on the same pool", async () => {
    const { url } = await start();
    // One connection: the second request goes wherever the first one left the pool.
    const pool = new Pool(url, { connections: 1, pipelining: 1 });
    try {
      const oversize = await pool.request({
        path: SEND_BUTTONS_PATH,
        method: "POST",
        headers: headers(),
        // A stream without a length: undici sends it chunked.
        body: Readable.from(
          (function* () {
            const body = oversizeBody(256 * 1024);
            for (let offset = 0; offset < body.length; offset += 8192) {
              yield Buffer.from(body.slice(offset, offset + 8192));
            }
          })(),
        ),
      });
      expect(oversize.statusCode).toBe(400);
      expect(oversize.headers.connection).toBe("close");
      await oversize.body.text();

      const next = await pool.request({
        path: SEND_BUTTONS_PATH,
        method: "POST",
        headers: headers(),
        body: JSON.stringify(VALID),
      });
      expect(next.statusCode).toBe(200);
      await next.body.text();
    } finally {
      await pool.destroy();
    }
  });
});

describe("a client that hangs up in the middle of its body", () => {
  it("is logged as the client's doing (499 client_closed_request at warn), with no error-level line", async () => {
    const { url, logLines } = await start();
    const client = await rawClient(url);
    const body = JSON.stringify(VALID);
    await client.write(
      requestHead(
        "POST",
        SEND_BUTTONS_PATH,
        headers({ "content-length": String(Buffer.byteLength(body)) }),
      ),
    );
    await client.write(body.slice(0, Math.floor(body.length / 2)));
    // Give the server time to start reading the body before the client goes away.
    await new Promise((resolve) => setTimeout(resolve, 50));
    client.destroy();

    await expect
      .poll(() => parsedLogs(logLines).filter((line) => line.event === "http.request"))
      .toHaveLength(1);
    const logs = parsedLogs(logLines);
    expect(logs.find((line) => line.event === "http.request")).toMatchObject({
      level: "warn",
      status: 499,
      errorCode: "client_closed_request",
      path: SEND_BUTTONS_PATH,
    });
    expect(logs.filter((line) => line.level === "error")).toEqual([]);
  });
});
