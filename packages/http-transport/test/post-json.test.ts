import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ProviderUnavailable } from "@replykit/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchTransport, type HttpTransport, postJson } from "../src/index.js";
import { undiciTransport } from "../src/undici.js";

type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => void;

const SECRET = "tok-SECRET-123";
let server: Server;
let baseUrl: string;
let handler: Handler = (_request, response) => response.end();

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => handler(request, response, body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const undici = undiciTransport();
afterAll(() => undici.close());

const transports: [string, HttpTransport][] = [
  ["fetch", fetchTransport()],
  ["undici", undici],
];

const post = (
  transport: HttpTransport,
  overrides: { url?: string; timeoutMs?: number; signal?: AbortSignal } = {},
) =>
  postJson({
    provider: "acme",
    transport,
    url: overrides.url ?? `${baseUrl}/instances/1/token/${SECRET}/send`,
    headers: { "client-token": SECRET },
    json: { hello: "wörld 👋" },
    timeoutMs: overrides.timeoutMs ?? 2_000,
    signal: overrides.signal ?? new AbortController().signal,
  });

async function rejectionOf(promise: Promise<unknown>): Promise<ProviderUnavailable> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ProviderUnavailable);
  const unavailable = error as ProviderUnavailable;
  expect(
    [unavailable.message, String(unavailable), JSON.stringify(unavailable)].join(),
  ).not.toContain(SECRET);
  return unavailable;
}

describe.each(transports)("postJson over the %s transport", (_name, transport) => {
  it("sends JSON with the given headers and returns the parsed answer", async () => {
    let received: Record<string, string | undefined> = {};
    handler = (request, response, body) => {
      received = {
        method: request.method,
        type: request.headers["content-type"],
        token: request.headers["client-token"] as string,
        body,
      };
      response.writeHead(201, { "content-type": "application/json" }).end('{"id":"m-1"}');
    };
    const answer = await post(transport);
    expect(answer).toEqual({ status: 201, body: { id: "m-1" }, retryAfterMs: undefined });
    expect(received).toEqual({
      method: "POST",
      type: "application/json",
      token: SECRET,
      body: '{"hello":"wörld 👋"}',
    });
  });

  it("resolves every status, and reads Retry-After in seconds", async () => {
    handler = (_request, response) =>
      response.writeHead(429, { "retry-after": "3" }).end('{"error":"slow down"}');
    expect(await post(transport)).toEqual({
      status: 429,
      body: { error: "slow down" },
      retryAfterMs: 3000,
    });
  });

  it("gives an undefined body for an answer that is not JSON", async () => {
    handler = (_request, response) => response.writeHead(502).end("<html>Bad gateway</html>");
    expect(await post(transport)).toEqual({
      status: 502,
      body: undefined,
      retryAfterMs: undefined,
    });
  });

  it("turns a reset connection into a retryable ProviderUnavailable without the URL", async () => {
    handler = (request) => request.socket.destroy();
    const error = await rejectionOf(post(transport));
    expect(error.retryable).toBe(true);
    expect(error.message).toMatch(/could not reach acme/);
  });

  it("turns a refused connection into a retryable ProviderUnavailable naming the failure", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const error = await rejectionOf(
      post(transport, { url: `http://127.0.0.1:${port}/token/${SECRET}` }),
    );
    expect(error.message).toContain("ECONNREFUSED");
  });

  it("gives up after timeoutMs", async () => {
    handler = (_request, response) => setTimeout(() => response.end("{}"), 500);
    const error = await rejectionOf(post(transport, { timeoutMs: 30 }));
    expect(error.message).toBe("acme did not answer within 30 ms");
  });

  it("gives up when the caller aborts", async () => {
    handler = (_request, response) => setTimeout(() => response.end("{}"), 500);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const error = await rejectionOf(post(transport, { signal: controller.signal }));
    expect(error.message).toMatch(/abandoned/);
  });
});
