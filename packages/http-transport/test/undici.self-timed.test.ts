import { getEventListeners } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { MockAgent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AnswerTimedOut,
  type HttpRequest,
  type HttpTransport,
  isSelfTimed,
  postJson,
  RequestNotSent,
} from "../src/index.js";
import { undiciTransport } from "../src/undici.js";
import { postRequest } from "./http-request.js";

// undiciTransport keeps the answer's deadline itself, on undici's `dispatch`, so that an
// attempt has one abort signal: the caller's.

let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      const path = request.url ?? "";
      if (path.startsWith("/slow")) {
        setTimeout(() => response.end("{}"), 300);
        return;
      }
      if (path.startsWith("/chunked")) {
        response.setHeader("content-type", "application/json");
        response.write('{"parts":');
        setTimeout(() => response.end('["a","é"]}'), 20);
        return;
      }
      if (path.startsWith("/bom")) {
        response.end(`\uFEFF{"marked":true}`);
        return;
      }
      response.setHeader("retry-after", "7");
      response.end(`{"path":${JSON.stringify(path)}}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const request = (overrides: Partial<HttpRequest> = {}): HttpRequest =>
  postRequest(`${baseUrl}/send`, overrides);

const rejectionOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error,
  );

describe("undiciTransport keeping the answer's deadline itself", () => {
  it("says so, so that postJson adds no deadline of its own", () => {
    const transport = undiciTransport();
    expect(isSelfTimed(transport)).toBe(true);
    expect(isSelfTimed(async () => ({ status: 200, header: () => undefined, body: "" }))).toBe(
      false,
    );
    return transport.close();
  });

  it("hands the request to undici with the caller's signal alone", async () => {
    const transport = undiciTransport();
    const caller = new AbortController();
    const seen: AbortSignal[] = [];
    const watching: HttpTransport = Object.assign(
      (httpRequest: HttpRequest) => {
        seen.push(httpRequest.signal);
        return transport(httpRequest);
      },
      { enforcesTimeout: true as const },
    );
    try {
      const answer = await postJson({
        provider: "acme",
        transport: watching,
        url: `${baseUrl}/send`,
        headers: {},
        json: {},
        timeoutMs: 1_000,
        signal: caller.signal,
      });
      expect(answer.status).toBe(200);
      expect(seen).toEqual([caller.signal]);
      expect(getEventListeners(caller.signal, "abort")).toHaveLength(0);
    } finally {
      await transport.close();
    }
  });

  it("fails with AnswerTimedOut once timeoutMs has passed without an answer", async () => {
    const transport = undiciTransport();
    try {
      const caller = new AbortController();
      const started = performance.now();
      const error = await rejectionOf(
        transport(request({ url: `${baseUrl}/slow`, timeoutMs: 40, signal: caller.signal })),
      );
      expect(error).toBeInstanceOf(AnswerTimedOut);
      expect(error).toMatchObject({ code: "ERR_ANSWER_TIMEOUT", timeoutMs: 40 });
      expect(performance.now() - started).toBeLessThan(250);
      expect(getEventListeners(caller.signal, "abort")).toHaveLength(0);
    } finally {
      await transport.destroy();
    }
  });

  it("lets a request without timeoutMs wait for its answer as long as it takes", async () => {
    const transport = undiciTransport();
    try {
      const answer = await transport(request({ url: `${baseUrl}/slow` }));
      expect(answer.status).toBe(200);
    } finally {
      await transport.close();
    }
  });

  it("postJson reads its timeout as the provider not answering in time, delivery unknown", async () => {
    const transport = undiciTransport();
    try {
      const error = await rejectionOf(
        postJson({
          provider: "acme",
          transport,
          url: `${baseUrl}/slow`,
          headers: {},
          json: {},
          timeoutMs: 40,
          signal: new AbortController().signal,
        }),
      );
      expect(error).toMatchObject({
        _tag: "ProviderUnavailable",
        retryable: true,
        deliveryUnknown: true,
        message: "acme did not answer within 40 ms",
      });
    } finally {
      await transport.destroy();
    }
  });

  it("rejects with the caller's reason as soon as the caller aborts, leaving its signal", async () => {
    const transport = undiciTransport();
    try {
      const caller = new AbortController();
      const reason = new DOMException("the attempt timed out", "TimeoutError");
      setTimeout(() => caller.abort(reason), 30);
      const error = await rejectionOf(
        transport(request({ url: `${baseUrl}/slow`, timeoutMs: 5_000, signal: caller.signal })),
      );
      expect(error).toBe(reason);
      expect(getEventListeners(caller.signal, "abort")).toHaveLength(0);
    } finally {
      await transport.destroy();
    }
  });

  it("sends nothing and fails as not sent when the caller gave up before the dispatch", async () => {
    const mockAgent = new MockAgent();
    mockAgent.disableNetConnect();
    mockAgent.get(baseUrl).intercept({ path: "/send", method: "POST" }).reply(200, "{}");
    const transport = undiciTransport({ dispatcher: mockAgent });
    const caller = new AbortController();
    caller.abort();
    try {
      const error = await rejectionOf(transport(request({ signal: caller.signal })));
      expect(error).toBeInstanceOf(RequestNotSent);
      // The interceptor is still waiting: the request never reached the dispatcher.
      expect(mockAgent.pendingInterceptors()).toHaveLength(1);
    } finally {
      await mockAgent.close();
    }
  });

  it("aborts, once undici takes it, a request whose deadline passed while undici held it", async () => {
    // A dispatcher of the caller's, without connection slots: undici queues the second
    // request behind the first on its one connection, and the deadline passes meanwhile.
    const { Agent } = await import("undici");
    const agent = new Agent({ connections: 1, pipelining: 1 });
    const transport = undiciTransport({ dispatcher: agent });
    try {
      const first = transport(request({ url: `${baseUrl}/slow` }));
      const second = rejectionOf(transport(request({ url: `${baseUrl}/send`, timeoutMs: 20 })));
      expect((await first).status).toBe(200);
      expect(await second).toBeInstanceOf(AnswerTimedOut);
    } finally {
      await agent.close();
    }
  });

  it("reads a body sent in several chunks as UTF-8, and its headers by any case", async () => {
    const transport = undiciTransport();
    try {
      const chunked = await transport(request({ url: `${baseUrl}/chunked` }));
      expect(JSON.parse(chunked.body)).toEqual({ parts: ["a", "é"] });
      const plain = await transport(request({ url: `${baseUrl}/send?x=1` }));
      expect(JSON.parse(plain.body)).toEqual({ path: "/send?x=1" });
      expect(plain.header("Retry-After")).toBe("7");
      expect(plain.header("x-absent")).toBeUndefined();
    } finally {
      await transport.close();
    }
  });

  it("drops a byte order mark before the body, as undici's body.text() does", async () => {
    const transport = undiciTransport();
    try {
      const answer = await transport(request({ url: `${baseUrl}/bom` }));
      expect(answer.body).toBe('{"marked":true}');
    } finally {
      await transport.close();
    }
  });

  it("passes a connection failure through as undici reports it, with its code", async () => {
    const transport = undiciTransport();
    try {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
      const { port } = closed.address() as AddressInfo;
      await new Promise((resolve) => closed.close(resolve));
      const error = await rejectionOf(transport(request({ url: `http://127.0.0.1:${port}/x` })));
      expect(error).toMatchObject({ code: "ECONNREFUSED" });
    } finally {
      await transport.close();
    }
  });
});
