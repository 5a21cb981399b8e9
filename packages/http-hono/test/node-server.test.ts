import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { createJsonLogger } from "@replykit/http-app";
import { afterEach, describe, expect, it } from "vitest";
import { type ListenOptions, listen, type RunningServer } from "../src/node/server.js";
import { rawClient, requestHead } from "./node-raw-http.js";

/** Reads the whole body, as the send-buttons route does, then answers. */
const echoLength = {
  fetch: async (request: Request) => {
    const text = await request.text();
    return new Response(`read ${text.length}`);
  },
};

let running: RunningServer | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

async function start(options: Partial<ListenOptions> = {}) {
  const lines: Record<string, unknown>[] = [];
  const logger = createJsonLogger({
    write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
  });
  running = await listen(echoLength, { port: 0, hostname: "127.0.0.1", logger, ...options });
  return { url: running.url, lines };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the Node server's timeouts", () => {
  it("answers a body trickled past requestTimeoutMs with 408, closes, and logs it as a request", async () => {
    const { url, lines } = await start({ headersTimeoutMs: 200, requestTimeoutMs: 300 });
    const client = await rawClient(url);
    const startedAt = Date.now();
    await client.write(
      requestHead("POST", "/trickle?token=secret", { host: "x", "content-length": "1000" }),
    );
    const trickle = setInterval(() => {
      if (!client.socket.destroyed) client.socket.write("x");
    }, 20);
    try {
      const answer = await client.response(3_000);
      expect(answer.status).toBe(408);
      expect(answer.headers.connection).toBe("close");
      await client.closed;
      // 300 ms, plus Node's sweep (every 50 ms here), plus a busy machine's slack.
      expect(Date.now() - startedAt).toBeLessThan(1_500);
    } finally {
      clearInterval(trickle);
      client.destroy();
    }
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: "warn",
        event: "http.request",
        status: 408,
        errorCode: "request_timeout",
        reason: "ERR_HTTP_REQUEST_TIMEOUT",
        method: "POST",
        path: "/trickle",
      }),
    );
  });

  it("answers headers trickled past headersTimeoutMs with 408 and logs it", async () => {
    const { url, lines } = await start({ headersTimeoutMs: 200, requestTimeoutMs: 1_000 });
    const client = await rawClient(url);
    await client.write("GET / HTTP/1.1\r\nhost: x\r\n");
    const trickle = setInterval(() => {
      if (!client.socket.destroyed) client.socket.write("x-slow: 1\r\n");
    }, 20);
    try {
      const answer = await client.response(3_000);
      expect(answer.status).toBe(408);
    } finally {
      clearInterval(trickle);
      client.destroy();
    }
    expect(lines).toContainEqual(
      expect.objectContaining({ event: "http.request", status: 408, errorCode: "request_timeout" }),
    );
  });

  it("keeps an idle connection open for keepAliveTimeoutMs, 65 s by default, and says so", async () => {
    const { url } = await start();
    const keepAlive = await new Promise<string | undefined>((resolve, reject) => {
      const request = httpRequest(url, (response) => {
        response.resume();
        resolve(String(response.headers["keep-alive"]));
      });
      request.on("error", reject);
      request.end();
    });
    expect(keepAlive).toBe("timeout=65");
  });

  it("closes an idle keep-alive connection once keepAliveTimeoutMs has passed", async () => {
    const { url } = await start({ keepAliveTimeoutMs: 200 });
    const client = await rawClient(url);
    await client.write(requestHead("GET", "/", { host: "x" }));
    expect((await client.response()).status).toBe(200);
    const answeredAt = Date.now();
    await client.closed;
    // Node adds up to a second of its own to the advertised timeout.
    expect(Date.now() - answeredAt).toBeGreaterThanOrEqual(150);
    expect(Date.now() - answeredAt).toBeLessThan(3_000);
  });

  it("refuses timeouts that are not positive integers, or headers allowed longer than the request", async () => {
    const base = { port: 0, hostname: "127.0.0.1" };
    expect(() => listen(echoLength, { ...base, requestTimeoutMs: 0 })).toThrow(/requestTimeoutMs/);
    expect(() => listen(echoLength, { ...base, headersTimeoutMs: 1.5 })).toThrow(
      /headersTimeoutMs/,
    );
    expect(() => listen(echoLength, { ...base, maxConnections: -1 })).toThrow(/maxConnections/);
    expect(() =>
      listen(echoLength, { ...base, headersTimeoutMs: 2_000, requestTimeoutMs: 1_000 }),
    ).toThrow(/must not exceed requestTimeoutMs/);
  });
});

describe("requests Node refuses before the app sees them", () => {
  it("answers headers over Node's size limit with 431, as Node would, and logs them", async () => {
    const { url, lines } = await start();
    const client = await rawClient(url);
    await client.write(requestHead("GET", "/", { host: "x", "x-big": "a".repeat(20_000) }));
    const answer = await client.response();
    expect(answer.status).toBe(431);
    expect(answer.headers.connection).toBe("close");
    await client.closed;
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: "warn",
        event: "http.request",
        status: 431,
        errorCode: "headers_too_large",
        reason: "HPE_HEADER_OVERFLOW",
      }),
    );
  });

  it("answers a malformed request with 400 and logs it", async () => {
    const { url, lines } = await start();
    const client = await rawClient(url);
    await client.write("NOT HTTP AT ALL\r\n\r\n");
    const answer = await client.response();
    expect(answer.status).toBe(400);
    await client.closed;
    expect(lines).toContainEqual(
      expect.objectContaining({ event: "http.request", status: 400, errorCode: "bad_request" }),
    );
  });

  it("logs nothing for a client that resets its connection", async () => {
    const { url, lines } = await start();
    const client = await rawClient(url);
    await client.write("POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\nabc");
    await sleep(30);
    client.socket.resetAndDestroy();
    await sleep(100);
    expect(lines.filter((line) => line.event === "http.request")).toEqual([]);
  });
});

describe("the connection cap", () => {
  it("closes connections beyond maxConnections at once, logs them, and serves again when one is free", async () => {
    const { url, lines } = await start({ maxConnections: 2 });
    const first = await rawClient(url);
    const second = await rawClient(url);
    // Both accepted by the server before the third arrives.
    await first.write(requestHead("GET", "/", { host: "x" }));
    await first.response();
    await second.write(requestHead("GET", "/", { host: "x" }));
    await second.response();

    const { hostname, port } = new URL(url);
    const third = connect({ host: hostname, port: Number(port) });
    third.on("error", () => undefined);
    const received: Buffer[] = [];
    third.on("data", (data: Buffer) => received.push(data));
    third.write(requestHead("GET", "/", { host: "x" }));
    await new Promise((resolve) => third.once("close", resolve));
    expect(Buffer.concat(received).toString()).toBe("");
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: "warn",
        event: "http.connection_dropped",
        dropped: 1,
        maxConnections: 2,
      }),
    );

    first.destroy();
    await first.closed;
    await sleep(50);
    const fourth = await rawClient(url);
    await fourth.write(requestHead("GET", "/", { host: "x" }));
    expect((await fourth.response()).status).toBe(200);
    second.destroy();
    fourth.destroy();
  });
});
