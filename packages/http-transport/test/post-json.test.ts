import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import {
  type AddressInfo,
  createServer as createTcpServer,
  type Server as TcpServer,
} from "node:net";
import { ProviderUnavailable } from "@replykit/core";
import {
  Agent,
  type Dispatcher,
  type RequestInit as UndiciRequestInit,
  fetch as undiciFetch,
} from "undici";
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

/** A port on 127.0.0.1 where nothing listens: connecting to it is refused. */
async function closedPort(): Promise<number> {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  const { port } = closed.address() as AddressInfo;
  await new Promise((resolve) => closed.close(resolve));
  return port;
}

describe.each(transports)(
  "what postJson over the %s transport says about delivery",
  (_name, transport) => {
    it("says delivery is unknown when the connection is reset after the request was written", async () => {
      let arrived = false;
      handler = (request) => {
        arrived = true;
        request.socket.destroy();
      };
      const error = await rejectionOf(post(transport));
      expect(arrived).toBe(true);
      expect(error.deliveryUnknown).toBe(true);
    });

    it("says delivery is unknown when the provider does not answer within timeoutMs", async () => {
      handler = (_request, response) => setTimeout(() => response.end("{}"), 500);
      const error = await rejectionOf(post(transport, { timeoutMs: 30 }));
      expect(error.deliveryUnknown).toBe(true);
      expect(error.retryable).toBe(true);
    });

    it("says delivery is unknown when the caller aborts while the request is out", async () => {
      handler = (_request, response) => setTimeout(() => response.end("{}"), 500);
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 20);
      const error = await rejectionOf(post(transport, { signal: controller.signal }));
      expect(error.deliveryUnknown).toBe(true);
    });

    it("does not say delivery is unknown when the connection is refused", async () => {
      const port = await closedPort();
      const error = await rejectionOf(
        post(transport, { url: `http://127.0.0.1:${port}/token/${SECRET}` }),
      );
      expect(error.message).toContain("ECONNREFUSED");
      expect(error).not.toHaveProperty("deliveryUnknown");
      expect(error.retryable).toBe(true);
    });

    it("does not say delivery is unknown when the host name does not resolve", async () => {
      // `.invalid` never resolves (RFC 2606): ENOTFOUND, or EAI_AGAIN without a DNS server.
      const error = await rejectionOf(
        post(transport, { url: `http://replykit-${SECRET}.invalid/send` }),
      );
      expect(error.message).toMatch(/ENOTFOUND|EAI_AGAIN/);
      expect(error).not.toHaveProperty("deliveryUnknown");
    });

    it("does not say delivery is unknown, nor call the transport, when the signal is already aborted", async () => {
      let calls = 0;
      const counting: HttpTransport = (request) => {
        calls += 1;
        return transport(request);
      };
      const error = await rejectionOf(post(counting, { signal: AbortSignal.abort() }));
      expect(calls).toBe(0);
      expect(error).not.toHaveProperty("deliveryUnknown");
      expect(error.retryable).toBe(true);
      expect(error.message).toMatch(/abandoned before it was sent/);
    });
  },
);

/** `fetchTransport` over undici's own `fetch` through `dispatcher`, to set its connect timeout. */
const fetchThrough =
  (dispatcher: Dispatcher): typeof fetch =>
  (input, init) =>
    undiciFetch(String(input), {
      ...(init as UndiciRequestInit),
      dispatcher,
    }) as unknown as Promise<Response>;

describe("a connection that never completes (a TLS handshake left unanswered)", () => {
  // A TCP server that accepts and never answers: an https:// client sends its TLS hello and
  // waits, so the request itself is never written. undici's connect timeout covers the
  // handshake and fails with UND_ERR_CONNECT_TIMEOUT (on `fetch`, as the error's `cause`).
  let silent: TcpServer;
  let url: string;
  let received = "";
  const agent = new Agent({ connect: { timeout: 100 } });

  beforeAll(async () => {
    silent = createTcpServer((socket) => {
      socket.on("data", (chunk: Buffer) => {
        received += chunk.toString("latin1");
      });
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    url = `https://127.0.0.1:${(silent.address() as AddressInfo).port}/token/${SECRET}/send`;
  });
  afterAll(async () => {
    await agent.close();
    await new Promise((resolve) => silent.close(resolve));
  });

  it.each([
    ["fetch", fetchTransport(fetchThrough(agent))],
    ["undici", undiciTransport({ dispatcher: agent })],
  ])(
    "does not say delivery is unknown when the %s transport times out connecting",
    async (_name, transport) => {
      const error = await rejectionOf(post(transport, { url, timeoutMs: 5_000 }));
      expect(error.message).toContain("UND_ERR_CONNECT_TIMEOUT");
      expect(error).not.toHaveProperty("deliveryUnknown");
      expect(received).not.toContain("POST");
    },
  );
});

describe.each(transports)("a redirect answered to the %s transport", (_name, transport) => {
  // Following a redirect would send the credential headers to the origin in `Location`.
  let elsewhere: Server;
  let reached = 0;

  beforeAll(async () => {
    elsewhere = createServer((_request, response) => {
      reached += 1;
      response.writeHead(200, { "content-type": "application/json" }).end('{"id":"stolen"}');
    });
    await new Promise<void>((resolve) => elsewhere.listen(0, "127.0.0.1", resolve));
  });
  afterAll(async () => {
    elsewhere.closeAllConnections();
    await new Promise((resolve) => elsewhere.close(resolve));
  });

  it("is returned as the 307 answer, not followed, and nothing reaches the other server", async () => {
    const target = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/collect`;
    handler = (_request, response) => response.writeHead(307, { location: target }).end();
    const answer = await post(transport);
    expect(answer.status).toBe(307);
    expect(answer.body).toBeUndefined();
    expect(reached).toBe(0);
  });
});

describe("postJson reading the failure a transport rejects with", () => {
  const failingWith =
    (error: unknown): HttpTransport =>
    async () => {
      throw error;
    };
  const coded = (code: string) =>
    Object.assign(new Error(`connect ${code} 10.0.0.1:443`), { code });

  it("does not say delivery is unknown when every address of the host refused the connection", async () => {
    // Node reports one error per address tried; here without a code of its own.
    const everyAddress = new AggregateError([coded("ECONNREFUSED"), coded("ECONNREFUSED")]);
    const error = await rejectionOf(
      post(failingWith(new TypeError("fetch failed", { cause: everyAddress }))),
    );
    expect(error.message).toContain("ECONNREFUSED");
    expect(error).not.toHaveProperty("deliveryUnknown");
  });

  it("says delivery is unknown when the addresses of the host failed in different ways", async () => {
    const mixed = new AggregateError([coded("ECONNREFUSED"), coded("ECONNRESET")]);
    const error = await rejectionOf(post(failingWith(mixed)));
    expect(error.deliveryUnknown).toBe(true);
  });

  it("says delivery is unknown for a failure without a code", async () => {
    const error = await rejectionOf(post(failingWith(new TypeError("fetch failed"))));
    expect(error.message).toBe("could not reach acme (TypeError)");
    expect(error.deliveryUnknown).toBe(true);
  });
});
